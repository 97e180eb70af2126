"""Series.tongbao: the pandas accessor registered by ``import tongbao``."""
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import tongbao

ROWS = [
    ("2022-08-04", "8月3日0—24时，全省新增本土确诊病例35例（商丘市民权县35例），新增本土无症状感染者12例。"),
    ("2022-06-13", "6月12日0—24时,全省新增本土确诊病例5例(周口市川汇区3例,南阳市宛城区2例)。"),
    ("", ""),
]


@pytest.fixture
def csv_path(tmp_path):
    path = tmp_path / "bulletins.csv"
    pd.DataFrame({"id": ["hn-0804", "hn-0613", "empty"], "published": [r[0] for r in ROWS],
                  "text": [r[1] for r in ROWS]}).to_csv(path, index=False)
    return path


def test_three_lines_of_a_pandas_user(csv_path):
    # import tongbao; df = pd.read_csv(...); df.text.tongbao.metrics()
    script = textwrap.dedent(f"""
        import tongbao
        import pandas as pd
        df = pd.read_csv({str(csv_path)!r})
        m = df.text.tongbao.metrics()
        print(m[["doc_id", "metric", "region", "code", "value"]].to_json(orient="values", force_ascii=False))
        print(len(m), sorted(set(m["doc_id"].tolist())))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows, summary = out.stdout.strip().splitlines()
    assert '[0,"confirmed","河南省","410000",35.0]' in rows
    assert '[1,"confirmed","川汇区","411602",3.0]' in rows
    assert summary.split(" ", 1)[1] == "[0, 1]"      # the empty row (NaN after read_csv) has no rows


@pytest.mark.parametrize("first", ["pandas", "tongbao"])
def test_registered_whichever_is_imported_first(first):
    second = "tongbao" if first == "pandas" else "pandas"
    script = (f"import sys; import {first}; import {second}; import pandas as pd\n"
              "assert ('pandas' in sys.modules) is True\n"
              "print(pd.Series(['密接12人']).tongbao.cut().tolist())")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[['密接', '12', '人']]"


def test_import_tongbao_does_not_import_pandas():
    out = subprocess.run([sys.executable, "-c", "import sys, tongbao; print('pandas' in sys.modules)"],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_metrics_with_per_document_reference_dates_and_a_datetime_column(csv_path):
    df = pd.read_csv(csv_path, index_col="id")
    m = df.text.tongbao.metrics(ref_date=df.published)
    assert list(m.columns[:8]) == ["doc_id", "metric", "scope", "origin", "region", "code", "date", "datetime"]
    first = m[m.doc_id == "hn-0804"].iloc[0]
    assert first["date"] == "2022-08-03" and first["datetime"] == pd.Timestamp("2022-08-03")
    assert str(m["datetime"].dtype).startswith("datetime64")
    assert (m[m.doc_id == "hn-0613"]["date"] == "2022-06-12").all()
    # nullable dtypes: missing values keep the column's type
    assert str(m["value"].dtype) == "Float64" and str(m["start"].dtype) == "Int64"
    assert str(m["consistent"].dtype) == "boolean" and isinstance(m["metric"].dtype, pd.StringDtype)


def test_an_unknown_year_is_no_datetime():
    m = pd.Series(["6月12日新增本土确诊病例5例"]).tongbao.metrics()
    assert m["date"].isna().all() and m["date_text"].tolist() == ["XXXX-06-12"]
    assert m["datetime"].isna().all()


def test_dates_table_keeps_the_iso_value_and_adds_a_datetime():
    s = pd.Series({"x": "8月3日下午3时，2022年8月新增", "y": None})
    d = s.tongbao.dates(ref_date="2022-08-04")
    assert d["doc_id"].tolist() == ["x"] * len(d)
    by_text = dict(zip(d["text"], zip(d["value"], d["datetime"])))
    month = [v for t, v in by_text.items() if t == "2022年8月"]
    assert month and month[0][0] == "2022-08" and pd.isna(month[0][1])   # a month is not a complete date
    assert list(d.columns).index("datetime") == list(d.columns).index("value") + 1


def test_cut_tokens_quantities_entities():
    s = pd.Series(["密接12人", None, "郑州市新增3例"], index=[10, 11, 12])
    cut = s.tongbao.cut()
    assert cut.index.tolist() == [10, 11, 12] and cut[10] == ["密接", "12", "人"] and cut[11] is None
    toks = s.tongbao.tokens()
    assert toks["doc_id"].tolist() == [10, 10, 10] + [12] * len(tongbao.lcut("郑州市新增3例"))
    assert list(toks.columns) == ["doc_id", "token", "start", "end", "tag"]
    q = s.tongbao.quantities()
    assert q[["doc_id", "text", "value"]].values.tolist() == [[10, "12人", 12.0], [12, "3例", 3.0]]
    e = s.tongbao.entities()
    assert e[["doc_id", "text", "code"]].values.tolist() == [[12, "郑州市", "410100"]]


def test_empty_series_gives_empty_tables_with_columns():
    m = pd.Series([], dtype=object).tongbao.metrics()
    assert len(m) == 0 and "datetime" in m.columns and m.columns[0] == "doc_id"


def test_a_series_of_numbers_has_no_tongbao_accessor():
    with pytest.raises(AttributeError, match="Series of texts"):
        pd.Series([1, 2]).tongbao


def test_extract_gives_a_result_whose_doc_id_is_the_index():
    s = pd.Series({"hn-0804": ROWS[0][1], "hn-0613": ROWS[1][1], "bad": None})
    r = s.tongbao.extract(ref_date={"hn-0804": "2022-08-04", "hn-0613": "2022-06-13"}, progress=False)
    assert isinstance(r, tongbao.Result)
    assert r.documents["doc_id"].tolist() == ["hn-0804", "hn-0613", "bad"]
    assert r.documents["error"].tolist()[2] == "missing text"
    assert r.metrics.equals(tongbao.extract(s, ref_date={"hn-0804": "2022-08-04", "hn-0613": "2022-06-13"},
                                            progress=False).metrics)
    assert set(r.metrics["doc_id"]) == {"hn-0804", "hn-0613"}
