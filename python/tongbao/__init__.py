"""tongbao (通报): Chinese government bulletins into data.

A C tokenizer with jieba's API — switching is one import:

>>> import tongbao as jieba
>>> jieba.lcut("全省新增本土无症状感染者12例")
['全省', '新增', '本土', '无症状感染者', '12', '例']

Module-level functions use a default :class:`Tokenizer`, created on first
use; build your own for an isolated user dictionary. :func:`tokens` gives a
pandas DataFrame.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _core, _pandas_hook
from ._core import DecodeError, DictionaryError, Error, IcuError, InputError, LexiconError, RuleError
from ._document import Document
from ._entities import EntityTable, add_entity, add_org, add_person, add_place, entity_table
from ._many import analyze_many
from ._metrics import load_metric_rules, metric_rules_source
from ._text import decode
from ._tokenizer import Tokenizer

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._extract import extract as extract
    from ._result import Result as Result
    from ._result import read_result as read_result

    from ._analyze import RefDate
    from ._text import TextLike

__version__ = "0.1.0"
ICU_VERSION: str = _core.ICU_VERSION

dt = Tokenizer()
"""The default tokenizer behind the module-level functions (as ``jieba.dt``)."""

initialize = dt.initialize
cut = dt.cut
lcut = dt.lcut
cut_for_search = dt.cut_for_search
lcut_for_search = dt.lcut_for_search
tokenize = dt.tokenize
add_word = dt.add_word
del_word = dt.del_word
suggest_freq = dt.suggest_freq
load_userdict = dt.load_userdict
get_FREQ = dt.get_FREQ

# Series.tongbao, as soon as pandas is (or gets) imported; never imports it
_pandas_hook.install()


def tokens(text: "TextLike", mode: str = "default", HMM: bool = True) -> "pd.DataFrame":
    """Tokens as a pandas DataFrame: ``token``, ``start``, ``end``, ``tag``.

    Offsets are code points of ``text`` (after decoding, for bytes; the
    detected encoding is in ``df.attrs["encoding"]``). ``tag`` is the
    dictionary's part-of-speech tag, ``m`` for numbers, ``eng`` for Latin,
    ``x`` for punctuation and spaces, missing for unknown words.

    >>> tokens("密接12人")[["token", "start", "end"]].values.tolist()
    [['密接', 0, 2], ['12', 2, 4], ['人', 4, 5]]
    """
    from ._frame import tokens_frame

    return tokens_frame(dt, text, mode, HMM)


def analyze(text: "TextLike", ref_date: "RefDate" = None, entities: bool = True,
            metrics: "bool | None" = None) -> Document:
    """Everything tongbao extracts from one bulletin, as a :class:`Document`.

    ``text`` is a ``str`` or ``bytes`` (encoding detected). Year-less and
    relative dates (``3月27日``, ``昨日``) resolve against ``ref_date`` (a
    ``datetime.date``, ``datetime.datetime`` or ISO string); without it,
    against a dateline found in the text (``日期:2021-08-12``); without
    either, unknown parts stay unknown (``XXXX-03-27``).

    The C passes run here, in one call with the GIL released; the
    DataFrames (``doc.tokens``, ``doc.quantities``, ``doc.dates``,
    ``doc.entities``, ``doc.metrics``) are built on first access.
    ``entities=False`` skips the entity and metric passes (about a quarter
    of the time) and leaves ``doc.entities`` and ``doc.metrics`` empty;
    ``metrics`` (default: as ``entities``) turns the metric pass on or off
    on its own (it reads the places, so the entity pass runs for it).

    >>> doc = analyze("8月3日全省新增本土确诊病例35例(商丘市民权县35例)", ref_date="2022-08-04")
    >>> doc.quantities[["text", "value", "unit"]].values.tolist()
    [['35例', 35.0, '例'], ['35例', 35.0, '例']]
    >>> doc.dates["value"].tolist()
    ['2022-08-03']
    >>> doc.entities[["text", "code"]].values.tolist()
    [['商丘市', '411400'], ['民权县', '411421']]
    >>> doc.metrics[["metric", "scope", "origin", "region", "code", "date", "value"]].values.tolist()
    [['confirmed', 'new', 'local', '河南省', '410000', '2022-08-03', 35.0], ['confirmed', 'new', 'local', '民权县', '411421', '2022-08-03', 35.0]]
    """
    from ._analyze import analyze as _analyze

    return _analyze(dt, text, ref_date, entities, entities if metrics is None else metrics)


def series(metrics: "pd.DataFrame", documents: "pd.DataFrame | None" = None, *, metric: Any = None,
           scope: Any = None, origin: Any = None, region: Any = None, level: Any = None,
           rollup: "str | None" = None) -> "pd.DataFrame":
    """One row per fact across many documents' metric rows (a region, metric,
    scope, origin and date), the same fact from several documents merged,
    copies counted once, disagreements flagged in ``conflict`` with every
    value in ``values``. ``level`` filters by province/city/county;
    ``rollup="city"`` sums counties where a city's own figure is missing.
    See :func:`tongbao._series.series` and ``docs/series.md``.

    >>> m = analyze_many({"a": "8月3日0—24时，河南省新增本土确诊病例5例"}, table="metrics", ref_date="2022-08-04")
    >>> series(m)[["region", "level", "metric", "date", "value", "n_sources"]].values.tolist()
    [['河南省', 'province', 'confirmed', '2022-08-03', 5.0, 1]]
    """
    from ._series import series as _series

    return _series(metrics, documents, metric=metric, scope=scope, origin=origin, region=region, level=level,
                   rollup=rollup)


def checks(metrics: "pd.DataFrame", documents: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """Every inconsistency in many documents' metric rows: ``breakdown``,
    ``origin_split``, ``flow``, ``hierarchy``, ``source_conflict``, ``gap``,
    each with the rows involved and the expected and stated values. See
    :func:`tongbao._checks.checks` and ``docs/series.md``.

    >>> m = analyze_many({"a": "8月3日全省新增本土确诊病例5例（郑州市金水区3例、二七区1例）"},
    ...                  table="metrics", ref_date="2022-08-04")
    >>> checks(m)[["kind", "expected", "stated"]].values.tolist()
    [['breakdown', 4.0, 5.0]]
    """
    from ._checks import checks as _checks

    return _checks(metrics, documents)


def fingerprint(text: str) -> str:
    """A hash (BLAKE2b, 32 hex digits) of ``text`` without its page chrome
    (来源, 责任编辑, 分享到, 打印, 关闭 lines, URLs), white space and
    punctuation: equal for a bulletin and its reposts.

    >>> fingerprint("新增3例。\\n来源：大河网") == fingerprint("新增 3 例")
    True
    """
    from ._fingerprint import fingerprint as _fingerprint

    return _fingerprint(text)


def duplicate_of(documents: "pd.DataFrame | None", metrics: "pd.DataFrame | None" = None) -> "pd.Series":
    """For each document, the ``doc_id`` of the earlier one it copies (equal
    :func:`fingerprint`, or the same non-empty set of metric rows), else
    missing. See :func:`tongbao._fingerprint.duplicate_of`."""
    from ._fingerprint import duplicate_of as _duplicate_of

    return _duplicate_of(documents, metrics)


# The corpus layer (extract, Result, read_result) is loaded on first use:
# it needs threads, logging, hashing and an HTML parser, which would
# double the start-up of ``import tongbao`` for a user who only tokenizes.
_LAZY = {"extract": "._extract", "Result": "._result", "read_result": "._result"}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tongbao' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value   # later lookups skip this hook
    return value


def __dir__() -> "list[str]":
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Tokenizer", "dt", "initialize", "cut", "lcut", "cut_for_search", "lcut_for_search", "tokenize",
    "add_word", "del_word", "suggest_freq", "load_userdict", "get_FREQ", "tokens", "decode",
    "analyze", "analyze_many", "Document", "extract", "Result", "read_result", "series", "checks", "fingerprint",
    "duplicate_of", "load_metric_rules", "metric_rules_source", "add_entity", "add_place", "add_person", "add_org",
    "entity_table", "EntityTable",
    "Error", "InputError", "DecodeError", "DictionaryError", "LexiconError", "IcuError", "RuleError",
    "ICU_VERSION", "__version__",
]
