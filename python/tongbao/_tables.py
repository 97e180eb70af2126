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

import itertools
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

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


# numpy dtypes of the core's packed columns (Segmenter.extract_batch):
# booleans come as int8, -1 for missing
_PACKED = {"int64": "int64", "float64": "float64", "bool": "int8"}
COMPACT_ROWS = 1 << 16   # rows between two joins of an Accumulator's pieces (compact)


class Accumulator:
    """Columns of one table over the documents seen so far.

    A column is a list of pieces: numpy arrays (a batch's numbers as the core
    packed them, read without a copy) or lists (strings; rows added one
    document at a time). :meth:`column` joins the pieces once, when the
    table is built or written, so adding a batch costs one operation per
    column, not per row.
    """

    __slots__ = ("name", "kinds", "pieces", "doc_ix", "counts", "n", "has_none", "compacted", "joined")

    def __init__(self, name: str) -> None:
        self.name = name
        self.kinds: Dict[str, str] = schema(name)
        self.pieces: Dict[str, List[Any]] = {c: [] for c in self.kinds}
        self.doc_ix: List[int] = []     # index into the run's doc_id list, one per document with rows
        self.counts: List[int] = []     # rows of that document
        self.n = 0
        self.has_none = False           # rows from Python lists, where None is missing (not pd.NA)
        self.compacted = 0              # rows when the pieces were last joined (compact)
        self.joined: Dict[str, int] = {}   # column -> pieces that are joins of earlier ones

    def _list_tail(self, c: str) -> List[Any]:
        ps = self.pieces[c]
        if not ps or not isinstance(ps[-1], list):
            ps.append([])
        tail: List[Any] = ps[-1]
        return tail

    def add(self, doc_ix: int, cols: Mapping[str, Sequence[Any]], n: int) -> None:
        """One document's rows, as lists (missing columns: missing values)."""
        if n == 0:
            return
        self.has_none = True
        for c in self.kinds:
            v = cols.get(c)
            self._list_tail(c).extend(v if v is not None else [None] * n)
        self.doc_ix.append(doc_ix)
        self.counts.append(n)
        self.n += n

    def add_row(self, doc_ix: int, row: Mapping[str, Any]) -> None:
        """One row (the documents table): missing keys are missing values."""
        get = row.get
        self.has_none = True
        for c in self.kinds:
            self._list_tail(c).append(get(c))
        self.doc_ix.append(doc_ix)
        self.counts.append(1)
        self.n += 1

    def add_rows(self, doc_ix: int, rows: Sequence[Mapping[str, Any]]) -> None:
        """:meth:`add_row` of documents ``doc_ix``, ``doc_ix + 1``, …: one list operation per column."""
        self.has_none = True
        for c in self.kinds:
            self._list_tail(c).extend([r.get(c) for r in rows])
        self.doc_ix.extend(range(doc_ix, doc_ix + len(rows)))
        self.counts.extend([1] * len(rows))
        self.n += len(rows)

    def add_batch(self, doc_ix: Sequence[int], counts: Sequence[int], cols: Mapping[str, Any],
                  none_missing: bool = False) -> None:
        """Many documents' rows from the core: numbers as bytes (see
        :data:`_PACKED`) or lists, strings as lists of str and pd.NA (the
        core's ``na``); ``counts[k]`` rows of document
        ``doc_ix[k]``, in that order. Documents without rows may be listed.
        ``none_missing``: the string lists hold None for missing values
        (:func:`tongbao.analyze`'s columns), not pd.NA."""
        import numpy as np

        self.has_none |= none_missing

        n = 0
        for ix, k in zip(doc_ix, counts):
            if k:
                self.doc_ix.append(ix)
                self.counts.append(k)
                n += k
        if n == 0:
            return
        for c, kind in self.kinds.items():
            v = cols[c]
            packed = _PACKED.get(kind)
            if packed is not None and isinstance(v, bytes):
                v = np.frombuffer(v, dtype=packed)
            self.pieces[c].append(v)
        self.n += n

    def compact(self, rows: Optional[int] = None) -> None:
        """Turn the pieces added since the last time into one array per
        column, once they hold ``rows`` rows (:data:`COMPACT_ROWS`) or more:
        done while a run goes on (the workers busy in the core meanwhile),
        it leaves the end of the run a few arrays to concatenate instead of
        a piece per batch to convert."""
        if self.n - self.compacted < (COMPACT_ROWS if rows is None else rows):
            return
        for c, kind in self.kinds.items():
            ps = self.pieces[c]
            k = self.joined.get(c, 0)   # pieces[:k] are arrays made here before
            if kind == "string" and len(ps) > k:
                ps[k:] = [_object_array(ps[k:])]
            elif kind in _PACKED and len(ps) - k > 1:
                ps[k:] = [_join_packed(ps[k:], kind)]
            self.joined[c] = len(ps)
        self.compacted = self.n

    def column(self, c: str) -> Any:
        """Column ``c`` joined: a numpy array for numbers (int8 for booleans,
        -1 missing), a pandas string array for strings, else a list."""
        import numpy as np

        kind = self.kinds[c]
        ps = self.pieces[c]
        packed = _PACKED.get(kind)
        if packed is not None:
            return _join_packed(ps, kind) if ps else np.empty(0, dtype=packed)
        if kind == "string":
            arrays = [p if _is_array(p) else _object_array([p]) for p in ps]
            arr = arrays[0] if len(arrays) == 1 else np.concatenate(arrays) if arrays else np.empty(0, dtype=object)
            return string_array(arr, checked=not self.has_none)
        return [v for p in ps for v in p]

    @property
    def cols(self) -> Dict[str, Any]:
        """Every column joined (:meth:`column`)."""
        return {c: self.column(c) for c in self.kinds}

    def clear(self) -> None:
        for ps in self.pieces.values():
            ps.clear()
        self.has_none = False
        self.compacted = 0
        self.joined.clear()
        self.doc_ix.clear()
        self.counts.clear()
        self.n = 0

    def doc_rows(self) -> Any:
        """The row -> document index array (numpy int64)."""
        import numpy as np

        return np.repeat(np.asarray(self.doc_ix, dtype=np.int64), np.asarray(self.counts, dtype=np.int64))


def row_count(cols: Mapping[str, Any]) -> int:
    """Rows of a table's columns, lists or the core's packed bytes (``start``, int64)."""
    v = cols.get("start")
    if v is None:
        return 0
    return len(v) // 8 if isinstance(v, bytes) else len(v)


def column_array(kind: str, values: Any) -> Any:
    """One column of one document as a pandas or numpy array of ``kind``:
    a list (None for missing), or the core's packed bytes (:data:`_PACKED`)."""
    import numpy as np

    packed = _PACKED.get(kind)
    if packed is not None and isinstance(values, bytes):
        values = np.frombuffer(values, dtype=packed)
        return pandas_column(kind, values if kind == "bool" else values.copy())   # (writable, as before)
    if kind == "string" and isinstance(values, list):
        return string_array(np.fromiter(values, dtype=object, count=len(values)))
    return pandas_column(kind, values)


def _is_array(p: Any) -> bool:
    import numpy as np

    return isinstance(p, np.ndarray)


def _object_array(pieces: Sequence[Sequence[Any]]) -> Any:
    """One object array of the values of ``pieces`` (lists), in order.
    (np.fromiter: slice assignment inspects each pd.NA as a possible
    sequence, ten times slower.)"""
    import numpy as np

    return np.fromiter(itertools.chain.from_iterable(pieces), dtype=object, count=sum(len(p) for p in pieces))


def _join_packed(pieces: Sequence[Any], kind: str) -> Any:
    """The numeric pieces (arrays, or lists of Python values) of a column as one array."""
    import numpy as np

    parts = [p if isinstance(p, np.ndarray) else _pack_list(p, kind) for p in pieces]
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _pack_list(values: Sequence[Any], kind: str) -> Any:
    """A list of Python values as the packed numpy form of ``kind``."""
    import numpy as np

    if kind == "bool":
        return np.array([-1 if v is None else int(bool(v)) for v in values], dtype=np.int8)
    return np.asarray(values, dtype=kind)


# ---- pandas ------------------------------------------------------------------

def pandas_column(kind: str, values: Any) -> Any:
    """A pandas array of logical type ``kind`` from a list (None for
    missing) or from an :class:`Accumulator` column (numpy arrays; int8
    booleans, -1 missing; object arrays of str and missing values)."""
    import numpy as np
    import pandas as pd

    if kind in ("int64", "float64"):
        return np.asarray(values, dtype=kind)
    if kind == "Int64":
        return pd.array(values, dtype="Int64")
    if kind == "date":
        return pd.to_datetime(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype="datetime64[ns]")
    if kind == "bool" and isinstance(values, np.ndarray) and values.dtype == np.int8:
        return pd.arrays.BooleanArray(values == 1, values < 0)
    if kind == "string" and isinstance(values, pd.arrays.StringArray):
        return values
    if kind == "string" and isinstance(values, np.ndarray) and values.dtype == object:
        return string_array(values)
    return pd.array(values, dtype=_dtype(kind))


def string_array(values: Any, checked: bool = False) -> Any:
    """A pandas string array over ``values``, an object array of str and
    missing values (None, pd.NA), without a copy. ``checked``: every
    missing value is already pd.NA (the core's columns), so the array is
    wrapped as it is, without StringArray's pass over it."""
    import pandas as pd

    if checked:
        try:
            return pd.arrays.StringArray._simple_new(values, _dtype("string"))
        except AttributeError:  # pragma: no cover - a pandas without the private constructor
            pass
    return pd.arrays.StringArray(values, dtype=_dtype("string"))


def doc_id_column(doc_ids: Any, rows: Any) -> Any:
    """The ``doc_id`` column: ``doc_ids`` (numpy array, int64 or object) taken at ``rows``."""
    import pandas as pd

    taken = doc_ids[rows]
    if taken.dtype.kind == "i":
        return taken
    return string_array(taken, checked=True)   # (doc_ids are str: extract makes them so)


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
