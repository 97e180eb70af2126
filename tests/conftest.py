"""Shared fixtures for the tongbao test-suite.

The shared directory (corpus, gold files) lives beside the repository, at
``<repo root>/../shared``; set ``TONGBAO_SHARED`` to point elsewhere.  Tests
that need it are skipped when it is absent.
"""
import os
import pathlib

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA_DIR = pathlib.Path(__file__).resolve().parent / "data"


def _shared_path():
    env = os.environ.get("TONGBAO_SHARED")
    if env:
        return pathlib.Path(env)
    return REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir():
    """Path of the shared directory; skips the test when it does not exist."""
    path = _shared_path()
    if not path.is_dir():
        pytest.skip(f"shared directory not found: {path} (set TONGBAO_SHARED)")
    return path


@pytest.fixture(scope="session")
def seed_files(shared_dir):
    """The real bulletin texts shared/corpus/seeds/*.txt (skip when missing)."""
    files = sorted((shared_dir / "corpus" / "seeds").glob("*.txt"))
    if not files:
        pytest.skip(f"no seed texts in {shared_dir / 'corpus' / 'seeds'}")
    return files


@pytest.fixture(scope="session")
def seed_lines(seed_files):
    """Non-blank lines of the seed texts, stripped."""
    lines = []
    for f in seed_files:
        for line in f.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line:
                lines.append(line)
    return lines


@pytest.fixture(scope="session")
def score_dates():
    """bench/score_dates.py as a module: the date scorer the tests share with
    `make bench` (the bench folder is not a package)."""
    import sys

    bench = str(pathlib.Path(__file__).resolve().parent.parent / "bench")
    sys.path.insert(0, bench)
    try:
        import score_dates as module
    finally:
        sys.path.remove(bench)
    return module


@pytest.fixture(scope="session")
def data_dir():
    return DATA_DIR


@pytest.fixture(scope="session")
def tongbao():
    """The package under test (fails loudly, not skips, when not importable)."""
    import tongbao as tb

    return tb


@pytest.fixture
def tok(tongbao):
    """A fresh, private Tokenizer, so tests may mutate its dictionary."""
    return tongbao.Tokenizer()


# Sentences used across several test modules: ordinary news-style Chinese
# mixing numbers, Latin letters and punctuation.
SAMPLE_SENTENCES = [
    "我来到北京清华大学",
    "他来到了网易杭研大厦",
    "小明硕士毕业于中国科学院计算所，后在日本京都大学深造",
    "本报综合报道 (河南日报记者李铮 冯芸)3月27日,省委召开新冠肺炎疫情防控工作第十五次专题会议。",
    "截至今天上午8时,全市划定封控区41个、管控区151个。",
    "全省累计接种新冠病毒疫苗2.2万剂次,接种率达到95.82%,共118,406人。",
    "COVID-19 疫情期间, 请佩戴 N95 口罩并保持 1 米距离。",
    "对密接人员、次密接人员“应隔尽隔、应隔快隔”。",
]


def _boundaries(tokens):
    """Set of internal cut positions (code-point offsets) of a segmentation."""
    cuts = set()
    pos = 0
    for t in tokens[:-1]:
        pos += len(t)
        cuts.add(pos)
    return cuts


@pytest.fixture(scope="session")
def sample_sentences():
    return list(SAMPLE_SENTENCES)


@pytest.fixture(scope="session")
def boundaries():
    """Function: tokens -> set of internal cut offsets (code points)."""
    return _boundaries


# Python codecs that may correspond to each encoding name tongbao reports
# (Big5 has several vendor variants).
_CODECS = {
    "utf-8": ["utf-8"],
    "gb18030": ["gb18030"],
    "big5": ["big5", "cp950", "big5hkscs"],
    "utf-16le": ["utf-16-le"],
    "utf-16be": ["utf-16-be"],
}
_BOMS = {
    "utf-8": b"\xef\xbb\xbf",
    "utf-16le": b"\xff\xfe",
    "utf-16be": b"\xfe\xff",
}
KNOWN_ENCODINGS = set(_CODECS)


def _roundtrips(data, text, encoding):
    """True when `text` is a lossless decoding of `data` under `encoding`:
    re-encoding it (after the BOM, if any) gives back exactly `data`."""
    enc = encoding.lower()
    if enc not in _CODECS:
        return False
    for codec in _CODECS[enc]:
        errors = "surrogatepass" if codec.startswith("utf") else "strict"
        try:
            raw = text.encode(codec, errors)
        except (UnicodeError, LookupError):
            continue
        if raw == data or _BOMS.get(enc, b"") + raw == data:
            return True
    return False


@pytest.fixture(scope="session")
def roundtrips():
    """Function (data, text, encoding) -> bool, see _roundtrips."""
    return _roundtrips


@pytest.fixture(scope="session")
def known_encodings():
    return set(KNOWN_ENCODINGS)


# matplotlib's font module (C++ via pybind11) throws C++ exceptions on
# ordinary attribute lookups, and the __cxa_throw interceptor of an ASan
# runtime preloaded into an uninstrumented interpreter dies on them (a CHECK
# in asan_interceptors.cpp, before any report): under `make sanitize` the
# tests that draw with matplotlib are left to the plain run, which has them.
# They call no C of tongbao's that the other tests do not.
_DRAWS_WITH_MATPLOTLIB = ("test_plot.py", "test_notebook.py", "[tongbao.plot]")


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("TONGBAO_UNDER_SANITIZER"):
        return
    skip = pytest.mark.skip(reason="matplotlib's ft2font cannot run under a preloaded ASan runtime")
    for item in items:
        if any(part in item.nodeid for part in _DRAWS_WITH_MATPLOTLIB):
            item.add_marker(skip)
