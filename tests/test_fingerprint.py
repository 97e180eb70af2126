"""The fast fingerprint normalisations equal the reference definition.

``normalize_reference`` is the definition written a line and a character
at a time; ``normalize`` does it on the whole text with a few regular
expression passes; ``normalized_utf8`` (what ``fingerprint`` hashes) runs
the core's GIL-free path for texts of "simple" code points and
``normalize`` otherwise. All must give the same text, hence the same
fingerprint, for bulletins and for arbitrary text (line breaks of every
kind, combining marks, full-width forms, ellipses, chrome lines, URLs).
"""
import sys
import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tongbao
from tongbao import _fingerprint as F


def test_layout_class_is_letters_and_digits_on_every_code_point():
    """``[^\\W_]`` (re) must be Unicode categories L* and N* in this Python."""
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    kept = F._LAYOUT.sub("", everything)
    assert kept == "".join(c for c in everything if unicodedata.category(c)[0] in "LN")


def test_equal_on_the_corpora(shared_dir):
    files = sorted(shared_dir.glob("corpus/**/*.txt")) + sorted(shared_dir.glob("corpus/**/*.html"))
    assert files
    for f in files:
        text, _ = tongbao.decode(f.read_bytes())
        ref = F.normalize_reference(text)
        assert F.normalize(text) == ref, f
        assert F.normalized_utf8(text) == ref.encode("utf-8"), f
        assert F.fingerprint(text) == F.fingerprint_reference(text), f


def test_equal_on_the_sample_corpus():
    from importlib import resources

    root = resources.files("tongbao") / "_data" / "corpus"
    n = 0
    for entry in root.iterdir():
        if entry.is_file():
            text, _ = tongbao.decode(entry.read_bytes())
            assert F.normalize(text) == F.normalize_reference(text), entry.name
            assert F.fingerprint(text) == F.fingerprint_reference(text), entry.name
            n += 1
    assert n


_PIECES = st.sampled_from([
    "\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", " ", "\u3000", "\t",
    "来源：大河网", "責任編輯:王", "分享到：微信 微博", "【打印】【关闭】", "大 中 小", "中", "首页 > 要闻 > 正文",
    "http://www.example.cn/a.html", "WWW.Hnwjw.GOV.cn/x", "https://x.cn/通报", "2022-08-06 10:42", "2022年8月6日",
    "新增本土确诊病例３５例", "（郑州市）", "ＡＢＣ", "①", "²", "٣", "e\u0301", "\u0301", "ﬁ", "㎡", "ǅ", "ß", "İ",
    "QQ空间", "QQ", "未知", "。", "，", "_", "x" * 85,
])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30))
def test_equal_on_generated_text(parts):
    text = "".join(parts)
    ref = F.normalize_reference(text)
    assert F.normalize(text) == ref
    assert F.normalized_utf8(text) == ref.encode("utf-8", "surrogatepass")


# mostly code points the core takes itself: ASCII, CJK, full-width forms, the ellipsis
_SIMPLE_TEXT = st.lists(st.one_of(
    st.sampled_from(["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "来源：大河网", "分享到：微信 微博",
                     "【打印】【关闭】", "大 中 小", "中", "首页 > 要闻 > 正文", "http://www.example.cn/a.html",
                     "2022-08-06 10:42", "2022年8月6日", "新增本土确诊病例３５例", "（郑州市）", "ＡＢＣ", "QQ空间", "x" * 85]),
    st.text(alphabet="abcXYZ019 :./_-<>\"'\n\r\t…\u3000：，。；大中小年月日٣", max_size=12),
    st.sampled_from(["www.", "http://", "HTTPS://", "Ｗｗｗ．", "ｈｔｔｐ：／／", "新增", "来源", "责任", "编辑", "分享到", "٣"]),
), max_size=40)


@settings(max_examples=500, deadline=None)
@given(_SIMPLE_TEXT)
def test_core_path_equal_on_generated_text(parts):
    text = "".join(parts)
    assert F._core.fingerprint_candidates(text, F.simple_table(), F._SHORT_LINE) is not None
    assert F.normalized_utf8(text) == F.normalize_reference(text).encode("utf-8")


def test_core_path_takes_bulletin_text():
    text = "全省新增本土确诊病例３５例（郑州市２例）……\n来源：大河网\nhttp://www.x.cn/a.html\n【打印】"
    assert F._core.fingerprint_candidates(text, F.simple_table(), F._SHORT_LINE) is not None
    assert F.normalized_utf8(text) == "全省新增本土确诊病例35例郑州市2例".encode()


def test_core_path_on_every_simple_code_point():
    """Each code point the table calls simple, in short and long lines, between letters and URLs."""
    table = F.simple_table()
    simple = [chr(c) for c in range(0x10000) if table[c] & 1]
    assert len(simple) > 40000
    for width in (7, 79, 200):
        lines = ["a" + "".join(simple[k:k + width]) + "www.b" for k in range(0, len(simple), width)]
        text = "\n".join(lines)
        assert F._core.fingerprint_candidates(text, table, F._SHORT_LINE) is not None
        assert F.normalized_utf8(text) == F.normalize_reference(text).encode("utf-8"), width


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_equal_on_any_text(text):
    assert F.normalize(text) == F.normalize_reference(text)


# ---- the extract path: the core normalises every line once, Python drops the chrome lines

def _extract_fingerprint(text):
    """The fingerprint tongbao.extract gives ``text``: the core's scan for
    chrome lines, Python's rules on them, the core's hash of the rest."""
    from tongbao import _extract

    e = _extract._Engine(("documents",))
    scan, = F._core.fingerprint_scan([text], e.fp_table, F._SHORT_LINE)
    drops = [None if scan is None else F.chrome_lines(text, scan)]
    (state, _found, _n, fp, _packed), = e.seg.extract_batch([text], [None], [None], None, None, e.fp_table,
                                                           drops, e.na)[0]
    assert state == 0 and (fp is None) == (scan is None)
    return F.fingerprint(text) if fp is None else fp


def test_scan_finds_the_candidates_of_the_core_path():
    """fingerprint_scan (one pass) gives fingerprint_candidates' lines, and None where that gives None."""
    table = F.simple_table()
    texts = ["新增3例\n来源：大河网\n\n  分享到：微信  \r\n" + "x" * 85, "文\u0301字", "", "\n\n", "www.a.cn\n" * 3]
    for text, scan in zip(texts, F._core.fingerprint_scan(texts, table, F._SHORT_LINE)):
        old = F._core.fingerprint_candidates(text, table, F._SHORT_LINE)
        assert (scan is None) == (old is None)
        assert scan is None or list(scan) == old[1]


def test_core_blake2b_is_hashlibs():
    """The core's BLAKE2b (a text of ASCII letters: its normalised UTF-8 is itself, lower-cased)."""
    import hashlib

    for n in (1, 127, 128, 129, 256, 1000, 4097):
        text = "".join("abcdefghij"[k % 10] for k in range(n))
        assert _extract_fingerprint(text) == hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@settings(max_examples=400, deadline=None)
@given(_SIMPLE_TEXT)
def test_extract_path_equal_on_generated_text(parts):
    from tongbao._extract import _is_binary

    text = "".join(parts) + "文" * 5   # (not all white space: extract would call it empty)
    assume(not _is_binary(text))       # (binary data is not fingerprinted)
    assert _extract_fingerprint(text) == F.fingerprint(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30))
def test_extract_path_equal_on_any_pieces(parts):
    from tongbao._extract import _is_binary

    text = "".join(parts) + "文"
    assume(not _is_binary(text))
    assert _extract_fingerprint(text) == F.fingerprint(text)


def test_extract_path_drops_chrome_lines_between_text():
    text = "新增本土确诊病例3例。\n来源：大河网\n郑州市2例\n分享到：微信 微博\nhttp://www.x.cn/1.html\n商丘市1例"
    assert _extract_fingerprint(text) == F.fingerprint(text) == F.fingerprint("新增本土确诊病例3例郑州市2例商丘市1例")


_DAYS = st.one_of(st.none(), st.dates(min_value=__import__("datetime").date(1990, 1, 1),
                                      max_value=__import__("datetime").date(2040, 12, 31)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), _DAYS, st.integers(0, 5)), max_size=40))
def test_earliest_first_on_datetimes_is_the_order_of_iso_text(docs):
    """duplicate_of's order by numpy (a datetime64 ref_date column, as
    extract gives) equals its order by Python keys (ISO text, as a CSV
    read as text gives): publication-dated first, then day, missing last,
    then the shorter text, then position; ties included (sizes 0-5)."""
    import pandas as pd

    weak = [w for w, _, _ in docs]
    sizes = [n for _, _, n in docs]
    days = [d for _, d, _ in docs]
    as_datetimes = pd.Series(pd.to_datetime(pd.Series(days, dtype=object)), dtype="datetime64[ns]")
    as_text = pd.Series([None if d is None else d.isoformat() for d in days], dtype=object)
    assert as_datetimes.dtype.kind == "M"
    by_numpy = F._earliest_first(weak, as_datetimes, sizes)
    assert by_numpy == F._earliest_first(weak, as_text, sizes)
    assert sorted(by_numpy) == list(range(len(docs)))
