"""Hostile input: wrong types, huge and pathological strings, undecodable
bytes, NULs, iterator misuse.  Big inputs run in a subprocess with a time
limit so that a crash or a hang is reported instead of killing the run."""
import subprocess
import sys
import textwrap

import pytest

BAD_VALUES = [5, 3.14, None, ["中文"], ("中文",), {"a": 1}, object()]
CUTTERS = [
    ("cut", {}),
    ("cut", {"cut_all": True}),
    ("lcut", {}),
    ("lcut", {"HMM": False}),
    ("cut_for_search", {}),
    ("lcut_for_search", {}),
    ("tokenize", {}),
    ("tokenize", {"mode": "search"}),
    ("tokenize", {"mode": "icu"}),
]


def run_python(code, timeout):
    """Run `code` in a fresh interpreter; return (returncode, stdout, stderr)."""
    try:
        p = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"timed out after {timeout}s; output so far: {e.stdout!r}")
    return p.returncode, p.stdout, p.stderr


@pytest.mark.parametrize("value", BAD_VALUES, ids=[type(v).__name__ for v in BAD_VALUES])
@pytest.mark.parametrize("name,kwargs", CUTTERS)
def test_non_str_raises_type_error(tongbao, name, kwargs, value):
    with pytest.raises(TypeError):
        list(getattr(tongbao, name)(value, **kwargs))
    with pytest.raises(TypeError):
        list(getattr(tongbao.Tokenizer(), name)(value, **kwargs))


@pytest.mark.parametrize("value", BAD_VALUES, ids=[type(v).__name__ for v in BAD_VALUES])
def test_tokens_non_str_raises_type_error(tongbao, value):
    with pytest.raises(TypeError):
        tongbao.tokens(value)


def test_str_subclass_accepted(tongbao):
    class S(str):
        pass

    s = "我来到北京清华大学"
    assert tongbao.lcut(S(s)) == tongbao.lcut(s)
    assert list(tongbao.tokenize(S(s))) == list(tongbao.tokenize(s))


def test_empty_string(tongbao):
    assert tongbao.lcut("") == []
    assert tongbao.Tokenizer().lcut("") == []
    assert tongbao.lcut(b"") == []


def test_nul_characters(tongbao):
    for s in ["\x00", "中\x00文", "\x00" * 1000, "清华\x00大学", "118\x00406"]:
        for hmm in (True, False):
            tokens = tongbao.lcut(s, HMM=hmm)
            assert "".join(tokens) == s
            assert all(tokens)
        # a NUL is not a string terminator: nothing after it is lost
        toks = list(tongbao.tokenize(s))
        assert toks[-1][2] == len(s)
    data = "清华\x00大学".encode("utf-8")
    assert "".join(tongbao.lcut(data)) == "清华\x00大学"


def test_nul_does_not_join_words(tongbao):
    # a NUL is a character like any other, not something skipped over
    for hmm in (True, False):
        tokens = tongbao.lcut("清华\x00大学", HMM=hmm)
        assert "清华\x00大学" not in tokens, tokens


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\xfd\x80abc",
        b"\xfd\x80abc",
        b"\x80" * 100,
        b"abc\xff",
        b"\xe4\xb8",
    ],
)
@pytest.mark.parametrize("name,kwargs", CUTTERS)
def test_invalid_bytes_never_crash(tongbao, roundtrips, known_encodings, data, name, kwargs):
    """Either DecodeError (as decode() raises) or a lossless decoding that is
    the same as decode()'s."""
    try:
        text, enc = tongbao.decode(data)
    except tongbao.DecodeError:
        with pytest.raises(tongbao.DecodeError):
            list(getattr(tongbao, name)(data, **kwargs))
        with pytest.raises(tongbao.DecodeError):
            tongbao.tokens(data)
        return
    assert enc.lower() in known_encodings, f"undocumented encoding name {enc!r}"
    assert roundtrips(data, text, enc), (data, text, enc)
    got = list(getattr(tongbao, name)(data, **kwargs))
    assert got == list(getattr(tongbao, name)(text, **kwargs))
    df = tongbao.tokens(data)
    assert df.attrs["encoding"].lower() == enc.lower()


def test_abandoned_iterators(tongbao):
    s = "我来到北京清华大学" * 2000
    for _ in range(50):
        g = tongbao.cut(s)
        next(g)
        del g
        g = tongbao.tokenize(s, mode="search")
        next(g)
        del g
    assert tongbao.lcut("清华大学") == tongbao.lcut("清华大学")


def test_dictionary_change_while_iterating(tongbao):
    t = tongbao.Tokenizer()
    s = "我在用彤宝分词器做实验。" * 200
    g = t.cut(s)
    first = [next(g) for _ in range(5)]
    t.add_word("彤宝分词器")
    rest = list(g)
    assert "".join(first + rest) == s
    g = t.cut(s)
    first = [next(g) for _ in range(5)]
    t.del_word("彤宝分词器")
    assert "".join(first + list(g)) == s


def test_twenty_megabyte_single_line():
    """20 MB of UTF-8 on one line (no newline at all): must finish and be
    lossless, for str and bytes input.  Generous limit: it only catches
    hangs and super-linear behaviour."""
    code = r"""
        import time, tongbao
        unit = ("本报综合报道(河南日报记者李铮 冯芸)3月27日,省委召开新冠肺炎疫情防控工作"
                "第十五次专题会议。累计118,406例,占95.82%,COVID-19 test ")
        n = 20 * 1024 * 1024 // len(unit.encode("utf-8")) + 1
        s = unit * n
        assert "\n" not in s and len(s.encode("utf-8")) >= 20 * 1024 * 1024
        t0 = time.perf_counter()
        tokens = tongbao.lcut(s)
        assert "".join(tokens) == s, "lcut(str) not lossless"
        t1 = time.perf_counter()
        del tokens
        tokens = tongbao.lcut(s.encode("utf-8"))
        assert "".join(tokens) == s, "lcut(bytes) not lossless"
        t2 = time.perf_counter()
        print("OK str %.1fs bytes %.1fs" % (t1 - t0, t2 - t1))
    """
    rc, out, err = run_python(code, timeout=180)
    assert rc == 0 and "OK" in out, f"rc={rc}\nstdout={out}\nstderr={err[-3000:]}"


def test_pathological_runs():
    """200 k code points of a single repeated character class each: catches
    quadratic behaviour in run handling (numbers, Latin, whitespace...)."""
    code = r"""
        import sys, time, tongbao
        N = 200_000
        cases = {
            "latin": "a" * N,
            "digits": "1" * N,
            "digits-commas": "1," * (N // 2),
            "digits-dots": "1." * (N // 2),
            "fullwidth-digits": "１" * N,
            "han": "中" * N,
            "han-pair": "清华" * (N // 2),
            "spaces": " " * N,
            "newlines": "\n" * N,
            "nul": "\x00" * N,
            "punct": "。" * N,
            "emoji": "😀" * (N // 2),
            "combining": "e" + "\u0301" * N,
            "surrogates": "\ud800" * (N // 10),
            "mixed-alnum": "a1" * (N // 2),
            "latin-hyphen": "COVID-19-" * (N // 9),
        }
        for name, s in cases.items():
            t0 = time.perf_counter()
            for hmm in (True, False):
                tokens = tongbao.lcut(s, HMM=hmm)
                if "".join(tokens) != s:
                    raise AssertionError(name + " not lossless")
                del tokens
            n = sum(1 for _ in tongbao.tokenize(s, mode="search"))
            print(name, "%.2fs" % (time.perf_counter() - t0), flush=True)
        print("OK")
    """
    rc, out, err = run_python(code, timeout=180)
    assert rc == 0 and "OK" in out, f"rc={rc}\nstdout={out}\nstderr={err[-3000:]}"


def test_very_long_user_word():
    code = r"""
        import tongbao
        t = tongbao.Tokenizer()
        w = "彤宝" * 1000
        t.add_word(w)
        s = "开始" + w + "结束"
        tokens = t.lcut(s, HMM=False)
        assert "".join(tokens) == s
        assert w in tokens
        t.del_word(w)
        assert w not in t.lcut(s, HMM=False)
        print("OK")
    """
    rc, out, err = run_python(code, timeout=60)
    assert rc == 0 and "OK" in out, f"rc={rc}\nstdout={out}\nstderr={err[-3000:]}"


def test_many_tokenizers():
    code = r"""
        import gc, tongbao
        s = "我来到北京清华大学"
        ref = tongbao.lcut(s)
        for i in range(40):
            t = tongbao.Tokenizer()
            t.add_word("彤宝%d号" % i)
            assert t.lcut(s) == ref
            del t
        gc.collect()
        print("OK")
    """
    rc, out, err = run_python(code, timeout=60)
    assert rc == 0 and "OK" in out, f"rc={rc}\nstdout={out}\nstderr={err[-3000:]}"
