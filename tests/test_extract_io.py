"""Writing a Result and reading it back: Parquet, CSV and JSON lines give equal
tables (dtypes included), whether written afterwards or streamed by ``out=``."""
import datetime as dt
import json
import pathlib

import pytest

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import tongbao
from tongbao import _extract, _writers

CORPUS = pathlib.Path(tongbao.__file__).resolve().parent / "_data" / "corpus"
ALL = ("metrics", "quantities", "dates", "entities", "tokens")
FORMATS = ("parquet", "csv", "jsonl")

# texts that trip writers: separators, quotes, line breaks, "NA"-like words, non-BMP characters
AWKWARD = {
    "逗号,引号\"": '日期:2021-08-12 17:35\n昨日新增2例,"引号"\r\nNA null nan 𠀀新增3例\t（郑州市1例）',
    "empty": "",
    "1": "全省累计1.6万余人",
}


def assert_same(a, b):
    assert list(a) == list(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=True)
        assert list(a[name].dtypes) == list(b[name].dtypes)
    assert a == b


@pytest.fixture(scope="module")
def corpus_result():
    return tongbao.extract([CORPUS, *AWKWARD.values(), b"\xff\xfe\x00"], tables=ALL, progress=False)


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(corpus_result, fmt, tmp_path):
    getattr(corpus_result, f"to_{fmt}")(tmp_path)
    back = tongbao.read_result(tmp_path)
    assert_same(corpus_result, back)
    assert back.documents["error"].notna().sum() == corpus_result.documents["error"].notna().sum() > 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_string_and_int_ids(fmt, tmp_path):
    r = tongbao.extract(AWKWARD, progress=False, tables=ALL)
    assert r.documents["doc_id"].tolist() == list(AWKWARD)
    getattr(r, f"to_{fmt}")(tmp_path / "s")
    assert_same(r, tongbao.read_result(tmp_path / "s"))
    r = tongbao.extract(pd.Series(list(AWKWARD.values()), index=[7, 8, 9]), progress=False)
    getattr(r, f"to_{fmt}")(tmp_path / "i")
    back = tongbao.read_result(tmp_path / "i")
    assert back.metrics["doc_id"].dtype == "int64"
    assert_same(r, back)


def test_parquet_schema_keeps_types(corpus_result, tmp_path):
    corpus_result.to_parquet(tmp_path)
    docs = pq.read_schema(tmp_path / "documents.parquet")
    assert docs.field("ref_date").type == pa.date32()
    assert docs.field("n_metrics").type == pa.int64() and docs.field("n_metrics").nullable
    assert docs.field("doc_id").type == pa.string()
    met = pq.read_schema(tmp_path / "metrics.parquet")
    assert met.field("code").type == pa.string() and met.field("value").type == pa.float64()
    assert met.field("consistent").type == pa.bool_()
    ents = pq.read_table(tmp_path / "entities.parquet")
    assert ents.column("code").to_pylist()[:3] == list(corpus_result.entities["code"].to_numpy(dtype=object, na_value=None)[:3])
    meta = json.loads((tmp_path / "tongbao.json").read_text())
    assert meta["format"] == "parquet" and meta["tables"] == ["documents", *ALL]


@pytest.mark.parametrize("fmt", FORMATS)
def test_streamed_output_equals_in_memory(fmt, tmp_path, monkeypatch):
    monkeypatch.setattr(_writers, "FLUSH_ROWS", 37)   # many row groups / chunks
    monkeypatch.setattr(_extract, "BATCH", 2)          # (the writer flushes between batches)
    sources = [CORPUS, *AWKWARD.values()]
    mem = tongbao.extract(sources, tables=ALL, progress=False)
    streamed = tongbao.extract(sources, tables=ALL, progress=False, out=tmp_path, format=fmt, jobs=2)
    assert streamed.directory == str(tmp_path)
    assert_same(mem, streamed)
    if fmt == "parquet":
        assert pq.ParquetFile(tmp_path / "quantities.parquet").num_row_groups > 3


def test_streamed_empty_tables_have_their_schema(tmp_path):
    r = tongbao.extract({"a": "没有数字的文字"}, progress=False, out=tmp_path)
    assert len(r.metrics) == 0 and list(r.metrics.columns) == list(tongbao.extract({"a": "x"}, progress=False).metrics.columns)
    assert pq.read_schema(tmp_path / "metrics.parquet").field("value").type == pa.float64()


def test_lone_surrogates_are_written_as_replacement(tmp_path):
    r = tongbao.extract({"a": "新增\ud800 3例"}, progress=False, tables=ALL)
    for fmt in FORMATS:
        getattr(r, f"to_{fmt}")(tmp_path / fmt)
        back = tongbao.read_result(tmp_path / fmt)
        assert back.tokens["token"].tolist() == [t.replace("\ud800", "\ufffd") for t in r.tokens["token"]]


def test_read_result_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        tongbao.read_result(tmp_path)
    r = tongbao.extract({"a": "新增3例"}, progress=False)
    r.to_csv(tmp_path)
    (tmp_path / "tongbao.json").unlink()      # files alone are enough
    back = tongbao.read_result(tmp_path)
    assert back.quantities["value"].tolist() == [3.0]


def test_dates_are_dates():
    r = tongbao.extract({"a": "日期:2021-08-12 17:35。昨日新增2例"}, progress=False)
    assert r.documents["ref_date"].dtype.kind == "M"
    assert r.documents["ref_date"].iloc[0] == pd.Timestamp(dt.date(2021, 8, 12))


def test_parquet_read_shares_equal_strings_and_keeps_missing(corpus_result, tmp_path):
    """Read back from Parquet, equal values of a string column are one str
    object (a large table's names and units repeat: one object per cell
    cost about 600 bytes a document), a file's path is its doc_id's object,
    and the nullable integer and boolean columns built from Arrow's buffers
    keep their missing values where they were."""
    corpus_result.to_parquet(tmp_path)
    back = tongbao.read_result(tmp_path)
    docs = back.documents
    enc = docs["encoding"].to_numpy(dtype=object, na_value=None)
    utf8 = [e for e in enc if e == "UTF-8"]
    assert len(utf8) > 3 and len({id(e) for e in utf8}) == 1
    files = docs[docs["path"].notna()]
    assert len(files) > 3
    assert all(p is d for p, d in zip(files["path"].to_numpy(dtype=object), files["doc_id"].to_numpy(dtype=object)))
    for name, col in (("documents", "n_metrics"), ("metrics", "consistent")):
        written, read = corpus_result[name][col], back[name][col]
        assert written.isna().any() or name == "metrics"
        assert read.isna().tolist() == written.isna().tolist()
        assert read.dropna().tolist() == written.dropna().tolist()
    units = back.quantities["unit"].to_numpy(dtype=object, na_value=None)
    assert len({id(u) for u in units if u is not None}) == len({u for u in units if u is not None})
