"""tongbao.extract: sources of every kind, reference dates, jobs, progress, the documents table."""
import datetime as dt
import io
import os
import pathlib
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pd = pytest.importorskip("pandas")

import tongbao
from tongbao import _extract

DATA = pathlib.Path(__file__).resolve().parent / "data" / "metrics"
CORPUS = pathlib.Path(tongbao.__file__).resolve().parent / "_data" / "corpus"
ALL = ("metrics", "quantities", "dates", "entities", "tokens")

DAY_TEXT = "日期:2022-08-04 10:19:34\n8月3日0—24时，全省新增本土确诊病例35例（商丘市民权县35例）。"
UNDATED = "昨日全省新增本土确诊病例3例（郑州市金水区3例）。"


def ex(sources, ref_date=None, **kw):
    kw.setdefault("progress", False)
    return tongbao.extract(sources, ref_date, **kw)


def strip_id(df):
    return df.drop(columns="doc_id").reset_index(drop=True)


def test_tables_and_columns():
    r = ex({"a": DAY_TEXT})
    assert list(r) == ["documents", "metrics", "quantities", "dates", "entities"]
    assert set(r.tables) == set(r)
    for name in r:
        assert r[name].columns[0] == "doc_id"
        assert r[name] is getattr(r, name)
    assert list(r.documents.columns) == ["doc_id", "path", "bytes", "chars", "encoding", "ref_date", "ref_source",
                                         "n_metrics", "n_quantities", "n_dates", "n_entities", "n_tokens",
                                         "fingerprint", "duplicate_of", "error"]
    with pytest.raises(KeyError, match="tokens"):
        r.tokens
    with pytest.raises(ValueError, match="unknown table"):
        ex({"a": DAY_TEXT}, tables=("metrics", "nonsense"))


def test_rows_are_those_of_analyze():
    """Every table of every document is what analyze() gives for it."""
    files = sorted(CORPUS.glob("*.txt"))
    r = ex([str(f) for f in files], tables=ALL)
    for f in files:
        row = r.documents[r.documents["doc_id"] == str(f)].iloc[0]
        # a text without a date of its own is read against its file name's
        fallback = row["ref_date"].date() if row["ref_source"] == "path" else None
        doc = tongbao.analyze(f.read_bytes(), ref_date=fallback)
        for name in ALL:
            got = r[name][r[name]["doc_id"] == str(f)]
            pd.testing.assert_frame_equal(strip_id(got), getattr(doc, name).reset_index(drop=True),
                                          check_dtype=True)
        assert row["n_metrics"] == len(doc.metrics) and row["n_tokens"] == len(doc.tokens)
        assert row["ref_date"].date() == doc.ref_date
        assert row["ref_source"] == (doc.ref_source if fallback is None else "path")
        assert row["encoding"] == doc.encoding and row["bytes"] == f.stat().st_size
        assert row["chars"] == len(doc.text) and pd.isna(row["error"])
        assert row["fingerprint"] == tongbao._fingerprint.fingerprint(doc.text)


def test_jobs_give_identical_results():
    sources = sorted(str(p) for p in CORPUS.iterdir()) + [DAY_TEXT, UNDATED.encode("gb18030"), b"", b"\x00\x01"]
    one = ex(sources, jobs=1, tables=ALL)
    for jobs in (2, 3):
        other = ex(sources, jobs=jobs, tables=ALL)
        for name in one:
            pd.testing.assert_frame_equal(one[name], other[name])
        assert one == other


def test_source_kinds(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(DAY_TEXT, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.txt").write_bytes(UNDATED.encode("gb18030"))
    (sub / "skip.md").write_text(DAY_TEXT, encoding="utf-8")
    # a path, a Path, a directory (recursive), a glob
    assert ex(str(a)).documents["doc_id"].tolist() == [str(a)]
    assert ex(a).documents["doc_id"].tolist() == [str(a)]
    assert ex(tmp_path).documents["doc_id"].tolist() == [str(a), str(sub / "b.txt")]
    assert ex(str(tmp_path / "**" / "*.txt")).documents["path"].tolist() == [str(a), str(sub / "b.txt")]
    assert ex(tmp_path, pattern="*.md").documents["doc_id"].tolist() == [str(sub / "skip.md")]
    # a file and the directory holding it: one document
    assert len(ex([a, tmp_path]).documents) == 2
    # texts: positions as int64 ids
    r = ex([DAY_TEXT, UNDATED.encode("gb18030")])
    assert r.documents["doc_id"].tolist() == [0, 1] and r.documents["doc_id"].dtype == "int64"
    assert r.documents["encoding"].tolist()[1] == "GB18030"
    assert ex(DAY_TEXT).documents["doc_id"].tolist() == [0]
    # open binary files: their name is the id
    with open(a, "rb") as fh:
        r = ex(fh)
    assert r.documents["doc_id"].tolist() == [str(a)] and r.documents["n_metrics"].tolist() == [2]
    r = ex([io.BytesIO(DAY_TEXT.encode("utf-8"))])
    assert r.documents["doc_id"].tolist() == [0] and r.documents["n_metrics"].tolist() == [2]
    # a dict and a Series: their keys are the ids, str values are texts
    r = ex({"x": DAY_TEXT, "y": None})
    assert r.documents["doc_id"].tolist() == ["x", "y"]
    assert r.documents["error"].tolist()[1] == "missing text"
    s = pd.Series([DAY_TEXT, float("nan"), UNDATED], index=[10, 20, 30])
    r = ex(s, "2022-08-04")
    assert r.documents["doc_id"].tolist() == [10, 20, 30] and r.metrics["doc_id"].dtype == "int64"
    assert set(r.metrics["doc_id"]) == {10, 30}
    # mixed ids become strings
    r = ex([str(a), DAY_TEXT])
    assert r.documents["doc_id"].tolist() == [str(a), "1"]


def test_missing_sources_are_rows_not_silence(tmp_path):
    r = ex([tmp_path / "nope.txt", str(tmp_path / "*.none"), "missing/dir/x.txt", DAY_TEXT])
    d = r.documents
    assert d["error"].tolist()[:3] == ["no such file or directory", "no file matches this pattern",
                                       "no such file or directory"]
    assert pd.isna(d["error"].iloc[3]) and set(r.metrics["doc_id"]) == {"3"}
    with pytest.raises(TypeError):
        ex(12345)
    with pytest.raises(TypeError, match="Series"):
        ex(pd.DataFrame({"text": [DAY_TEXT]}))


def test_ref_date_forms(tmp_path):
    texts = {"a": UNDATED, "b": DAY_TEXT}
    r = ex(texts, "2021-07-31")
    assert r.documents["ref_source"].tolist() == ["given", "given"]
    assert r.dates[r.dates["doc_id"] == "a"]["value"].tolist() == ["2021-07-30"]
    r = ex(texts, dt.date(2021, 7, 31))
    assert r.documents["ref_date"].tolist() == [pd.Timestamp("2021-07-31")] * 2
    # a mapping: given where it has the document, the document's own date elsewhere
    r = ex(texts, {"a": "2020-02-02"})
    assert r.documents["ref_source"].tolist() == ["given", "dateline"]
    assert r.documents["ref_date"].tolist() == [pd.Timestamp("2020-02-02"), pd.Timestamp("2022-08-04")]
    r = ex(texts, pd.Series({"a": dt.date(2020, 2, 2)}))
    assert r.documents["ref_source"].tolist() == ["given", "dateline"]
    # a callable of (doc_id, path)
    seen = []

    def ref(doc_id, path):
        seen.append((doc_id, path))
        return "2020-03-01" if doc_id == "a" else None

    r = ex(texts, ref)
    assert sorted(seen) == [("a", None), ("b", None)]
    assert r.documents["ref_date"].tolist()[0] == pd.Timestamp("2020-03-01")
    # none: no date at all
    r = ex(texts)
    assert r.documents["ref_source"].tolist()[0] is pd.NA or pd.isna(r.documents["ref_source"].iloc[0])
    assert pd.isna(r.documents["ref_date"].iloc[0])
    # one bad date for all is a usage error; a bad one for a document is that document's error
    with pytest.raises(tongbao.InputError):
        ex(texts, "2022-13-01")
    r = ex(texts, {"a": "not a date"})
    assert r.documents["error"].iloc[0].startswith("bad ref_date") and pd.isna(r.documents["error"].iloc[1])


def test_date_from_path_and_html(tmp_path):
    (tmp_path / "2022-08-04.txt").write_text(UNDATED, encoding="utf-8")
    (tmp_path / "own.txt").write_text(DAY_TEXT, encoding="utf-8")
    page = ('<!DOCTYPE html><html><head><meta name="PubDate" content="2021-05-06 08:00">'
            '<script>var x = "2019-01-01";</script></head><body><p>' + UNDATED + '</p></body></html>')
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    r = ex(tmp_path)
    d = r.documents.set_index("doc_id")
    p = lambda n: str(tmp_path / n)  # noqa: E731
    assert d.loc[p("2022-08-04.txt"), "ref_source"] == "path"
    assert d.loc[p("2022-08-04.txt"), "ref_date"] == pd.Timestamp("2022-08-04")
    assert d.loc[p("own.txt"), "ref_source"] == "dateline"
    assert d.loc[p("page.html"), "ref_source"] == "html"
    assert d.loc[p("page.html"), "ref_date"] == pd.Timestamp("2021-05-06")
    dates = r.dates.set_index("doc_id")
    assert dates.loc[p("2022-08-04.txt"), "value"] == "2022-08-03"
    assert dates.loc[p("page.html"), "value"] == "2021-05-05"   # the page's text only: no 2019 from the script
    # a given date wins over the path
    r = ex(tmp_path / "2022-08-04.txt", "2020-01-02")
    assert r.documents["ref_source"].tolist() == ["given"]


def test_window_bounds_texts_in_flight(monkeypatch):
    """Texts are read as they are processed: never more than the batches in
    flight (IN_FLIGHT per thread, BATCH documents each) ahead of collection."""
    loads = []
    collected = []
    ahead = []

    class Lazy:
        def __init__(self, k):
            self.k = k

        def read(self):
            loads.append(self.k)
            return DAY_TEXT.encode("utf-8")

    real = _extract._collect

    def collect(accs, ix, res, bar, writer, ids):
        collected.extend(range(ix, ix + len(res.rows)))
        ahead.append(len(loads) - len(collected))
        real(accs, ix, res, bar, writer, ids)

    monkeypatch.setattr(_extract, "_collect", collect)
    r = ex([Lazy(k) for k in range(200)], jobs=2)
    assert len(r.documents) == 200 and collected == list(range(200))
    assert max(ahead) <= (_extract.IN_FLIGHT * 2 - 1) * _extract.BATCH


def test_progress(capsys):
    pytest.importorskip("tqdm")
    ex({"a": DAY_TEXT, "b": UNDATED}, progress=True)
    err = capsys.readouterr().err
    assert "2/2" in err and "doc" in err and "MB" in err
    ex({"a": DAY_TEXT}, progress=False)
    assert capsys.readouterr().err == ""


def test_bad_arguments():
    with pytest.raises(ValueError, match="jobs"):
        ex({"a": DAY_TEXT}, jobs=0)
    with pytest.raises(ValueError, match="format"):
        ex({"a": DAY_TEXT}, format="xlsx", out="x")


def test_fingerprint_ignores_layout():
    from tongbao._fingerprint import fingerprint

    r = ex({"a": DAY_TEXT, "b": DAY_TEXT.replace("\n", "\n\n  ").replace("35", "３５"), "c": UNDATED})
    fp = r.documents["fingerprint"].tolist()
    assert fp[0] == fp[1] != fp[2]
    assert fp[0] == fingerprint(DAY_TEXT) and len(fp[0]) == 32


def test_fingerprint_is_nfkc_of_the_letters_and_digits():
    """The fingerprint hashes NFKC of the text's letters and digits (page
    chrome, white space and punctuation dropped: issue 15's near-duplicates);
    its fast path is NFKC exactly, combining marks and compatibility forms included."""
    import hashlib
    import unicodedata

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from tongbao._fingerprint import fingerprint

    def naive(s):
        norm = "".join(c for c in unicodedata.normalize("NFKC", s) if unicodedata.category(c)[0] in "LN").casefold()
        return hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=st.sampled_from(list("新增１２例 \u3000\t´ﬁＡa\u0301\u0308e\u00a0,，（：。①㎡"))))
    def check(s):
        s = "增" + s      # one line of text: a line of only digits and punctuation is a date line, chrome
        assert fingerprint(s) == naive(s)

    check()


# ---- the core's share: binary check, batch calls, file reads ----------------------

_CONTROLS = st.sampled_from(["\x00", "\x01", "\x08", "\x0b", "\x0e", "\x1c", "\x1f", "\x7f", "\t", "\n", "文", "a" * 99])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CONTROLS, min_size=1, max_size=40))
def test_binary_check_in_the_core_is_pythons(parts):
    """A text is refused as binary by the core exactly when _extract._is_binary says so."""
    text = "".join(parts)
    r = ex({"a": text})
    err = r.documents["error"].iloc[0]
    if text.isspace():
        expected = _extract._BINARY if _extract._is_binary(text) else "empty: no text"
    else:
        expected = _extract._BINARY if _extract._is_binary(text) else None
    assert (None if pd.isna(err) else err) == expected


def test_binary_share_edge():
    """One control character per hundred code points is text; one more is binary (a float product, as Python's)."""
    assert _core_binary("\x01" + "文" * 99) is False
    assert _core_binary("\x01\x01" + "文" * 98) is True
    assert _core_binary("文" * 50 + "\x00") is True


def _core_binary(text):
    e = _extract._Engine(("documents",))
    (state, *_), = e.seg.extract_batch([text], [None], [None])[0]
    assert _extract._is_binary(text) == (state == 1)
    return state == 1


def test_batches_split_by_size_give_the_same_rows(monkeypatch):
    texts = {f"d{k}": DAY_TEXT * (k + 1) for k in range(7)}
    whole = ex(texts)
    monkeypatch.setattr(_extract, "_CALL_CHARS", len(DAY_TEXT) * 3)   # several calls of the core per batch
    parts = ex(texts)
    for name in ("documents", "metrics", "quantities", "dates", "entities"):
        pd.testing.assert_frame_equal(getattr(whole, name), getattr(parts, name))


def test_extract_batch_refuses_bad_arguments():
    e = _extract._Engine(("documents", "metrics"))
    seg = e.seg
    with pytest.raises(ValueError, match="same length"):
        seg.extract_batch(["a"], [], [None])
    with pytest.raises(ValueError, match="same length"):
        seg.extract_batch(["a"], [None], [None], None, None, e.fp_table, [])
    with pytest.raises(ValueError, match="needs drops"):
        seg.extract_batch(["a"], [None], [None], None, None, e.fp_table)
    with pytest.raises(ValueError, match="ascending"):
        seg.extract_batch(["a\nb"], [None], [None], None, None, e.fp_table, [(1, 0)])
    with pytest.raises(TypeError, match="drops"):
        seg.extract_batch(["a"], [None], [None], None, None, e.fp_table, [3])
    with pytest.raises(TypeError):
        seg.extract_batch(("a",), [None], [None])
    with pytest.raises(TypeError, match="str"):
        seg.extract_batch([b"a"], [None], [None])
    with pytest.raises(TypeError, match="ref"):
        seg.extract_batch(["a"], ["2022-08-03"], [None])
    with pytest.raises(ValueError, match="65536"):
        seg.extract_batch(["a"], [None], [None], fp_table=b"x", drops=[None])
    with pytest.raises(ValueError, match="entities"):
        seg.extract_batch(["a"], [None], [None], None, e.rules)
    info, tables = seg.extract_batch([], [], [], e.matcher, e.rules)
    assert info == [] and all(len(c) == 0 for t in tables.values() for c in t.values())


def test_fallback_date_only_for_a_text_without_its_own():
    """The core runs a text again against the fallback only when it states no date."""
    e = _extract._Engine(("documents", "metrics"))
    undated, dated = "昨日新增本土确诊病例3例", "2022年8月4日通报：昨日新增本土确诊病例3例"
    fb = (2022, 5, 10, -1, -1)
    info, tables = e.seg.extract_batch([undated, dated], [None, None], [fb, fb], e.matcher, e.rules,
                                       na=pd.NA)
    assert info[0][1] is None and info[1][1][:3] == (2022, 8, 4)
    assert tables["metrics"]["date"] == ["2022-05-09", "2022-08-03"]


def test_read_files_errors_are_read_files(tmp_path):
    from tongbao import _sources

    (tmp_path / "ok.txt").write_bytes("文".encode())
    (tmp_path / "dir").mkdir()
    paths = [str(tmp_path / "ok.txt"), str(tmp_path / "dir"), str(tmp_path / "missing.txt")]
    got = _sources.read_files(paths)
    assert got[0] == "文".encode()
    for path, g in zip(paths[1:], got[1:]):
        with pytest.raises(OSError) as exc:
            _sources.read_file(path)
        assert type(g) is type(exc.value) and (g.errno, g.strerror) == (exc.value.errno, exc.value.strerror)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text().map(lambda t: t.encode("utf-8")), st.binary(max_size=40),
                 st.lists(st.sampled_from([b"a", b"\xc3\xa9", "中".encode(), "😀".encode(), b"\xef\xbb\xbf",
                                           b"\xed\xa0\x80", b"\xc0\x80", b"\xf4\x90\x80\x80", b"\xe4\xb8",
                                           b"\x00", b"\xff"])).map(b"".join)))
def test_read_files_utf8_decodes_as_python(tmp_path_factory, data):
    """The core's UTF-8 decoding of a file is bytes.decode("utf-8")'s, the
    str's kind included; anything else (invalid, a BOM, empty) stays bytes."""
    from tongbao import _core

    path = tmp_path_factory.mktemp("u") / "f.txt"
    path.write_bytes(data)
    (got,) = _core.read_files([str(path)], 0, True)
    try:
        want = data.decode("utf-8") if data and not data.startswith(b"\xef\xbb\xbf") else None
    except UnicodeDecodeError:
        want = None
    if want is None:
        assert got == data
    else:
        text, n = got
        assert text == want and n == len(data)
        # the same canonical kind as Python's (ASCII, 1, 2 or 4 bytes a unit): sizes agree
        assert sys.getsizeof(text) == sys.getsizeof(want)


def test_read_ahead_budget_bounds_files_held(tmp_path, monkeypatch):
    from tongbao import _core

    for k in range(5):
        (tmp_path / f"f{k}.txt").write_text(DAY_TEXT * (k + 1), encoding="utf-8")
    paths = sorted(str(p) for p in tmp_path.glob("*.txt"))
    first = len((DAY_TEXT).encode())
    assert len(_core.read_files(paths, 1)) == 1              # one file at least, however small the budget
    assert len(_core.read_files(paths, first + 1)) == 2      # stops after the file that reaches it
    assert len(_core.read_files(paths)) == len(paths) == len(_core.read_files(paths, 10 ** 9))
    assert _core.read_files([]) == []
    whole = ex(str(tmp_path))
    monkeypatch.setattr(_extract, "READ_BUDGET", 1)   # one file per read
    pd.testing.assert_frame_equal(whole.metrics, ex(str(tmp_path)).metrics)
    pd.testing.assert_frame_equal(whole.documents, ex(str(tmp_path)).documents)


def test_a_failure_of_the_core_is_that_documents_error():
    """The core's error for one document comes back as its exception; extract makes it that row's error."""
    e = _extract._Engine(("documents", "metrics"))
    bad = (2022, 2, 30, -1, -1)   # passes the binding's range check, not the core's calendar
    info, tables = e.seg.extract_batch([DAY_TEXT, DAY_TEXT], [bad, None], [None, None], e.matcher, e.rules,
                                       na=pd.NA)
    assert info[0][0] == 2 and isinstance(info[0][1], tongbao.InputError)
    assert info[1][0] == 0 and len(tables["metrics"]["metric"]) == info[1][2][3] > 0   # the other one's rows only
    from tongbao._sources import Item

    ready = _extract._Ready(Item("a"), DAY_TEXT, {"path": None, "bytes": 1, "encoding": None}, bad, None, None)
    out = _extract._Batch(1)
    _extract._analyse(e, [ready], [0], out)
    assert out.rows[0]["error"].startswith("analysis failed: InputError")
    assert all(sum(counts) == 0 for _, counts, _ in out.tables.get("metrics", []))


def test_pieces_joined_during_the_run_give_the_same_tables(monkeypatch):
    from tongbao import _tables

    texts = {f"d{k}": DAY_TEXT * (k % 3 + 1) for k in range(40)}
    whole = ex(texts, tables=ALL)
    monkeypatch.setattr(_tables, "COMPACT_ROWS", 1)   # join after every batch
    monkeypatch.setattr(_extract, "BATCH", 3)
    joins = []
    real = _tables.Accumulator.compact
    monkeypatch.setattr(_tables.Accumulator, "compact",
                        lambda self, rows=None: (joins.append(self.n - self.compacted), real(self, rows)))
    joined = ex(texts, tables=ALL, jobs=2)
    assert sum(1 for k in joins if k > 0) > 10   # the pieces were joined, again and again
    for name in ("documents", *ALL):
        pd.testing.assert_frame_equal(getattr(whole, name), getattr(joined, name))
