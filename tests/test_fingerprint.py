"""The fast fingerprint normalisation equals its reference definition.

``_fingerprint.normalize`` works on the whole text with a few regular
expression passes; ``normalize_reference`` is the definition written a line
and a character at a time. They must give the same text, hence the same
fingerprint, for bulletins and for arbitrary text (line breaks of every
kind, combining marks, full-width forms, chrome lines, URLs).
"""
import sys
import unicodedata

from hypothesis import given, settings
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
        assert F.normalize(text) == F.normalize_reference(text), f


def test_equal_on_the_sample_corpus():
    from importlib import resources

    root = resources.files("tongbao") / "_data" / "corpus"
    n = 0
    for entry in root.iterdir():
        if entry.is_file():
            text, _ = tongbao.decode(entry.read_bytes())
            assert F.normalize(text) == F.normalize_reference(text), entry.name
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
    assert F.normalize(text) == F.normalize_reference(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_equal_on_any_text(text):
    assert F.normalize(text) == F.normalize_reference(text)
