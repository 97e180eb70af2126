"""The tables of :func:`tongbao.extract`: their columns, dtypes, and how
they are built from columns accumulated over many documents.

Every table starts with ``doc_id``; the per-document tables then have the
columns of :data:`tongbao._document.SCHEMAS` (the tables of
:func:`tongbao.analyze`), the ``documents`` table those of
:data:`DOCUMENTS`. Columns are kept as Python lists while documents are
processed (``list.extend`` per document) and become one pandas column, or
one Arrow array, per table at the end: building a DataFrame per document
and concatenating them costs more than the extraction itself.
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Sequence, Tuple

from ._document import SCHEMAS, _dtype

# Logical types: "string", "int64" (never missing), "Int64" (nullable),
# "float64", "bool" (nullable boolean), "date" (a calendar day).
DOCUMENTS: Dict[str, str] = {
    "path": "string", "bytes": "Int64", "chars": "Int64", "encoding": "string",
    "ref_date": "date", "ref_source": "string", "n_metrics": "Int64", "n_quantities": "Int64",
    "n_dates": "Int64", "n_entities": "Int64", "n_tokens": "Int64", "fingerprint": "string",
    "error": "string",
}

TABLES: Tuple[str, ...] = ("documents", "metrics", "quantities", "dates", "entities", "tokens")
DEFAULT_TABLES: Tuple[str, ...] = ("documents", "metrics", "quantities", "dates", "entities")


def schema(name: str) -> Dict[str, str]:
    """Column -> logical type of table ``name``, without ``doc_id``."""
    if name == "documents":
        return DOCUMENTS
    return SCHEMAS[name]


def check_tables(tables: Any) -> Tuple[str, ...]:
    """``tables`` as a tuple of known names, in the order given, ``documents`` always first."""
    if isinstance(tables, str):
        tables = (tables,)
    try:
        names = tuple(tables)
    except TypeError:
        raise TypeError(f"tables must be a sequence of table names, not {type(tables).__name__}") from None
    for n in names:
        if n not in TABLES:
            raise ValueError(f"unknown table {n!r}: the tables are {', '.join(TABLES)}")
    out = ["documents"] + [n for n in dict.fromkeys(names) if n != "documents"]
    return tuple(out)


class Accumulator:
    """Columns of one table, as lists, over the documents seen so far."""

    __slots__ = ("name", "cols", "doc_ix", "counts", "n")

    def __init__(self, name: str) -> None:
        self.name = name
        self.cols: Dict[str, List[Any]] = {c: [] for c in schema(name)}
        self.doc_ix: List[int] = []     # index into the run's doc_id list, one per document with rows
        self.counts: List[int] = []     # rows of that document
        self.n = 0

    def add(self, doc_ix: int, cols: Dict[str, Sequence[Any]], n: int) -> None:
        if n == 0:
            return
        for c, values in self.cols.items():
            v = cols.get(c)
            values.extend(v if v is not None else [None] * n)
        self.doc_ix.append(doc_ix)
        self.counts.append(n)
        self.n += n

    def add_row(self, doc_ix: int, row: Dict[str, Any]) -> None:
        """One row (the documents table): missing keys are missing values."""
        get = row.get
        for c, values in self.cols.items():
            values.append(get(c))
        self.doc_ix.append(doc_ix)
        self.counts.append(1)
        self.n += 1

    def clear(self) -> None:
        for values in self.cols.values():
            values.clear()
        self.doc_ix.clear()
        self.counts.clear()
        self.n = 0

    def doc_rows(self) -> Any:
        """The row -> document index array (numpy int64)."""
        import numpy as np

        return np.repeat(np.asarray(self.doc_ix, dtype=np.int64), np.asarray(self.counts, dtype=np.int64))


# ---- pandas ------------------------------------------------------------------

def pandas_column(kind: str, values: Sequence[Any]) -> Any:
    """A pandas array of logical type ``kind`` from a list (None for missing)."""
    import numpy as np
    import pandas as pd

    if kind in ("int64", "float64"):
        return np.asarray(values, dtype=kind)
    if kind == "Int64":
        return pd.array(values, dtype="Int64")
    if kind == "date":
        return pd.to_datetime(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype="datetime64[ns]")
    return pd.array(values, dtype=_dtype(kind))


def doc_id_column(doc_ids: Any, rows: Any) -> Any:
    """The ``doc_id`` column: ``doc_ids`` (numpy array, int64 or object) taken at ``rows``."""
    import pandas as pd

    taken = doc_ids[rows]
    if taken.dtype.kind == "i":
        return taken
    return pd.array(taken, dtype=_dtype("string"))


def empty_frame(name: str, id_kind: str = "string") -> "Any":
    import numpy as np

    ids = np.array([], dtype=np.int64 if id_kind == "int64" else object)
    return frame(name, {c: [] for c in schema(name)}, ids, np.array([], dtype=np.int64))


def frame(name: str, cols: Mapping[str, Sequence[Any]], doc_ids: Any, rows: Any) -> Any:
    """The DataFrame of table ``name``: ``doc_id`` then its columns in schema order and dtypes."""
    from ._document import frame_from_arrays

    names = ("doc_id", *schema(name))
    arrays = [doc_id_column(doc_ids, rows)]
    for c, kind in schema(name).items():
        arrays.append(pandas_column(kind, cols.get(c, [])))
    return frame_from_arrays(names, arrays, len(arrays[0]))


def coerce_frame(name: str, df: Any, id_kind: str) -> Any:
    """``df`` (read back from a file) with the dtypes of table ``name``, in its column order."""
    import numpy as np
    import pandas as pd

    data = {}
    ids = df["doc_id"] if "doc_id" in df else pd.Series([], dtype=object)
    if id_kind == "int64":
        data["doc_id"] = ids.to_numpy(dtype=np.int64)
    else:
        data["doc_id"] = pd.array(_py_values(ids), dtype=_dtype("string"))
    n = len(df)
    for c, kind in schema(name).items():
        if c not in df:
            data[c] = pandas_column(kind, [None] * n)
            continue
        s = df[c]
        if kind in ("int64", "float64"):
            data[c] = s.to_numpy(dtype=kind)
        elif kind == "bool":
            data[c] = pd.array([_as_bool(v) for v in _py_values(s)], dtype="boolean")
        elif kind == "Int64":
            data[c] = pd.array([None if v is None else int(v) for v in _py_values(s)], dtype="Int64")
        elif kind == "date":
            data[c] = pandas_column("date", _py_values(s))
        else:
            data[c] = pd.array(_py_values(s), dtype=_dtype("string"))
    return pd.DataFrame(data, copy=False)


def _py_values(s: Any) -> List[Any]:
    """A Series' values as Python objects, missing ones as None."""
    import pandas as pd

    return [None if (v is None or (not isinstance(v, str) and pd.isna(v))) else v
            for v in s.astype(object).tolist()]


def _as_bool(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, str):
        if v in ("True", "true", "1"):
            return True
        if v in ("False", "false", "0"):
            return False
        raise ValueError(f"not a boolean: {v!r}")
    return bool(v)
