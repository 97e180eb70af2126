"""Persons, places and organisations: the ``entities`` table of :func:`tongbao.analyze`.

The C recogniser (``_core.EntityMatcher``) is created on first use over the
package's compiled lexicon. Entries added with :func:`add_entity` (or
:func:`add_place`, :func:`add_person`, :func:`add_org`) apply to every later
call, in any thread.

The process's entity table is the package's gazetteer and name lists plus
those additions; :func:`entity_table` gives a picklable snapshot of it (the
additions only: the package data is referred to, not copied), which
:meth:`EntityTable.apply` makes the table of another process, as
:mod:`tongbao.dask` does on its workers.
"""
from __future__ import annotations

import re
import threading
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import _core

_LABELS = {"person": 0, "place": 1, "org": 2}
_CODE = re.compile(r"\d{6}")
_lock = threading.Lock()
_matcher: Optional[_core.EntityMatcher] = None
# (text, label, code, parent_code, level) of every add_entity, in order
_additions: List[Tuple[str, str, Optional[str], Optional[str], Optional[str]]] = []


def _default() -> _core.EntityMatcher:
    global _matcher
    m = _matcher
    if m is None:
        with _lock:
            if _matcher is None:
                # Share the default tokenizer's lexicon and folding tables:
                # analyze() runs both passes over the same memory.
                from . import dt

                _matcher = _core.EntityMatcher(dt._segmenter())
            m = _matcher
    return m


def entity_columns(text: str) -> Dict[str, List[Any]]:
    """Entities of ``text`` as equal-length lists: ``text, start, end, label,
    code, parent_code, level, name`` (one row per mention, in text order).

    >>> cols = entity_columns("省长王凯到鄭州市调研")
    >>> list(zip(cols["text"], cols["label"], cols["code"]))
    [('王凯', 'person', None), ('鄭州市', 'place', '410100')]
    """
    cols = _default().columns(text)
    cols["text"] = [text[s:e] for s, e in zip(cols["start"], cols["end"])]
    return cols


def _code(value: Any, what: str) -> int:
    if value is None:
        return 0
    s = str(value)
    if not _CODE.fullmatch(s) or s == "000000":
        raise _core.InputError(f"{what} must be a six-digit division code, not {value!r}")
    return int(s)


def add_entity(text: str, label: str, **attrs: Any) -> None:
    """Make ``text`` an entity of ``label`` (``person``, ``place``, ``org``)
    from now on. Places take ``code``, ``parent_code`` and ``level``: a known
    code makes ``text`` another name of that division.

    >>> add_entity("航空港区", "place", code="410100")
    >>> entity_columns("航空港区")["code"]
    ['410100']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if not text.strip():
        raise _core.InputError("an entity needs a non-empty text")
    if label not in _LABELS:
        raise _core.InputError(f"label must be one of {sorted(_LABELS)}, not {label!r}")
    extra = set(attrs) - ({"code", "parent_code", "level"} if label == "place" else set())
    if extra:
        raise TypeError(f"unexpected attributes for {label}: {', '.join(sorted(extra))}")
    level = attrs.get("level")
    if level is not None and not isinstance(level, str):
        raise TypeError("level must be a str")
    code, parent = attrs.get("code"), attrs.get("parent_code")
    matcher = _default()
    with _lock:
        matcher.add(text, _LABELS[label], _code(code, "code"), _code(parent, "parent_code"), level)
        _additions.append((text, label, None if code is None else str(code),
                           None if parent is None else str(parent), level))


def add_place(name: str, code: Optional[str] = None, parent_code: Optional[str] = None,
              level: Optional[str] = None) -> None:
    """Add a place (see :func:`add_entity`)."""
    add_entity(name, "place", code=code, parent_code=parent_code, level=level)


def add_person(name: str) -> None:
    """Add a person's name: every mention of it is found from now on."""
    add_entity(name, "person")


def add_org(name: str) -> None:
    """Add an organisation's name."""
    add_entity(name, "org")


Entry = Tuple[str, str, Optional[str], Optional[str], Optional[str]]


class EntityTable:
    """A snapshot of the process's entity table: the package's data (by
    reference) plus the user's additions, in order. Pickles as the additions
    alone; :meth:`apply` adds to this process's table the ones it lacks.

    >>> import pickle
    >>> add_place("羊山新区", code="411500")
    >>> table = pickle.loads(pickle.dumps(entity_table()))
    >>> ("羊山新区", "place", "411500", None, None) in table.entries
    True
    """

    def __init__(self, entries: Sequence[Entry] = ()) -> None:
        self.entries: List[Entry] = [tuple(e) for e in entries]  # type: ignore[misc]

    def __reduce__(self) -> Tuple[Any, Tuple[List[Entry]]]:
        return (EntityTable, (list(self.entries),))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EntityTable) and self.entries == other.entries

    def __repr__(self) -> str:
        return f"<tongbao.EntityTable package data + {len(self.entries)} additions>"

    def apply(self) -> int:
        """Add the entries this process does not have yet (an entry already
        added, here or by an earlier apply, is not added twice); returns how
        many were added."""
        with _lock:
            have = set(_additions)
        n = 0
        for text, label, code, parent, level in self.entries:
            if (text, label, code, parent, level) in have:
                continue
            attrs: Dict[str, Any] = {"code": code, "parent_code": parent, "level": level} if label == "place" else {}
            add_entity(text, label, **attrs)
            have.add((text, label, code, parent, level))
            n += 1
        return n


def entity_table() -> EntityTable:
    """The process's entity table as a picklable :class:`EntityTable`."""
    with _lock:
        return EntityTable(list(dict.fromkeys(_additions)))   # an entry added twice is one entry
