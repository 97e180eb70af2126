"""tongbao on Dask: one table of a whole collection of bulletins, per partition.

>>> import dask.dataframe as dd, pandas as pd, tongbao.dask
>>> texts = dd.from_pandas(pd.Series({"d1": "新增3例", "d2": "累计1.6万余人"}), npartitions=2)
>>> tongbao.dask.analyze(texts).compute()[["doc", "text", "value"]].values.tolist()
[['d1', '3例', 3.0], ['d2', '1.6万余人', 16000.0]]

Each partition runs :func:`tongbao.analyze_many` on a worker. The C passes
release the GIL, so Dask's default threaded scheduler uses every core of a
machine; on a distributed cluster each worker process imports tongbao
itself. User words and entries (``add_word``, ``add_place``) made in the
client process do not travel: make them on the workers too (for example
with ``client.run``), or load them at import time from a file.

Needs the ``dask`` extra: ``pip install "tongbao[dask]"``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ._many import analyze_many

try:
    import dask.dataframe as dd
except ImportError as exc:  # pragma: no cover - exercised only without dask
    raise ImportError('tongbao.dask needs Dask: pip install "tongbao[dask]"') from exc

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._analyze import RefDate

__all__ = ["analyze"]


def _partition(part: Any, table: str, text: str, ref_date: Any, ref_date_col: Optional[str]) -> "pd.DataFrame":
    import pandas as pd

    if isinstance(part, pd.DataFrame):
        texts = part[text]
        refs = part[ref_date_col] if ref_date_col is not None else ref_date
    else:
        texts, refs = part, ref_date
    return analyze_many(texts, table, refs)


def analyze(data: "dd.Series | dd.DataFrame", table: str = "quantities", *, text: str = "text",
            ref_date: "RefDate" = None, ref_date_col: Optional[str] = None) -> "dd.DataFrame":
    """One table (``quantities``, ``dates``, ``entities`` or ``tokens``) of every
    document of a Dask collection, as a Dask DataFrame with a leading ``doc``
    column (the input's index) and the table's columns.

    ``data`` is a Dask Series of texts (``str`` or ``bytes``), or a Dask
    DataFrame whose column ``text`` holds them. ``ref_date`` is one reference
    date for every document; ``ref_date_col`` names a column of ``data`` with
    one per document (missing values: the date found in the text). Missing
    texts are skipped.
    """
    import pandas as pd

    if isinstance(data, dd.DataFrame):
        for col in (text, ref_date_col):
            if col is not None and col not in data.columns:
                raise KeyError(f"no column {col!r} in the Dask DataFrame (columns: {list(data.columns)})")
    elif ref_date_col is not None:
        raise ValueError("ref_date_col needs a Dask DataFrame; a Series has no columns")
    elif not isinstance(data, dd.Series):
        raise TypeError(f"data must be a Dask Series or DataFrame, not {type(data).__name__}")
    # Every partition's frame has the columns and dtypes of an empty table
    # (and a bad table name raises here, as analyze_many does).
    meta = analyze_many(pd.Series([], dtype=object, index=data._meta.index[:0]), table)
    return data.map_partitions(_partition, table, text, ref_date, ref_date_col, meta=meta,
                               align_dataframes=False)
