"""tongbao.dask: tables of a Dask collection, per partition."""
import threading

import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
import dask  # noqa: E402

import tongbao  # noqa: E402
import tongbao.dask  # noqa: E402
from tongbao._document import SCHEMAS  # noqa: E402

TEXTS = {f"d{i:02d}": f"{i % 12 + 1}月{i % 27 + 1}日郑州市新增本土确诊病例{i}例,累计{i}.5万余人" for i in range(40)}


@pytest.mark.parametrize("table", list(SCHEMAS))
@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_same_rows_as_pandas(table, scheduler):
    series = pd.Series(TEXTS)
    expected = tongbao.analyze_many(series, table, ref_date="2022-12-31")
    ddf = tongbao.dask.analyze(dd.from_pandas(series, npartitions=4), table, ref_date="2022-12-31")
    assert list(ddf.columns) == ["doc", *SCHEMAS[table]]
    got = ddf.compute(scheduler=scheduler).reset_index(drop=True)
    # Dask stores the string index it was given as its own string dtype: compare doc as values
    pd.testing.assert_frame_equal(got.astype({"doc": object}), expected.astype({"doc": object}))


def test_dataframe_input_with_a_reference_column():
    # y has no reference and no dateline: its relative date stays unknown
    pdf = pd.DataFrame({"body": ["3月27日新增12例", "昨日新增3例", None],
                        "ref": ["2022-03-28", None, "2022-01-01"]}, index=["x", "y", "z"])
    ddf = tongbao.dask.analyze(dd.from_pandas(pdf, npartitions=2), "dates", text="body", ref_date_col="ref")
    got = ddf.compute(scheduler="sync")
    assert got[["doc", "text", "value"]].values.tolist() == [["x", "3月27日", "2022-03-27"], ["y", "昨日", "XXXX-XX-XX"]]


def test_threaded_scheduler_runs_partitions_concurrently():
    # partitions overlap in time on the threaded scheduler (the C passes
    # release the GIL, so they also overlap on the CPUs: tests/test_threads.py)
    inside, peak, lock = [0], [0], threading.Lock()
    real = tongbao.analyze_many

    def counting(*args, **kw):
        with lock:
            inside[0] += 1
            peak[0] = max(peak[0], inside[0])
        try:
            return real(*args, **kw)
        finally:
            with lock:
                inside[0] -= 1

    big = pd.Series({k: v * 200 for k, v in TEXTS.items()})
    import tongbao.dask as tdask
    tdask.analyze_many, saved = counting, tdask.analyze_many
    try:
        tdask.analyze(dd.from_pandas(big, npartitions=8), "tokens").compute(scheduler="threads", num_workers=2)
    finally:
        tdask.analyze_many = saved
    assert peak[0] >= 2


def test_bad_arguments():
    s = dd.from_pandas(pd.Series(["新增3例"]), npartitions=1)
    with pytest.raises(ValueError, match="table must be one of"):
        tongbao.dask.analyze(s, "metric")   # not a table (metrics is one)
    with pytest.raises(ValueError, match="ref_date_col"):
        tongbao.dask.analyze(s, ref_date_col="ref")
    with pytest.raises(KeyError, match="no column 'text'"):
        tongbao.dask.analyze(dd.from_pandas(pd.DataFrame({"body": ["新增3例"]}), npartitions=1))
    with pytest.raises(TypeError, match="Dask Series or DataFrame"):
        tongbao.dask.analyze(pd.Series(["新增3例"]))
