"""User dictionaries: add_word / del_word / suggest_freq / load_userdict,
their immediate effect, per-instance isolation, and errors on bad files."""
import io
import pathlib
import re

import pytest

NEW_WORD = "彤宝分词器"  # not a word of any general lexicon
NEW_SENT = "我在用彤宝分词器做实验"

USER_SENT = "李小福是创新办主任也是云计算方面的专家"
USER_WORDS = ["创新办", "云计算", "李小福"]
TWO_GOOD_LINES = "云计算 5\n创新办 3 i\n"


def write(tmp_path, name, content):
    p = tmp_path / name
    if isinstance(content, str):
        p.write_bytes(content.encode("utf-8"))
    else:
        p.write_bytes(content)
    return p


def assert_user_words(t, hmm=False, words=USER_WORDS):
    tokens = t.lcut(USER_SENT, HMM=hmm)
    for w in words:
        assert w in tokens, (w, tokens)


def mentions_line(msg, line):
    return re.search(rf"(?<!\d){line}(?!\d)", msg) is not None


def mentions_file(msg, path):
    path = pathlib.Path(path)
    return str(path) in msg or path.name in msg


# --------------------------------------------------------------------------
# add_word / del_word


NEW_WORDS = [
    (NEW_WORD, NEW_SENT),
    ("彤宝测试词一号", "我在用彤宝测试词一号做实验"),
    ("八一双鹿", "八一双鹿更名为八一南昌篮球队"),
    ("韩玉赏鉴", "韩玉赏鉴是一个栏目"),
]


NEW_IDS = ["tongbao-fenciqi", "tongbao-ceshici-yihao", "bayi-shuanglu", "hanyu-shangjian"]


@pytest.mark.parametrize("word,sent", NEW_WORDS, ids=NEW_IDS)
@pytest.mark.parametrize("hmm", [True, False])
def test_add_word_takes_effect_immediately(tok, hmm, word, sent):
    assert word not in tok.lcut(sent, HMM=hmm)
    tok.add_word(word)  # no freq: as jieba, one that makes it a word
    tokens = tok.lcut(sent, HMM=hmm)
    assert word in tokens, tokens
    assert "".join(tokens) == sent
    i = sent.index(word)
    assert (word, i, i + len(word)) in list(tok.tokenize(sent, HMM=hmm))


@pytest.mark.parametrize("word,sent", NEW_WORDS, ids=NEW_IDS)
def test_add_word_with_tag_only(tok, word, sent):
    tok.add_word(word, tag="nz")
    assert word in tok.lcut(sent, HMM=False)


def test_add_word_with_freq_and_tag(tok):
    tok.add_word(NEW_WORD, freq=10, tag="nz")
    assert NEW_WORD in tok.lcut(NEW_SENT, HMM=False)
    tok.add_word("创新办", 3, "i")
    assert "创新办" in tok.lcut(USER_SENT, HMM=False)


def test_added_word_in_search_and_full_modes(tok):
    tok.add_word(NEW_WORD)
    assert NEW_WORD in tok.lcut_for_search(NEW_SENT)
    assert NEW_WORD in tok.lcut(NEW_SENT, cut_all=True)
    assert (NEW_WORD, 3, 8) in list(tok.tokenize(NEW_SENT, mode="search"))


def test_del_word_removes_added_word(tok):
    tok.add_word(NEW_WORD)
    assert NEW_WORD in tok.lcut(NEW_SENT, HMM=False)
    tok.del_word(NEW_WORD)
    for hmm in (True, False):
        tokens = tok.lcut(NEW_SENT, HMM=hmm)
        assert NEW_WORD not in tokens, tokens
        assert "".join(tokens) == NEW_SENT


def test_del_word_removes_lexicon_word(tok):
    s = "我来到北京清华大学"
    assert "清华大学" in tok.lcut(s, HMM=False)
    tok.del_word("清华大学")
    tokens = tok.lcut(s, HMM=False)
    assert "清华大学" not in tokens
    assert "".join(tokens) == s
    assert "清华大学" not in tok.lcut(s, cut_all=True)


def test_add_after_del_restores(tok):
    tok.add_word(NEW_WORD)
    tok.del_word(NEW_WORD)
    tok.add_word(NEW_WORD)
    assert NEW_WORD in tok.lcut(NEW_SENT, HMM=False)


def test_del_unknown_word_is_harmless(tok):
    before = tok.lcut(NEW_SENT)
    tok.del_word("从未出现过的词语甲乙丙")
    assert tok.lcut(NEW_SENT) == before


def test_add_word_on_default_tokenizer(tongbao):
    word = "彤宝默认词典测试词"
    s = "这是" + word + "的例子"
    assert word not in tongbao.lcut(s, HMM=False)
    tongbao.add_word(word)
    try:
        assert word in tongbao.lcut(s, HMM=False)
        assert word in tongbao.lcut(s)
    finally:
        tongbao.del_word(word)
    assert word not in tongbao.lcut(s, HMM=False)


# --------------------------------------------------------------------------
# isolation


def test_instances_are_isolated(tongbao):
    a = tongbao.Tokenizer()
    b = tongbao.Tokenizer()
    a.add_word(NEW_WORD)
    assert NEW_WORD in a.lcut(NEW_SENT, HMM=False)
    assert NEW_WORD not in b.lcut(NEW_SENT, HMM=False)
    assert NEW_WORD not in tongbao.lcut(NEW_SENT, HMM=False)
    # deleting in one instance does not delete in another or the default
    s = "我来到北京清华大学"
    b.del_word("清华大学")
    assert "清华大学" not in b.lcut(s, HMM=False)
    assert "清华大学" in a.lcut(s, HMM=False)
    assert "清华大学" in tongbao.lcut(s, HMM=False)
    assert "清华大学" in tongbao.Tokenizer().lcut(s, HMM=False)


def test_default_changes_do_not_leak_into_instances(tongbao):
    word = "彤宝隔离测试词"
    s = "测试" + word + "结束"
    tongbao.add_word(word)
    try:
        assert word in tongbao.lcut(s, HMM=False)
        assert word not in tongbao.Tokenizer().lcut(s, HMM=False)
    finally:
        tongbao.del_word(word)


def test_userdict_isolated(tongbao, data_dir):
    a = tongbao.Tokenizer()
    a.load_userdict(str(data_dir / "userdict.txt"))
    assert_user_words(a)
    b = tongbao.Tokenizer()
    assert "创新办" not in b.lcut(USER_SENT, HMM=False)
    assert "创新办" not in tongbao.lcut(USER_SENT, HMM=False)


# --------------------------------------------------------------------------
# suggest_freq (as jieba)


def test_suggest_freq_tuple_forces_split(tok):
    s = "如果放到post中将出错。"
    freq = tok.suggest_freq(("中", "将"), True)
    assert isinstance(freq, int)
    tokens = tok.lcut(s, HMM=False)
    assert "中将" not in tokens
    assert "中" in tokens and "将" in tokens
    assert "".join(tokens) == s


def test_suggest_freq_str_forces_join(tok):
    s = "「台中」正确应该不会被切开"
    freq = tok.suggest_freq("台中", True)
    assert isinstance(freq, int) and freq > 0
    tokens = tok.lcut(s, HMM=False)
    assert "台中" in tokens, tokens
    assert "台中" in tok.lcut(s)


def test_suggest_freq_without_tune_changes_nothing(tok, sample_sentences):
    before = [tok.lcut(s) for s in sample_sentences]
    f1 = tok.suggest_freq("台中", False)
    f2 = tok.suggest_freq(("中", "将"), False)
    assert isinstance(f1, int) and isinstance(f2, int)
    assert [tok.lcut(s) for s in sample_sentences] == before


def test_suggest_freq_is_per_instance(tongbao):
    a = tongbao.Tokenizer()
    s = "如果放到post中将出错。"
    before = tongbao.lcut(s, HMM=False)
    a.suggest_freq(("中", "将"), True)
    assert "中将" not in a.lcut(s, HMM=False)
    assert tongbao.lcut(s, HMM=False) == before


# --------------------------------------------------------------------------
# load_userdict: accepted forms


def test_load_userdict_str_path(tok, data_dir):
    tok.load_userdict(str(data_dir / "userdict.txt"))
    assert_user_words(tok)
    assert NEW_WORD in tok.lcut(NEW_SENT, HMM=False)
    assert "八一双鹿" in tok.lcut("八一双鹿更名为八一南昌篮球队", HMM=False)


def test_load_userdict_pathlib(tok, data_dir):
    tok.load_userdict(data_dir / "userdict.txt")
    assert_user_words(tok)


def test_load_userdict_binary_file_object(tok, data_dir):
    with open(data_dir / "userdict.txt", "rb") as f:
        tok.load_userdict(f)
    assert_user_words(tok)


def test_load_userdict_text_file_object(tok, data_dir):
    with open(data_dir / "userdict.txt", encoding="utf-8") as f:
        tok.load_userdict(f)
    assert_user_words(tok)


def test_load_userdict_in_memory_file(tok):
    tok.load_userdict(io.BytesIO(b"\xe5\xbd\xa4\xe5\xae\x9d\xe5\x88\x86\xe8\xaf\x8d\xe5\x99\xa8 10\n"))
    assert NEW_WORD in tok.lcut(NEW_SENT, HMM=False)


@pytest.mark.parametrize("hmm", [True, False])
def test_load_userdict_takes_effect_with_and_without_hmm(tok, data_dir, hmm):
    tok.load_userdict(str(data_dir / "userdict.txt"))
    assert_user_words(tok, hmm=hmm)


def test_load_userdict_default_tokenizer(tongbao, tmp_path):
    word = "彤宝加载测试词"
    p = write(tmp_path, "d.txt", f"{word} 100 nz\n")
    s = "一个" + word + "而已"
    tongbao.load_userdict(str(p))
    try:
        assert word in tongbao.lcut(s, HMM=False)
    finally:
        tongbao.del_word(word)


def test_load_userdict_word_only_and_tag_only_lines(tok, tmp_path):
    p = write(tmp_path, "d.txt", "彤宝分词器\n创新办 i\n云计算 5\n")
    tok.load_userdict(str(p))
    assert NEW_WORD in tok.lcut(NEW_SENT, HMM=False)
    tokens = tok.lcut(USER_SENT, HMM=False)
    assert "创新办" in tokens and "云计算" in tokens


def test_blank_lines_ignored(tok, tmp_path):
    p = write(tmp_path, "d.txt", "\n\n云计算 5\n\n\n创新办 3 i\n   \n\t\n彤宝分词器 10\n\n")
    tok.load_userdict(str(p))
    assert_user_words(tok, words=["云计算", "创新办"])
    assert NEW_WORD in tok.lcut(NEW_SENT, HMM=False)


def test_empty_file(tok, tmp_path):
    p = write(tmp_path, "empty.txt", "")
    before = tok.lcut(USER_SENT)
    tok.load_userdict(str(p))
    assert tok.lcut(USER_SENT) == before


def test_crlf_line_endings(tok, tmp_path):
    p = write(tmp_path, "d.txt", "云计算 5\r\n创新办 3 i\r\n彤宝分词器 10 nz\r\n")
    tok.load_userdict(str(p))
    assert_user_words(tok, words=["云计算", "创新办"])
    tokens = tok.lcut(NEW_SENT, HMM=False)
    assert NEW_WORD in tokens
    assert not any("\r" in t for t in tok.lcut(USER_SENT))


def test_utf8_bom_stripped(tok, tmp_path):
    # jieba strips a leading U+FEFF from dictionary lines
    p = write(tmp_path, "d.txt", b"\xef\xbb\xbf" + "创新办 3 i\n云计算 5\n".encode("utf-8"))
    tok.load_userdict(str(p))
    tokens = tok.lcut(USER_SENT, HMM=False)
    assert "创新办" in tokens and "云计算" in tokens


def test_no_trailing_newline(tok, tmp_path):
    p = write(tmp_path, "d.txt", "云计算 5\n彤宝分词器 10")
    tok.load_userdict(str(p))
    assert NEW_WORD in tok.lcut(NEW_SENT, HMM=False)


# --------------------------------------------------------------------------
# load_userdict: errors


def test_missing_file(tok, tmp_path):
    with pytest.raises(FileNotFoundError):
        tok.load_userdict(str(tmp_path / "does-not-exist.txt"))
    with pytest.raises(OSError):
        tok.load_userdict(tmp_path / "does-not-exist.txt")


def test_missing_file_default(tongbao, tmp_path):
    with pytest.raises(FileNotFoundError):
        tongbao.load_userdict(str(tmp_path / "nope" / "userdict.txt"))


def test_directory(tok, tmp_path):
    with pytest.raises(OSError):
        tok.load_userdict(str(tmp_path))


@pytest.mark.parametrize("bad", ["abc", "12x"])
def test_bad_frequency(tongbao, tok, tmp_path, bad):
    p = write(tmp_path, "bad_freq.txt", TWO_GOOD_LINES + f"彤宝分词器 {bad} nz\n云计算 7\n")
    with pytest.raises(tongbao.DictionaryError) as ei:
        tok.load_userdict(str(p))
    e = ei.value
    assert isinstance(e, tongbao.Error)
    assert isinstance(e, ValueError)
    assert e.line == 3
    assert pathlib.Path(e.path) == p or str(e.path) == str(p)
    msg = str(e)
    assert mentions_file(msg, p), msg
    assert mentions_line(msg, 3), msg


def test_bad_frequency_after_blank_lines_counts_physical_lines(tongbao, tok, tmp_path):
    p = write(tmp_path, "bad_freq2.txt", "\n云计算 5\n\n\n彤宝分词器 abc nz\n")
    with pytest.raises(tongbao.DictionaryError) as ei:
        tok.load_userdict(str(p))
    assert ei.value.line == 5
    assert mentions_line(str(ei.value), 5)


def test_bad_frequency_caught_as_value_error(tok, tmp_path):
    p = write(tmp_path, "bad.txt", "彤宝分词器 abc nz\n")
    with pytest.raises(ValueError):
        tok.load_userdict(str(p))


def test_bad_frequency_via_file_object(tongbao, tok, tmp_path):
    p = write(tmp_path, "bad.txt", TWO_GOOD_LINES + "彤宝分词器 abc nz\n")
    with open(p, "rb") as f:
        with pytest.raises(tongbao.DictionaryError) as ei:
            tok.load_userdict(f)
    assert ei.value.line == 3


def _garbage():
    # every byte value except line breaks: NULs, control bytes, and bytes
    # that can start no UTF-8 (or GB18030) sequence
    return bytes(b for b in range(256) if b not in (0x0A, 0x0D)) * 4


def test_binary_garbage_after_good_lines(tongbao, tok, tmp_path):
    p = write(tmp_path, "garbage.txt", TWO_GOOD_LINES.encode("utf-8") + _garbage() + b"\n")
    with pytest.raises(tongbao.DictionaryError) as ei:
        tok.load_userdict(str(p))
    e = ei.value
    assert e.line == 3
    assert pathlib.Path(e.path) == p or str(e.path) == str(p)
    assert mentions_file(str(e), p), str(e)
    assert mentions_line(str(e), 3), str(e)


def test_binary_garbage_whole_file(tongbao, tok, tmp_path):
    import random

    data = random.Random(1234).randbytes(8192)
    data = b"\x00\x80\xff" + data  # make sure it is no BOM and no text
    p = write(tmp_path, "garbage.bin", data)
    with pytest.raises(tongbao.DictionaryError) as ei:
        tok.load_userdict(str(p))
    e = ei.value
    assert isinstance(e.line, int) and e.line >= 1
    assert e.line <= data.count(b"\n") + 1
    assert mentions_file(str(e), p), str(e)
    assert mentions_line(str(e), e.line), str(e)


def test_nul_in_dictionary_line(tongbao, tok, tmp_path):
    p = write(tmp_path, "nul.txt", b"\xe4\xba\x91\x00\x00\x00 5\n")
    with pytest.raises(tongbao.DictionaryError) as ei:
        tok.load_userdict(str(p))
    assert ei.value.line == 1


def test_failed_load_leaves_tokenizer_usable(tongbao, tok, tmp_path):
    p = write(tmp_path, "bad.txt", "彤宝分词器 abc nz\n")
    with pytest.raises(tongbao.DictionaryError):
        tok.load_userdict(str(p))
    s = "我来到北京清华大学"
    assert tok.lcut(s) == tongbao.Tokenizer().lcut(s)
    tok.add_word(NEW_WORD)
    assert NEW_WORD in tok.lcut(NEW_SENT, HMM=False)
