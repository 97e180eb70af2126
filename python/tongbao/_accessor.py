"""The pandas accessor ``Series.tongbao``, registered by ``import tongbao``.

>>> import pandas as pd, tongbao
>>> s = pd.Series({"a": "8月3日新增本土确诊病例35例"})
>>> s.tongbao.cut().tolist()
[['8月', '3日', '新增', '本土确诊病例', '35', '例']]
>>> s.tongbao.metrics(ref_date="2022-08-04")[["doc_id", "metric", "date", "datetime", "value"]].values.tolist()
[['a', 'confirmed', '2022-08-03', Timestamp('2022-08-03 00:00:00'), 35.0]]

Registering needs pandas, and importing pandas costs ten times what
importing tongbao does: a script that only tokenizes must not pay for it.
``import tongbao`` loads only :mod:`tongbao._pandas_hook`, which registers
the accessor at once when pandas is already imported, or else the moment
pandas is first imported, whichever of the two a program imports first.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Union

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._analyze import RefDate

_registered = False
_lock = threading.Lock()

# nullable counterparts of the tables' NumPy dtypes: a column keeps its type
# when a later operation brings missing values in
_NULLABLE = {"int64": "Int64", "float64": "Float64", "bool": "boolean", "object": "string"}


def _nullable(df: "pd.DataFrame") -> "pd.DataFrame":
    import pandas as pd

    conv: Dict[str, Any] = {}
    for col, dtype in df.dtypes.items():
        if col == "datetime":
            continue
        target = _NULLABLE.get(str(dtype))
        if target == "string":
            conv[col] = pd.StringDtype("python")
        elif target is not None:
            conv[col] = target
    return df.astype(conv) if conv else df


def _with_datetime(df: "pd.DataFrame", iso_col: str) -> "pd.DataFrame":
    """Insert a ``datetime`` column (datetime64, NaT when the date is not
    complete: an unknown year or month, a bare hour) right after ``iso_col``."""
    import pandas as pd

    iso = df[iso_col].astype("object")
    complete = iso.map(lambda v: isinstance(v, str) and len(v) >= 10 and "X" not in v[:10])
    try:
        when = pd.to_datetime(iso.where(complete), errors="coerce", format="ISO8601")
    except (TypeError, ValueError):  # pandas < 2 has no "ISO8601" format: it infers ISO anyway
        when = pd.to_datetime(iso.where(complete), errors="coerce")
    df.insert(df.columns.get_loc(iso_col) + 1, "datetime", when)
    return df


class TongbaoAccessor:
    """``Series.tongbao``: tongbao over a Series of texts (``str`` or ``bytes``;
    missing values are skipped). Tables have a ``doc_id`` column first, the
    Series' index, and nullable dtypes; tables with dates have a
    ``datetime`` column beside the ISO value."""

    def __init__(self, series: "pd.Series") -> None:
        import pandas as pd

        if not (series.dtype == object or isinstance(series.dtype, pd.StringDtype)):
            raise AttributeError(f"the .tongbao accessor needs a Series of texts, not of {series.dtype}")
        self._s = series

    # -- tokens ---------------------------------------------------------------
    def cut(self, HMM: bool = True, cut_all: bool = False) -> "pd.Series":
        """A Series of token lists (as ``tongbao.lcut``), same index; missing stays missing."""
        import pandas as pd

        from . import _many, dt

        out: List[Optional[List[str]]] = [None if _many._is_missing(v) else dt.lcut(v, cut_all, HMM)
                                          for v in self._s.tolist()]
        return pd.Series(out, index=self._s.index, name=self._s.name, dtype=object)

    def tokens(self, mode: str = "default", HMM: bool = True) -> "pd.DataFrame":
        """One row per token of every text: ``doc_id, token, start, end, tag``."""
        import pandas as pd

        from . import _many, tokens

        frames, ids = [], []
        for doc, text in self._s.items():
            if _many._is_missing(text):
                continue
            df = tokens(text, mode, HMM)
            frames.append(df)
            ids.extend([doc] * len(df))
        if frames:
            out = pd.concat(frames, ignore_index=True)
        else:
            from ._document import _frame

            out = _frame("tokens", {})
        out.insert(0, "doc_id", pd.array(ids, dtype=self._s.index.dtype) if ids else
                   pd.Series([], dtype=self._s.index.dtype))
        return _nullable(out)

    # -- extraction -----------------------------------------------------------
    def _table(self, table: str, ref_date: "Union[RefDate, Mapping[Any, RefDate], pd.Series]") -> "pd.DataFrame":
        from ._many import analyze_many

        df = analyze_many(self._s, table, ref_date).rename(columns={"doc": "doc_id"})
        df = _nullable(df)
        if table == "metrics":
            df = _with_datetime(df, "date")
        elif table == "dates":
            df = _with_datetime(df, "value")
        return df

    def metrics(self, ref_date: "Union[RefDate, Mapping[Any, RefDate], pd.Series]" = None) -> "pd.DataFrame":
        """The metrics table of every text (see :attr:`tongbao.Document.metrics`),
        with ``doc_id`` first and a ``datetime`` column after ``date``.
        ``ref_date``: one date, or a mapping/Series from the index to dates."""
        return self._table("metrics", ref_date)

    def quantities(self, ref_date: "Union[RefDate, Mapping[Any, RefDate], pd.Series]" = None) -> "pd.DataFrame":
        """The quantities table of every text, ``doc_id`` first."""
        return self._table("quantities", ref_date)

    def dates(self, ref_date: "Union[RefDate, Mapping[Any, RefDate], pd.Series]" = None) -> "pd.DataFrame":
        """The dates table of every text, ``doc_id`` first, ``datetime`` after ``value``."""
        return self._table("dates", ref_date)

    def entities(self) -> "pd.DataFrame":
        """The entities table (persons, places with codes, organisations), ``doc_id`` first."""
        return self._table("entities", None)

    def extract(self, ref_date: Any = None, **kwargs: Any) -> Any:
        """:func:`tongbao.extract` over this Series: a Result whose ``doc_id`` is the index."""
        import tongbao

        extract = getattr(tongbao, "extract", None)
        if extract is None:  # pragma: no cover - only before tongbao.extract exists
            raise NotImplementedError("tongbao.extract is not available in this version")
        return extract(self._s, ref_date=ref_date, **kwargs)


def register() -> None:
    """Register ``Series.tongbao`` (idempotent; imports pandas)."""
    global _registered
    with _lock:
        if _registered:
            return
        import pandas as pd

        pd.api.extensions.register_series_accessor("tongbao")(TongbaoAccessor)
        _registered = True
