"""The compiled lexicon holds exactly jieba's dictionary (plus the domain
words written here): a lookup of any string finds the frequency of the
dictionary key its folded form equals, and nothing else -- every word, and
no proper prefix that is not a word. This is the end-to-end check of the
double-array placement (tools/double_array.py, tools/place_rows.c) and of
the walk over it (csrc/core/tb_lexicon.h).

Lookups fold their input (NFKC, then Traditional -> Simplified with the pairs
stored in the lexicon file), the dictionary keys only by NFKC; so a key with
a traditional character (一乾二净) is reached by no lookup, which is what the
tests expect too."""
import importlib.resources
import importlib.util
import pathlib
import struct
import unicodedata

import pytest

import tongbao

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent


def _fold(word, t2s=None):
    # As tools/build_lexicon.py folds dictionary keys: NFKC per code point;
    # with t2s, as lookups fold their input (csrc/core/tb_fold.h).
    out = []
    for ch in word:
        n = unicodedata.normalize("NFKC", ch)
        ch = n if len(n) == 1 else ch
        out.append(t2s.get(ch, ch) if t2s else ch)
    return "".join(out)


@pytest.fixture(scope="module")
def t2s():
    """The Traditional -> Simplified pairs of the installed lexicon (its t2s section)."""
    data = importlib.resources.files("tongbao._data").joinpath("lexicon.bin").read_bytes()
    assert data[:8] == b"TBLEX006"
    off = struct.unpack_from("<I", data, 52)[0]
    n = struct.unpack_from("<I", data, off)[0]
    pairs = struct.unpack_from(f"<{2 * n}I", data, off + 4)
    return {chr(pairs[i]): chr(pairs[i + 1]) for i in range(0, 2 * n, 2)}


def _read(path):
    entries = {}
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            parts = raw.strip().split()
            if parts and not parts[0].startswith("#"):
                entries[_fold(parts[0])] = int(parts[1]) if len(parts) > 1 else 1
    return entries


@pytest.fixture(scope="module")
def expected():
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        pytest.skip("jieba (a test dependency) is not installed")
    entries = _read(pathlib.Path(spec.origin).parent / "dict.txt")
    for p in sorted((REPO_ROOT / "lexicon").glob("*.dict")):
        entries.update(_read(p))   # domain words override, as at build time
    return entries


def test_every_dictionary_word_is_found_with_its_frequency(expected, t2s):
    tok = tongbao.Tokenizer()
    wrong = [(w, tok.get_FREQ(w)) for w in expected if tok.get_FREQ(w) != expected.get(_fold(w, t2s))]
    assert len(expected) > 340_000
    assert wrong == []
    # nearly all keys are reached as they are
    assert sum(_fold(w, t2s) == w for w in expected) > 0.99 * len(expected)


def test_prefixes_that_are_not_words_are_not_found(expected, t2s):
    tok = tongbao.Tokenizer()
    prefixes = {w[:i] for w in expected for i in range(1, len(w))} - expected.keys()
    assert len(prefixes) > 10_000
    wrong = [p for p in prefixes if tok.get_FREQ(p) != expected.get(_fold(p, t2s))]
    assert wrong == []


def test_words_absent_from_the_dictionary_are_not_found(expected):
    tok = tongbao.Tokenizer()
    # Extensions of words by one character that the dictionary lacks, and
    # characters beyond the BMP or outside every word.
    samples = [w + "乂" for w in list(expected)[:5000] if w + "乂" not in expected]
    samples += ["\U00020000", "\U0001F600", "\x00", "\uffff", "郑州\U00020000"]
    samples = [s for s in samples if s not in expected]
    assert [s for s in samples if tok.get_FREQ(s) is not None] == []
