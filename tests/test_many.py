"""analyze_many: one table of many documents, with a doc column."""
import pandas as pd
import pytest

import tongbao
from tongbao._document import SCHEMAS


def test_mapping_series_and_list_give_the_doc_keys():
    texts = {"a": "新增3例", "b": "累计1.6万余人"}
    by_dict = tongbao.analyze_many(texts)
    assert by_dict[["doc", "text", "value"]].values.tolist() == [["a", "3例", 3.0], ["b", "1.6万余人", 16000.0]]
    by_series = tongbao.analyze_many(pd.Series(texts))
    assert by_series["doc"].tolist() == ["a", "b"]
    by_list = tongbao.analyze_many(list(texts.values()))
    assert by_list["doc"].tolist() == [0, 1]


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_every_table_has_doc_then_the_schema(table):
    df = tongbao.analyze_many(["8月3日郑州市新增本土确诊病例35例"], table, ref_date="2022-08-04")
    assert list(df.columns) == ["doc", *SCHEMAS[table]]
    assert len(df) > 0
    # the same rows as analyze() on the document alone
    one = getattr(tongbao.analyze("8月3日郑州市新增本土确诊病例35例", ref_date="2022-08-04"), table)
    pd.testing.assert_frame_equal(df.drop(columns="doc"), one, check_dtype=True)


def test_empty_input_keeps_columns_and_dtypes():
    df = tongbao.analyze_many([], "quantities")
    assert list(df.columns) == ["doc", *SCHEMAS["quantities"]] and len(df) == 0
    assert str(df["value"].dtype) == "float64"


def test_per_document_reference_dates():
    texts = pd.Series({"x": "3月27日新增12例", "y": "昨日新增3例", "z": "日期:2021-08-12\n昨日新增1例"})
    refs = pd.Series({"x": "2022-03-28", "y": "2021-11-08"})   # z: none, its dateline is used
    df = tongbao.analyze_many(texts, "dates", ref_date=refs)
    got = dict(zip(df["text"] + "@" + df["doc"], df["value"]))
    assert got["3月27日@x"] == "2022-03-27"
    assert got["昨日@y"] == "2021-11-07"
    assert got["昨日@z"] == "2021-08-11"


def test_missing_texts_are_skipped_and_bytes_decoded():
    texts = ["新增3例", None, float("nan"), "新增4例".encode("gb18030")]
    df = tongbao.analyze_many(texts)
    assert df[["doc", "value"]].values.tolist() == [[0, 3.0], [3, 4.0]]


def test_bad_arguments():
    with pytest.raises(ValueError, match="table must be one of"):
        tongbao.analyze_many(["新增3例"], "metric")   # not a table (metrics is one)
    with pytest.raises(TypeError, match="collection of texts"):
        tongbao.analyze_many("新增3例")
    with pytest.raises(TypeError):
        tongbao.analyze_many([3])
