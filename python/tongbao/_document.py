"""The Document: everything tongbao extracts from one text, as DataFrames.

:func:`tongbao.analyze` runs the C passes (tokens, quantities, dates,
entities) once and keeps their results as plain columns; each DataFrame is
built on first access and then cached, so a caller who only wants
``doc.quantities`` never pays for building the token table, and pandas is
imported only then.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional

if TYPE_CHECKING:  # pragma: no cover
    import datetime as _dt

    import pandas as pd

# Column order and pandas dtype of every table. A table with no rows still
# has these columns, so code written against a DataFrame never meets a
# KeyError on an empty document.
SCHEMAS: Dict[str, Dict[str, str]] = {
    "tokens": {"token": "string", "start": "int64", "end": "int64", "tag": "string"},
    "quantities": {
        "text": "string", "start": "int64", "end": "int64", "value": "float64",
        "unit": "string", "approx": "string", "ordinal": "bool", "low": "float64",
        "high": "float64", "kind": "string",
    },
    "dates": {
        "text": "string", "start": "int64", "end": "int64", "value": "string",
        "granularity": "string", "part_of_day": "string", "relative": "bool",
        "range_role": "string", "direction": "string", "ambiguous": "bool",
    },
    "entities": {
        "text": "string", "start": "int64", "end": "int64", "label": "string",
        "code": "string", "parent_code": "string", "level": "string", "name": "string",
    },
    "metrics": {
        "metric": "string", "scope": "string", "origin": "string", "region": "string",
        "code": "string", "date": "string", "date_text": "string", "value": "float64",
        "approx": "string", "text": "string", "start": "int64", "end": "int64",
        "rule": "string", "consistent": "bool", "part": "bool",
    },
}

Columns = Mapping[str, Any]


_DTYPES: Dict[str, Any] = {}


def _dtype(name: str) -> Any:
    """A SCHEMAS dtype name resolved once: pandas' string parsing of dtype
    names costs more than building a small column."""
    dtype = _DTYPES.get(name)
    if dtype is None:
        import numpy as np
        import pandas as pd

        if name in ("int64", "float64"):
            dtype = np.dtype(name)
        elif name == "string":
            # Python-object storage, whether or not pyarrow is installed: the
            # same dtype everywhere, and any str fits (Arrow's UTF-8 storage
            # cannot hold the lone surrogates a lossless tokenizer passes on).
            dtype = pd.StringDtype("python")
        else:  # "bool" as the nullable "boolean"
            dtype = pd.api.types.pandas_dtype("boolean" if name == "bool" else name)
        _DTYPES[name] = dtype
    return dtype


_INDEXES: Dict[Any, Any] = {}


def frame_from_arrays(names: "tuple[str, ...]", arrays: "list[Any]", n: int) -> "pd.DataFrame":
    """A DataFrame of equal-length arrays, without the DataFrame constructor's
    inference and checks (a quarter of its cost: this runs once per table of
    every document). The column Index is built once per list of names, the
    way ``pd.DataFrame(dict)`` builds it, so the result is the same frame."""
    import pandas as pd

    cols = _INDEXES.get(names)
    if cols is None:
        cols = _INDEXES[names] = pd.Index(list(names))
    try:
        return pd.DataFrame._from_arrays(arrays, columns=cols, index=pd.RangeIndex(n), verify_integrity=False)
    except (AttributeError, TypeError):  # pragma: no cover - a pandas without the private constructor
        return pd.DataFrame(dict(zip(names, arrays)), copy=False)


def _frame(name: str, columns: Columns) -> "pd.DataFrame":
    """The DataFrame of table ``name`` from its columns, in SCHEMAS' order and
    dtypes: lists, or the core's packed columns (``extract_batch``: numbers
    as bytes, strings as lists)."""
    from ._tables import column_array

    schema = SCHEMAS[name]
    arrays = [column_array(kind, columns.get(col, [])) for col, kind in schema.items()]
    n = len(arrays[0]) if arrays else 0
    return frame_from_arrays(tuple(schema), arrays, n)


class Document:
    """The result of :func:`tongbao.analyze` for one text.

    Attributes are pandas DataFrames, built on first access:

    - ``tokens``: ``token, start, end, tag``
    - ``quantities``: ``text, start, end, value, unit, approx, ordinal, low, high, kind``
    - ``dates``: ``text, start, end, value, granularity, part_of_day, relative, range_role,
      direction, ambiguous``
    - ``entities``: ``text, start, end, label, code, parent_code, level, name``
    - ``metrics``: ``metric, scope, origin, region, code, date, date_text, value,
      approx, text, start, end, rule, consistent, part`` — one row per epidemic
      figure (:func:`tongbao.analyze`)

    ``start``/``end`` are code-point offsets into :attr:`text` (``text[start:end]``
    is the surface string). :attr:`ref_date` is the date year-less and
    relative dates were resolved against (given, or found in the text),
    :attr:`ref_source` the evidence it came from (``"given"``; found in the
    text: ``"dateline"``, ``"title"``, ``"signature"``, ``"range_end"``, ``"reported"``; None
    when there is none; see docs/dates.md), and :attr:`encoding` the
    detected encoding when ``bytes`` were passed.

    >>> import tongbao
    >>> doc = tongbao.analyze("日期:2021-08-12 17:35。昨日新增2例".encode("gb18030"))
    >>> doc.ref_date, doc.ref_source, doc.encoding
    (datetime.date(2021, 8, 12), 'dateline', 'GB18030')
    >>> doc.dates[["text", "value"]].values.tolist()
    [['2021-08-12 17:35', '2021-08-12T17:35'], ['昨日', '2021-08-11']]

    A bare day is read back from the reference in a report, ahead of it
    where the text announces (``direction``; see docs/dates.md):

    >>> d = tongbao.analyze("29日0—24时，全省新增3例。12号起停课", ref_date="2022-10-05").dates
    >>> d[["text", "value", "direction"]].values.tolist()
    [['29日0', '2022-09-29T00:00', 'past'], ['24时', '2022-09-30T00:00', 'past'], ['12号', '2022-10-12', 'future']]
    """

    def __init__(self, text: str, tables: Dict[str, Callable[[], Columns]],
                 ref_date: Optional["_dt.date"] = None, ref_source: Optional[str] = None,
                 encoding: Optional[str] = None) -> None:
        self.text = text
        self.ref_date = ref_date
        self.ref_source = ref_source
        self.encoding = encoding
        self._sources = tables
        self._frames: Dict[str, "pd.DataFrame"] = {}

    def _get(self, name: str) -> "pd.DataFrame":
        df = self._frames.get(name)
        if df is None:
            source = self._sources.get(name)
            df = _frame(name, source() if source is not None else {})
            if self.encoding is not None:
                df.attrs["encoding"] = self.encoding
            self._frames[name] = df
        return df

    @property
    def tokens(self) -> "pd.DataFrame":
        return self._get("tokens")

    @property
    def quantities(self) -> "pd.DataFrame":
        return self._get("quantities")

    @property
    def dates(self) -> "pd.DataFrame":
        return self._get("dates")

    @property
    def entities(self) -> "pd.DataFrame":
        return self._get("entities")

    @property
    def metrics(self) -> "pd.DataFrame":
        """One row per epidemic figure: which metric (confirmed, close_contact,
        lockdown_zone …), scope (new, cumulative, current), origin (local,
        imported), for which region (with its division code), as of which
        date, its value, the evidence (``text``, ``start``, ``end``), the
        ``rule`` that read it, whether a total and its parts agree
        (``consistent``) and whether the row is a part of a breakdown
        (``part``)."""
        return self._get("metrics")

    def _repr_html_(self) -> str:
        """Jupyter's view: the text with what was found highlighted (tongbao._view)."""
        from ._view import document_html

        return document_html(self)

    def __repr__(self) -> str:
        head = self.text[:20].replace("\n", " ")
        more = "…" if len(self.text) > 20 else ""
        return f"<tongbao.Document {len(self.text)} chars {head!r}{more} ref_date={self.ref_date}>"
