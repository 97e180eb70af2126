"""atheris harness for tongbao's Python API.

    python fuzz/fuzz_python.py [libFuzzer options] [corpus dirs]

(`make fuzz` runs it after the C harnesses.) The extension is the normal
build, not instrumented for coverage: atheris guides itself by the Python
code's coverage only, and the C engine is exercised, not steered (the C
harnesses fuzz/fuzz_*.c do that). See fuzz/README.md.

The first byte (mod 4) picks what to drive with the rest:
  0, 1  UTF-8 text (lone surrogates included): analyze(), lcut (HMM on/off),
        lcut_for_search, tokenize in both modes, on the default tokenizer;
  2     bytes: decode();
  3     a user dictionary file: load_userdict on a fresh Tokenizer, then
        add_word / del_word of the words in it.
Every call's result is checked, not just run (see the asserts).
"""
from __future__ import annotations

import math
import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    import tongbao

DICT_PATH = os.path.join(tempfile.mkdtemp(prefix="tongbao-fuzz-"), "userdict.txt")


def check_text(text: str) -> None:
    for hmm in (True, False):
        words = tongbao.lcut(text, HMM=hmm)
        assert "".join(words) == text, (words, text)
        assert all(words), words
    pos = 0
    for w, s, e in tongbao.tokenize(text):
        assert s == pos and text[s:e] == w, (w, s, e)
        pos = e
    assert pos == len(text)
    for w, s, e in tongbao.tokenize(text, mode="search"):
        assert 0 <= s < e <= len(text) and text[s:e] == w, (w, s, e)
    for w in tongbao.lcut_for_search(text):
        assert w and w in text, w

    doc = tongbao.analyze(text)
    toks = doc.tokens
    assert "".join(toks["token"]) == text
    ends = [0] + list(toks["end"])
    assert list(toks["start"]) == ends[:-1] and ends[-1] == len(text)
    prev = 0
    q = doc.quantities
    for row in q.itertuples(index=False):
        assert prev <= row.start < row.end <= len(text), row
        assert text[row.start:row.end] == row.text, row
        assert not math.isnan(row.value), row
        if not (math.isnan(row.low) or math.isnan(row.high)):
            assert row.low <= row.high, row
        prev = row.end


def check_decode(data: bytes) -> None:
    try:
        text, enc = tongbao.decode(data)
    except tongbao.DecodeError as e:
        assert isinstance(e.offset, int) and 0 <= e.offset <= len(data), e.offset
        return
    assert isinstance(text, str) and enc
    if enc == "UTF-8":
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        assert text.encode("utf-8") == body
    # Round trip: the text, re-encoded, decodes to itself.
    assert tongbao.decode(text.encode("utf-8")) == (text, "UTF-8") or text.startswith("\ufeff")
    assert tongbao.decode(text.encode("utf-8"), "UTF-8")[0] == text


HAN_NUMERALS = set("〇零一二三四五六七八九十百千万亿两俩壹贰叁肆伍陆柒捌玖拾佰仟廿卅几半余多")


def is_han(w: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in w)


def check_userdict(data: bytes) -> None:
    with open(DICT_PATH, "wb") as f:
        f.write(data)
    tok = tongbao.Tokenizer()
    try:
        tok.load_userdict(DICT_PATH)
    except tongbao.DictionaryError as e:
        assert e.path == DICT_PATH and isinstance(e.line, int) and e.line >= 1, vars(e)
        assert f":{e.line}:" in str(e)
        return
    words = [line.split()[0] for line in data.decode("utf-8", "replace").splitlines() if line.split()]
    for w in words[:20]:
        if not (2 <= len(w) <= 8 and is_han(w)):
            continue
        tok.add_word(w, 10**7)
        assert tok.lcut(w, HMM=False) == [w], (w, tok.lcut(w, HMM=False))
        assert tok.get_FREQ(w) == 10**7
        tok.del_word(w)
        assert tok.get_FREQ(w) == 0
        if not any(c in HAN_NUMERALS for c in w):   # a numeral stays one token, word or not
            assert tok.lcut(w, HMM=False) != [w], w
        assert "".join(tok.lcut(w)) == w


def TestOneInput(data: bytes) -> None:
    if not data:
        return
    what, rest = data[0] % 4, data[1:]
    if what <= 1:
        # UTF-8 (seeds are bulletin lines); "surrogatepass" lets lone surrogates in.
        try:
            text = rest.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            text = rest.decode("utf-8", "replace")
        check_text(text)
    elif what == 2:
        check_decode(rest)
    else:
        check_userdict(rest)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
