"""Writing and reading the tables of :func:`tongbao.extract`.

One directory per result: one file per table (``metrics.parquet``,
``metrics.csv`` or ``metrics.jsonl``) and ``tongbao.json``, written last,
which names the format, the tables and the type of ``doc_id`` — so that
:func:`tongbao.read_result` gives back the very dtypes that were written,
from any of the three formats.

Parquet keeps the types (dates as ``date32``, codes as strings, nullable
integers and booleans as nullable columns); CSV and JSON lines carry them
through ``tongbao.json`` and the table schemas. A ``str`` given to
``extract`` may hold lone surrogates, which no UTF-8 file can: they are
written as U+FFFD.
"""
from __future__ import annotations

import codecs
import json
import math
import os
from typing import IO, Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from ._tables import Accumulator, coerce_frame, frame, schema

FORMATS = ("parquet", "csv", "jsonl")
META = "tongbao.json"
_EXT = {"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl"}
# Rows buffered before a table is written, for all tables together 2 x this.
# The buffer is Python objects (about 400 bytes a row): 16k rows keep a
# streaming run's peak low and its heap from fragmenting as it churns (a
# 65k budget cost about 35 MB more, and crept another 30 MB on 500 MB of
# files), while a row group of 16k+ rows still compresses as well.
FLUSH_ROWS = 16384
READ_ROWS = 16384   # rows of a Parquet file decoded at a time when read back


def _fffd(exc: UnicodeError) -> Tuple[Union[str, bytes], int]:
    if isinstance(exc, UnicodeEncodeError):
        # bytes, not "\ufffd": CPython's UTF-8 encoder takes only ASCII str replacements
        return "\ufffd".encode("utf-8") * (exc.end - exc.start), exc.end
    raise exc


codecs.register_error("tongbao-fffd", _fffd)


def _need_pyarrow() -> Tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError("Parquet needs pyarrow: pip install 'tongbao[extract]'") from None
    return pa, pq


# ---- Arrow ---------------------------------------------------------------------

def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {"string": pa.string(), "int64": pa.int64(), "Int64": pa.int64(), "float64": pa.float64(),
            "bool": pa.bool_(), "date": pa.date32()}[kind]


def arrow_schema(name: str, id_kind: str) -> Any:
    import pyarrow as pa

    fields = [pa.field("doc_id", _arrow_type(id_kind), nullable=False)]
    for c, kind in schema(name).items():
        fields.append(pa.field(c, _arrow_type(kind), nullable=kind not in ("int64",)))
    return pa.schema(fields, metadata={b"tongbao.table": name.encode()})


def _clean_strings(values: Sequence[Any]) -> List[Any]:
    return [v.encode("utf-8", "tongbao-fffd").decode("utf-8") if isinstance(v, str) else v for v in values]


def _arrow_array(values: Any, kind: str) -> Any:
    import pyarrow as pa

    t = _arrow_type(kind)
    if kind == "bool" and getattr(values, "dtype", None) == "int8":   # an Accumulator's packed booleans
        return pa.array(values == 1, type=t, mask=values < 0)
    if kind == "string":
        try:
            return pa.array(values, type=t, from_pandas=True)
        except (UnicodeError, pa.ArrowInvalid):
            return pa.array(_clean_strings(list(values)), type=t, from_pandas=True)
    if kind == "date":
        import numpy as np

        arr = np.asarray(values)
        if arr.dtype.kind == "M":
            return pa.array(arr.astype("datetime64[D]"), type=t, from_pandas=True)
        return pa.array(list(values), type=t)
    return pa.array(values, type=t, from_pandas=True)


def arrow_from_lists(name: str, acc: Accumulator, doc_ids: Any, id_kind: str) -> Any:
    """The Arrow table of the rows in ``acc``."""
    import pyarrow as pa

    arrays = [_arrow_array(doc_ids[acc.doc_rows()], id_kind)]
    for c, kind in schema(name).items():
        arrays.append(_arrow_array(acc.column(c), kind))
    return pa.Table.from_arrays(arrays, schema=arrow_schema(name, id_kind))


def arrow_from_frame(name: str, df: Any, id_kind: str) -> Any:
    import pyarrow as pa

    arrays = [_arrow_array(_values(df["doc_id"], id_kind), id_kind)]
    for c, kind in schema(name).items():
        arrays.append(_arrow_array(_values(df[c], kind), kind))
    return pa.Table.from_arrays(arrays, schema=arrow_schema(name, id_kind))


def _values(s: Any, kind: str) -> Any:
    """A column's values in a form pyarrow takes whatever the pandas dtype."""
    if kind in ("int64", "float64", "date"):
        return s.to_numpy()
    return s.to_numpy(dtype=object, na_value=None)


def frame_from_arrow(name: str, table: Any, id_kind: str) -> Any:
    """A table read from Parquet as the DataFrame it was written from."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from ._document import _dtype

    data: Dict[str, Any] = {}
    kinds = {"doc_id": id_kind, **schema(name)}
    n = table.num_rows
    for c, kind in kinds.items():
        if c not in table.column_names:
            data[c] = frame(name, {}, np.array([], dtype=object), np.array([], dtype=np.int64))[c] if n == 0 \
                else pd.array([None] * n, dtype=_dtype("string"))
            continue
        col = table.column(c)
        if kind in ("int64", "float64"):
            data[c] = np.asarray(col.to_numpy(), dtype=kind)
        elif kind in ("Int64", "bool"):
            # values and mask straight from Arrow's buffers, no Python object per cell
            missing = col.is_null().to_numpy(zero_copy_only=False)
            filled = col.fill_null(False if kind == "bool" else 0).to_numpy(zero_copy_only=False)
            data[c] = (pd.arrays.BooleanArray(np.asarray(filled, dtype=bool), missing) if kind == "bool"
                       else pd.arrays.IntegerArray(np.asarray(filled, dtype=np.int64), missing))
        elif kind == "date":
            data[c] = np.asarray(col.cast(pa.timestamp("ns")).to_numpy(), dtype="datetime64[ns]")
        else:
            data[c] = shared_strings(col)
    if name == "documents" and id_kind == "string" and isinstance(data.get("path"), np.ndarray):
        # a file's doc_id is its path: one str object for both
        data["path"] = np.where(data["path"] == data["doc_id"], data["doc_id"], data["path"])
    for c, values in data.items():
        if isinstance(values, np.ndarray) and values.dtype == object:
            data[c] = pd.array(values, dtype=_dtype("string"))
    return pd.DataFrame(data, copy=False)


def shared_strings(col: Any) -> Any:
    """A string column read from Arrow as an object array in which equal
    values of a chunk are one ``str`` object (missing values None): a
    table's names, units, encodings and errors repeat, and a Python ``str``
    costs 50 bytes and more each, so reading back a large table costs a
    fraction of what one object per cell would."""
    import numpy as np
    import pyarrow as pa

    parts = []
    for chunk in getattr(col, "chunks", [col]):   # a ChunkedArray's chunks, or one Array
        enc = chunk.dictionary_encode()
        values: Any = np.empty(len(enc.dictionary) + 1, dtype=object)   # the last: missing
        values[:-1] = enc.dictionary.to_numpy(zero_copy_only=False)
        idx = enc.indices.fill_null(pa.scalar(len(values) - 1, enc.indices.type)).to_numpy()
        parts.append(values[idx])
    if not parts:
        return np.empty(0, dtype=object)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


# ---- CSV and JSON lines ---------------------------------------------------------

def _write_csv(df: Any, fh: Any, header: bool) -> None:
    df.to_csv(fh, index=False, header=header, date_format="%Y-%m-%d", lineterminator="\n")


def _json_value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float):
        return None if math.isnan(v) else v
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    if hasattr(v, "item"):   # numpy scalars
        return _json_value(v.item())
    return v


def _write_jsonl(name: str, df: Any, fh: Any) -> None:
    cols = ["doc_id", *schema(name)]
    kinds = schema(name)
    columns = []
    for c in cols:
        s = df[c]
        if kinds.get(c) == "date":
            vals = [None if v is None else str(v)[:10] for v in s.dt.strftime("%Y-%m-%d").to_numpy(dtype=object,
                                                                                                   na_value=None)]
        else:
            vals = [_json_value(v) for v in s.to_numpy(dtype=object, na_value=None)]
        columns.append(vals)
    dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    for row in zip(*columns):
        fh.write(dumps(dict(zip(cols, row))))
        fh.write("\n")


def _open_text(path: str, mode: str = "w") -> IO[str]:
    return open(path, mode, encoding="utf-8", errors="tongbao-fffd", newline="")


def _write_meta(out: str, fmt: str, tables: Sequence[str], id_kind: str) -> None:
    from . import __version__

    meta = {"format": fmt, "tables": list(tables), "doc_id": id_kind, "tongbao": __version__}
    tmp = os.path.join(out, META + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=1)
    os.replace(tmp, os.path.join(out, META))


def write_result(result: Any, out: "str | os.PathLike[str]", fmt: str) -> str:
    """Every table of ``result`` into directory ``out`` in format ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    out = os.fspath(out)
    os.makedirs(out, exist_ok=True)
    stale = os.path.join(out, META)
    if os.path.exists(stale):
        os.remove(stale)
    for name, df in result.tables.items():
        path = os.path.join(out, name + _EXT[fmt])
        if fmt == "parquet":
            _, pq = _need_pyarrow()
            pq.write_table(arrow_from_frame(name, df, result.id_kind), path)
        elif fmt == "csv":
            with _open_text(path) as fh:
                _write_csv(df, fh, header=True)
        else:
            with _open_text(path) as fh:
                _write_jsonl(name, df, fh)
    _write_meta(out, fmt, list(result.tables), result.id_kind)
    return out


def read_meta(directory: str) -> Dict[str, Any]:
    path = os.path.join(directory, META)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            meta: Dict[str, Any] = json.load(fh)
            return meta
    # no tongbao.json: whatever table files are there
    from ._tables import TABLES

    for fmt in FORMATS:
        found = [t for t in TABLES if os.path.exists(os.path.join(directory, t + _EXT[fmt]))]
        if found:
            return {"format": fmt, "tables": found, "doc_id": None}
    raise FileNotFoundError(2, "no tongbao result here (no tongbao.json, no table files)", directory)


def read_table(directory: str, name: str, fmt: str, id_kind: Optional[str]) -> Any:
    """One table of a result directory as a DataFrame with its schema's dtypes."""
    import pandas as pd

    path = os.path.join(directory, name + _EXT[fmt])
    if fmt == "parquet":
        pa, pq = _need_pyarrow()
        source = pq.ParquetFile(path)
        if id_kind is None:
            id_kind = "int64" if pa.types.is_integer(source.schema_arrow.field("doc_id").type) else "string"
        # a slice at a time: Arrow's decoded columns of a large table are not
        # all held beside the DataFrame they become (they cost more than it)
        parts = [frame_from_arrow(name, pa.Table.from_batches([batch]), id_kind)
                 for batch in source.iter_batches(batch_size=READ_ROWS)]
        pa.default_memory_pool().release_unused()
        if not parts:
            return frame_from_arrow(name, source.read(), id_kind)
        return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    if fmt == "csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
        cols = ["doc_id", *schema(name)]
        df = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object) for c in cols})
    if id_kind is None:
        id_kind = "string"
    return coerce_frame(name, df, id_kind)


def iter_columns(directory: str, name: str, fmt: str, columns: Sequence[str],
                 chunk_rows: int = 8192) -> Iterator[Dict[str, List[Any]]]:
    """Some columns of one table of a result directory, ``chunk_rows`` rows at
    a time, as lists of Python values (numbers as floats, missing as None):
    for the corpus-wide passes over a table larger than memory."""
    path = os.path.join(directory, name + _EXT[fmt])
    cols = list(columns)
    if fmt == "parquet":
        pa, pq = _need_pyarrow()
        for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows, columns=cols):
            yield {c: shared_strings(batch.column(c)).tolist()
                   if pa.types.is_string(batch.schema.field(c).type) else batch.column(c).to_pylist() for c in cols}
        return
    import pandas as pd

    if fmt == "csv":
        for df in pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8",
                              usecols=cols, chunksize=chunk_rows):
            yield {c: [None if v is None or v != v else v for v in df[c].tolist()] for c in cols}
        return
    with open(path, encoding="utf-8") as fh:
        chunk: Dict[str, List[Any]] = {c: [] for c in cols}
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            for c in cols:
                chunk[c].append(row.get(c))
            if len(chunk[cols[0]]) >= chunk_rows:
                yield chunk
                chunk = {c: [] for c in cols}
        if chunk[cols[0]]:
            yield chunk


class StreamWriter:
    """Writes the tables of a running extract to ``out``, a row group at a time."""

    def __init__(self, out: "str | os.PathLike[str]", fmt: str, tables: Sequence[str], id_kind: str) -> None:
        self.out = os.fspath(out)
        self.fmt = fmt
        self.tables = tuple(tables)
        self.id_kind = id_kind
        if fmt == "parquet":
            _need_pyarrow()
        os.makedirs(self.out, exist_ok=True)
        stale = os.path.join(self.out, META)
        if os.path.exists(stale):
            os.remove(stale)   # a half-written directory must not read as a whole result
        self.handles: Dict[str, Any] = {}
        self.started: Dict[str, bool] = {}

    def _handle(self, name: str) -> Any:
        h = self.handles.get(name)
        if h is None:
            path = os.path.join(self.out, name + _EXT[self.fmt])
            if self.fmt == "parquet":
                _, pq = _need_pyarrow()
                h = pq.ParquetWriter(path, arrow_schema(name, self.id_kind))
            else:
                h = _open_text(path)
            self.handles[name] = h
        return h

    def flush(self, accs: Dict[str, Accumulator], doc_ids: Any, final: bool = False) -> None:
        """Write what is buffered: at the end, everything; before, the largest
        table whenever all of them hold 2 x FLUSH_ROWS rows together — one
        budget for all tables, so the rows held in memory are bounded
        whatever the mix of tables and the size of the corpus."""
        if final:
            for name, acc in accs.items():
                if acc.n or name not in self.started:
                    self._write(name, acc, doc_ids)
                    acc.clear()
            return
        total = sum(acc.n for acc in accs.values())
        while total >= 2 * FLUSH_ROWS:
            acc = max(accs.values(), key=lambda a: a.n)
            total -= acc.n
            self._write(acc.name, acc, doc_ids)
            acc.clear()

    def _write(self, name: str, acc: Accumulator, doc_ids: Any) -> None:
        h = self._handle(name)
        if self.fmt == "parquet":
            h.write_table(arrow_from_lists(name, acc, doc_ids, self.id_kind))
        else:
            df = frame(name, acc.cols, doc_ids, acc.doc_rows())
            if self.fmt == "csv":
                _write_csv(df, h, header=name not in self.started)
            else:
                _write_jsonl(name, df, h)
        self.started[name] = True

    def close(self) -> str:
        for h in self.handles.values():
            h.close()
        self.handles.clear()
        _write_meta(self.out, self.fmt, self.tables, self.id_kind)
        return self.out

    def abort(self) -> None:
        for h in self.handles.values():
            try:
                h.close()
            except Exception:  # pragma: no cover - already failing
                pass
        self.handles.clear()
