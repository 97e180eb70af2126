"""Across bulletins: tongbao.series, tongbao.checks and the near-duplicate marks.

The evaluation corpus is tests/data/series (generate.py): a month of invented
daily reports of 河南省, 郑州市 and 商丘市, a clean copy and a faulted one
whose planted faults faults.json lists. Everything here runs the whole
pipeline (analyze → metrics → series/checks): nothing is hand-fed.
"""
import json
import pathlib
import subprocess
import sys

import pytest

pd = pytest.importorskip("pandas")

import tongbao  # noqa: E402

SERIES_DIR = pathlib.Path(__file__).resolve().parent / "data" / "series"
FACT = ["code", "metric", "scope", "origin", "date"]
KINDS = {"breakdown", "origin_split", "flow", "hierarchy", "source_conflict", "gap"}


def _load(copy):
    d = SERIES_DIR / copy
    docs = json.loads((d / "documents.json").read_text(encoding="utf-8"))
    texts = {x["doc_id"]: (d / x["path"]).read_text(encoding="utf-8") for x in docs}
    refs = {x["doc_id"]: x["ref_date"] for x in docs}
    metrics = tongbao.analyze_many(texts, table="metrics", ref_date=refs).rename(columns={"doc": "doc_id"})
    documents = pd.DataFrame(docs)
    documents["fingerprint"] = [tongbao.fingerprint(texts[i]) for i in documents["doc_id"]]
    return metrics, documents, texts


@pytest.fixture(scope="module")
def clean():
    return _load("clean")


@pytest.fixture(scope="module")
def faulted():
    return _load("faulted")


@pytest.fixture(scope="module")
def faults():
    return json.loads((SERIES_DIR / "faults.json").read_text(encoding="utf-8"))


def _none(v):
    return None if v is None or (not isinstance(v, (str, list)) and pd.isna(v)) else v


def _keys(df, cols=FACT):
    return [tuple(_none(v) for v in t) for t in zip(*(df[c].tolist() for c in cols))]


# ----------------------------------------------------------------------------- the corpus

def test_corpus_is_the_generators_output():
    r = subprocess.run([sys.executable, str(SERIES_DIR / "generate.py"), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_corpus_is_a_month_of_three_issuers(clean, faulted):
    _, docs, _ = clean
    ids = docs["doc_id"].tolist()
    for issuer in ("henan", "zhengzhou", "shangqiu"):
        assert sum(i.startswith(issuer + "-") for i in ids) == 31
    assert len(ids) == 93
    fids = faulted[1]["doc_id"].tolist()
    assert "henan-2022-08-26" not in fids                 # the gap
    assert {"dahe-henan-2022-08-05", "copy-shangqiu-2022-08-10", "zhengzhou-2022-08-12-correction"} <= set(fids)


# ----------------------------------------------------------------------------- series

def test_series_of_the_clean_copy_is_its_facts(clean):
    metrics, docs, _ = clean
    s = tongbao.series(metrics, docs)
    facts = json.loads((SERIES_DIR / "clean" / "facts.json").read_text(encoding="utf-8"))
    want = {(f["code"], f["metric"], f["scope"], f["origin"], f["date"]): float(f["value"]) for f in facts}
    got = dict(zip(_keys(s), s["value"].tolist()))
    assert len(s) == len(set(_keys(s))) == len(want)      # one row per fact
    assert got == want
    assert not s["conflict"].any() and not s["derived"].any()
    assert list(s.columns) == ["region", "code", "level", "metric", "scope", "origin", "date", "value", "approx",
                               "values", "n_sources", "doc_ids", "conflict", "derived"]


def test_a_fact_stated_by_province_and_city_is_one_row_with_two_sources(clean):
    metrics, docs, _ = clean
    s = tongbao.series(metrics, docs, region="民权县", metric="asymptomatic", scope="new")
    assert len(s) and (s["n_sources"] == 2).all()
    for ids, date in zip(s["doc_ids"], s["date"]):
        assert ids == [f"henan-{date}", f"shangqiu-{date}"]
    # a breakdown's parts are their own regions' facts: the province's
    # figure is its own statement, never the sum of its rows
    prov = tongbao.series(metrics, docs, region="410000", metric="asymptomatic", scope="new", origin="local")
    stated = metrics[(metrics["code"] == "410000") & (metrics["metric"] == "asymptomatic")
                     & (metrics["scope"] == "new") & (metrics["origin"] == "local")]
    assert prov["value"].tolist() == stated.sort_values("date")["value"].tolist()


def test_copies_add_no_rows_and_no_sources(faulted):
    metrics, docs, _ = faulted
    copies = ["dahe-henan-2022-08-05", "copy-shangqiu-2022-08-10"]
    s = tongbao.series(metrics, docs)
    without = tongbao.series(metrics[~metrics["doc_id"].isin(copies)], docs[~docs["doc_id"].isin(copies)])
    pd.testing.assert_frame_equal(s, without)
    assert len(s) == len(set(_keys(s)))
    assert not any(c in ids for ids in s["doc_ids"] for c in copies)


def test_duplicates_are_the_repost_and_the_paraphrase(faulted, faults):
    metrics, docs, texts = faulted
    dup = tongbao.duplicate_of(docs, metrics)
    marked = dict(zip(docs["doc_id"][dup.notna()], dup[dup.notna()]))
    want = {f["doc_id"]: f["duplicate_of"] for f in faults if f["kind"] == "duplicate"}
    assert marked == want
    fp = dict(zip(docs["doc_id"], docs["fingerprint"]))
    assert fp["dahe-henan-2022-08-05"] == fp["henan-2022-08-05"]            # same text, other chrome
    assert fp["copy-shangqiu-2022-08-10"] != fp["shangqiu-2022-08-10"]      # other words: found by its figures
    # without documents only the figures can tell: the paraphrase and the repost still
    only = tongbao.duplicate_of(None, metrics)
    assert dict(only[only.notna()]) == want


def test_the_correction_wins(faulted, faults):
    metrics, docs, _ = faulted
    f = next(f for f in faults if f["id"] == "correction")
    s = tongbao.series(metrics, docs, region=f["code"], metric=f["metric"], scope=f["scope"], origin=f["origin"])
    row = s[s["date"] == f["date"]].iloc[0]
    assert row["conflict"] and row["value"] == f["expected"]
    assert row["values"] == [f["expected"], f["stated"]]
    assert row["doc_ids"] == [f["doc_id"]] + f["also"] and row["n_sources"] == 2
    assert s["conflict"].sum() == 1
    # the documents in reverse order: the later reference date still wins
    rev = tongbao.series(metrics, docs.iloc[::-1], region=f["code"], metric=f["metric"], scope=f["scope"],
                         origin=f["origin"])
    assert rev[rev["date"] == f["date"]]["value"].tolist() == [f["expected"]]


def test_filters(clean):
    metrics, docs, _ = clean
    s = tongbao.series(metrics, docs)
    assert set(tongbao.series(metrics, docs, metric="confirmed")["metric"]) == {"confirmed"}
    two = tongbao.series(metrics, docs, metric=["confirmed", "death"], scope="cumulative")
    assert set(two["metric"]) == {"confirmed", "death"} and set(two["scope"]) == {"cumulative"}
    assert set(tongbao.series(metrics, docs, origin="imported")["origin"]) == {"imported"}
    by_name = tongbao.series(metrics, docs, region="郑州市")
    pd.testing.assert_frame_equal(by_name, tongbao.series(metrics, docs, region="410100"))
    assert set(by_name["code"]) == {"410100"}
    counties = tongbao.series(metrics, docs, level="county")
    assert set(counties["level"]) == {"county"} and len(counties) == (s["level"] == "county").sum()
    assert len(tongbao.series(metrics, docs, metric="no_such_metric")) == 0


def test_levels_from_division_codes(clean):
    metrics, docs, _ = clean
    s = tongbao.series(metrics, docs)
    level = dict(zip(s["region"], s["level"]))
    assert level["河南省"] == "province" and level["郑州市"] == "city" and level["商丘市"] == "city"
    assert level["金水区"] == "county" and level["民权县"] == "county"
    assert level["济源示范区"] == "city"      # 419001: governed by the province, reported with the cities
    assert s["level"].map({"province": 0, "city": 1, "county": 2}).is_monotonic_increasing


def test_rollup_sums_counties_where_the_city_has_no_figure(clean):
    metrics, docs, _ = clean
    s = tongbao.series(metrics, docs)
    r = tongbao.series(metrics, docs, rollup="city", level="city")
    zk = r[r["code"] == "411600"]                        # 周口市: no report of its own, counties in the province's
    assert len(zk) and zk["derived"].all() and set(zk["region"]) == {"周口市"}
    counties = s[s["code"].isin(["411602", "411603"])]
    sums = counties.groupby(["metric", "scope", "origin", "date"])["value"].sum()
    got = zk.set_index(["metric", "scope", "origin", "date"])["value"]
    assert got.sort_index().to_dict() == sums.sort_index().to_dict()
    # a city that states its own figures gets no derived row
    assert not r[r["code"].isin(["410100", "411400"])]["derived"].any()
    assert len(r[~r["derived"]]) == (s["level"] == "city").sum()
    assert len(tongbao.series(metrics, docs, level="city")) == (s["level"] == "city").sum()   # no rollup, none
    with pytest.raises(tongbao.InputError):
        tongbao.series(metrics, docs, rollup="town")


def test_rollup_to_the_province_fills_the_missing_bulletin(faulted):
    metrics, docs, _ = faulted
    r = tongbao.series(metrics, docs, rollup="province", region="河南省", metric="confirmed", scope="new",
                       origin="local")
    day = r[r["date"] == "2022-08-26"]
    assert len(day) == 1 and day["derived"].iloc[0]
    cities = tongbao.series(metrics, docs, rollup="city", level="city", metric="confirmed", scope="new",
                            origin="local")
    assert day["value"].iloc[0] == cities[cities["date"] == "2022-08-26"]["value"].sum()
    assert not r[r["date"] != "2022-08-26"]["derived"].any()


def test_pivot_friendly(clean):
    metrics, docs, _ = clean
    s = tongbao.series(metrics, docs, metric="confirmed", scope="new", origin="local", level="county")
    wide = s.pivot(index="date", columns="region", values="value")
    assert wide.shape[0] == s["date"].nunique() and wide.notna().sum().sum() == len(s)
    whole = tongbao.series(metrics, docs, rollup="city")
    whole.pivot_table(index="date", columns=["metric", "scope", "origin", "region"], values="value", aggfunc="first")


# ----------------------------------------------------------------------------- checks

def test_no_check_fires_on_the_clean_copy(clean):
    metrics, docs, _ = clean
    assert len(tongbao.checks(metrics, docs)) == 0
    assert len(tongbao.checks(metrics)) == 0                 # without the documents table as well


def _matches(check, fault):
    if check["kind"] != fault["kind"] or check["code"] != fault["code"] or check["date"] != fault["date"]:
        return False
    for col in ("metric", "scope", "origin"):
        if col in fault and _none(check[col]) != fault[col]:
            return False
    for col in ("expected", "stated"):
        if col in fault and check[col] != fault[col]:
            return False
    want_docs = ([fault["doc_id"]] if fault.get("doc_id") else []) + fault.get("also", [])
    return all(d in check["doc_ids"] for d in want_docs)


def test_every_planted_fault_is_found_with_its_kind_and_nothing_else(faulted, faults):
    metrics, docs, _ = faulted
    c = tongbao.checks(metrics, docs)
    planted = [f for f in faults if f["kind"] in KINDS]
    assert {f["kind"] for f in planted} == KINDS
    rows = c.to_dict("records")
    for f in planted:
        assert any(_matches(r, f) for r in rows), (f, c[["kind", "code", "date", "message"]])
    for r in rows:
        assert any(_matches(r, f) for f in planted), r       # no check that no fault explains
    assert len(c) == len(planted)


def test_checks_carry_their_evidence(faulted):
    metrics, docs, texts = faulted
    c = tongbao.checks(metrics, docs)
    assert list(c.columns) == ["kind", "region", "code", "metric", "scope", "origin", "date", "expected", "stated",
                               "doc_ids", "evidence", "message"]
    for r in c.to_dict("records"):
        assert r["evidence"] and r["message"]
        assert r["doc_ids"] == list(dict.fromkeys(e["doc_id"] for e in r["evidence"]))
        for e in r["evidence"]:
            assert texts[e["doc_id"]][e["start"]:e["end"]] == e["text"]
    flow = c[c["kind"] == "flow"].iloc[0]
    assert [e["text"] for e in flow["evidence"]][2].startswith("本土无症状感染者")


def test_checks_without_documents_find_the_same(faulted):
    metrics, docs, _ = faulted
    a = tongbao.checks(metrics, docs)
    b = tongbao.checks(metrics)
    assert a["kind"].tolist() == b["kind"].tolist()
    assert a[["code", "date", "expected", "stated"]].equals(b[["code", "date", "expected", "stated"]])


def test_a_reposted_fault_is_reported_once(faulted):
    metrics, docs, texts = faulted
    bad = "henan-2022-08-09"                  # the breakdown fault, posted again by a portal
    copy = tongbao.analyze(texts[bad].replace("发布时间", "来源：某网\n发布时间"), ref_date="2022-08-10").metrics
    copy.insert(0, "doc_id", "portal-copy")
    m = pd.concat([metrics, copy], ignore_index=True)
    d = pd.concat([docs, pd.DataFrame({"doc_id": ["portal-copy"], "ref_date": ["2022-08-10"],
                                       "fingerprint": [tongbao.fingerprint(texts[bad] + "\n责任编辑：某")]})],
                  ignore_index=True)
    c = tongbao.checks(m, d)
    assert (c["kind"] == "breakdown").sum() == 1


# ----------------------------------------------------------------------------- small cases

def _m(docs, ref="2022-08-04"):
    return tongbao.analyze_many(docs, table="metrics", ref_date=ref).rename(columns={"doc": "doc_id"})


def test_latest_document_wins_and_own_figure_breaks_a_tie():
    m = _m({"late": "8月3日0—24时，商丘市新增本土确诊病例6例。", "early": "8月3日0—24时，商丘市新增本土确诊病例5例。"})
    docs = pd.DataFrame({"doc_id": ["late", "early"], "ref_date": ["2022-08-05", "2022-08-04"]})
    s = tongbao.series(m, docs)
    assert s["value"].tolist() == [6.0] and s["values"].tolist() == [[6.0, 5.0]] and s["conflict"].tolist() == [True]
    assert s["doc_ids"].tolist() == [["late", "early"]]
    # same day: the city's own figure over the province's breakdown of it
    m = _m({"city": "8月3日0—24时，商丘市新增本土确诊病例5例。",
            "prov": "8月3日0—24时，河南省新增本土确诊病例6例（商丘市6例）。"})
    s = tongbao.series(m, pd.DataFrame({"doc_id": ["city", "prov"], "ref_date": ["2022-08-04"] * 2}),
                       region="商丘市")
    assert s["value"].tolist() == [5.0]
    c = tongbao.checks(m)
    assert c["kind"].tolist() == ["source_conflict"] and c["expected"].tolist() == [5.0]


def test_one_document_giving_two_values_is_not_a_conflict_between_sources():
    # two baselines of one cumulative figure in one report: both kept, no conflict
    text = ("截至8月3日24时，河南省本轮疫情累计报告本土确诊病例120例。"
            "2020年1月21日至2022年8月3日24时，全省累计报告本土确诊病例3120例。")
    m = _m({"a": text})
    s = tongbao.series(m)
    assert len(s) == 1 and s["values"].iloc[0] == [120.0, 3120.0] and not s["conflict"].iloc[0]
    assert len(tongbao.checks(m)) == 0


def test_nested_breakdown_and_origin_split():
    m = _m({"a": "8月3日0—24时，河南省新增本土确诊病例9例，其中郑州市5例（二七区3例、管城回族区1例），洛阳市4例（洛龙区4例）。",
            "b": "截至8月3日24时，河南省累计报告确诊病例3327例（本土3081例、境外输入236例）。"})
    c = tongbao.checks(m)
    assert sorted(zip(c["kind"], c["region"], c["expected"], c["stated"])) == [
        ("breakdown", "郑州市", 4.0, 5.0), ("origin_split", "河南省", 3317.0, 3327.0)]


def test_flow_and_hierarchy_on_small_corpora():
    m = _m({"d1": "截至8月2日24时，商丘市本轮累计报告本土确诊病例20例。",
            "d2": "8月3日0—24时，商丘市新增本土确诊病例3例。截至8月3日24时，商丘市本轮累计报告本土确诊病例22例。",
            "p": "8月3日0—24时，河南省新增本土确诊病例4例（商丘市民权县4例）。"})
    c = tongbao.checks(m)
    assert sorted(zip(c["kind"], c["code"], c["expected"], c["stated"])) == [
        ("flow", "411400", 23.0, 22.0), ("hierarchy", "411400", 4.0, 3.0)]


def test_gap_only_in_daily_series():
    days = [1, 2, 3, 5, 6]
    m = _m({f"d{d}": f"8月{d}日0—24时，商丘市新增本土确诊病例{d}例。" for d in days}, ref="2022-08-10")
    c = tongbao.checks(m)
    assert c["kind"].tolist() == ["gap"] and c["date"].tolist() == ["2022-08-04"]
    assert c["doc_ids"].iloc[0] == ["d3", "d5"]
    sparse = _m({f"d{d}": f"8月{d}日0—24时，商丘市新增本土确诊病例{d}例。" for d in (1, 9, 20)}, ref="2022-08-25")
    assert len(tongbao.checks(sparse)) == 0


def test_any_doc_ids_and_missing_values():
    # analyze_many over a list: integer doc ids; a missing value stays missing, never merged away
    m = tongbao.analyze_many(["8月3日0—24时，河南省新增本土确诊病例5例（郑州市金水区3例、二七区1例）。",
                              "8月3日0—24时，郑州市新增本土确诊病例4例。"], table="metrics", ref_date="2022-08-04")
    s = tongbao.series(m)
    assert s["doc_ids"].tolist() == [[0], [1], [0], [0]]
    assert tongbao.checks(m)["doc_ids"].tolist() == [[0]]
    assert tongbao.duplicate_of(None, m).isna().all()
    m.loc[0, "value"] = float("nan")
    s = tongbao.series(m)
    assert len(s) == 4 and s["value"].isna().sum() == 1


def test_rows_without_code_or_year_are_kept():
    m = _m({"a": "8月3日0—24时，柘城县新增本土确诊病例3例（起台镇2例、城关镇1例）。"})
    m2 = tongbao.analyze_many({"b": "8月3日新增本土确诊病例3例"}, table="metrics")   # no year, no region
    both = pd.concat([m, m2.rename(columns={"doc": "doc_id"})], ignore_index=True)
    s = tongbao.series(both)
    # a place without a code is keyed by its name: 起台镇 and 城关镇 stay two facts
    assert len(s) == len(set(_keys(both, ["region"] + FACT))) == len(both)
    assert set(s.loc[s["code"].isna(), "region"].dropna()) >= {"起台镇", "城关镇"}
    assert s["date"].isna().sum() == 1 and s["level"].isna().sum() == 3


def test_bad_and_empty_input():
    with pytest.raises(tongbao.InputError):
        tongbao.series("not a table")
    with pytest.raises(tongbao.InputError, match="doc_id"):
        tongbao.series(pd.DataFrame({"metric": ["confirmed"]}))
    with pytest.raises(tongbao.InputError, match="value"):
        tongbao.checks(pd.DataFrame({"doc_id": ["a"], "metric": ["confirmed"]}))
    with pytest.raises(tongbao.InputError):
        tongbao.series(_m({"a": "新增3例"}), documents=pd.DataFrame({"x": [1]}))
    bad = _m({"a": "8月3日0—24时，郑州市新增本土确诊病例4例。"})
    with pytest.raises(tongbao.InputError, match="without a doc_id"):
        tongbao.series(bad.assign(doc_id=[None] * len(bad)))
    with pytest.raises(tongbao.InputError, match="numbers"):
        tongbao.checks(bad.assign(value=["four"] * len(bad)))
    with pytest.raises(tongbao.InputError, match="more than once"):
        tongbao.series(_m({"a": "新增3例"}), documents=pd.DataFrame({"doc_id": ["a", "a"]}))
    empty = tongbao.analyze_many({}, table="metrics")
    s, c = tongbao.series(empty), tongbao.checks(empty)
    assert len(s) == 0 and "conflict" in s.columns and len(c) == 0 and "kind" in c.columns
    assert len(tongbao.duplicate_of(None, empty)) == 0


# ----------------------------------------------------------------------------- fingerprints

def test_fingerprint_ignores_chrome_only():
    body = "河南省卫生健康委员会关于新冠肺炎疫情情况的通报\n\n8月5日0—24时，全省新增本土确诊病例11例。"
    page = ("首页 > 要闻 > 正文\n" + body.replace("\n\n", "\n2022-08-06 10:42　来源：大河网　作者：综合\n")
            + "\n责任编辑：王晓\n分享到：微信 微博\n【打印】【关闭】\nhttps://news.dahe.cn/2022/08-06/1.html\n")
    assert tongbao.fingerprint(page) == tongbao.fingerprint(body)
    assert tongbao.fingerprint(body.replace("，", " , ")) == tongbao.fingerprint(body)
    assert tongbao.fingerprint(body.replace("11例", "１１例")) == tongbao.fingerprint(body)   # NFKC
    assert tongbao.fingerprint(body.encode("gb18030")) == tongbao.fingerprint(body)
    assert tongbao.fingerprint(body.replace("11例", "12例")) != tongbao.fingerprint(body)
    # a sentence that mentions 关闭 or 来源 is text, not chrome
    s1 = body + "\n全市关闭娱乐场所，来源不明的感染者已全部隔离。"
    assert tongbao.fingerprint(s1) != tongbao.fingerprint(body)
    assert tongbao.fingerprint(body + "\n中") != tongbao.fingerprint(body)          # a one-character line is text
    assert tongbao.fingerprint(body + "\n字体：大 中 小\n浏览次数：1024") == tongbao.fingerprint(body)
    with pytest.raises(TypeError):
        tongbao.fingerprint(123)
    big = body * 20000
    assert len(tongbao.fingerprint(big)) == 32


def test_duplicate_points_at_the_earliest_original():
    fp = tongbao.fingerprint
    docs = pd.DataFrame({"doc_id": ["copy", "orig", "other", "copy2"],
                         "ref_date": ["2022-08-06", "2022-08-05", "2022-08-05", None],
                         "fingerprint": [fp("新增3例"), fp("新增3例\n来源：网"), fp("新增4例"), fp("新增 3 例")]})
    assert [_none(v) for v in tongbao.duplicate_of(docs)] == ["orig", None, None, "orig"]
    # documents without any text or figures are never one another's copies
    blank = pd.DataFrame({"doc_id": ["a", "b"], "fingerprint": [fp(""), fp("   ")]})
    assert tongbao.duplicate_of(blank).isna().all()


def test_the_real_seed_bulletins_are_not_one_anothers_copies(seed_files):
    """Five distinct real bulletins (002 is a machine paraphrase of a meeting
    report whose original is not among them): none is marked."""
    texts = {f.name: f.read_text(encoding="utf-8") for f in seed_files}
    metrics = _m(texts, ref=None)
    docs = pd.DataFrame({"doc_id": list(texts), "fingerprint": [tongbao.fingerprint(t) for t in texts.values()]})
    assert tongbao.duplicate_of(docs, metrics).isna().all()
    s = tongbao.series(metrics, docs)
    assert len(s) == len(set(_keys(s, ["region"] + FACT)))
    tongbao.checks(metrics, docs)          # runs on real text; what it finds is real


def test_checks_on_the_metrics_evaluation_set_find_its_planted_faults():
    """tests/data/metrics: 22 unrelated bulletins (2020-2022) with four planted
    faults in three documents; checks finds those and nothing else."""
    d = SERIES_DIR.parent / "metrics"
    refs = json.loads((d / "ref_dates.json").read_text(encoding="utf-8"))
    texts = {f.name: f.read_text(encoding="utf-8") for f in sorted(d.glob("m*.txt"))}
    c = tongbao.checks(_m(texts, ref=refs))
    got = sorted(zip(c["kind"], [ids[0] for ids in c["doc_ids"]], c["metric"], c["expected"], c["stated"]))
    assert got == [("breakdown", "m07.txt", "confirmed", 9.0, 10.0), ("breakdown", "m11.txt", "asymptomatic", 9.0, 8.0),
                   ("origin_split", "m12.txt", "confirmed", 3327.0, 3317.0),
                   ("origin_split", "m12.txt", "hospitalized", 51.0, 52.0)]
    faults = json.loads((d / "faults.json").read_text(encoding="utf-8"))
    assert sorted(faults) == sorted({g[1] for g in got})


def test_fingerprint_normal_form_is_nfkc_of_the_kept_letters_and_digits():
    """The translation-table fast path gives exactly NFKC (full-width forms,
    combining marks, compatibility characters), and what is hashed is the
    NFKC text's letters and digits."""
    import hashlib
    import random
    import unicodedata

    from tongbao._fingerprint import normalize

    pool = list("新增例１２ＡａＺ，（）：。\u3000 \t´ﬁ①㎡\u0301\u0308eE\u00a0ｶﾞ")
    rng = random.Random(15)
    for _ in range(3000):
        # one line of text (a line of only digits and punctuation would be a date line: chrome)
        s = "增" + "".join(rng.choice(pool) for _ in range(rng.randint(0, 16)))
        want = "".join(c for c in unicodedata.normalize("NFKC", s)
                       if unicodedata.category(c)[0] in "LN").casefold()
        assert normalize(s) == want, repr(s)
        assert tongbao.fingerprint(s) == hashlib.blake2b(want.encode("utf-8", "surrogatepass"),
                                                         digest_size=16).hexdigest()


def test_random_tables_never_crash():
    """Any metrics-shaped table (codes of every shape, missing values, parts
    without totals, approximate figures) gives a series with one row per
    fact and a checks table, never an exception."""
    import random

    rng = random.Random(7)
    codes = ["410000", "410100", "410105", "419001", "411400", "411421", "41", "abcdef", None]
    for n in (0, 1, 50, 2000):
        rows = {
            "doc_id": [f"d{rng.randint(0, 40)}" for _ in range(n)],
            "metric": [rng.choice(["confirmed", "asymptomatic", "test_round", None]) for _ in range(n)],
            "scope": [rng.choice(["new", "cumulative", "current", None]) for _ in range(n)],
            "origin": [rng.choice(["local", "imported", None]) for _ in range(n)],
            "region": [rng.choice(["河南省", "郑州市", "金水区", "起台镇", None]) for _ in range(n)],
            "code": [rng.choice(codes) for _ in range(n)],
            "date": [rng.choice(["2022-08-01", "2022-08-02", "2022-08-04", "2022-08", "2022-08-03T08:00", None])
                     for _ in range(n)],
            "value": [rng.choice([0.0, 1.0, 2.0, 5.0, 1e9, float("nan")]) for _ in range(n)],
            "approx": [rng.choice([None, None, "over"]) for _ in range(n)],
            "text": ["x"] * n, "start": list(range(n)), "end": list(range(1, n + 1)),
            "consistent": pd.array([rng.choice([True, False, None]) for _ in range(n)], dtype="boolean"),
            "part": pd.array([rng.choice([True, False]) for _ in range(n)], dtype="boolean"),
        }
        m = pd.DataFrame(rows)
        s = tongbao.series(m, rollup="province")
        stated = s[~s["derived"]]
        dup = tongbao.duplicate_of(None, m)
        kept = m[~m["doc_id"].isin(set(dup[dup.notna()].index))]
        want = {(r if c is None else None, c, *rest) for r, c, *rest in _keys(kept, ["region"] + FACT)}
        got = {(r if c is None else None, c, *rest) for r, c, *rest in _keys(stated, ["region"] + FACT)}
        assert len(stated) == len(got) == len(want) and got == want
        c = tongbao.checks(m)
        assert set(c["kind"]) <= KINDS


def test_result_series_and_checks_over_extract(faulted):
    """tongbao.extract over the files: Result.series() and Result.checks()
    are the functions over its tables, with the reference dates extract reads
    from the datelines and the fingerprints it computes."""
    d = SERIES_DIR / "faulted"
    docs = json.loads((d / "documents.json").read_text(encoding="utf-8"))
    r = tongbao.extract({x["doc_id"]: d / x["path"] for x in docs})
    metrics, documents, _ = faulted
    want_c, got_c = tongbao.checks(metrics, documents), r.checks()
    cols = ["kind", "code", "metric", "scope", "origin", "date", "expected", "stated"]
    pd.testing.assert_frame_equal(got_c[cols], want_c[cols])
    assert got_c["doc_ids"].tolist() == want_c["doc_ids"].tolist()
    want_s, got_s = tongbao.series(metrics, documents), r.series()
    pd.testing.assert_frame_equal(got_s.drop(columns=["doc_ids"]), want_s.drop(columns=["doc_ids"]))
    dup = r.duplicate_of()
    assert dict(zip(r.documents["doc_id"][dup.notna()], dup[dup.notna()])) == {
        "dahe-henan-2022-08-05": "henan-2022-08-05", "copy-shangqiu-2022-08-10": "shangqiu-2022-08-10"}
    assert len(r.series(level="city", rollup="city")) > len(r.series(level="city"))


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_cli_extract_writes_series_and_checks(tmp_path, capsys, fmt, faults):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    from tongbao.__main__ import main

    out = tmp_path / "out"
    assert main(["extract", str(SERIES_DIR / "faulted"), "-o", str(out), "--no-progress", "--format", fmt]) == 0
    text = capsys.readouterr().out
    res = tongbao.read_result(out)
    s, c = res.series(), res.checks()
    kinds = c["kind"].value_counts()
    line = next(x for x in text.splitlines() if x.startswith("series:"))
    assert line == (f"series: {len(s)} facts; checks: {len(c)} ("
                    + ", ".join(f"{k} {kinds[k]}" for k in ["breakdown", "origin_split", "flow", "hierarchy",
                                                            "source_conflict", "gap"]) + ")")
    assert list(res) == ["documents", "metrics", "quantities", "dates", "entities"]   # derived tables apart
    if fmt == "csv":
        back_s, back_c = pd.read_csv(out / "series.csv"), pd.read_csv(out / "checks.csv")
        assert json.loads(back_c["evidence"][0])[0]["doc_id"] == c["evidence"][0][0]["doc_id"]
        assert [json.loads(v) for v in back_s["doc_ids"]] == s["doc_ids"].tolist()
    elif fmt == "jsonl":
        back_s, back_c = (pd.read_json(out / f"{n}.jsonl", lines=True) for n in ("series", "checks"))
        assert back_c["evidence"].tolist() == c["evidence"].tolist()
    else:
        back_s, back_c = pd.read_parquet(out / "series.parquet"), pd.read_parquet(out / "checks.parquet")
        assert [list(v) for v in back_s["doc_ids"]] == s["doc_ids"].tolist()
    assert len(back_s) == len(s) and back_c["kind"].tolist() == c["kind"].tolist()
    assert len(c) == len([f for f in faults if f["kind"] in KINDS])


def test_jupyter_view_of_a_result_lists_the_checks():
    d = SERIES_DIR / "faulted"
    r = tongbao.extract(d, progress=False)
    view = r._repr_html_()
    assert "checks: 6</b>" in view and "source_conflict" in view and "95 documents" in view
    checks_part = view[view.index("checks: 6</b>"):]        # after the summary's own table
    assert checks_part.count("<tr") == 1 + 6                # the header and one row per check
    clean = tongbao.extract(SERIES_DIR / "clean", progress=False)._repr_html_()
    assert "checks: 0</b>" in clean


def test_documents_table_names_the_copies(tmp_path):
    """documents.duplicate_of: the repost and the paraphrase point at their
    originals (the shorter, first-published page), the rest are missing;
    written to disk and read back, the derived column is the same."""
    r = tongbao.extract(SERIES_DIR / "faulted", progress=False)
    d = r.documents
    assert list(d.columns).index("duplicate_of") == list(d.columns).index("fingerprint") + 1
    marked = {pathlib.Path(a).stem: pathlib.Path(b).stem for a, b in d[d["duplicate_of"].notna()][["doc_id", "duplicate_of"]].values}
    assert marked == {"dahe-henan-2022-08-05": "henan-2022-08-05", "copy-shangqiu-2022-08-10": "shangqiu-2022-08-10"}
    assert d["duplicate_of"].dtype == d["doc_id"].dtype
    back = tongbao.read_result(r.to_parquet(tmp_path / "p"))
    assert back.documents["duplicate_of"].tolist() == d["duplicate_of"].tolist()
    ints = tongbao.extract(["新增3例。", "新增 3 例", "新增4例"], progress=False).documents
    assert str(ints["duplicate_of"].dtype) == "Int64" and ints["duplicate_of"].tolist()[1] == 0
    assert ints["duplicate_of"].isna().tolist() == [True, False, True]


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_streamed_results_name_the_same_copies_without_loading_metrics(tmp_path, fmt):
    """A result on disk (extract(out=...), read_result) derives duplicate_of
    from the metrics table read in chunks (memory per document, not per
    row): the same marks as the run held in memory, and metrics stays unread."""
    held = tongbao.extract(SERIES_DIR / "faulted", progress=False).documents["duplicate_of"].tolist()
    lazy = tongbao.extract(SERIES_DIR / "faulted", progress=False, out=tmp_path / fmt, format=fmt)
    assert lazy.documents["duplicate_of"].tolist() == held
    assert callable(lazy._tables["metrics"])                 # not loaded to find the copies
    from tongbao._fingerprint import METRIC_SET_COLUMNS, metric_digests, metric_sets, _row_keys
    from tongbao._writers import iter_columns

    m = lazy.metrics
    sets = metric_sets(m["doc_id"].to_numpy(object), _row_keys(m))
    digests = metric_digests(iter_columns(str(tmp_path / fmt), "metrics", fmt, METRIC_SET_COLUMNS, chunk_rows=7))
    assert set(digests) == set(sets)
    by_set, by_digest = {}, {}
    for d in sets:                                           # the same partition of the documents
        by_set.setdefault(sets[d], []).append(d)
        by_digest.setdefault(digests[d], []).append(d)
    assert sorted(by_set.values()) == sorted(by_digest.values())
