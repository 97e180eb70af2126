"""The user's changes to the process-wide tables, carried to other processes.

:func:`tongbao.analyze` reads the default tokenizer (``tongbao.dt``) and the
process's entity table; words and entries a user adds in a notebook
(``tongbao.add_word``, ``tongbao.load_userdict``, ``tongbao.add_place`` …)
exist only in that process. :func:`snapshot` captures them as a small
picklable :class:`UserState` (the changes, never the lexicon: workers load
the package's own data); :func:`apply` replays on a worker what it has not
replayed yet, so a task that carries the state costs one set comparison
after the first.
"""
from __future__ import annotations

import os
import threading
from typing import Dict, List, Optional, Tuple

from ._entities import EntityTable, entity_table

_lock = threading.Lock()
_session: Optional[str] = None
# per client session: how many of its word changes this process has replayed
_replayed: Dict[str, int] = {}


def _own_session() -> str:
    global _session
    if _session is None:
        _session = os.urandom(8).hex()
    return _session


class UserState:
    """The default tokenizer's changes and the entity table's additions of one process."""

    def __init__(self, session: str, words: List[Tuple[str, int, Optional[str]]], entities: EntityTable) -> None:
        self.session = session
        self.words = words
        self.entities = entities

    def __repr__(self) -> str:
        return f"<tongbao.UserState {len(self.words)} word changes, {len(self.entities.entries)} entity additions>"


def snapshot() -> UserState:
    """This process's user changes, picklable."""
    from . import dt

    return UserState(_own_session(), list(dt._words), entity_table())


def apply(state: Optional[UserState]) -> None:
    """Make this process's tables include ``state``'s changes (a no-op in the
    process that took the snapshot, and for changes already replayed)."""
    if state is None or state.session == _own_session():
        return
    from . import dt

    with _lock:
        done = _replayed.get(state.session, 0)
        for word, freq, tag in state.words[done:]:
            dt.add_word(word, freq, tag)
        _replayed[state.session] = max(done, len(state.words))
        state.entities.apply()
