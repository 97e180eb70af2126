"""The metrics table (Document.metrics): API, phrasings, scores against the
gold of the shared corpora and of tests/data/metrics, consistency, hostile
input, threads, custom rule tables."""
import importlib.util
import pathlib
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
REF = "2022-08-04"
COLUMNS = ["metric", "scope", "origin", "region", "code", "date", "date_text", "value", "approx",
           "text", "start", "end", "rule", "consistent", "part"]


def _scorer():
    spec = importlib.util.spec_from_file_location("score_metrics", ROOT / "bench" / "score_metrics.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def rows(tongbao, text, ref=REF, cols=("metric", "scope", "origin", "region", "code", "date", "value")):
    df = tongbao.analyze(text, ref_date=ref).metrics
    out = []
    for rec in df[list(cols)].astype(object).where(df[list(cols)].notna(), None).values.tolist():
        out.append(tuple(rec))
    return out


# ---- the table -------------------------------------------------------------

def test_columns_and_dtypes(tongbao):
    df = tongbao.analyze("全省新增本土确诊病例5例（郑州市5例）", ref_date=REF).metrics
    assert list(df.columns) == COLUMNS
    assert str(df["value"].dtype) == "float64" and str(df["start"].dtype) == "int64"
    assert str(df["consistent"].dtype) == "boolean" and str(df["part"].dtype) == "boolean"
    assert str(df["metric"].dtype) == "string"
    assert df["part"].tolist() == [False, True]


def test_empty_document_has_the_columns(tongbao):
    for text in ["", "今天天气很好。", "新增确诊病例"]:
        df = tongbao.analyze(text).metrics
        assert list(df.columns) == COLUMNS and len(df) == 0


def test_evidence_offsets_are_the_callers(tongbao):
    text = "　　８月３日，鄭州市新增本土確診病例１２例。"
    df = tongbao.analyze(text, ref_date=REF).metrics
    assert len(df) == 1
    r = df.iloc[0]
    assert text[r["start"]:r["end"]] == r["text"] == "鄭州市新增本土確診病例１２例"
    assert (r["metric"], r["region"], r["code"], r["date"], r["value"]) == (
        "confirmed", "鄭州市", "410100", "2022-08-03", 12.0)


def test_metrics_switch(tongbao):
    text = "新增本土确诊病例5例"
    assert len(tongbao.analyze(text).metrics) == 1
    assert len(tongbao.analyze(text, metrics=False).metrics) == 0
    assert len(tongbao.analyze(text, entities=False).metrics) == 0
    doc = tongbao.analyze("郑州市新增本土确诊病例5例", entities=False, metrics=True)
    assert len(doc.entities) == 0 and doc.metrics["code"].tolist() == ["410100"]


def test_unknown_year_is_na_with_date_text(tongbao):
    df = tongbao.analyze("6月12日0—24时，全省新增本土确诊病例5例。").metrics
    assert df["date"].isna().all() and df["date_text"].tolist() == ["XXXX-06-12"]


# ---- phrasings (issue 12, item 2) -------------------------------------------------

PHRASINGS = [
    # daily report: breakdown in brackets, county without its city
    ("河南省卫生健康委员会：8月3日0—24时，全省新增本土确诊病例5例（周口市川汇区3例，南阳市宛城区2例），"
     "新增本土无症状感染者8例（周口市川汇区2例、淮阳区6例）。",
     [("confirmed", "new", "local", "河南省", "410000", "2022-08-03", 5.0),
      ("confirmed", "new", "local", "川汇区", "411602", "2022-08-03", 3.0),
      ("confirmed", "new", "local", "宛城区", "411302", "2022-08-03", 2.0),
      ("asymptomatic", "new", "local", "河南省", "410000", "2022-08-03", 8.0),
      ("asymptomatic", "new", "local", "川汇区", "411602", "2022-08-03", 2.0),
      ("asymptomatic", "new", "local", "淮阳区", "411603", "2022-08-03", 6.0)]),
    # a place inside a breakdown with no figure gives no row; imported; 无新增 → 0
    ("河南省卫生健康委员会：新增境外输入确诊病例1例（在郑州市集中隔离），无新增本土疑似病例。",
     [("confirmed", "new", "imported", "河南省", "410000", REF, 1.0),
      ("suspected", "new", "local", "河南省", "410000", REF, 0.0)]),
    # origin split, in brackets and after 其中
    ("河南省：累计报告确诊病例2977例（本土2766例、境外输入211例）。",
     [("confirmed", "cumulative", None, "河南省", "410000", REF, 2977.0),
      ("confirmed", "cumulative", "local", "河南省", "410000", REF, 2766.0),
      ("confirmed", "cumulative", "imported", "河南省", "410000", REF, 211.0)]),
    ("河南省：累计报告确诊病例2977例，其中本土2766例、境外输入211例。",
     [("confirmed", "cumulative", None, "河南省", "410000", REF, 2977.0),
      ("confirmed", "cumulative", "local", "河南省", "410000", REF, 2766.0),
      ("confirmed", "cumulative", "imported", "河南省", "410000", REF, 211.0)]),
    # flows and stocks
    ("郑州市：当日治愈出院4例，解除医学观察的无症状感染者9例，累计死亡2例。现有住院病例65例，"
     "尚在医学观察的无症状感染者341例，正在集中隔离9807人。累计追踪到密切接触者118,406人，尚在医学观察5,127人。",
     [("discharged", "new", None, "郑州市", "410100", REF, 4.0),
      ("released", "new", None, "郑州市", "410100", REF, 9.0),
      ("death", "cumulative", None, "郑州市", "410100", REF, 2.0),
      ("hospitalized", "current", None, "郑州市", "410100", REF, 65.0),
      ("asymptomatic", "current", None, "郑州市", "410100", REF, 341.0),
      ("quarantined", "current", None, "郑州市", "410100", REF, 9807.0),
      ("close_contact", "cumulative", None, "郑州市", "410100", REF, 118406.0),
      ("close_contact", "current", None, "郑州市", "410100", REF, 5127.0)]),
    # early 2020 reports
    ("截至1月31日24时，河南省累计报告确诊病例1276例，累计出院病例1250例，累计死亡病例22例。",
     [("confirmed", "cumulative", None, "河南省", "410000", "2020-01-31", 1276.0),
      ("discharged", "cumulative", None, "河南省", "410000", "2020-01-31", 1250.0),
      ("death", "cumulative", None, "河南省", "410000", "2020-01-31", 22.0)]),
    # figures inside prose
    ("许昌市召开新闻发布会。全市设立集中隔离点63个，划定封控区12个，已完成四轮全员核酸检测，"
     "累计接种疫苗2.2万剂次，设置28个新冠疫苗接种点。",
     [("quarantine_site", "current", None, "许昌市", "411000", REF, 63.0),
      ("lockdown_zone", "current", None, "许昌市", "411000", REF, 12.0),
      ("test_round", "cumulative", None, "许昌市", "411000", REF, 4.0),
      ("vaccine_dose", "cumulative", None, "许昌市", "411000", REF, 22000.0),
      ("vaccination_site", "current", None, "许昌市", "411000", REF, 28.0)]),
    # a county report: 全县, towns as breakdown
    ("民权县疫情防控指挥部：8月3日，全县新增本土确诊病例3例（城关镇2例、北关镇1例）。",
     [("confirmed", "new", "local", "民权县", "411421", "2022-08-03", 3.0),
      ("confirmed", "new", "local", "城关镇", None, "2022-08-03", 2.0),
      ("confirmed", "new", "local", "北关镇", None, "2022-08-03", 1.0)]),
    # a list after 其中 and a comma (2020 reports: 累计…1105例，其中，郑州市138例、…)
    ("截至2月10日24时，河南省累计报告确诊病例1105例，其中，郑州市138例、信阳市246例；累计出院病例218例。",
     [("confirmed", "cumulative", None, "河南省", "410000", "2020-02-10", 1105.0),
      ("confirmed", "cumulative", None, "郑州市", "410100", "2020-02-10", 138.0),
      ("confirmed", "cumulative", None, "信阳市", "411500", "2020-02-10", 246.0),
      ("discharged", "cumulative", None, "河南省", "410000", "2020-02-10", 218.0)]),
    # a change of status (无症状感染者转为确诊病例) is no new case, in either order,
    # in a bracket or not; 解除隔离医学观察 is a release, of cases or contacts
    ("河南省：新增本土确诊病例5例（含3例无症状感染者转为确诊病例），新增本土无症状感染者9例，"
     "其中2例无症状感染者转为确诊病例（均在郑州市）。当日解除隔离医学观察的无症状感染者31例，"
     "无症状感染者转为确诊病例4例，解除集中隔离医学观察的密切接触者120人。",
     [("confirmed", "new", "local", "河南省", "410000", REF, 5.0),
      ("asymptomatic", "new", "local", "河南省", "410000", REF, 9.0),
      ("released", "new", None, "河南省", "410000", REF, 31.0),
      ("released", "new", None, "河南省", "410000", REF, 120.0)]),
    # test rounds: under way (ordinal) and done
    ("今天上午8时，启动了第五轮核酸检测。10月22日起在淇滨区开展第三轮全员核酸检测。",
     [("test_round", "current", None, None, None, "2022-10-21T08:00", 5.0),
      ("test_round", "current", None, "淇滨区", "410611", "2022-10-22", 3.0)]),
]


@pytest.mark.parametrize("text,expected", PHRASINGS)
def test_phrasings(tongbao, text, expected):
    ref = "2022-10-21" if "淇滨区" in text else ("2020-02-01" if "1月31日" in text else
                                                 "2020-02-11" if "2月10日" in text else REF)
    want = [tuple(ref if v == REF else v for v in row) for row in expected]
    assert rows(tongbao, text, ref) == want


TRADITIONAL = [
    ("11月8日0—24時，全省新增本土確診病例2例（鄭州市金水區2例），新增本土無症狀感染者7例（鄭州市金水區4例、"
     "二七區1例，開封市祥符區2例）。無新增境外輸入病例。",
     [("confirmed", "new", "local", "河南省", "410000", "2021-11-08", 2.0),
      ("confirmed", "new", "local", "金水區", "410105", "2021-11-08", 2.0),
      ("asymptomatic", "new", "local", "河南省", "410000", "2021-11-08", 7.0),
      ("asymptomatic", "new", "local", "金水區", "410105", "2021-11-08", 4.0),
      ("asymptomatic", "new", "local", "二七區", "410103", "2021-11-08", 1.0),
      ("asymptomatic", "new", "local", "祥符區", "410212", "2021-11-08", 2.0),
      ("confirmed", "new", "imported", "河南省", "410000", "2021-11-08", 0.0)]),
    ("鶴壁市：截至10月21日18時，本輪疫情我市累計報告本土確診病例16例、無症狀感染者57例，全市共排查密接1,283人、"
     "次密接4,519人，劃定封控區12個、管控區27個。",
     [("confirmed", "cumulative", "local", "鹤壁市", "410600", "2021-10-21T18:00", 16.0),
      ("asymptomatic", "cumulative", "local", "鹤壁市", "410600", "2021-10-21T18:00", 57.0),
      ("close_contact", "cumulative", None, "鹤壁市", "410600", "2021-10-21T18:00", 1283.0),
      ("secondary_contact", "cumulative", None, "鹤壁市", "410600", "2021-10-21T18:00", 4519.0),
      ("lockdown_zone", "current", None, "鹤壁市", "410600", "2021-10-21T18:00", 12.0),
      ("control_zone", "current", None, "鹤壁市", "410600", "2021-10-21T18:00", 27.0)]),
]


@pytest.mark.parametrize("text,expected", TRADITIONAL)
def test_traditional(tongbao, text, expected):
    # a place named in the clause keeps the text's spelling (金水區); 全市 and
    # 我市 name the division, in its canonical (simplified) name
    assert rows(tongbao, text, "2021-11-09") == expected


NOISE = [
    # a missing character, full-width digits
    ("郑州市：新增本土确诊病2例，新增本土无症状感染者１２例。",
     [("confirmed", "new", "local", 2.0), ("asymptomatic", "new", "local", 12.0)]),
    # thousands separators and 万
    ("郑州市：累计追踪到密切接触者118,406人，尚在医学观察2.2万人。",
     [("close_contact", "cumulative", None, 118406.0), ("close_contact", "current", None, 22000.0)]),
    # a spaced-out headline
    ("新 增 本 土 确 诊 病 例 3 例", [("confirmed", "new", "local", 3.0)]),
    # a line break and a boilerplate line inside a sentence, a pinyin fragment
    ("全省新增本土确诊病例5例（周口市3例，\n责任编辑：张三\n南阳市2例），新增本土无症状感染者bingli6例。",
     [("confirmed", "new", "local", 5.0), ("confirmed", "new", "local", 3.0),
      ("confirmed", "new", "local", 2.0), ("asymptomatic", "new", "local", 6.0)]),
    ("全市累计报告确诊病例100例，累计治愈\n出院90例。",
     [("confirmed", "cumulative", None, 100.0), ("discharged", "cumulative", None, 90.0)]),
]


@pytest.mark.parametrize("text,expected", NOISE)
def test_noise(tongbao, text, expected):
    assert rows(tongbao, text, cols=("metric", "scope", "origin", "value")) == expected


def test_not_metrics(tongbao):
    for text in ["省委召开新冠肺炎疫情防控工作第十五次专题会议，14个工作组立即到位，电子健康码420多万人。",
                 "这是我市首例新冠肺炎确诊患者，第二例确诊病例无社会面外溢。",
                 "确诊病例占比95%，新增重症病例3例，新增危重病例1例。",
                 "累计采购核酸检测设备31台，储备抗原检测试剂盒3万只，可以拨打120。"]:
        assert rows(tongbao, text) == [], text


def test_approx(tongbao):
    df = tongbao.analyze("新增确诊病例约100例，新增本土无症状感染者近百例，可用房间3600余间。", ref_date=REF).metrics
    assert df["approx"].tolist() == ["about", "under", "over"]
    assert df["value"].tolist() == [100.0, 100.0, 3600.0]


# ---- consistency (issue 12, item 4) ------------------------------------------------

def test_consistent_true_false_na(tongbao):
    df = tongbao.analyze("新增本土确诊病例5例（郑州市3例、开封市2例），新增本土无症状感染者10例（郑州市3例、开封市2例），"
                         "累计死亡22例。", ref_date=REF).metrics
    assert df["consistent"].tolist()[:3] == [True, True, True]
    assert df["consistent"].tolist()[3:6] == [False, False, False]
    assert df["consistent"].isna().tolist()[6]


def test_origin_split_consistency(tongbao):
    df = tongbao.analyze("累计报告确诊病例2977例（本土2766例、境外输入210例）", ref_date=REF).metrics
    assert df["consistent"].tolist() == [False, False, False]
    df = tongbao.analyze("累计报告确诊病例2977例，其中本土2766例。", ref_date=REF).metrics
    assert df["consistent"].isna().all()     # a partial split: nothing to check


def test_partial_list_and_sub_parts(tongbao):
    # 其中 lists may name only some places: less than the total is not a contradiction
    df = tongbao.analyze("累计报告确诊病例352例，其中郑州市93例、信阳市70例。", ref_date=REF).metrics
    assert df["consistent"].isna().all()
    df = tongbao.analyze("累计报告确诊病例100例，其中郑州市93例、信阳市70例。", ref_date=REF).metrics
    assert df["consistent"].tolist() == [False] * 3
    # districts inside a city's part are its sub-parts, not more parts of the total
    df = tongbao.analyze("新增本土确诊病例10例（郑州市8例（金水区5例、二七区3例），开封市2例）", ref_date=REF).metrics
    assert df["value"].tolist() == [10, 8, 5, 3, 2] and df["consistent"].all()


def test_figures_are_never_corrected(tongbao):
    df = tongbao.analyze("新增本土确诊病例10例（郑州市3例、开封市2例）", ref_date=REF).metrics
    assert df["value"].tolist() == [10.0, 3.0, 2.0]


# ---- scores (issue 12, Done when) ---------------------------------------------------

def test_synthetic_score(shared_dir):
    s = _scorer().score(shared_dir, "synthetic")
    assert s["metric"]["f1"] >= 0.95 and s["metric_region_acc"] >= 0.95, s["metric"]


def test_seed_score(shared_dir):
    s = _scorer().score(shared_dir, "seeds")
    assert s["metric"]["f1"] >= 0.85 and s["metric_region_acc"] >= 0.95, s["metric"]


def test_eval_set_score(shared_dir):
    if not (ROOT / "tests" / "data" / "metrics" / "gold.jsonl").exists():
        pytest.fail("tests/data/metrics/gold.jsonl is missing")
    s = _scorer().score(shared_dir, "eval")
    assert s["metric"]["f1"] >= 0.95 and s["metric_region_acc"] >= 0.95, s["metric"]


# ---- other entry points ----------------------------------------------------------------

def test_analyze_many_metrics(tongbao):
    df = tongbao.analyze_many({"a": "郑州市新增本土确诊病例5例", "b": "开封市新增本土确诊病例3例"}, "metrics",
                              ref_date=REF)
    assert df[["doc", "region", "value"]].values.tolist() == [["a", "郑州市", 5.0], ["b", "开封市", 3.0]]


def test_rules_object(tongbao):
    from tongbao import _core

    r = _core.MetricRules()
    assert "confirmed" in r.metrics and "lockdown_zone" in r.metrics and len(r.metrics) == 17
    assert r.scopes == ("cumulative", "new", "current") and r.origins == ("local", "imported")
    assert "noun_figure" in r.rules and r.version.startswith("metrics.rules")


def test_bad_rule_table_names_its_line(tongbao):
    from tongbao import _core

    with pytest.raises(tongbao.RuleError) as exc:
        _core.MetricRules("scope new\nmetric confirmed\nword MN confirmed 确诊\nrule a {MN}(?<q>{Q}\n", name="my.rules")
    assert exc.value.line == 4 and "my.rules:4:" in str(exc.value)
    assert isinstance(exc.value, ValueError) and isinstance(exc.value, tongbao.Error)
    with pytest.raises(TypeError):
        _core.MetricRules(b"bytes")


def test_threads_share_one_table(tongbao):
    text = ("河南省卫生健康委员会：8月3日0—24时，全省新增本土确诊病例5例（周口市川汇区3例，南阳市宛城区2例），"
            "累计追踪到密切接触者118,406人。") * 20
    want = tongbao.analyze(text, ref_date=REF).metrics.values.tolist()
    errors = []

    def work():
        for _ in range(20):
            got = tongbao.analyze(text, ref_date=REF).metrics.values.tolist()
            if got != want:
                errors.append(got)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


# ---- hostile input (issue 12, Done when) ----------------------------------------------

def _timed(tongbao, text):
    t0 = time.perf_counter()
    doc = tongbao.analyze(text, ref_date=REF)
    n = len(doc.metrics)
    return time.perf_counter() - t0, n


@pytest.mark.stress
def test_long_line_is_linear(tongbao):
    unit = "新增本土确诊病例1例（郑州市1例）"
    t1, n1 = _timed(tongbao, unit * 20_000)
    t4, n4 = _timed(tongbao, unit * 80_000)
    assert n1 == 40_000 and n4 == 160_000
    assert t4 < 8 * t1 + 0.5, (t1, t4)   # 4x the text, well under quadratic



@pytest.mark.parametrize("unit", ["新增本土确诊病例2例，其中郑州市1例；", "新增本土确诊病例2例，分别为：郑州市1例、无；"])
def test_lists_past_semicolons_are_linear(tongbao, unit):
    """A list after 其中 / 分别为 may run past ； to the sentence's end: in one
    chain of a hundred thousand ；, each list's end is found once, not once a list."""
    t1, n1 = _timed(tongbao, unit * 20_000)
    t4, n4 = _timed(tongbao, unit * 80_000)
    assert n1 == 40_000 and n4 == 160_000
    assert t4 < 8 * t1 + 0.5, (t1, t4)


@pytest.mark.stress
def test_twenty_megabyte_line(tongbao):
    text = "新增本土确诊病例1例（郑州市1例）" * 1_200_000    # 20.4 M characters... of 17 each
    assert len(text) >= 20_000_000
    t, n = _timed(tongbao, text)
    assert n == 2_400_000


def test_deep_and_unbalanced_brackets(tongbao):
    deep = "新增本土确诊病例1例" + "（" * 10_000 + "郑州市1例" + "）" * 10_000
    df = tongbao.analyze(deep, ref_date=REF).metrics
    assert df["value"].iloc[0] == 1.0 and df["metric"].iloc[0] == "confirmed"
    for text in ["新增本土确诊病例1例" + "（" * 10_000, "新增本土确诊病例1例" + "）" * 10_000 + "（（郑州市1例",
                 "（" * 5000 + "新增本土确诊病例1例" + "）"]:
        df = tongbao.analyze(text, ref_date=REF).metrics
        assert df["value"].tolist()[:1] == [1.0]


def test_breakdown_of_a_hundred_thousand_places(tongbao):
    text = "新增本土确诊病例100000例（" + "、".join(["郑州市1例"] * 100_000) + "）"
    t0 = time.perf_counter()
    df = tongbao.analyze(text, ref_date=REF).metrics
    assert len(df) == 100_001 and df["consistent"].all()
    assert time.perf_counter() - t0 < 60


def test_numbers_past_two_to_the_63(tongbao):
    df = tongbao.analyze("新增确诊病例99999999999999999999999例，新增无症状感染者１０００００００００００００００００００００例",
                         ref_date=REF).metrics
    assert df["value"].tolist() == [1e23, 1e21]
