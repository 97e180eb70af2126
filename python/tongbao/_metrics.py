"""Epidemic metrics: the ``metrics`` table of :func:`tongbao.analyze`.

The phrasings live in the rule table ``lexicon/metrics.rules``, compiled into
the C core; the default :class:`_core.MetricRules` is compiled (PCRE2, JIT)
on first use and then shared by every thread. The conventions of the table
are those of ``shared/gold/GUIDE.md`` and ``csrc/core/tb_metric.h``.
"""
from __future__ import annotations

import os
import threading
from typing import Optional

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


def load_metric_rules(source: "str | os.PathLike[str] | None") -> None:
    """Replace the metric rule table of this process (every later
    :func:`tongbao.analyze`, in any thread) by the one in file ``source``
    (UTF-8, the format of the shipped ``lexicon/metrics.rules``, which is
    the place to start from: ``tongbao.metric_rules_source()``), or restore
    the shipped table with ``None``. A bad line raises
    :class:`tongbao.RuleError` naming the file and line, and the table in
    use stays as it was.

    >>> import tongbao
    >>> src = tongbao.metric_rules_source().replace("word MN close_contact     密切接触者",
    ...                                             "word MN close_contact     密切接触对象|密切接触者")
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "my.rules")
    >>> _ = open(path, "w", encoding="utf-8").write(src)
    >>> tongbao.load_metric_rules(path)
    >>> tongbao.analyze("全市累计追踪密切接触对象120人").metrics["metric"].tolist()
    ['close_contact']
    >>> tongbao.load_metric_rules(None)
    """
    global _rules
    if source is None:
        new = _core.MetricRules()
    else:
        path = os.fspath(source)
        with open(path, encoding="utf-8") as fh:
            new = _core.MetricRules(fh.read(), name=path)
    with _lock:
        _rules = new


def metric_rules_source() -> str:
    """The text of the shipped metric rule table (``lexicon/metrics.rules``)."""
    return _core.default_metric_rules()
