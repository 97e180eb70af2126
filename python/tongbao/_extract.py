"""tongbao.extract: a corpus in, one DataFrame per table out.

Work goes in batches of :data:`BATCH` documents. A worker thread reads and
decodes a batch's files (Python), then hands the texts to the core in one
call (``Segmenter.extract_batch``) that analyses, checks and prepares the
fingerprint of each with the GIL released, and returns each table's
columns over the whole batch: numbers packed in bytes that numpy reads as
they are, strings in one list per column. So the GIL is held for a small
share of the work and ``jobs`` threads keep that many cores busy. At most
:data:`IN_FLIGHT` batches per thread are in flight: texts are read as they
are processed, never all at once, and batches are collected in input
order, so the tables do not depend on ``jobs``. The collecting thread adds
each batch's columns to the tables' :class:`_tables.Accumulator` (one
operation per column, not per row); each table becomes one DataFrame at the
end or, with ``out=``, is written to disk in row groups as it fills.
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
from ._fingerprint import _SHORT_LINE, chrome_lines, fingerprint, simple_table
from ._html import html_to_text, looks_like_html
from ._sources import Item, items as _items, read_file, read_files
from ._tables import DEFAULT_TABLES, Accumulator, check_tables

if TYPE_CHECKING:  # pragma: no cover
    from ._result import Result

BATCH = 16          # documents per task: one call of the core for all (see _CALL_CHARS), few hand-offs
IN_FLIGHT = 2       # tasks per thread submitted and not yet collected: texts are read as they are processed

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
        self.want = want
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
        self.fp_table = simple_table()   # the fingerprint's flags, for the core's share of it
        import pandas as pd

        self.na = pd.NA                   # the missing string, as the tables hold it


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


def _error_row(item: Item, error: str, nbytes: Optional[int] = None, encoding: Optional[str] = None) -> _Out:
    return _Out({"path": item.path, "bytes": nbytes, "encoding": encoding, "error": error}, {})


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"unreadable: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"


class _Ready:
    """A document read, decoded and checked, waiting for the core."""

    __slots__ = ("item", "text", "row", "ref", "fallback", "fallback_source")

    def __init__(self, item: Item, text: str, row: Dict[str, Any], ref: Any, fallback: Any,
                 fallback_source: Optional[str]) -> None:
        self.item = item
        self.text = text
        self.row = row
        self.ref = ref                          # the given reference, as the core takes it, or None
        self.fallback = fallback                # the page's or the path's date, for a text without its own
        self.fallback_source = fallback_source  # "html" or "path"


def _prepare(item: Item, ref_date: RefDateArg, content: Any = None) -> "Union[_Out, _Ready]":
    """Read and decode one document; any failure becomes its error row, never
    an exception. ``content``: the file's bytes, or the OSError reading it
    gave, or ``(text, bytes)`` when the core decoded it as UTF-8, when the
    batch read it already (:func:`_sources.read_files`)."""
    if item.error is not None:
        return _error_row(item, item.error)
    if isinstance(content, OSError):
        return _error_row(item, _describe(content))
    decoded = isinstance(content, tuple)   # (text, bytes): the core decoded it, no decoder below
    try:
        if decoded:
            raw, nbytes = content
        elif content is not None:
            raw = content
        elif item.load is not None:
            raw = item.load()
        elif item.path is not None:
            raw = read_file(item.path)
        else:  # pragma: no cover - an item without content carries an error
            return _error_row(item, "no content")
    except Exception as exc:   # OSError, or a file object's own failure
        return _error_row(item, _describe(exc))
    encoding = None
    if decoded:
        text, encoding = raw, "UTF-8"
    elif isinstance(raw, str):
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
    html_date = None
    if (item.path is not None and item.path.lower().endswith((".html", ".htm"))) or looks_like_html(text):
        # (the core checks every other text for binary data; a page is
        # checked before its markup goes)
        if _is_binary(text):
            return _error_row(item, _BINARY, nbytes, encoding)
        try:
            html_date = date_from_html(text)
            text = html_to_text(text)
        except Exception as exc:  # pragma: no cover - HTMLParser is lenient
            return _error_row(item, f"unreadable HTML: {exc}", nbytes, encoding)
    if not text or text.isspace():   # (no copy of the text, unlike strip())
        if _is_binary(text):   # control characters that are white space (U+001C..001F)
            return _error_row(item, _BINARY, nbytes, encoding)
        return _error_row(item, "empty: no text", nbytes, encoding)
    row: Dict[str, Any] = {"path": item.path, "bytes": nbytes, "chars": len(text), "encoding": encoding}
    try:
        given = _ref_for(ref_date, item)
        ref = None if _is_missing(given) else parse_ref_date(given)
    except Exception as exc:
        return _error_row(item, f"bad ref_date: {exc}", nbytes, encoding)
    fallback: Optional[_dt.date] = None
    source: Optional[str] = None
    if ref is None:
        # for a text that states no date: the page's metadata, then the
        # file's name and folders (the core uses it only then)
        fallback, source = html_date, "html"
        if fallback is None and item.path is not None:
            fallback, source = date_from_path(item.path), "path"
    day = None if fallback is None else (fallback.year, fallback.month, fallback.day, -1, -1)
    return _Ready(item, text, row, ref, day, source if day is not None else None)


_BINARY = "binary: control characters, not text"
_CALL_CHARS = 1 << 20   # code points per call of the core: a batch's memory stays bounded
READ_BUDGET = 1 << 23   # bytes of files read ahead in a batch (one file at least, whatever its size)


class _Batch:
    """What a batch of documents gives: their documents rows, in order, and
    per table the core's columns over all of them (:meth:`Accumulator.add_batch`)."""

    __slots__ = ("rows", "tables")

    def __init__(self, n: int) -> None:
        self.rows: List[Dict[str, Any]] = [{} for _ in range(n)]
        # table -> [(positions in the batch, row counts, columns), ...]
        self.tables: Dict[str, List[Tuple[List[int], List[int], Dict[str, Any]]]] = {}


def _process_batch(engine: _Engine, batch: Sequence[Item], ref_date: RefDateArg) -> _Batch:
    """A batch of documents, start to end: read and decode each (Python),
    then the core over groups of them with the GIL released."""
    out = _Batch(len(batch))
    group: List[_Ready] = []
    where: List[int] = []
    chars = 0
    # the batch's files, read by the core without the GIL, READ_BUDGET bytes at a time
    unread = [(k, it.path) for k, it in enumerate(batch) if it.error is None and it.load is None and it.path]
    contents: Dict[int, Any] = {}
    for k, it in enumerate(batch):
        if unread and unread[0][0] == k:   # the next file to read: it and those after it, to the budget
            got = read_files([path for _, path in unread], READ_BUDGET, utf8=True)
            contents.update(zip((j for j, _ in unread), got))
            del unread[:len(got)]
        r = _prepare(it, ref_date, contents.pop(k, None))   # (the bytes go once decoded)
        if isinstance(r, _Out):
            out.rows[k] = r.row
            continue
        if group and chars + len(r.text) > _CALL_CHARS:
            _analyse(engine, group, where, out)
            group, where, chars = [], [], 0
        group.append(r)
        where.append(k)
        chars += len(r.text)
    if group:
        _analyse(engine, group, where, out)
    return out


def process(engine: _Engine, item: Item, ref_date: RefDateArg) -> _Batch:
    """One document, start to end (a batch of one)."""
    return _process_batch(engine, [item], ref_date)


def _analyse(engine: _Engine, docs: List[_Ready], where: List[int], out: _Batch) -> None:
    """The core over ``docs`` (batch positions ``where``): their rows into ``out``."""
    seg = engine.seg
    texts = [d.text for d in docs]
    # the fingerprint: the core finds the lines that may be page chrome, the
    # rules of _fingerprint decide them, the core hashes the rest
    drops = [None if c is None else chrome_lines(t, c)
             for t, c in zip(texts, _core.fingerprint_scan(texts, engine.fp_table, _SHORT_LINE))]
    info, cols = seg.extract_batch(texts, [d.ref for d in docs], [d.fallback for d in docs], engine.matcher,
                                   engine.rules, engine.fp_table, drops, engine.na, engine.want_tokens)
    counts: List[List[int]] = [[], [], [], []]
    tokens: List[Tuple[int, Dict[str, Any], int]] = []
    for pos, d, (state, found, n, fp, packed) in zip(where, docs, info):
        row = d.row
        if state:   # 1: binary data; 2: the core failed on it (found is its exception)
            err = _BINARY if state == 1 else f"analysis failed: {_describe(found)}"
            out.rows[pos] = _error_row(d.item, err, row["bytes"], row["encoding"]).row
            for c in counts:
                c.append(0)
            continue
        assert n is not None   # (analysed: counts are given)
        source: Optional[str]
        if d.ref is not None:
            source, day = "given", d.ref
        elif found is not None:
            source, day = found[5], found
        else:
            source, day = d.fallback_source, d.fallback
        row["ref_date"] = _dt.date(*day[:3]) if day is not None else None
        row["ref_source"] = source
        row["n_quantities"], row["n_dates"] = n[0], n[1]
        if engine.matcher is not None:
            row["n_entities"] = n[2]
        if engine.rules is not None:
            row["n_metrics"] = n[3]
        for c, v in zip(counts, n):
            c.append(v)
        if packed is not None:
            words, starts, ends, tags = seg.unpack_tokens(d.text, packed)
            tokens.append((pos, {"token": words, "start": starts, "end": ends, "tag": tags}, len(words)))
            row["n_tokens"] = len(words)
        row["fingerprint"] = fingerprint(d.text) if fp is None else fp
        out.rows[pos] = row
    for k, name in enumerate(("quantities", "dates", "entities", "metrics")):
        if name in cols and name in engine.want:
            out.tables.setdefault(name, []).append((where, counts[k], cols[name]))
    for pos, tcols, nt in tokens:
        out.tables.setdefault("tokens", []).append(([pos], [nt], tcols))


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
                run_items(engine, its, ref_date, accs, bar, writer, doc_ids)
            else:
                with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="tongbao-extract") as pool:
                    pending: "collections.deque[Any]" = collections.deque()
                    starts = range(0, len(its), BATCH)
                    nxt = 0
                    for _ in starts:
                        while nxt < len(starts) and len(pending) < IN_FLIGHT * jobs:
                            a = starts[nxt]
                            pending.append((a, pool.submit(_process_batch, engine, its[a:a + BATCH], ref_date)))
                            nxt += 1
                        a, fut = pending.popleft()
                        _collect(accs, a, fut.result(), bar, writer, doc_ids)
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


def run_items(engine: _Engine, its: Sequence[Item], ref_date: RefDateArg, accs: Dict[str, Accumulator],
              bar: _Progress, writer: Any, doc_ids: Any) -> None:
    """Every item in this thread, a batch at a time (jobs=1, and a Dask partition)."""
    for a in range(0, len(its), BATCH):
        _collect(accs, a, _process_batch(engine, its[a:a + BATCH], ref_date), bar, writer, doc_ids)


def _collect(accs: Dict[str, Accumulator], ix: int, res: _Batch, bar: _Progress, writer: Any, doc_ids: Any) -> None:
    """A batch's rows (its first document is number ``ix`` of the run) into the tables."""
    accs["documents"].add_rows(ix, res.rows)
    for row in res.rows:
        bar.update(row.get("bytes"))
    for name, parts in res.tables.items():
        acc = accs.get(name)
        if acc is None:
            continue
        for where, counts, cols in parts:
            if name == "tokens":   # one document's lists, from unpack_tokens (None: no tag)
                acc.add(ix + where[0], cols, counts[0])
            else:
                acc.add_batch([ix + p for p in where], counts, cols)
    if writer is not None:
        writer.flush(accs, doc_ids)
    else:   # (in memory: the tables' pieces joined as they grow, not all at the end)
        for acc in accs.values():
            acc.compact()
