"""What :func:`tongbao.extract` reads: ``sources`` turned into a list of items.

An item names one document (its ``doc_id`` and, for a file, its path) and
knows how to fetch its raw content; nothing is read here, so listing a
corpus of any size costs only its file names. A source that cannot give a
document (a path that does not exist, a glob that matches nothing, a
missing value in a Series) still becomes an item, with its error: the
documents table reports it rather than dropping it.

Rules for a ``str`` (a path or a text?): inside a dict or a Series it is
always a text; elsewhere it is a path when it names an existing file or
directory, has glob characters, contains a path separator or ends in a file
extension (``.txt``), and a text otherwise. ``pathlib.Path`` objects are
always paths, ``bytes`` always contents.
"""
from __future__ import annotations

import fnmatch
import glob
import os
import re
import stat
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple, Union

DEFAULT_PATTERN: Tuple[str, ...] = ("*.txt", "*.html", "*.htm")

_EXT = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_GLOB = re.compile(r"[*?\[]")


class Item:
    """One document to read: its id, its path (files only), how to get its
    content (``load``; None for a file: read from ``path``). Kept small: a
    corpus of a million files is a million of these."""

    __slots__ = ("doc_id", "path", "load", "error")

    def __init__(self, doc_id: Any, path: Optional[str] = None,
                 load: Optional[Callable[[], Union[bytes, bytearray, memoryview, str]]] = None, error: Optional[str] = None) -> None:
        self.doc_id = doc_id
        self.path = path
        self.load = load
        self.error = error

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Item({self.doc_id!r}, path={self.path!r}, error={self.error!r})"


def _patterns(pattern: Union[str, Sequence[str], None]) -> Tuple[str, ...]:
    if pattern is None:
        return DEFAULT_PATTERN
    if isinstance(pattern, str):
        return (pattern,)
    pats = tuple(pattern)
    if not all(isinstance(p, str) for p in pats):
        raise TypeError("pattern must be a glob string or a sequence of them")
    return pats


def _matches(name: str, patterns: Tuple[str, ...]) -> bool:
    low = name.lower()   # Windows-made corpora have .TXT files
    return any(fnmatch.fnmatchcase(low, p.lower()) for p in patterns)


def read_file(path: str) -> bytes:
    """The bytes of a regular file; an OSError (with a reason) for anything else.

    A FIFO or a device would block or never end: they are refused before
    being opened, like directories.
    """
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "is a directory", path)
    if not stat.S_ISREG(st.st_mode):
        raise OSError(0, "not a regular file", path)
    with open(path, "rb") as fh:
        return fh.read()


def read_files(paths: List[str], budget: int = 0,
               utf8: bool = False) -> List[Union[bytes, Tuple[str, int], OSError]]:
    """:func:`read_file` of each path, in one call of the core with the GIL
    released; a file that cannot be read gives the OSError :func:`read_file`
    would raise, in its place. With a ``budget`` (bytes), only the first
    files, up to the one that reaches it (at least one). With ``utf8``, a
    file of strict UTF-8 without a byte-order mark comes decoded, as
    ``(text, bytes read)`` (``bytes.decode("utf-8")``'s text, decoded by
    the core without the GIL); any other file as its bytes."""
    from . import _core

    out: List[Union[bytes, Tuple[str, int], OSError]] = []
    for path, got in zip(paths, _core.read_files(paths, budget, utf8)):
        if isinstance(got, bytes) or isinstance(got[0], str):
            out.append(got)
            continue
        err, why = got
        if why == "directory":
            out.append(IsADirectoryError(21, "is a directory", path))
        elif why == "not regular":
            out.append(OSError(0, "not a regular file", path))
        else:
            out.append(OSError(err, os.strerror(err), path))
    return out


def _file_item(path: str) -> Item:
    return Item(path, path)


def _walk(root: str, patterns: Tuple[str, ...]) -> List[Item]:
    """Files under ``root`` matching ``patterns``, in sorted (reproducible) order."""
    out: List[Item] = []
    errors: List[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        dirnames.sort()
        for name in sorted(filenames):
            if _matches(name, patterns):
                out.append(_file_item(os.path.join(dirpath, name)))
    # a sub-directory that cannot be listed hides documents: say so
    for exc in errors:
        where = exc.filename or root
        out.append(Item(where, where, error=f"unreadable directory: {exc.strerror or exc}"))
    return out


def _looks_like_path(s: str) -> bool:
    if "\n" in s or len(s) > 4096:
        return False
    if os.path.exists(s) or os.path.islink(s):
        return True
    return bool(_GLOB.search(s) or "/" in s or os.sep in s or _EXT.search(s))


def _path_items(p: str, patterns: Tuple[str, ...]) -> List[Item]:
    if os.path.isdir(p):
        return _walk(p, patterns)
    if os.path.exists(p) or os.path.islink(p):
        return [_file_item(p)]
    if _GLOB.search(p):
        matched = sorted(glob.glob(p, recursive=True))
        if not matched:
            return [Item(p, p, error="no file matches this pattern")]
        out: List[Item] = []
        for m in matched:
            out.extend(_walk(m, patterns) if os.path.isdir(m) else [_file_item(m)])
        return out
    return [Item(p, p, error="no such file or directory")]


def _const(value: Union[bytes, bytearray, memoryview, str]) -> Callable[[], Union[bytes, bytearray, memoryview, str]]:
    """A loader that gives ``value`` (a document given by value)."""
    return lambda: value


def _text_item(doc_id: Any, value: Any) -> Item:
    """A document given by value (inside a dict, a Series or a list)."""
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return Item(doc_id, None, lambda: value)
    if isinstance(value, os.PathLike):
        return Item(doc_id, os.fspath(value))
    if hasattr(value, "read"):
        return _fileobj_item(doc_id, value)
    if value is None or _is_na(value):
        return Item(doc_id, None, error="missing text")
    return Item(doc_id, None, error=f"not a text: {type(value).__name__}")


def _is_na(value: Any) -> bool:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        return isinstance(value, float) and value != value
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _fileobj_item(doc_id: Any, fh: Any) -> Item:
    name = getattr(fh, "name", None)
    path = name if isinstance(name, str) else None
    return Item(path if path is not None and doc_id is None else doc_id, path, fh.read)


def items(sources: Any, pattern: Union[str, Sequence[str], None] = None) -> List[Item]:
    """The documents of ``sources`` (see :func:`tongbao.extract`), in input order."""
    patterns = _patterns(pattern)
    if hasattr(sources, "columns") and hasattr(sources, "iloc"):
        raise TypeError("sources is a DataFrame: pass its text column (df['text']), a Series")
    if hasattr(sources, "items") and callable(sources.items) and not isinstance(sources, (str, bytes)):
        return [_text_item(k, v) for k, v in sources.items()]          # dict, pandas Series
    if isinstance(sources, (str, bytes, bytearray, memoryview, os.PathLike)) or hasattr(sources, "read"):
        sources = [sources]
    elif not isinstance(sources, Iterable):
        raise TypeError(f"sources must be a path, a glob, texts, files, a dict or a Series, "
                        f"not {type(sources).__name__}")
    out: List[Item] = []
    for pos, src in enumerate(sources):
        if isinstance(src, os.PathLike):
            out.extend(_path_items(os.fspath(src), patterns))
        elif isinstance(src, str):
            out.extend(_path_items(src, patterns) if _looks_like_path(src) else [Item(pos, None, _const(src))])
        elif isinstance(src, (bytes, bytearray, memoryview)):
            out.append(Item(pos, None, _const(src)))
        elif hasattr(src, "read"):
            name = getattr(src, "name", None)
            out.append(_fileobj_item(name if isinstance(name, str) else pos, src))
        else:
            out.append(_text_item(pos, src))
    # the same file named twice (a directory and a file in it) is one document
    seen = set()
    unique: List[Item] = []
    for it in out:
        key = os.path.normpath(it.path) if it.path is not None and it.load is None and it.error is None else None
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        unique.append(it)
    return unique
