"""tongbao.extract: a corpus in, one DataFrame per table out.

The work of one document (read, decode, analyse in C, slice the surface
strings) runs in a worker thread; the C passes and file reads release the
GIL, so ``jobs`` threads keep that many cores busy. At most a few
documents per thread are in flight (:data:`WINDOW`): texts are read as they
are processed, never all at once, and results are collected in input
order, so the tables do not depend on ``jobs``. The main thread appends
each document's columns to one list per column (:class:`_tables.Accumulator`),
and each table becomes one DataFrame at the end, or, with ``out=``, is
written to disk in row groups as it fills.
"""
from __future__ import annotations

import collections
import contextlib
import datetime as _dt
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from ._analyze import parse_ref_date
from ._docdate import date_from_html, date_from_path
from ._fingerprint import fingerprint
from ._html import html_to_text, looks_like_html
from ._metrics import metric_columns
from ._sources import Item, items as _items, read_file
from ._tables import DEFAULT_TABLES, Accumulator, check_tables

if TYPE_CHECKING:  # pragma: no cover
    from ._result import Result

WINDOW = 8          # documents in flight per thread (read, not yet collected)
BATCH = 4           # documents per task: fewer hand-offs between the workers and the collecting thread

RefDateArg = Union[None, _dt.date, str, Mapping[Any, Any], Callable[[Any, Optional[str]], Any]]

# Share of C0 control characters (other than tab, line feeds, form feed) above
# which decoded "text" is taken for binary data that happened to decode.
_BINARY_SHARE = 0.01
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _is_binary(text: str) -> bool:
    """NUL, or more than 1% control characters: data, not a bulletin."""
    if _CONTROL.search(text) is None:   # one fast scan; bulletins have none
        return False
    return "\x00" in text or len(_CONTROL.findall(text)) > len(text) * _BINARY_SHARE


class _Engine:
    """The C objects one run shares between its threads (all thread-safe)."""

    def __init__(self, want: Tuple[str, ...]) -> None:
        from . import dt

        self.seg = dt._segmenter()
        self.want_entities = "entities" in want
        self.want_metrics = "metrics" in want
        self.want_tokens = "tokens" in want
        self.matcher = None
        self.rules = None
        if self.want_entities or self.want_metrics:
            from ._entities import _default as _entity_matcher

            self.matcher = _entity_matcher()
        if self.want_metrics:
            from ._metrics import _default as _metric_rules

            self.rules = _metric_rules()


class _Out:
    """What one document gives: its documents row and its rows of every table."""

    __slots__ = ("row", "tables")

    def __init__(self, row: Dict[str, Any], tables: Dict[str, Tuple[Dict[str, Any], int]]) -> None:
        self.row = row
        self.tables = tables


def _ref_for(ref_date: RefDateArg, item: Item) -> Any:
    if ref_date is None:
        return None
    if callable(ref_date) and not isinstance(ref_date, (str, _dt.date)):
        return ref_date(item.doc_id, item.path)
    if hasattr(ref_date, "get") and not isinstance(ref_date, (str, bytes)):
        v = ref_date.get(item.doc_id)
        if v is None and item.path is not None:
            v = ref_date.get(item.path)
        return v
    return ref_date


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, (str, _dt.date)):
        return False
    try:
        import pandas as pd

        return bool(pd.isna(v))
    except (ImportError, TypeError, ValueError):
        return False


# Byte-order marks: such input goes to the core's decoder, which strips them
# (UTF-32BE's starts with NUL bytes, valid UTF-8 that is not the text).
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def _decode(raw: bytes) -> Tuple[str, str]:
    """``tongbao.decode(raw)``, with Python's own UTF-8 decoder first.

    The core's order is BOM, then valid UTF-8, then ICU's detector: valid
    UTF-8 without a BOM decodes to the same text either way, in half the
    time this way (the core validates, copies, then builds the same str).
    """
    if not raw.startswith(_BOMS):
        try:
            return raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
    return _core.decode(raw)


def _with_text(text: str, cols: Dict[str, Any]) -> Dict[str, Any]:
    cols["text"] = [text[s:e] for s, e in zip(cols["start"], cols["end"])]
    return cols


def _error_row(item: Item, error: str, nbytes: Optional[int] = None, encoding: Optional[str] = None) -> _Out:
    return _Out({"path": item.path, "bytes": nbytes, "encoding": encoding, "error": error}, {})


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"unreadable: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"


def process(engine: _Engine, item: Item, ref_date: RefDateArg) -> _Out:
    """One document, start to end; any failure becomes its error, never an exception."""
    if item.error is not None:
        return _error_row(item, item.error)
    try:
        if item.load is not None:
            raw = item.load()
        elif item.path is not None:   # a file: read here, in the worker thread
            raw = read_file(item.path)
        else:  # pragma: no cover - an item without content carries an error
            return _error_row(item, "no content")
    except Exception as exc:   # OSError, or a file object's own failure
        return _error_row(item, _describe(exc))
    encoding = None
    if isinstance(raw, str):
        text = raw
        nbytes = len(raw.encode("utf-8", "surrogatepass"))
    elif isinstance(raw, (bytes, bytearray, memoryview)):
        if not isinstance(raw, bytes):
            raw = bytes(raw)
        nbytes = len(raw)
        if nbytes == 0:
            return _error_row(item, "empty", 0)
        try:
            text, encoding = _decode(raw)
        except _core.DecodeError as exc:
            return _error_row(item, f"undecodable: {exc}", nbytes)
        except Exception as exc:
            return _error_row(item, _describe(exc), nbytes)
    else:
        return _error_row(item, f"not a text: {type(raw).__name__}")
    del raw
    if _is_binary(text):
        return _error_row(item, "binary: control characters, not text", nbytes, encoding)
    html_date = None
    if (item.path is not None and item.path.lower().endswith((".html", ".htm"))) or looks_like_html(text):
        try:
            html_date = date_from_html(text)
            text = html_to_text(text)
        except Exception as exc:  # pragma: no cover - HTMLParser is lenient
            return _error_row(item, f"unreadable HTML: {exc}", nbytes, encoding)
    if not text or text.isspace():   # (no copy of the text, unlike strip())
        return _error_row(item, "empty: no text", nbytes, encoding)
    row: Dict[str, Any] = {"path": item.path, "bytes": nbytes, "chars": len(text), "encoding": encoding}
    try:
        given = _ref_for(ref_date, item)
        ref = None if _is_missing(given) else parse_ref_date(given)
    except Exception as exc:
        return _error_row(item, f"bad ref_date: {exc}", nbytes, encoding)
    try:
        return _analyse(engine, text, ref, html_date, item, row)
    except Exception as exc:   # tongbao.Error from the core: one document lost, said so
        return _error_row(item, f"analysis failed: {_describe(exc)}", nbytes, encoding)


def _process_batch(engine: _Engine, batch: Sequence[Item], ref_date: RefDateArg) -> List[_Out]:
    return [process(engine, it, ref_date) for it in batch]


def _analyse(engine: _Engine, text: str, ref: Any, html_date: Optional[_dt.date], item: Item,
             row: Dict[str, Any]) -> _Out:
    seg = engine.seg
    packed, qty, dates, found, ents, mets = seg.analyze(text, ref, engine.matcher, engine.rules)
    source: Optional[str]
    day: Any
    if ref is not None:
        source, day = "given", ref
    elif found is not None:
        source, day = found[5], found
    else:
        # the text states no date: the page's metadata, then the file's name
        # and folders; with one of them the passes run again against it
        fallback: Optional[_dt.date] = html_date
        source = "html" if html_date is not None else None
        if fallback is None and item.path is not None:
            fallback = date_from_path(item.path)
            source = "path" if fallback is not None else None
        day = None
        if fallback is not None:
            day = (fallback.year, fallback.month, fallback.day, -1, -1)
            packed, qty, dates, found, ents, mets = seg.analyze(text, day, engine.matcher, engine.rules)
    row["ref_date"] = _dt.date(*day[:3]) if day is not None else None
    row["ref_source"] = source
    tables: Dict[str, Tuple[Dict[str, Any], int]] = {}
    nq, nd = len(qty["start"]), len(dates["start"])
    tables["quantities"] = (_with_text(text, qty), nq)
    tables["dates"] = (_with_text(text, dates), nd)
    row["n_quantities"], row["n_dates"] = nq, nd
    if ents is not None:
        ne = len(ents["start"])
        row["n_entities"] = ne
        if engine.want_entities:
            tables["entities"] = (_with_text(text, ents), ne)
    if mets is not None:
        nm = len(mets["start"])
        row["n_metrics"] = nm
        tables["metrics"] = (metric_columns(text, mets), nm)
    if engine.want_tokens:
        words, starts, ends, tags = seg.unpack_tokens(text, packed)
        tables["tokens"] = ({"token": words, "start": starts, "end": ends, "tag": tags}, len(words))
        row["n_tokens"] = len(words)
    row["fingerprint"] = fingerprint(text)
    return _Out(row, tables)


def _default_progress() -> bool:
    """On when someone is watching: a terminal on stderr, or a notebook."""
    try:
        if sys.stderr is not None and sys.stderr.isatty():
            return True
    except (AttributeError, ValueError):
        pass
    shell = sys.modules.get("IPython")
    if shell is not None:
        try:
            ip = shell.get_ipython()
            return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"
        except Exception:  # pragma: no cover
            return False
    return False


class _Progress:
    """A tqdm bar of documents, with MB read and the MB/s rate as postfix."""

    def __init__(self, enabled: Any, total: int) -> None:
        self.bar = None
        self.nbytes = 0
        auto = enabled is None
        if auto:
            enabled = _default_progress()
        if not enabled:
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:
            if not auto:
                raise ImportError("progress=True needs tqdm: pip install 'tongbao[extract]'") from None
            return
        # delay: an automatic bar shows only on runs longer than a second
        self.bar = tqdm(total=total, unit="doc", desc="tongbao extract", delay=1.0 if auto else 0,
                        leave=True,
                        dynamic_ncols=True, file=sys.stderr)

    def update(self, nbytes: Optional[int]) -> None:
        if self.bar is None:
            return
        self.nbytes += nbytes or 0
        self.bar.update(1)
        elapsed = self.bar.format_dict.get("elapsed") or 0.0
        mb = self.nbytes / 1e6
        rate = f", {mb / elapsed:.1f} MB/s" if elapsed > 0 else ""
        self.bar.set_postfix_str(f"{mb:.1f} MB{rate}", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _id_kind(its: List[Item]) -> str:
    """``int64`` when every doc_id is an int (positions, an integer index), else ``string``."""
    import numbers

    if its and all(isinstance(it.doc_id, numbers.Integral) and not isinstance(it.doc_id, bool) for it in its):
        return "int64"
    return "string"


def extract(sources: Any, ref_date: RefDateArg = None, *, tables: Sequence[str] = DEFAULT_TABLES,
            jobs: Optional[int] = None, progress: Any = None, pattern: Any = None,
            out: "str | os.PathLike[str] | None" = None, format: str = "parquet") -> "Result":
    """Every table of a corpus, as a :class:`tongbao.Result` of DataFrames.

    ``sources`` is a path, a glob (``"corpus/**/*.txt"``), a directory (read
    recursively: ``*.txt``, ``*.html``, ``*.htm`` unless ``pattern`` says
    otherwise), an open binary file, a ``str`` or ``bytes`` text, a list of
    any of these, a dict ``{doc_id: text}`` or a pandas Series (its index is
    the ``doc_id``). Bytes are decoded as :func:`tongbao.analyze` does (the
    encoding detected); an HTML page is reduced to its visible text.

    ``ref_date`` — one date for every document, a mapping ``doc_id -> date``
    or a callable ``(doc_id, path) -> date`` (None: no date given) — is the
    day year-less and relative dates resolve against. Without it, each
    document's own date (dateline, title, …), else its HTML metadata date,
    else the date in its file name or folders (``ref_source``: ``given``,
    ``dateline`` …, ``html``, ``path``).

    ``tables``: which of ``documents`` (always), ``metrics``, ``quantities``,
    ``dates``, ``entities``, ``tokens``. The ``documents`` table has one row
    per document, read or not: a file that cannot be read, decoded, or holds
    no text (empty, binary) has its reason in ``error`` and no other rows.

    ``jobs`` threads (default: the machine's cores) share the work; the
    result is the same for any ``jobs``, in input order. ``progress``: a
    tqdm bar (default: when stderr is a terminal or in a notebook).
    ``out``: a directory to write the tables to while they are built
    (``format`` ``parquet``, ``csv`` or ``jsonl``), for corpora larger than
    memory; the Result then reads them from there on first access.

    >>> import tongbao
    >>> r = tongbao.extract({"a": "8月3日全省新增本土确诊病例35例(商丘市民权县35例)", "b": b""},
    ...                     ref_date="2022-08-04", progress=False)
    >>> r.metrics[["doc_id", "metric", "region", "date", "value"]].values.tolist()
    [['a', 'confirmed', '河南省', '2022-08-03', 35.0], ['a', 'confirmed', '民权县', '2022-08-03', 35.0]]
    >>> r.documents[["doc_id", "n_metrics", "error"]].astype(object).values.tolist()
    [['a', 2, <NA>], ['b', <NA>, 'empty']]
    """
    import numpy as np

    from ._result import Result
    from ._series import no_gc
    from ._writers import FORMATS, StreamWriter

    want = check_tables(tables)
    if jobs is None:
        jobs = os.cpu_count() or 1
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ValueError(f"jobs must be a positive int, not {jobs!r}")
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    if ref_date is not None and (isinstance(ref_date, (str, _dt.date))):
        parse_ref_date(ref_date)   # one bad date for all documents is a usage error: raise now
    its = _items(sources, pattern)
    id_kind = _id_kind(its)
    doc_ids: Any = np.empty(len(its), dtype=np.int64 if id_kind == "int64" else object)
    for k, it in enumerate(its):
        doc_ids[k] = it.doc_id if id_kind == "int64" else str(it.doc_id)
    engine = _Engine(want)
    accs = {name: Accumulator(name) for name in want}
    writer = StreamWriter(out, format, want, id_kind) if out is not None else None
    bar = _Progress(progress, len(its))
    # In memory, the run allocates millions of small objects (a list item
    # per row and column) and creates no reference cycles: the cyclic
    # collector, which each burst of allocations would set off to walk every
    # object alive, is paused (a tenth of the run's time). A streaming run
    # keeps it, as memory must stay flat there.
    with no_gc() if writer is None else contextlib.nullcontext():
        try:
            if jobs == 1:
                for ix, it in enumerate(its):
                    _collect(accs, ix, process(engine, it, ref_date), bar, writer, doc_ids)
            else:
                with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="tongbao-extract") as pool:
                    pending: "collections.deque[Any]" = collections.deque()
                    starts = range(0, len(its), BATCH)
                    nxt = 0
                    limit = max(jobs, jobs * WINDOW // BATCH)
                    for _ in starts:
                        while nxt < len(starts) and len(pending) < limit:
                            a = starts[nxt]
                            pending.append((a, pool.submit(_process_batch, engine, its[a:a + BATCH], ref_date)))
                            nxt += 1
                        a, fut = pending.popleft()
                        for k, res in enumerate(fut.result()):
                            _collect(accs, a + k, res, bar, writer, doc_ids)
            if writer is not None:
                writer.flush(accs, doc_ids, final=True)
                return Result.read(writer.close())
        except BaseException:
            if writer is not None:
                writer.abort()
            raise
        finally:
            bar.close()
        from ._tables import frame

        frames = {name: frame(name, acc.cols, doc_ids, acc.doc_rows()) for name, acc in accs.items()}
        return Result(frames, id_kind=id_kind)


def _collect(accs: Dict[str, Accumulator], ix: int, res: _Out, bar: _Progress, writer: Any, doc_ids: Any) -> None:
    accs["documents"].add_row(ix, res.row)
    for name, (cols, n) in res.tables.items():
        acc = accs.get(name)
        if acc is not None:
            acc.add(ix, cols, n)
    bar.update(res.row.get("bytes"))
    if writer is not None:
        writer.flush(accs, doc_ids)
