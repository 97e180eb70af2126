"""The Result of :func:`tongbao.extract`: one DataFrame per table."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, Mapping, Optional, Union

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

Table = Union["pd.DataFrame", Callable[[], "pd.DataFrame"]]


class Result(Mapping[str, "pd.DataFrame"]):
    """The tables of a corpus: ``documents``, ``metrics``, ``quantities``,
    ``dates``, ``entities`` (and ``tokens`` when asked for), each a pandas
    DataFrame whose first column is ``doc_id``.

    ``result.metrics`` and ``result["metrics"]`` are the same table;
    ``result.tables`` is the dict of all of them. A Result read from disk
    (:func:`tongbao.read_result`, or ``extract(..., out=dir)``) loads each
    table on first access. ``doc_id`` is an int64 column when every
    document's id is an integer (positions in a list, an integer index),
    else a string column.
    """

    def __init__(self, tables: Mapping[str, Table], id_kind: str = "string",
                 directory: Optional[str] = None) -> None:
        self._tables: Dict[str, Table] = dict(tables)
        self.id_kind = id_kind
        self.directory = directory
        self._format: Optional[str] = None   # of the files in ``directory``
        """The directory the tables are read from (None when built in memory)."""

    @classmethod
    def read(cls, directory: "str | os.PathLike[str]") -> "Result":
        from ._writers import read_meta, read_table

        directory = os.fspath(directory)
        meta = read_meta(directory)
        fmt, id_kind = meta["format"], meta.get("doc_id")

        def loader(name: str) -> Callable[[], "pd.DataFrame"]:
            return lambda: read_table(directory, name, fmt, id_kind)

        res = cls({name: loader(name) for name in meta["tables"]}, id_kind or "string", directory)
        res._format = fmt
        if id_kind is None and "documents" in meta["tables"]:
            import pandas as pd

            res.id_kind = "int64" if pd.api.types.is_integer_dtype(res["documents"]["doc_id"].dtype) else "string"
        return res

    # -- Mapping ------------------------------------------------------------
    def __getitem__(self, name: str) -> "pd.DataFrame":
        try:
            t = self._tables[name]
        except KeyError:
            from ._tables import TABLES

            if name in TABLES:
                raise KeyError(f"table {name!r} was not extracted: pass tables=(..., {name!r}) "
                               f"to tongbao.extract") from None
            raise KeyError(f"no table {name!r}: the tables are {', '.join(self._tables)}") from None
        if callable(t):
            t = t()
            self._tables[name] = t
        if name == "documents" and "duplicate_of" not in t.columns and "fingerprint" in t.columns:
            t = self._with_duplicates(t)
        return t

    def _with_duplicates(self, docs: "pd.DataFrame") -> "pd.DataFrame":
        """``documents`` with its ``duplicate_of`` column, derived when first
        asked for (not stored: it depends on the whole corpus, so files
        written and read back derive the same values)."""
        import pandas as pd

        from ._fingerprint import METRIC_SET_COLUMNS, duplicate_of, metric_digests

        held = self._tables.get("metrics")
        if callable(held) and self.directory is not None and self._format is not None:
            # a table on disk (a streamed run, read_result): its metric-row
            # sets are read in chunks, never the whole table at once
            from ._writers import iter_columns

            chunks = iter_columns(self.directory, "metrics", self._format, METRIC_SET_COLUMNS)
            dup = duplicate_of(docs, None, _sets=metric_digests(chunks, self.id_kind))
        else:
            dup = duplicate_of(docs, self["metrics"] if held is not None else None)
        docs = docs.copy(deep=False)
        # the dtype of doc_id: strings, or nullable integers for positional ids
        values = pd.array(dup.tolist(), dtype=docs["doc_id"].dtype if self.id_kind == "string" else "Int64")
        docs.insert(list(docs.columns).index("fingerprint") + 1, "duplicate_of", values)
        self._tables["documents"] = docs
        return docs

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    @property
    def tables(self) -> Dict[str, "pd.DataFrame"]:
        """Every table, name -> DataFrame (read from disk now, if lazily held)."""
        return {name: self[name] for name in self._tables}

    @property
    def documents(self) -> "pd.DataFrame":
        """One row per document, read or not: ``doc_id, path, bytes, chars,
        encoding, ref_date, ref_source, n_metrics, n_quantities, n_dates,
        n_entities, n_tokens, fingerprint, duplicate_of, error`` (see
        docs/extract.md; ``duplicate_of`` is derived from the whole corpus:
        :meth:`duplicate_of`)."""
        return self["documents"]

    @property
    def metrics(self) -> "pd.DataFrame":
        return self["metrics"]

    @property
    def quantities(self) -> "pd.DataFrame":
        return self["quantities"]

    @property
    def dates(self) -> "pd.DataFrame":
        return self["dates"]

    @property
    def entities(self) -> "pd.DataFrame":
        return self["entities"]

    @property
    def tokens(self) -> "pd.DataFrame":
        return self["tokens"]

    @property
    def errors(self) -> "pd.DataFrame":
        """The rows of ``documents`` that could not be read, with their ``error``."""
        d = self.documents
        return d[d["error"].notna()]

    # -- across documents ----------------------------------------------------
    def duplicate_of(self) -> "pd.Series":
        """For each row of ``documents``, the ``doc_id`` of the earlier document
        it copies (same fingerprint, or the same non-empty set of metric
        rows), else missing: :func:`tongbao.duplicate_of`."""
        return self.documents["duplicate_of"]

    def series(self, **filters: Any) -> "pd.DataFrame":
        """One row per fact of the corpus, copies counted once:
        :func:`tongbao.series` over ``metrics`` and ``documents``, with its
        filters (``metric``, ``scope``, ``origin``, ``region``, ``level``)
        and ``rollup``. See docs/series.md."""
        from ._series import series

        return series(self.metrics, self.documents, **filters)

    def checks(self) -> "pd.DataFrame":
        """Every contradiction in the corpus (breakdown, origin_split, flow,
        hierarchy, source_conflict, gap): :func:`tongbao.checks` over
        ``metrics`` and ``documents``. See docs/series.md."""
        from ._checks import checks

        return checks(self.metrics, self.documents)

    # -- writing --------------------------------------------------------------
    def to_parquet(self, directory: "str | os.PathLike[str]") -> str:
        """Write one Parquet file per table (and ``tongbao.json``) into ``directory``; returns it."""
        from ._writers import write_result

        return write_result(self, directory, "parquet")

    def to_csv(self, directory: "str | os.PathLike[str]") -> str:
        """Write one CSV file per table (UTF-8, a header line) into ``directory``."""
        from ._writers import write_result

        return write_result(self, directory, "csv")

    def to_jsonl(self, directory: "str | os.PathLike[str]") -> str:
        """Write one JSON-lines file per table (one object per row) into ``directory``."""
        from ._writers import write_result

        return write_result(self, directory, "jsonl")

    def equals(self, other: "Result") -> bool:
        """The same tables, with the same values and dtypes."""
        if not isinstance(other, Result) or list(self) != list(other):
            return False
        return all(self[n].equals(other[n]) and list(self[n].dtypes) == list(other[n].dtypes) for n in self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Result) and self.equals(other)

    __hash__ = None  # type: ignore[assignment]

    def summary(self) -> str:
        """A few lines: documents read, rows per table, documents not read and why."""
        d = self.documents
        bad = d[d["error"].notna()]
        lines = [f"documents: {len(d) - len(bad)} read, {len(bad)} not read"]
        for name in self._tables:
            if name != "documents":
                lines.append(f"{name}: {len(self[name])} rows")
        if len(bad):
            reasons = bad["error"].astype(object).map(lambda e: str(e).split(":")[0])
            counts = reasons.value_counts()
            lines.append("not read: " + ", ".join(f"{n} {r}" for r, n in counts.items()))
            for doc_id, err in zip(bad["doc_id"].tolist()[:20], bad["error"].tolist()[:20]):
                lines.append(f"  {doc_id}: {err}")
            if len(bad) > 20:
                lines.append(f"  … and {len(bad) - 20} more (result.errors)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The Jupyter view: documents, rows per table and errors
        (tongbao._view), then the checks (their count by kind and the first
        rows), computed from ``metrics`` when it was extracted."""
        import html

        from ._view import result_html

        parts = [result_html(self)]
        if "metrics" in self._tables:
            c = self.checks()
            if len(c):
                counts = ", ".join(f"{k} {n}" for k, n in c["kind"].value_counts(sort=False).items())
                parts.append(f"<p><b>checks: {len(c)}</b> ({html.escape(counts)})</p>")
                shown = c[["kind", "region", "date", "expected", "stated", "message"]].head(20)
                parts.append(shown.to_html(index=False, na_rep=""))
                if len(c) > 20:
                    parts.append(f"<p>… and {len(c) - 20} more: <code>result.checks()</code></p>")
            else:
                parts.append("<p><b>checks: 0</b> (no contradiction between the figures)</p>")
        return "\n".join(parts)

    def __repr__(self) -> str:
        where = f" from {self.directory}" if self.directory else ""
        parts = []
        for name, t in self._tables.items():
            parts.append(f"{name}={len(t)}" if not callable(t) else f"{name}=…")
        return f"<tongbao.Result{where} {' '.join(parts)}>"


def read_result(directory: "str | os.PathLike[str]") -> Result:
    """The Result written to ``directory`` by ``Result.to_parquet``/``to_csv``/``to_jsonl``
    or by ``extract(..., out=directory)``, with the dtypes it had. Tables are
    read on first access.
    """
    return Result.read(directory)
