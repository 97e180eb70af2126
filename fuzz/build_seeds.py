"""Build the fuzzers' seed corpora from the real bulletins and the tests.

    python fuzz/build_seeds.py [--shared ../shared] [--out fuzz/build/seeds]

Writes one directory per harness (fuzz_segment, fuzz_quantity, fuzz_udict,
fuzz_encoding, fuzz_utf8, fuzz_dates, fuzz_entities, fuzz_analyze,
fuzz_lexicon, fuzz_metric, fuzz_fingerprint, python) of small files in each harness's input layout (see the comment at the top
of fuzz/fuzz_<name>.c). Sources: the bulletins in <shared>/corpus/seeds
and corpus/synthetic (one seed per line and per ~1 KB chunk), tests/data
(tests/data/metrics too),
and every non-ASCII or digit-bearing string literal in tests/*.py. The
seeds are generated, never committed: the corpora stay in ../shared.
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LEN = 4000   # under the harnesses' -max_len=4096


def bulletin_texts(shared: Path) -> list[str]:
    out: list[str] = []
    for d in ("corpus/seeds", "corpus/synthetic"):
        for p in sorted((shared / d).glob("*.txt")):
            text = p.read_text(encoding="utf-8", errors="surrogatepass")
            out.extend(line for line in text.splitlines() if line.strip())
            for i in range(0, len(text), 600):   # ~1.8 KB of UTF-8: multi-line context
                out.append(text[i:i + 600])
    for p in sorted((ROOT / "tests/data/metrics").glob("*.txt")):   # the metrics evaluation set
        text = p.read_text(encoding="utf-8", errors="surrogatepass")
        out.extend(line for line in text.splitlines() if line.strip())
    sample = ROOT / "python/tongbao/_data/sample_bulletin.txt"
    if sample.exists():
        out.extend(line for line in sample.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def test_strings() -> list[str]:
    """String literals of the tests that carry Chinese text or numbers."""
    out: list[str] = []
    for p in sorted((ROOT / "tests").glob("*.py")):
        try:
            tree = ast.parse(p.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                s = node.value
                if s.strip() and (any(ord(c) > 127 for c in s) or any(c.isdigit() for c in s)):
                    out.append(s)
    return out


def userdicts() -> list[bytes]:
    out = [p.read_bytes() for p in sorted((ROOT / "tests/data").glob("*.txt"))]
    out += [
        b"\xef\xbb\xbf\xe4\xba\x91\xe8\xae\xa1\xe7\xae\x97 5\r\n\xe5\x88\x9b\xe6\x96\xb0\xe5\x8a\x9e 3 i\r\n",
        "新冠肺炎 100 n\n无症状感染者\t20\tn\n\n  \n郑州 ns\n".encode(),
        "好用 300\n坏 x y z\n".encode(),
        "密接 abc\n".encode(),
        "词 10 toolongtag_toolongtag\n".encode(),
        b"\xff\xfe bad\n",
        "一\x01二 3\n".encode(),
    ]
    return out


def write(d: Path, data: bytes, seen: dict[Path, set[bytes]]) -> None:
    data = data[:MAX_LEN]
    if data in seen.setdefault(d, set()):
        return
    seen[d].add(data)
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def encodings_of(s: str) -> list[tuple[int, bytes]]:
    """(selector byte of fuzz_encoding.c, bytes): detection and explicit names."""
    out = [(0, s.encode("utf-8", "surrogatepass")), (4, s.encode("utf-8", "surrogatepass"))]
    for sel, codec in ((5, "gb18030"), (6, "gbk"), (8, "big5"), (0, "gb18030"), (0, "big5")):
        try:
            out.append((sel, s.encode(codec)))
        except UnicodeEncodeError:
            pass
    for sel, codec in ((0, "utf-16"), (9, "utf-16"), (10, "utf-16-le"), (11, "utf-16-be"), (0, "utf-32")):
        try:
            out.append((sel, s.encode(codec)))
        except UnicodeEncodeError:
            pass
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "fuzz/build/seeds")
    args = ap.parse_args()
    texts = test_strings()
    if (args.shared / "corpus").is_dir():
        texts = bulletin_texts(args.shared) + texts
    else:
        print(f"build_seeds: {args.shared}/corpus not found, seeds from the tests only", file=sys.stderr)
    dicts = userdicts()
    seen: dict[Path, set[bytes]] = {}
    for k, s in enumerate(texts):
        b = s.encode("utf-8", "surrogatepass")
        # fuzz_segment: option byte (mode, style, HMM) cycling through all 18 combinations.
        opt = (k % 3) | (((k // 3) % 3) << 2) | (0x10 if (k // 9) % 2 == 0 else 0)
        write(args.out / "fuzz_segment", bytes([opt]) + b, seen)
        if k % 4 == 0:
            write(args.out / "fuzz_segment", bytes([opt]) + dicts[k % len(dicts)] + b"\xff" + b, seen)
        # fuzz_quantity: with token boundaries; every third seed with a skip span.
        if k % 3 == 0:
            write(args.out / "fuzz_quantity", bytes([1, 64, 6]) + b, seen)
        else:
            write(args.out / "fuzz_quantity", bytes([0]) + b, seen)
        write(args.out / "fuzz_utf8", b, seen)
        # fuzz_dates: every other seed with a reference date (2022-03-28 12h).
        write(args.out / "fuzz_dates", bytes([k % 2, 61, 2, 27, 13]) + b, seen)
        # fuzz_entities: every fourth seed after adding one user place 航空港区.
        extra = "航空港区".encode("utf-8")
        if k % 4 == 0:
            write(args.out / "fuzz_entities", bytes([1, len(extra)]) + extra + b, seen)
        else:
            write(args.out / "fuzz_entities", bytes([0]) + b, seen)
        # fuzz_analyze: reference date and entity pass cycling; every eighth seed adds a user word.
        if k % 8 == 7:
            word = "本土确诊".encode("utf-8")
            write(args.out / "fuzz_analyze", bytes([4 | (k % 4), 61, 2, 27, 13, len(word)]) + word + b, seen)
        else:
            write(args.out / "fuzz_analyze", bytes([k % 4, 61, 2, 27, 13]) + b, seen)
        # fuzz_lexicon (about 10 inputs/s: each opens and validates a whole
        # lexicon): a few short texts over the lexicon as built, and with one
        # edit in the hot front of the node table (a root child's base or check).
        if len(b) <= 256 and k % 40 == 0:
            write(args.out / "fuzz_lexicon", bytes([0]) + b, seen)
            edit = (16 * (k + 1) + k % 8).to_bytes(4, "little") + bytes([1 << (k % 8)])
            write(args.out / "fuzz_lexicon", bytes([1]) + edit + b, seen)
        # fuzz_metric: with and without a reference date; every 16th seed
        # with a small rule table of its own before the text.
        if k % 16 == 15:
            table = ("scope new\norigin local\nmetric confirmed units=例,-\nword MN confirmed 确诊病例|病例\n"
                     "word S new 新增\nrule figure {MN}(?<q>{Q})\ncue {S}|(?<p>{P})\n").encode()
            write(args.out / "fuzz_metric", bytes([2 | (k % 2)]) + table + b"\xff" + b, seen)
        else:
            write(args.out / "fuzz_metric", bytes([k % 2]) + b, seen)
        # fuzz_fingerprint: the text as 1-, 2- and 4-byte code units (a
        # Python str's storage), with a short-line limit and a drop seed.
        if k % 4 == 0:
            units = [ord(c) for c in s[:400]]
            for width, sel in ((1, 0), (2, 1), (4, 2)):
                if all(u < (1 << (8 * width)) for u in units):
                    raw = b"".join(u.to_bytes(width, "little") for u in units)
                    write(args.out / "fuzz_fingerprint", bytes([sel | (30 << 2), k % 256]) + raw, seen)
        for sel, enc in encodings_of(s) if k % 3 == 0 else ():
            write(args.out / "fuzz_encoding", bytes([sel]) + enc, seen)
        write(args.out / "python", bytes([k % 2]) + b, seen)   # fuzz_python.py: text
        if k % 7 == 0:
            for _, enc in encodings_of(s):
                write(args.out / "python", b"\x02" + enc, seen)   # decode()
    for d in dicts:
        write(args.out / "fuzz_udict", d, seen)
        write(args.out / "python", b"\x03" + d, seen)   # load_userdict
    for h in sorted(p.name for p in args.out.iterdir()):
        print(f"build_seeds: {h}: {sum(1 for _ in (args.out / h).iterdir())} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
