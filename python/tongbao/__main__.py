"""Command line: ``tongbao tokenize [FILE ...]`` and ``tongbao demo``.

``demo`` tokenizes the sample bulletin shipped in the package and prints a
table; ``tokenize`` writes one line of space-separated tokens per input line
(files in any supported encoding, or standard input).
"""
from __future__ import annotations

import argparse
import sys
from importlib import resources
from typing import List, Optional


def _sample_text() -> str:
    return resources.files("tongbao._data").joinpath("sample_bulletin.txt").read_text(encoding="utf-8")


def cmd_demo(args: argparse.Namespace) -> int:
    import tongbao

    text = _sample_text()
    tok = tongbao.Tokenizer(style=args.style)
    rows = [(w, s, e) for w, s, e in tok.tokenize(text) if not w.isspace()]
    print(f"tongbao {tongbao.__version__} (ICU {tongbao.ICU_VERSION}) — sample bulletin, "
          f"{len(text)} characters, {len(rows)} tokens\n")
    print(f"{'start':>5} {'end':>5}  token")
    for w, s, e in rows:
        print(f"{s:>5} {e:>5}  {w}")
    print("\n" + " / ".join(w for w, _, _ in rows[:60]) + " …")
    return 0


def cmd_tokenize(args: argparse.Namespace) -> int:
    import tongbao

    tok = tongbao.Tokenizer(style=args.style)
    sources = args.files or ["-"]
    out = sys.stdout
    for src in sources:
        data = sys.stdin.buffer.read() if src == "-" else open(src, "rb").read()
        text, _ = tongbao.decode(data, args.encoding)
        for line in text.splitlines():
            out.write(args.sep.join(w for w in tok.lcut(line, HMM=not args.no_hmm) if not w.isspace()))
            out.write("\n")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="tongbao", description="Chinese bulletins into data.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("demo", help="tokenize the embedded sample bulletin and print a table")
    d.add_argument("--style", default="default", choices=["default", "pku"])
    d.set_defaults(func=cmd_demo)
    t = sub.add_parser("tokenize", help="tokenize files (or stdin), one output line per input line")
    t.add_argument("files", nargs="*")
    t.add_argument("--encoding", default=None, help="force an encoding (default: detect)")
    t.add_argument("--sep", default=" ")
    t.add_argument("--style", default="default", choices=["default", "pku"])
    t.add_argument("--no-hmm", action="store_true", help="disable the unknown-word model")
    t.set_defaults(func=cmd_tokenize)
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
