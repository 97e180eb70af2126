"""Drive the extension through the Python API over the seed bulletins: the
script `make valgrind` runs under memcheck (fuzz/README.md).

    python tools/exercise_api.py [--shared ../shared] [--rounds 2]

analyze() (tokens, quantities), lcut in both HMM settings, lcut_for_search,
tokenize, add_word / del_word / suggest_freq, load_userdict from a file,
a private Tokenizer in each style, decode() of UTF-8, GB18030, UTF-16 and
damaged bytes, and the error paths (bad dictionary line, bad bytes). Prints
one summary line; exits non-zero if a result is wrong.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import tongbao


def texts(shared: Path) -> list[str]:
    out = [p.read_text(encoding="utf-8") for p in sorted((shared / "corpus/seeds").glob("*.txt"))]
    if not out:   # without ../shared: the sample bundled with the package
        from importlib.resources import files
        out = [files("tongbao._data").joinpath("sample_bulletin.txt").read_text(encoding="utf-8")]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    docs = texts(args.shared)
    n_tok = n_q = 0
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good.txt")
        bad = os.path.join(tmp, "bad.txt")
        Path(good).write_text("云计算 5\n李小福 2 nr\n创新办 3 i\n本土确诊 ns\n", encoding="utf-8")
        Path(bad).write_text("好用 300\n坏 x y z\n", encoding="utf-8")
        for _ in range(args.rounds):
            for text in docs:
                doc = tongbao.analyze(text)
                toks, qs = doc.tokens, doc.quantities
                assert "".join(toks["token"]) == text
                n_tok += len(toks)
                n_q += len(qs)
                for hmm in (True, False):
                    assert "".join(tongbao.lcut(text, HMM=hmm)) == text
                tongbao.lcut_for_search(text)
                list(tongbao.tokenize(text, mode="search"))
                tongbao.add_word("本土确诊病例", 1000, "n")
                tongbao.suggest_freq(("新增", "确诊"), True)
                tongbao.lcut(text)
                tongbao.del_word("本土确诊病例")
                for style in ("default", "pku", "jieba"):
                    tok = tongbao.Tokenizer(style=style)
                    tok.load_userdict(good)
                    try:
                        tok.load_userdict(bad)
                        raise AssertionError("bad dictionary accepted")
                    except tongbao.DictionaryError:
                        pass
                    tok.lcut(text[:2000])
                    del tok
                for enc in ("utf-8", "gb18030", "utf-16"):
                    assert tongbao.decode(text.encode(enc))[0] == text
                try:
                    tongbao.decode(text.encode("utf-8")[:-1] + b"\xff\xfe\xfd")
                except tongbao.DecodeError:
                    pass
    print(f"exercise_api: {len(docs)} bulletins x {args.rounds} rounds: {n_tok} tokens, {n_q} quantities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
