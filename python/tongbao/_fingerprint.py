"""Near-duplicate documents: the same bulletin reposted, or paraphrased.

A bulletin travels: the health commission posts it, news portals repost it
inside their own page chrome (来源, 责任编辑, 分享到, 打印, 关闭, a URL), and
content farms run it through a synonym paraphraser. :func:`fingerprint`
hashes what survives a repost — the text without its boilerplate lines,
URLs, white space and punctuation — and :func:`duplicate_of` marks a
document whose fingerprint, or whose non-empty set of metric rows, equals an
earlier document's. The second test catches the paraphrased copy, whose
words differ but whose figures (metric, scope, origin, place, date, value)
do not.

Hashing is BLAKE2b from the standard library (:mod:`hashlib`, 128-bit
digest); normalisation is one pass over the text and the comparison one
dictionary lookup per document, so both are linear in the corpus.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING, Any, Dict, Hashable, Iterable, List, Mapping, Optional, Sequence, Tuple

from . import _core

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

# A line of page chrome: a metadata label with its colon (来源：大河网,
# 责任编辑：王晓, 发布时间：2022-08-06 10:42) or only chrome words (分享到：微信
# 微博, 【打印】【关闭】, 首页 > 要闻 > 正文). Only short lines qualify, so a
# sentence that mentions 关闭 or 来源 keeps its place in the text.
_LABELS = ("来源", "來源", "责任编辑", "責任編輯", "编辑", "編輯", "作者", "记者", "記者", "通讯员",
           "发布时间", "發布時間", "发布日期", "發布日期", "日期", "时间", "時間", "浏览次数", "浏览", "瀏覽",
           "点击数", "点击", "點擊", "阅读次数", "阅读", "閱讀", "字体", "字體", "字号", "分享到", "分享",
           "扫一扫", "掃一掃")
_LABEL_RE = re.compile("(?:" + "|".join(sorted(_LABELS, key=len, reverse=True)) + r")\s*[:：]")
_CHROME_WORDS = re.compile(
    "分享到|分享|打印本页|打印|关闭窗口|关闭|關閉|收藏|返回顶部|返回|首页|首頁|当前位置|當前位置|正文|要闻|"
    "微信|微博|QQ空间|朋友圈|扫一扫|字体|字號|字号|默认|上一篇|下一篇|来源|未知|浏览|"
    # the font-size switch 大 中 小, only as a group: a line 中 alone is text
    r"[大中小](?:[\s\[\]【】|/]*[大中小]){1,2}")
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s\u3000<>\"'，。；]+", re.IGNORECASE)
_STAMP_RE = re.compile(r"\d{2,4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)?")
_SHORT_LINE = 80     # code points: chrome lines are short; a body paragraph rarely is


# Letters and digits (Unicode categories L* and N*) are what re's ``\w``
# matches for str, minus the underscore: ``[^\W_]`` is the class the
# fingerprint keeps, scanned in C by the re engine rather than a Python
# call per character (tests/test_fingerprint.py checks the equality over
# every code point of the running Python).
_LAYOUT = re.compile(r"[\W_]+")
# letters and digits other than decimal digits (those are ``\d``): digits
# like ² (isdigit, category No) are checked one by one, they are rare
_WORDY = re.compile(r"[^\W\d_]")
_URL_START = re.compile(r"https?://|www\.", re.IGNORECASE)   # where _URL_RE can match
# The letters a chrome line or a time stamp can hold (taking the letters of
# the pattern's source: more than needed, e.g. the s of \s, is only slower),
# and the letters that are none of them.
_CHROME_LETTERS = "".join(sorted(set(_WORDY.findall(_CHROME_WORDS.pattern + "年月日"))))
_FOREIGN = re.compile(r"[^\W\d_" + _CHROME_LETTERS + "]")


def _is_boilerplate(line: str) -> bool:
    """True for a line of page chrome around the bulletin's own text."""
    s = line.strip()
    if not s or len(s) > _SHORT_LINE:
        return False
    if _LABEL_RE.search(s):
        return True
    foreign = _FOREIGN.search(s)
    if foreign is not None and not foreign.group().isdigit() and "://" not in s and (
            "." not in s or _URL_START.search(s) is None):
        # without a URL, only stamps and chrome words are removed below, and
        # they are made of digits, layout and the letters of _CHROME_LETTERS:
        # any other letter stays, so the line is text (most lines end here)
        return False
    rest = _STAMP_RE.sub("", _URL_RE.sub("", s))
    rest = _CHROME_WORDS.sub("", rest)
    # what is left is punctuation, symbols, white space and digits: a date
    # line, a chrome line or a bare URL
    return all(c.isdigit() for c in _WORDY.findall(rest))


def _keep(c: str) -> bool:
    """Letters and digits are the text; white space, punctuation and symbols are layout."""
    return unicodedata.category(c)[0] in "LN"


# Full-width ASCII forms (U+FF01-U+FF5E) and the ideographic space: their
# NFKC forms, as one translation table. Bulletins are full of ，（）：１２, and
# CPython's NFKC is many times slower on a line holding one of them than
# str.translate; after the table, most lines are already normalised.
_WIDE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDE[0x3000] = 0x20


def _nfkc(line: str) -> str:
    """NFKC of ``line``: the table's mappings are NFKC's own, so applying them
    first changes nothing but the cost."""
    line = line.translate(_WIDE)
    return line if unicodedata.is_normalized("NFKC", line) else unicodedata.normalize("NFKC", line)


def normalize(text: str) -> str:
    """The text a repost keeps: NFKC (full-width digits and Latin fold to
    ASCII), boilerplate lines and URLs removed, white space, punctuation and
    symbols removed, Latin case-folded.

    The whole text is normalised at once (NFKC never makes, removes or
    composes across a line break, so this is each line's NFKC), the kept
    lines are joined by a line feed (white space: a URL cannot run across
    it) for one URL pass, and one regular-expression pass drops what is not
    a letter or a digit. :func:`normalize_reference` is the same definition
    written a line and a character at a time; the tests hold them equal.

    >>> normalize("通报\\n来源：大河网\\n新增 3 例。\\nhttps://x.cn/a.html\\n【打印】【关闭】")
    '通报新增3例'
    """
    kept = "\n".join([line for line in unicodedata.normalize("NFKC", text).splitlines() if not _is_boilerplate(line)])
    return _LAYOUT.sub("", _URL_RE.sub("", kept)).casefold()


def _is_boilerplate_reference(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > _SHORT_LINE:
        return False
    if _LABEL_RE.search(s):
        return True
    rest = _STAMP_RE.sub("", _URL_RE.sub("", s))
    rest = _CHROME_WORDS.sub("", rest)
    return not any(unicodedata.category(c)[0] in "LN" and not c.isdigit() for c in rest)


def normalize_reference(text: str) -> str:
    """:func:`normalize` as first defined, a line and a character at a time
    (slow; the reference the tests compare the fast one with)."""
    kept = [_URL_RE.sub("", line) for line in map(_nfkc, text.splitlines()) if not _is_boilerplate_reference(line)]
    return "".join(c for c in "".join(kept) if _keep(c)).casefold()


# ---- the C path ---------------------------------------------------------------
# The core computes normalize() for texts made of "simple" code points (see
# csrc/core/tb_fingerprint.h) without the GIL; the table that says which
# they are comes from this Python's own Unicode database, so both paths give
# the same text. Built on first use (about 0.3 s), not at import.
_FP_SIMPLE, _FP_KEEP, _FP_SPACE, _FP_WIDE, _FP_FOREIGN, _FP_ISDIGIT, _FP_ELLIPSIS = 1, 2, 4, 8, 16, 32, 64
_simple_table: Optional[bytes] = None


def _flags(ch: str) -> int:
    """What the core must know of ``ch`` (an NFKC code point)."""
    return ((_FP_KEEP if unicodedata.category(ch)[0] in "LN" else 0) | (_FP_SPACE if ch.isspace() else 0)
            | (_FP_FOREIGN if _FOREIGN.fullmatch(ch) else 0) | (_FP_ISDIGIT if ch.isdigit() else 0))


def simple_table() -> bytes:
    """One flag byte per BMP code point for the core's fingerprint path."""
    global _simple_table
    if _simple_table is not None:
        return _simple_table
    decomposition, combining = unicodedata.decomposition, unicodedata.combining
    # second halves of canonical compositions (and Hangul's vowels and
    # trailing consonants): next to their first half, NFKC composes them
    second = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for c in range(0x110000):
        d = decomposition(chr(c))
        if d and d[0] != "<":
            parts = d.split()
            if len(parts) == 2:
                second.add(int(parts[1], 16))
    table = bytearray(0x10000)
    for c in range(0x10000):
        if 0xD800 <= c <= 0xDFFF or c in second:
            continue
        ch = chr(c)
        if 0xFF01 <= c <= 0xFF5E or c == 0x3000:    # <wide> of one ASCII character
            table[c] = _FP_SIMPLE | _FP_WIDE | _flags(" " if c == 0x3000 else chr(c - 0xFEE0))
            continue
        if c == 0x2026 and unicodedata.normalize("NFKC", ch) == "...":   # …, the Chinese ellipsis is ……
            table[c] = _FP_SIMPLE | _FP_ELLIPSIS
            continue
        if decomposition(ch) or combining(ch):
            continue
        f = _flags(ch)
        if f & _FP_KEEP and ch.casefold() != ch and not "A" <= ch <= "Z":
            continue
        table[c] = _FP_SIMPLE | f
    _simple_table = bytes(table)
    return _simple_table


def normalized_utf8(text: str) -> bytes:
    """``normalize(text)`` as UTF-8: from the core when it can, else from Python."""
    if not text:
        return b""
    table = simple_table()
    found = _core.fingerprint_candidates(text, table, _SHORT_LINE)
    if found is None:      # a code point the core leaves to Python
        return normalize(text).encode("utf-8", "surrogatepass")
    n_lines, candidates = found
    drop = bytearray(n_lines)
    for i, a, b in candidates:
        if _is_boilerplate(_nfkc(text[a:b])):
            drop[i] = 1
    out = _core.fingerprint_normalize(text, table, drop)
    return out if out is not None else normalize(text).encode("utf-8", "surrogatepass")


def fingerprint(text: "str | bytes") -> str:
    """A 32-hex-digit hash of ``text`` after :func:`normalize`: equal for
    copies that differ only in page chrome, white space and punctuation.
    Bytes are decoded as :func:`tongbao.analyze` decodes them (encoding
    detected), so a GB18030 copy of a UTF-8 page has the same fingerprint.

    >>> a = fingerprint("全省新增本土确诊病例3例。\\n责任编辑：李四")
    >>> a == fingerprint("全省新增本土确诊病例3例\\n\\n分享到：微信 微博\\nhttp://www.example.cn/1.html")
    True
    >>> a == fingerprint("全省新增本土确诊病例4例。")
    False
    """
    from ._text import as_text

    text, _ = as_text(text)       # TypeError for anything but str or bytes
    return hashlib.blake2b(normalized_utf8(text), digest_size=16).hexdigest()


def chrome_lines(text: str, candidates: Sequence[Tuple[int, int, int]]) -> Tuple[int, ...]:
    """The lines of ``text`` that are page chrome, among the ``(line, start,
    end)`` candidates the core's scan found (``_core.fingerprint_scan``):
    :func:`_is_boilerplate` decides each one. The core then hashes the
    normalised text without them (``Segmenter.extract_batch``), which is
    :func:`fingerprint` of ``text``."""
    return tuple(i for i, a, b in candidates if _is_boilerplate(_nfkc(text[a:b])))


def fingerprint_reference(text: str) -> str:
    """:func:`fingerprint` by :func:`normalize_reference` (slow; for the tests)."""
    norm = normalize_reference(text).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(norm, digest_size=16).hexdigest()


_EMPTY = fingerprint("")
# ref_source values (tongbao.extract's documents) that name a publication date
_PUBLISHED = frozenset({"given", "dateline", "title", "html"})


def _missing(v: Any) -> bool:
    import pandas as pd

    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def metric_sets(doc_ids: "np.ndarray", row_keys: "np.ndarray") -> Dict[Hashable, Tuple[Any, ...]]:
    """doc_id -> its set of metric rows, as the sorted tuple of the rows'
    keys (integers numbering the distinct (metric, scope, origin, place,
    date, value) of the whole table: equal tuples, equal sets). One sort of
    integers, not a comparison per row."""
    import numpy as np
    import pandas as pd

    if not len(row_keys):
        return {}
    doc_no, docs = pd.factorize(doc_ids)
    width = int(row_keys.max()) + 1
    # by doc, then key; distinct (a sort: NumPy's hashing np.unique is many times slower here)
    pairs = np.sort(doc_no.astype(np.int64) * width + row_keys.astype(np.int64))
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    d, k = pairs // width, (pairs % width).tolist()
    cut = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])
    ends = np.r_[cut[1:], len(pairs)]
    return {docs[d[a]]: tuple(k[a:b]) for a, b in zip(cut.tolist(), ends.tolist())}


METRIC_SET_COLUMNS = ("doc_id", "metric", "scope", "origin", "code", "region", "date", "value")


def metric_digests(chunks: Iterable[Dict[str, List[Any]]], id_kind: str = "string") -> Dict[Hashable, bytes]:
    """doc_id -> a digest (BLAKE2b-128) of its set of metric rows, from the
    metrics table read in chunks of columns (:data:`METRIC_SET_COLUMNS`; a
    document's rows are contiguous, as ``extract`` writes them): the same
    sets as :func:`metric_sets` (a row is its metric, scope, origin, code —
    else the region's name —, date and value), in memory proportional to the
    number of documents, not of rows, for a table read back from disk."""
    out: Dict[Hashable, bytes] = {}
    doc: Any = None
    keys: "set[str]" = set()

    def close() -> None:
        if doc is not None and keys:
            out[doc] = hashlib.blake2b("\n".join(sorted(keys)).encode("utf-8", "surrogatepass"),
                                       digest_size=16).digest()

    for chunk in chunks:
        ids = chunk["doc_id"]
        for i, d in enumerate(ids):
            if id_kind == "int64" and d is not None:
                d = int(d)
            if d != doc:
                close()
                doc, keys = d, set()
            code, region, value = chunk["code"][i], chunk["region"][i], chunk["value"][i]
            place = code if not _missing(code) else "~" + ("" if _missing(region) else str(region))
            v = float(value) if not _missing(value) else float("nan")
            keys.add("\x1f".join(("" if _missing(x) else str(x)) for x in
                                  (chunk["metric"][i], chunk["scope"][i], chunk["origin"][i], place,
                                   chunk["date"][i])) + "\x1f" + repr(v))
    close()
    return out


def _row_keys(metrics: "pd.DataFrame") -> "np.ndarray":
    """The number of each row's (metric, scope, origin, code — else the
    region's name —, date, value) in the whole table."""
    import numpy as np

    place = metrics["code"].astype("object").where(metrics["code"].notna(), "~" + metrics["region"].astype("object").fillna(""))
    cols = [metrics[c] for c in ("metric", "scope", "origin")] + [place] + [metrics["date"], metrics["value"]]
    import pandas as pd

    # object columns given as such: pandas would infer (and convert to) Arrow strings
    frame = pd.DataFrame({str(i): pd.Series(c.to_numpy(object), dtype=object) if i < 5 else c.to_numpy(np.float64)
                          for i, c in enumerate(cols)})
    keys: "np.ndarray" = frame.groupby(list(frame.columns), dropna=False, sort=False).ngroup().to_numpy(np.int64)
    return keys


def duplicate_of(documents: "pd.DataFrame | None", metrics: "pd.DataFrame | None" = None, *,
                 _sets: "Mapping[Hashable, Hashable] | None" = None) -> "pd.Series":
    """For each document, the ``doc_id`` of the earlier document it copies, or missing.

    A document copies another when their ``fingerprint`` (column of
    ``documents``, see :func:`fingerprint`) is equal, or when their sets of
    metric rows (metric, scope, origin, code — the region's name where
    there is none —, date, value: from ``metrics``, keyed by ``doc_id``)
    are equal and not empty. *Earlier*
    is the earlier ``ref_date`` (a document without one comes last), then
    the earlier row of ``documents``; a copy points at the first document of
    its group, never at another copy. With a ``ref_source`` column (as
    ``tongbao.extract`` gives), documents dated by their publication (a
    dateline, the title, the HTML page, a given date) come before those dated
    from what they report or their file name: a copy stripped of its
    dateline is not taken for the original. Without ``documents`` the documents
    are those of ``metrics`` in order of appearance and only the metric test
    applies. Returns a string Series aligned with ``documents`` (or indexed
    by ``doc_id`` when ``documents`` is None), named ``duplicate_of``.

    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...                      "fingerprint": [fingerprint("新增3例"), fingerprint("新增3例。\\n来源：网"), fingerprint("新增4例")]})
    >>> duplicate_of(docs).tolist()
    [<NA>, 'a', <NA>]
    """
    from ._series import no_gc

    with no_gc():
        return _duplicate_of(documents, metrics, _sets)


def _earliest_first(weak: List[bool], refs: Any, sizes: List[int]) -> List[int]:
    """The documents' positions, earliest first: documents dated by their
    publication (given, dateline, title, HTML page) before the others, then
    by reference date (ISO text and datetimes both order as time does),
    missing last, then the shorter text (of two pages of one day, the repost
    is the one wrapped in another site's chrome: navigation, 来源：大河网,
    share links), then by position."""
    import numpy as np
    import pandas as pd

    n = len(sizes)
    if isinstance(refs, pd.Series) and refs.dtype.kind == "M":   # numpy datetime64, no time zone
        # a datetime column (as extract gives): sorted by numpy, without a
        # Python key per document, which on a large corpus cost more than the table
        missing = refs.isna().to_numpy()
        when = np.where(missing, 0, refs.to_numpy().view(np.int64))
        keys = (np.arange(n), np.asarray(sizes, dtype=np.int64), when, missing, np.asarray(weak, dtype=bool))
        order: List[int] = np.lexsort(keys).tolist()   # the last key sorts first
        return order
    values = refs.tolist() if isinstance(refs, pd.Series) else list(refs)
    return sorted(range(n), key=lambda i: (weak[i], _missing(values[i]),
                                           "" if _missing(values[i]) else str(values[i]), sizes[i], i))


def _duplicate_of(documents: "pd.DataFrame | None", metrics: "pd.DataFrame | None",
                  _sets: "Mapping[Hashable, Hashable] | None") -> "pd.Series":
    import pandas as pd

    from ._series import _S

    if metrics is not None:
        from ._series import _as_metrics

        metrics = _as_metrics(metrics)        # InputError without doc_id and the metric columns
    if _sets is not None:
        sets = _sets
    elif metrics is not None and len(metrics):
        sets = metric_sets(metrics["doc_id"].to_numpy(object), _row_keys(metrics))
    else:
        sets = {}
    if documents is None:
        ids: List[Hashable] = (list(dict.fromkeys(metrics["doc_id"].tolist())) if metrics is not None and len(metrics)
                               else list(sets))
        fps: List[Optional[str]] = [None] * len(ids)
        refs: Any = [None] * len(ids)
        index: Any = pd.Index(ids, name="doc_id")
        weak = [False] * len(ids)
        sizes = [0] * len(ids)
    else:
        weak = [False] * len(documents)
        sizes = [0] * len(documents)
        if "doc_id" not in documents.columns:
            raise ValueError("documents needs a doc_id column")
        ids = documents["doc_id"].tolist()
        fps = documents["fingerprint"].tolist() if "fingerprint" in documents.columns else [None] * len(ids)
        if "chars" in documents.columns:
            sizes = [0 if _missing(n) else int(n) for n in documents["chars"].tolist()]
        if "ref_source" in documents.columns:
            # a reference date read from the day reported about or a file name is
            # not a publication date: a copy stripped of its dateline has one
            weak = [_missing(r) or r not in _PUBLISHED for r in documents["ref_source"].tolist()]
        index = documents.index
        refs = documents["ref_date"] if "ref_date" in documents.columns else [None] * len(ids)
    order = _earliest_first(weak, refs, sizes)
    by_fp: Dict[str, Hashable] = {}
    by_set: Dict[Hashable, Hashable] = {}
    out: List[Any] = [pd.NA] * len(ids)
    for i in order:
        doc, fp, facts = ids[i], fps[i], sets.get(ids[i])
        first = None
        if not _missing(fp) and fp != _EMPTY:
            first = by_fp.get(str(fp))
        if first is None and facts:
            first = by_set.get(facts)
        if first is not None and first != doc:
            out[i] = first
        root = doc if first is None or first == doc else first
        # a copy's keys lead to its original too: the repost of a paraphrase
        if not _missing(fp) and fp != _EMPTY:
            by_fp.setdefault(str(fp), root)
        if facts:
            by_set.setdefault(facts, root)
    if all(isinstance(d, str) for d in ids):
        return pd.Series(pd.array(out, dtype=_S()), index=index, name="duplicate_of")
    return pd.Series([None if v is pd.NA else v for v in out], index=index, name="duplicate_of", dtype=object)
