"""The compiled lexicon holds exactly jieba's dictionary (plus the domain
words written here): every word is found with its frequency, and no proper
prefix that is not a word is. This is the end-to-end check of the
double-array placement (tools/double_array.py, tools/place_rows.c) and of
the walk over it (csrc/core/tb_lexicon.h).

Lookups fold their input (NFKC, then Traditional -> Simplified with the pairs
stored in the lexicon file), and so are the keys, at build time: every
spelling reaches its entry, 与日俱增 and 一片狼藉 too (ICU folds 俱 -> 具,
藉 -> 借). When spellings fold to one key, the one already spelled as the
key keeps its frequency (一干二净 over 一乾二净), else the most frequent."""
import importlib.resources
import importlib.util
import pathlib
import struct
import sys

import pytest

import tongbao

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tools"))
# The folding convention itself (NFKC per code point, then the t2s pairs, as
# csrc/core/tb_fold.h folds input): the builder's, not a copy of it.
from build_lexicon import fold_key as _fold  # noqa: E402


@pytest.fixture(scope="module")
def t2s():
    """The Traditional -> Simplified pairs of the installed lexicon (its t2s section)."""
    data = importlib.resources.files("tongbao._data").joinpath("lexicon.bin").read_bytes()
    assert data[:8] == b"TBLEX006"
    off = struct.unpack_from("<I", data, 52)[0]
    n = struct.unpack_from("<I", data, off)[0]
    pairs = struct.unpack_from(f"<{2 * n}I", data, off + 4)
    return {chr(pairs[i]): chr(pairs[i + 1]) for i in range(0, 2 * n, 2)}


def _read(path, entries):
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            parts = raw.strip().split()
            if parts and not parts[0].startswith("#"):
                word = _fold(parts[0])
                entries.pop(word, None)   # a later line moves the word last: it overrides
                entries[word] = int(parts[1]) if len(parts) > 1 else 1


@pytest.fixture(scope="module")
def expected():
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        pytest.skip("jieba (a test dependency) is not installed")
    entries = {}
    _read(pathlib.Path(spec.origin).parent / "dict.txt", entries)
    for p in sorted((REPO_ROOT / "lexicon").glob("*.dict")):
        _read(p, entries)   # domain words override, as at build time
    return entries


@pytest.fixture(scope="module")
def by_key(expected, t2s):
    """Frequency of each folded key: the spelling equal to the key, else the
    most frequent spelling folding to it."""
    keys = {}
    for w, f in expected.items():
        k = _fold(w, t2s)
        if w == k:
            keys[k] = (True, f)
        elif not keys.get(k, (False, -1))[0]:
            keys[k] = (False, max(f, keys.get(k, (False, -1))[1]))
    return {k: f for k, (_, f) in keys.items()}


def test_every_dictionary_word_is_found_with_its_frequency(expected, by_key, t2s):
    tok = tongbao.Tokenizer()
    assert len(expected) > 340_000
    # the spellings that are their own key: exactly their frequency
    wrong = [(w, f, tok.get_FREQ(w)) for w, f in expected.items() if _fold(w, t2s) == w and tok.get_FREQ(w) != f]
    assert wrong == []
    # the others (about 2,000: a character ICU folds) reach their key's entry
    folded = [w for w in expected if _fold(w, t2s) != w]
    assert 1000 < len(folded) < 0.01 * len(expected)
    assert [w for w in folded if tok.get_FREQ(w) != by_key[_fold(w, t2s)]] == []


def test_words_with_folded_characters_segment_whole():
    for w in ["与日俱增", "万念俱灰", "乾隆"]:
        assert tongbao.lcut(w) == [w]
    # the default style splits a numeral and its measure word off (一 片狼藉,
    # as 一 片 混乱); the lexicon's own best path keeps the idiom
    assert tongbao.Tokenizer(style="jieba").lcut("一片狼藉") == ["一片狼藉"]


def test_prefixes_that_are_not_words_are_not_found(expected, by_key, t2s):
    tok = tongbao.Tokenizer()
    prefixes = {w[:i] for w in expected for i in range(1, len(w))} - expected.keys()
    assert len(prefixes) > 10_000
    wrong = [p for p in prefixes if tok.get_FREQ(p) != by_key.get(_fold(p, t2s))]
    assert wrong == []


def test_words_absent_from_the_dictionary_are_not_found(expected):
    tok = tongbao.Tokenizer()
    # Extensions of words by one character that the dictionary lacks, and
    # characters beyond the BMP or outside every word.
    samples = [w + "乂" for w in list(expected)[:5000] if w + "乂" not in expected]
    samples += ["\U00020000", "\U0001F600", "\x00", "\uffff", "郑州\U00020000"]
    samples = [s for s in samples if s not in expected]
    assert [s for s in samples if tok.get_FREQ(s) is not None] == []
