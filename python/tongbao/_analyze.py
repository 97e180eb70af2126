"""tongbao.analyze: one text in, a :class:`Document` of DataFrames out."""
from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Callable, Dict, Optional, Tuple, Union

from . import _core
from ._document import Columns, Document
from ._text import TextLike, as_text

if TYPE_CHECKING:  # pragma: no cover
    from ._tokenizer import Tokenizer

RefDate = Union[_dt.date, _dt.datetime, str, None]

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_ref_date(ref: RefDate) -> Optional[Tuple[int, int, int, int, int]]:
    """``ref_date`` as (year, month, day, hour, minute), hour/minute -1 when not given.

    Accepts a ``datetime.date``, a ``datetime.datetime`` or an ISO 8601
    string (``2022-08-03``, ``2022-08-03T10:19``, ``2022-08-03 10:19:34``).

    >>> parse_ref_date("2022-08-03")
    (2022, 8, 3, -1, -1)
    >>> parse_ref_date("2022-13-45")
    Traceback (most recent call last):
    ...
    tongbao.InputError: ref_date '2022-13-45' is not a valid date: month must be in 1..12
    """
    if ref is None:
        return None
    if isinstance(ref, _dt.datetime):
        return (ref.year, ref.month, ref.day, ref.hour, ref.minute)
    if isinstance(ref, _dt.date):
        return (ref.year, ref.month, ref.day, -1, -1)
    if not isinstance(ref, str):
        raise TypeError(f"ref_date must be a date, datetime or ISO string, not {type(ref).__name__}")
    m = _ISO.fullmatch(ref.strip())
    if m is None:
        raise _core.InputError(f"ref_date {ref!r} is not an ISO 8601 date (YYYY-MM-DD[THH:MM])")
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    h = int(m[4]) if m[4] is not None else -1
    mi = int(m[5]) if m[5] is not None else -1
    try:
        _dt.datetime(y, mo, d, max(h, 0), max(mi, 0))
    except ValueError as exc:
        raise _core.InputError(f"ref_date {ref!r} is not a valid date: {exc}") from None
    return (y, mo, d, h, mi)


def analyze(tokenizer: "Tokenizer", text: TextLike, ref_date: RefDate = None,
            entities: bool = True, metrics: bool = True) -> Document:
    """Tokens, quantities, dates, entities and metrics of ``text``; see :func:`tongbao.analyze`."""
    s, encoding = as_text(text)
    ref = parse_ref_date(ref_date)
    seg = tokenizer._segmenter()
    from ._entities import _default as _entity_matcher

    matcher = _entity_matcher() if entities or metrics else None
    rules = None
    if metrics:
        from ._metrics import _default as _metric_rules

        rules = _metric_rules()
    # the core's columns as tongbao.extract takes them (numbers packed, the
    # surface strings sliced in C), for this one text, binary or not
    info, cols = seg.extract_batch([s], [ref], [None], matcher, rules, tokens=True, binary_check=False)
    state, found, _counts, _fp, packed = info[0]
    if state == 2:   # the core failed: found is the exception (tongbao.Error, MemoryError)
        raise found
    # found: (year, month, day, hour, minute, source), source the evidence that
    # gave the document's date ("dateline", "title", "signature", "range_end", "reported")
    ref_source = "given" if ref is not None else (found[5] if found is not None else None)
    ref_value = ref if ref is not None else (found[:5] if found is not None else None)

    def tokens() -> Columns:
        assert packed is not None
        words, starts, ends, tags = seg.unpack_tokens(s, packed)
        return {"token": words, "start": starts, "end": ends, "tag": tags}

    tables: Dict[str, Callable[[], Columns]] = {
        "tokens": tokens,
        "quantities": lambda: cols["quantities"],
        "dates": lambda: cols["dates"],
        "entities": lambda: cols["entities"] if entities else {},
        "metrics": lambda: cols.get("metrics", {}),
    }
    ref_day = _dt.date(*ref_value[:3]) if ref_value is not None else None
    return Document(s, tables, ref_date=ref_day, ref_source=ref_source, encoding=encoding)
