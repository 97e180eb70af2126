"""Losslessness: for any str, ''.join(lcut(s)) == s and tokenize's offsets
index the input in code points, contiguously, whitespace included."""
import pytest

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # hypothesis comes with the [test] extra
    given = None

ODD_STRINGS = [
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\n\n\n",
    "a b",
    "中 文",
    "中  文\t\t字\r\n符",
    "\u3000中文\u3000",  # ideographic space
    "\xa0中文\xa0",  # no-break space
    "\x00",
    "\x00\x00\x00",
    "中\x00文",
    "abc\x00def",
    "12\x0034",
    "\ud800",
    "\udfff",
    "中\ud800文",
    "\udc00\ud800",
    "a\ud83d",  # half of an emoji
    "😀",
    "我爱😀北京",
    "👍🏽",
    "👨\u200d👩\u200d👧",  # ZWJ sequence
    "🇨🇳中国",
    "e\u0301",
    "\u0301",
    "中\u0301文",
    "café",
    "\x01\x02\x1b\x7f",
    "中\x1b[31m文\x1b[0m",
    "\u200b中\u200b文\u200b",
    "\u202e中文\u202c",
    "\ufeff中文",
    "中\ufeff文",
    "\ue000\uf8ff",
    "\uffff\ufffe",
    "\ufffd\ufffd",
    "\U0010ffff",
    "𠀀𠀁𪚥",  # CJK extension B
    "ｈｅｌｌｏ　ｗｏｒｌｄ",
    "１２３４５",
    "Ⅻ①②",
    "😀" * 50,
    "...。。。!!!",
    "——……“”《》",
    "a" * 300,
    "1" * 300,
    "中" * 300,
    " " * 300,
    "2022-03-27T08:00:00+08:00",
    "http://example.com/a?b=c&d=中文",
    "user@example.com 发邮件",
    "C++ 和 C# 以及 .NET",
    "اللغة العربية",
    "русский текст",
    "한국어 텍스트",
    "日本語のテキスト",
    "ภาษาไทย",
]


def check_lossless(tb_like, s):
    for hmm in (True, False):
        tokens = tb_like.lcut(s, HMM=hmm)
        assert "".join(tokens) == s, (s, tokens)
        assert all(type(t) is str and t for t in tokens), tokens
        assert list(tb_like.cut(s, HMM=hmm)) == tokens
        for mode in ("default", "icu"):
            pos = 0
            for word, start, end in tb_like.tokenize(s, mode=mode, HMM=hmm):
                assert start == pos, (mode, s)
                assert end > start
                assert s[start:end] == word, (mode, s, word, start, end)
                pos = end
            assert pos == len(s), (mode, s)
        for word, start, end in tb_like.tokenize(s, mode="search", HMM=hmm):
            assert s[start:end] == word
        for w in tb_like.lcut_for_search(s, HMM=hmm):
            assert w in s
        for w in tb_like.lcut(s, cut_all=True, HMM=hmm):
            assert w in s


def test_empty_string(tongbao):
    assert tongbao.lcut("") == []
    assert list(tongbao.cut("")) == []
    assert tongbao.lcut("", cut_all=True) == []
    assert tongbao.lcut_for_search("") == []
    assert list(tongbao.tokenize("")) == []
    assert list(tongbao.tokenize("", mode="search")) == []
    assert list(tongbao.tokenize("", mode="icu")) == []
    assert tongbao.lcut(b"") == []


@pytest.mark.parametrize("s", ODD_STRINGS, ids=[repr(s)[:30] for s in ODD_STRINGS])
def test_odd_strings_lossless(tongbao, s):
    check_lossless(tongbao, s)


def test_odd_strings_lossless_on_instance(tongbao):
    t = tongbao.Tokenizer()
    for s in ODD_STRINGS:
        check_lossless(t, s)


def test_odd_strings_embedded_in_text(tongbao):
    for s in ODD_STRINGS:
        text = "我来到北京清华大学" + s + "郑州市新增确诊病例43例" + s
        check_lossless(tongbao, text)


def test_whitespace_tokens_kept(tongbao):
    s = "我 来到\t北京\n清华大学\r\n"
    tokens = tongbao.lcut(s)
    assert "".join(tokens) == s
    # whitespace is never glued onto a Chinese word
    for t in tokens:
        if any(c.isspace() for c in t):
            assert all(c.isspace() for c in t), tokens


def test_seed_documents_lossless(tongbao, seed_files):
    for f in seed_files:
        text = f.read_text(encoding="utf-8")
        check_lossless(tongbao, text)
        assert "".join(tongbao.lcut(f.read_bytes())) == text


def test_mixed_script_long_text_lossless(tongbao, sample_sentences):
    text = "\n".join(sample_sentences + ODD_STRINGS) * 3
    check_lossless(tongbao, text)


if given is not None:
    CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
    ASCII = st.characters(min_codepoint=0, max_codepoint=0x7F)
    ANY = st.characters(exclude_categories=())  # includes lone surrogates
    PIECES = st.sampled_from(
        ["清华大学", "核酸检测", "118,406", "95.82%", "COVID-19", "２７日",
         " ", "\n", "\x00", "\ud800", "😀", "e\u0301", "確診"]
    )
    TEXT = st.lists(
        st.one_of(CJK, ASCII, ANY, PIECES), max_size=60
    ).map("".join)

    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(TEXT)
    def test_property_lossless(tongbao, s):
        check_lossless(tongbao, s)

    SAFE_PIECES = st.sampled_from(
        ["清华大学", "核酸检测", "118,406", "95.82%", "COVID-19", "２７日",
         " ", "\n", "😀", "e\u0301", "確診"]
    )

    @settings(max_examples=100, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.one_of(CJK, ASCII, SAFE_PIECES), max_size=60).map("".join))
    def test_property_bytes_utf8_same_as_str(tongbao, s):
        # bytes that are plain UTF-8 of CJK/ASCII text; detection may pick
        # another encoding only when the bytes are also valid in it, in which
        # case the result must be consistent with decode()
        data = s.encode("utf-8")
        text, enc = tongbao.decode(data)
        assert tongbao.lcut(data) == tongbao.lcut(text)
        # valid UTF-8 with several multi-byte characters is detected as UTF-8
        if sum(ord(c) > 0x7F for c in s) >= 4:
            assert enc.upper() == "UTF-8" and text == s

else:

    def test_property_lossless():
        pytest.skip("hypothesis not installed")
