"""tongbao.decode and bytes input: UTF-8 (with/without BOM), GB18030/GBK,
Big5, UTF-16 with BOM; DecodeError for undecodable bytes."""
import codecs
import re

import pytest

SIMPLIFIED = (
    "郑州市新增本土确诊病例43例、无症状感染者62例。全市开展全员核酸检测，"
    "严格落实封控区、管控区管理措施，做到应隔尽隔、应检尽检。"
)
TRADITIONAL = (
    "臺北市政府今天召開記者會表示，本市新增確診病例三十五例，均為境外移入。"
    "衛生局呼籲民眾落實防疫措施，外出配戴口罩，勤洗手，保持社交距離。"
    "疫苗接種率已經達到百分之八十，請尚未接種的市民儘快預約。"
)
# characters outside GBK that GB18030 encodes with four bytes
GB18030_ONLY = "新增病例㐀㐁，扩展字符𠀀𠀁与常用汉字混排，郑州市核酸检测结果公布。"


def norm(name):
    return name.lower()


def test_decode_returns_str_pair(tongbao):
    out = tongbao.decode(SIMPLIFIED.encode("utf-8"))
    assert isinstance(out, tuple) and len(out) == 2
    text, enc = out
    assert type(text) is str and type(enc) is str


@pytest.mark.parametrize("s", [SIMPLIFIED, TRADITIONAL, GB18030_ONLY, "😀 emoji 中文 mixed"])
def test_utf8_without_bom(tongbao, s):
    text, enc = tongbao.decode(s.encode("utf-8"))
    assert text == s
    assert norm(enc) == "utf-8"


@pytest.mark.parametrize("s", [SIMPLIFIED, TRADITIONAL, "a"])
def test_utf8_with_bom(tongbao, s):
    text, enc = tongbao.decode(codecs.BOM_UTF8 + s.encode("utf-8"))
    assert norm(enc) == "utf-8"
    assert text == s  # the BOM is a signature, not content


def test_gb18030(tongbao):
    text, enc = tongbao.decode(SIMPLIFIED.encode("gb18030"))
    assert text == SIMPLIFIED
    assert norm(enc) == "gb18030"


def test_gbk_bytes_reported_as_gb18030(tongbao):
    text, enc = tongbao.decode(SIMPLIFIED.encode("gbk"))
    assert text == SIMPLIFIED
    assert norm(enc) == "gb18030"


def test_gb18030_four_byte_sequences(tongbao):
    data = GB18030_ONLY.encode("gb18030")
    assert "㐀".encode("gb18030") in data and len("㐀".encode("gb18030")) == 4
    text, enc = tongbao.decode(data)
    assert text == GB18030_ONLY
    assert norm(enc) == "gb18030"


def test_big5(tongbao):
    text, enc = tongbao.decode(TRADITIONAL.encode("big5"))
    assert text == TRADITIONAL
    assert norm(enc) == "big5"


@pytest.mark.parametrize(
    "bom,codec,name",
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16be"),
    ],
)
@pytest.mark.parametrize("s", [SIMPLIFIED, TRADITIONAL, GB18030_ONLY, "ascii only", ""])
def test_utf16_with_bom(tongbao, bom, codec, name, s):
    text, enc = tongbao.decode(bom + s.encode(codec))
    assert text == s
    assert norm(enc) == name


def test_ascii(tongbao, known_encodings):
    s = "COVID-19: 118,406 cases, 95.82% recovered.\n"
    text, enc = tongbao.decode(s.encode("ascii"))
    assert text == s
    assert norm(enc) in known_encodings


def test_empty_bytes(tongbao, known_encodings):
    text, enc = tongbao.decode(b"")
    assert text == ""
    assert type(enc) is str


def test_seed_documents_in_all_encodings(tongbao, seed_files):
    for f in seed_files:
        s = f.read_text(encoding="utf-8")
        for data, name in [
            (s.encode("utf-8"), "utf-8"),
            (codecs.BOM_UTF8 + s.encode("utf-8"), "utf-8"),
            (s.encode("gb18030"), "gb18030"),
            (codecs.BOM_UTF16_LE + s.encode("utf-16-le"), "utf-16le"),
            (codecs.BOM_UTF16_BE + s.encode("utf-16-be"), "utf-16be"),
        ]:
            text, enc = tongbao.decode(data)
            assert norm(enc) == name, (f.name, name, enc)
            assert text == s, (f.name, name)


# --------------------------------------------------------------------------
# explicit encoding


@pytest.mark.parametrize(
    "s,codec",
    [
        (SIMPLIFIED, "UTF-8"),
        (SIMPLIFIED, "GB18030"),
        (GB18030_ONLY, "GB18030"),
        (TRADITIONAL, "Big5"),
        (SIMPLIFIED, "UTF-16LE"),
        (SIMPLIFIED, "UTF-16BE"),
        (SIMPLIFIED, "utf-8"),
        (SIMPLIFIED, "gb18030"),
    ],
)
def test_explicit_encoding(tongbao, s, codec):
    # the documented names (case-insensitive) are accepted as `encoding`
    text, enc = tongbao.decode(s.encode(codec), encoding=codec)
    assert text == s
    assert type(enc) is str


def test_explicit_encoding_overrides_detection(tongbao):
    # these bytes are valid UTF-8 but the caller says they are GB18030
    data = "中文".encode("utf-8")
    text, _ = tongbao.decode(data, encoding="GB18030")
    assert text == data.decode("gb18030")


@pytest.mark.parametrize(
    "data,offset",
    [
        (b"abc\xffdef", 3),
        ("中文".encode("utf-8") + b"\x80" + "字符".encode("utf-8"), 6),
        ("郑州市".encode("utf-8") + b"\xe4\xb8", 9),  # truncated sequence
    ],
)
def test_decode_error_with_explicit_utf8(tongbao, data, offset):
    with pytest.raises(tongbao.DecodeError) as ei:
        tongbao.decode(data, encoding="utf-8")
    e = ei.value
    assert isinstance(e, UnicodeError)
    assert isinstance(e, tongbao.Error)
    assert re.search(rf"(?<!\d){offset}(?!\d)", str(e)), str(e)


def test_decode_error_caught_as_unicode_error(tongbao):
    with pytest.raises(UnicodeError):
        tongbao.decode(b"\xff\xff\xff\xff", encoding="utf-8")


# --------------------------------------------------------------------------
# undetectable bytes: DecodeError or a lossless decoding, never anything else


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\xfd\x80abc",
        b"\xff" * 16,
        b"\x80\x81\xff\xfe",
        b"\xc0\xaf",  # overlong UTF-8
        b"\xed\xa0\x80",  # UTF-8-encoded surrogate
        b"\xfe\xff\x00",  # UTF-16BE BOM, odd length
        b"\xff\xfe\x00\xd8",  # UTF-16LE BOM, lone surrogate
        "中文".encode("utf-8") + b"\xff" + "测试".encode("utf-8"),
        bytes(range(256)),
    ],
)
def test_undetectable_bytes(tongbao, roundtrips, known_encodings, data):
    try:
        text, enc = tongbao.decode(data)
    except tongbao.DecodeError as e:
        assert isinstance(e, UnicodeError)
        assert re.search(r"\d", str(e)), "message gives the byte offset"
        with pytest.raises(tongbao.DecodeError):
            tongbao.lcut(data)
        return
    assert type(text) is str
    assert enc.lower() in known_encodings, f"undocumented encoding name {enc!r}"
    assert roundtrips(data, text, enc), (data, text, enc)
    assert "".join(tongbao.lcut(data)) == text


# --------------------------------------------------------------------------
# bytes input to the tokenizer


@pytest.mark.parametrize(
    "s,data",
    [
        (SIMPLIFIED, SIMPLIFIED.encode("gb18030")),
        (SIMPLIFIED, codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8")),
        (SIMPLIFIED, codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le")),
        (SIMPLIFIED, codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be")),
        (TRADITIONAL, TRADITIONAL.encode("big5")),
        (GB18030_ONLY, GB18030_ONLY.encode("gb18030")),
    ],
)
def test_tokenizer_accepts_encoded_bytes(tongbao, s, data):
    assert tongbao.lcut(data) == tongbao.lcut(s)
    assert list(tongbao.cut(data, HMM=False)) == tongbao.lcut(s, HMM=False)
    assert tongbao.lcut(data, cut_all=True) == tongbao.lcut(s, cut_all=True)
    assert tongbao.lcut_for_search(data) == tongbao.lcut_for_search(s)
    assert list(tongbao.tokenize(data)) == list(tongbao.tokenize(s))
    assert list(tongbao.tokenize(data, mode="icu")) == list(tongbao.tokenize(s, mode="icu"))
    t = tongbao.Tokenizer()
    assert t.lcut(data) == t.lcut(s)
