"""Epidemic metrics: the ``metrics`` table of :func:`tongbao.analyze`.

The phrasings live in the rule table ``lexicon/metrics.rules``, compiled into
the C core; the default :class:`_core.MetricRules` is compiled (PCRE2, JIT)
on first use and then shared by every thread. The conventions of the table
are those of ``shared/gold/GUIDE.md`` and ``csrc/core/tb_metric.h``.
"""
from __future__ import annotations

import threading
from typing import Any, Dict, List, Optional

from . import _core

_lock = threading.Lock()
_rules: Optional[_core.MetricRules] = None


def _default() -> _core.MetricRules:
    """The shipped rule table, compiled once per process."""
    global _rules
    r = _rules
    if r is None:
        with _lock:
            if _rules is None:
                _rules = _core.MetricRules()
            r = _rules
    return r


def metric_columns(text: str, cols: Dict[str, List[Any]]) -> Dict[str, List[Any]]:
    """The C columns of a metric scan as the ``metrics`` table's columns.

    ``region`` is the place as the text writes it (金水區 stays traditional)
    or, for 全省/全市 and the document's own area, the division's name;
    ``date`` is the as-of date when its year is known, else missing, with
    what is known in ``date_text`` (``XXXX-06-12``); ``text`` is the evidence.
    """
    starts, ends = cols["start"], cols["end"]
    rs, re_, names = cols["region_start"], cols["region_end"], cols["region_name"]
    dates = cols["date"]
    return {
        "metric": cols["metric"],
        "scope": cols["scope"],
        "origin": cols["origin"],
        "region": [text[a:b] if b > a else n for a, b, n in zip(rs, re_, names)],
        "code": cols["code"],
        "date": [d if d is not None and "X" not in d else None for d in dates],
        "date_text": dates,
        "value": cols["value"],
        "approx": cols["approx"],
        "text": [text[a:b] for a, b in zip(starts, ends)],
        "start": starts,
        "end": ends,
        "rule": cols["rule"],
        "consistent": cols["consistent"],
        "part": cols["part"],
    }
