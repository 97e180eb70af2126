"""tongbao.tokens(): a pandas DataFrame with columns token, start, end, tag;
start/end are int code-point offsets; bytes input records the encoding."""
import codecs

import pytest

pd = pytest.importorskip("pandas")

COLUMNS = ["token", "start", "end", "tag"]
TEXT = "郑州市新增本土确诊病例43例、无症状感染者62例。COVID-19 疫情期间😀请佩戴口罩。"


def check_frame(df, text, contiguous=True):
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == COLUMNS
    assert pd.api.types.is_integer_dtype(df["start"])
    assert pd.api.types.is_integer_dtype(df["end"])
    pos = 0
    for tok, start, end in zip(df["token"], df["start"], df["end"]):
        assert isinstance(tok, str)
        assert text[start:end] == tok
        assert end > start
        if contiguous:
            assert start == pos
            pos = end
    if contiguous:
        assert pos == len(text)
        assert "".join(df["token"]) == text


def test_columns_and_types(tongbao):
    df = tongbao.tokens(TEXT)
    check_frame(df, TEXT)


def test_matches_tokenize(tongbao):
    for hmm in (True, False):
        df = tongbao.tokens(TEXT, HMM=hmm)
        expected = list(tongbao.tokenize(TEXT, HMM=hmm))
        got = [(t, int(a), int(b)) for t, a, b in zip(df["token"], df["start"], df["end"])]
        assert got == expected


@pytest.mark.parametrize("mode", ["default", "search", "icu"])
def test_modes(tongbao, mode):
    df = tongbao.tokens(TEXT, mode=mode)
    check_frame(df, TEXT, contiguous=(mode != "search"))
    expected = list(tongbao.tokenize(TEXT, mode=mode))
    got = [(t, int(a), int(b)) for t, a, b in zip(df["token"], df["start"], df["end"])]
    assert got == expected


def test_offsets_are_code_points(tongbao):
    s = "😀𠀀清华大学😀"
    df = tongbao.tokens(s)
    check_frame(df, s)
    assert int(df["end"].iloc[-1]) == len(s) == 7


def test_tag_column(tongbao):
    df = tongbao.tokens(TEXT)
    assert len(df["tag"]) == len(df)
    for tag in df["tag"]:
        assert tag is None or isinstance(tag, str) or pd.isna(tag)


def test_empty_text(tongbao):
    df = tongbao.tokens("")
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == COLUMNS
    assert len(df) == 0


def test_index_is_positional(tongbao):
    df = tongbao.tokens(TEXT)
    assert list(df.index) == list(range(len(df)))


@pytest.mark.parametrize(
    "data,name",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("gb18030"), "gb18030"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16be"),
    ],
)
def test_bytes_input_records_encoding(tongbao, data, name):
    df = tongbao.tokens(data)
    assert df.attrs["encoding"].lower() == name
    check_frame(df, TEXT)
    text, enc = tongbao.decode(data)
    assert df.attrs["encoding"] == enc
    assert list(df["token"]) == tongbao.lcut(TEXT)


def test_big5_bytes(tongbao):
    s = (
        "臺北市政府今天召開記者會表示，本市新增確診病例三十五例，均為境外移入。"
        "衛生局呼籲民眾落實防疫措施，外出配戴口罩，勤洗手，保持社交距離。"
    )
    df = tongbao.tokens(s.encode("big5"))
    assert df.attrs["encoding"].lower() == "big5"
    check_frame(df, s)


def test_seed_document_frame(tongbao, seed_files):
    f = seed_files[0]
    text = f.read_text(encoding="utf-8")
    df = tongbao.tokens(f.read_bytes())
    assert df.attrs["encoding"].lower() == "utf-8"
    check_frame(df, text)
    # usable as an ordinary frame
    counts = df["token"].value_counts()
    assert counts.sum() == len(df)
    assert (df["end"] - df["start"]).sum() == len(text)


def test_user_words_visible_in_frame(tongbao):
    word = "彤宝表格测试词"
    s = "这是" + word + "。"
    tongbao.add_word(word, tag="nz")
    try:
        df = tongbao.tokens(s, HMM=False)
        assert word in list(df["token"])
    finally:
        tongbao.del_word(word)


def test_string_columns_keep_lone_surrogates_with_or_without_pyarrow(tongbao):
    # pandas' default "string" storage is Arrow when pyarrow is installed, and
    # Arrow cannot hold a lone surrogate: the tables use Python storage always

    text = "\ud800新增3例\udfff"
    df = tongbao.tokens(text)
    assert "".join(df["token"]) == text
    assert df["token"].dtype == pd.StringDtype("python")
    doc = tongbao.analyze(text)
    for name in ("tokens", "quantities", "dates", "entities"):
        frame = getattr(doc, name)
        for col, dtype in frame.dtypes.items():
            if isinstance(dtype, pd.StringDtype):
                assert dtype.storage == "python", (name, col)
