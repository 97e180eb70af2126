"""tongbao on Dask: :func:`extract` of a corpus too large for one machine,
and :func:`analyze`, one table of a Dask collection of texts.

>>> import dask.dataframe as dd, pandas as pd, tongbao.dask
>>> r = tongbao.dask.extract(dd.from_pandas(pd.Series({"a": "8月3日全省新增本土确诊病例35例(商丘市民权县35例)"}), npartitions=1),
...                          ref_date="2022-08-04")
>>> r.metrics.compute()[["doc_id", "metric", "region", "value"]].values.tolist()
[['a', 'confirmed', '河南省', 35.0], ['a', 'confirmed', '民权县', 35.0]]
>>> texts = dd.from_pandas(pd.Series({"d1": "新增3例", "d2": "累计1.6万余人"}), npartitions=2)
>>> tongbao.dask.analyze(texts).compute()[["doc", "text", "value"]].values.tolist()
[['d1', '3例', 3.0], ['d2', '1.6万余人', 16000.0]]

:func:`extract` takes paths, globs and directories (listed in the client,
then split into partitions of files that the workers read) or a Dask
Series or DataFrame column of texts, and returns a :class:`DaskResult`:
the tables of :func:`tongbao.extract`, as Dask DataFrames with the same
columns and dtypes (declared, not inferred by computing a partition).
Words and entries the client added to the default tables before the call
(``tongbao.add_word``, ``load_userdict``, ``add_place`` …) travel with
every task and are replayed once per worker process; each worker maps the
package's lexicon once, on its first task.

:func:`analyze` runs :func:`tongbao.analyze_many` per partition. The C
passes release the GIL, so Dask's default threaded scheduler uses every
core of a machine. It does not carry the client's user words: use
:func:`extract` for that, or make them on the workers (``client.run``).

Needs the ``dask`` extra: ``pip install "tongbao[dask]"``.
"""
from __future__ import annotations

import operator
import os
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from ._many import analyze_many
from ._tables import DEFAULT_TABLES, check_tables, empty_frame

try:
    import dask.dataframe as dd
except ImportError as exc:  # pragma: no cover - exercised only without dask
    raise ImportError('tongbao.dask needs Dask: pip install "tongbao[dask]"') from exc

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._analyze import RefDate
    from ._extract import RefDateArg
    from ._result import Result
    from ._sources import Item
    from ._userstate import UserState

__all__ = ["analyze", "extract", "DaskResult"]

# A file partition: (doc_id, path, error) of each file, error None when listed fine.
FileSpec = Tuple[Any, Optional[str], Optional[str]]


def _extract_items(its: "List[Item]", ref_date: Any, tables: Tuple[str, ...], id_kind: str,
                   state: "Optional[UserState]") -> Dict[str, "pd.DataFrame"]:
    """What :func:`tongbao.extract` does for ``its``, on a worker: the same
    per-document work and table building, one thread, no progress bar."""
    import numpy as np

    from . import _userstate
    from ._extract import _Engine, _Progress, run_items
    from ._tables import Accumulator, frame

    _userstate.apply(state)   # the client's words and entries, once per process
    ids = [it.doc_id if id_kind == "int64" else str(it.doc_id) for it in its]
    doc_ids = np.asarray(ids, dtype=np.int64 if id_kind == "int64" else object)
    engine = _Engine(tables)
    accs = {name: Accumulator(name) for name in tables}
    quiet = _Progress(False, len(its))
    run_items(engine, its, ref_date, accs, quiet, None, doc_ids)
    return {name: frame(name, acc.cols, doc_ids, acc.doc_rows()) for name, acc in accs.items()}


def _reader(path: str) -> "Callable[[], bytes]":
    from ._sources import read_file

    return lambda: read_file(path)


def _file_partition(specs: Sequence[FileSpec], ref_date: Any, tables: Tuple[str, ...],
                    state: "Optional[UserState]") -> Dict[str, "pd.DataFrame"]:
    from ._sources import Item, read_file

    its = [Item(doc_id, path, error=error) if error is not None or path is None
           else Item(doc_id, path, _reader(path)) for doc_id, path, error in specs]
    return _extract_items(its, ref_date, tables, "string", state)


def _text_partition(part: Any, text: str, ref_date: Any, ref_date_col: Optional[str], tables: Tuple[str, ...],
                    id_kind: str, state: "Optional[UserState]") -> Dict[str, "pd.DataFrame"]:
    import pandas as pd

    from ._sources import items

    if isinstance(part, pd.DataFrame):
        texts = part[text]
        if ref_date_col is not None:
            ref_date = dict(zip(part.index.tolist(), part[ref_date_col].tolist()))
    else:
        texts = part
    return _extract_items(items(texts), ref_date, tables, id_kind, state)


class DaskResult(Mapping[str, "dd.DataFrame"]):
    """The tables of :func:`tongbao.dask.extract`: one Dask DataFrame per table
    (``result.metrics``, ``result["metrics"]``), with the columns and dtypes
    of :func:`tongbao.extract`'s. All tables come from the same partition
    tasks: :meth:`compute` computes them together, extracting each
    partition once, into a :class:`tongbao.Result`; computing one table
    alone extracts only what it needs to.
    """

    def __init__(self, tables: Dict[str, "dd.DataFrame"], id_kind: str) -> None:
        self._tables = tables
        self.id_kind = id_kind

    def __getitem__(self, name: str) -> "dd.DataFrame":
        try:
            return self._tables[name]
        except KeyError:
            raise KeyError(f"no table {name!r}: the tables are {', '.join(self._tables)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    @property
    def tables(self) -> Dict[str, "dd.DataFrame"]:
        return dict(self._tables)

    @property
    def documents(self) -> "dd.DataFrame":
        return self["documents"]

    @property
    def metrics(self) -> "dd.DataFrame":
        return self["metrics"]

    @property
    def quantities(self) -> "dd.DataFrame":
        return self["quantities"]

    @property
    def dates(self) -> "dd.DataFrame":
        return self["dates"]

    @property
    def entities(self) -> "dd.DataFrame":
        return self["entities"]

    @property
    def tokens(self) -> "dd.DataFrame":
        return self["tokens"]

    def compute(self, **kwargs: Any) -> "Result":
        """Every table, computed in one pass, as a :class:`tongbao.Result`
        (``kwargs`` go to ``dask.compute``: ``scheduler=`` …)."""
        import dask

        from ._result import Result

        names = list(self._tables)
        frames = dask.compute(*(self._tables[n] for n in names), **kwargs)
        return Result({n: f.reset_index(drop=True) for n, f in zip(names, frames)}, id_kind=self.id_kind)

    def _repr_html_(self) -> str:
        from ._view import result_html

        return result_html(self)

    def __repr__(self) -> str:
        parts = " ".join(f"{n}={df.npartitions}p" for n, df in self._tables.items())
        return f"<tongbao.dask.DaskResult {parts}>"


def _file_specs(sources: Any, pattern: Any) -> List[FileSpec]:
    from ._sources import items

    its = items(sources, pattern)
    specs: List[FileSpec] = []
    for it in its:
        if it.path is None:
            raise TypeError("tongbao.dask.extract reads paths, globs and directories, or a Dask Series of "
                            "texts; for texts in memory use dask.dataframe.from_pandas(pd.Series(texts))")
        specs.append((it.doc_id, it.path, it.error))
    return specs


def extract(sources: Any, ref_date: "RefDateArg" = None, *, tables: Sequence[str] = DEFAULT_TABLES,
            pattern: Any = None, files_per_partition: int = 32, text: str = "text",
            ref_date_col: Optional[str] = None) -> DaskResult:
    """:func:`tongbao.extract` on Dask: the same tables, as Dask DataFrames.

    ``sources`` is a path, glob or directory, or a list of them (listed here,
    in the client: the workers must see the same files, as on a shared file
    system), split into partitions of ``files_per_partition`` files; or a
    Dask Series of texts (its index is the ``doc_id``), or a Dask DataFrame
    whose column ``text`` holds them, with reference dates per document in
    column ``ref_date_col``. ``ref_date`` and ``tables`` are as for
    :func:`tongbao.extract` (a mapping or a callable must pickle, to reach
    the workers); ``pattern`` selects files in directories.

    Nothing is computed here: the result's tables are lazy, their columns
    and dtypes declared from :func:`tongbao.extract`'s schema (``doc_id``
    int64 for an integer index, else string). The client's user words and
    entity entries made before this call are carried to the workers.

    On a cluster, nothing changes but the client::

        from dask.distributed import Client
        client = Client("tcp://scheduler:8786")
        r = tongbao.dask.extract("/data/bulletins/**/*.txt", files_per_partition=64)
        r.metrics.to_parquet("/data/out/metrics")     # or r.compute() for a tongbao.Result
    """
    import dask
    import pandas as pd

    from . import _userstate

    want = check_tables(tables)
    if not isinstance(files_per_partition, int) or isinstance(files_per_partition, bool) or files_per_partition < 1:
        raise ValueError(f"files_per_partition must be a positive int, not {files_per_partition!r}")
    state = _userstate.snapshot()
    run: Any
    if isinstance(sources, (dd.Series, dd.DataFrame)):
        if isinstance(sources, dd.DataFrame):
            for col in (text, ref_date_col):
                if col is not None and col not in sources.columns:
                    raise KeyError(f"no column {col!r} in the Dask DataFrame (columns: {list(sources.columns)})")
            sources = sources[[c for c in (text, ref_date_col) if c is not None]]
        elif ref_date_col is not None:
            raise ValueError("ref_date_col needs a Dask DataFrame; a Series has no columns")
        index_dtype = sources._meta.index.dtype
        id_kind = "int64" if pd.api.types.is_integer_dtype(index_dtype) else "string"
        run = dask.delayed(_text_partition, pure=True)
        parts = [run(p, text, ref_date, ref_date_col, want, id_kind, state) for p in sources.to_delayed()]
    else:
        id_kind = "string"
        specs = _file_specs(sources, pattern)
        run = dask.delayed(_file_partition, pure=True)
        chunks = [specs[i:i + files_per_partition] for i in range(0, len(specs), files_per_partition)] or [[]]
        parts = [run(chunk, ref_date, want, state) for chunk in chunks]
    get = dask.delayed(operator.getitem, pure=True)
    out = {}
    for name in want:
        meta = empty_frame(name, id_kind)
        out[name] = dd.from_delayed([get(p, name) for p in parts], meta=meta, verify_meta=False)
    return DaskResult(out, id_kind)


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
