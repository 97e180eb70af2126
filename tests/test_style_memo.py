"""The style rules' per-word memo (csrc/core/tb_style.c, process_memo): a
word's first segmentation fills it, later ones replay it, and the replay
gives exactly the tokens, tags and offsets the rules give; user words turn it
off (the rules then depend on more than the word)."""
import tongbao

TEXT = ("第二十三场新闻发布会上，一次性通报了三百余名密切接触者，这一轮共有两三个小区；"
        "中国共产党河南省委员会和同志们一起工作。一次、一次、第一次，多名、数十名。")


def _rows(tok, text):
    words, starts, ends, tags = tok._table(text, "default", True)
    return list(zip(words, starts, ends, tags))


def test_replay_equals_first_pass():
    for style in ("default", "pku"):
        fresh = tongbao.Tokenizer(style=style)
        first = _rows(fresh, TEXT)
        assert _rows(fresh, TEXT) == first          # replayed from the memo
        assert _rows(fresh, TEXT * 3)[: len(first)] == first
        # a tokenizer that met the words in another order agrees
        other = tongbao.Tokenizer(style=style)
        _rows(other, TEXT[::-1])
        assert _rows(other, TEXT) == first


def test_splits_are_replayed():
    tok = tongbao.Tokenizer()
    assert tok.lcut("一次") == ["一", "次"]
    assert tok.lcut("一次") == ["一", "次"]


def test_user_words_bypass_the_memo():
    tok = tongbao.Tokenizer()
    assert tok.lcut("一次") == ["一", "次"]   # fills the memo for 一次
    tok.add_word("一次")                       # a user word: styles never split it
    assert tok.lcut("一次") == ["一次"]
    tok.del_word("一次")
    assert tok.lcut("一次") == ["一", "次"]
