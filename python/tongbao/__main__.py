"""Command line: ``tongbao demo``, ``tongbao extract PATH ... -o DIR``,
``tongbao analyze [FILE ...]`` and ``tongbao tokenize [FILE ...]``.

``demo`` runs :func:`tongbao.extract` over the sample corpus shipped in the
package, prints its metrics table per region and date and writes all its
tables as Parquet (``demo --bulletin``: one bulletin, every table);
``extract`` writes every table of a corpus to a directory (``_cli_extract``);
``analyze`` writes one table (metrics — the default —, quantities, dates,
entities or tokens) of any number of files as CSV, with a ``doc`` column; ``tokenize`` writes one line of space-separated tokens per input
line. Files may be in any supported encoding, or standard input (``-``).
"""
from __future__ import annotations

import argparse
import sys
from importlib import resources
from typing import TYPE_CHECKING, List, Optional

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _sample_text() -> str:
    return resources.files("tongbao._data").joinpath("sample_bulletin.txt").read_text(encoding="utf-8")


def _print_table(title: str, df: "pd.DataFrame", columns: List[str]) -> None:
    import pandas as pd

    print(f"\n== {title} ({len(df)} rows)")
    if len(df):
        with pd.option_context("display.max_rows", 200, "display.width", 200,
                               "display.unicode.east_asian_width", True):
            print(df[columns].to_string(index=False))


def cmd_demo(args: argparse.Namespace) -> int:
    if not args.bulletin:
        from ._cli_extract import demo

        return demo(args.output)
    import tongbao

    text = _sample_text()
    tok = tongbao.Tokenizer(style=args.style)
    words = [w for w in tok.lcut(text) if not w.isspace()]
    doc = tongbao.analyze(text)
    print(f"tongbao {tongbao.__version__} (ICU {tongbao.ICU_VERSION}) — sample bulletin, "
          f"{len(text)} characters, {len(words)} tokens; reference date {doc.ref_date} "
          f"({doc.ref_source or 'none'})\n")
    _print_table("metrics", doc.metrics, ["metric", "scope", "origin", "region", "code", "date", "value",
                                          "consistent", "text"])
    print("\n== tokens (first 80)")
    print(" / ".join(words[:80]) + " …")
    _print_table("quantities", doc.quantities, ["text", "start", "value", "unit", "approx", "ordinal", "kind"])
    _print_table("dates", doc.dates, ["text", "start", "value", "granularity", "part_of_day"])
    try:
        _print_table("entities", doc.entities, ["text", "start", "label", "code"])
    except ImportError:
        pass
    return 0


TABLES = ("metrics", "quantities", "dates", "entities", "tokens")


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def cmd_analyze(args: argparse.Namespace) -> int:
    import pandas as pd

    import tongbao

    frames = []
    for src in args.files or ["-"]:
        data = sys.stdin.buffer.read() if src == "-" else _read(src)
        doc = tongbao.analyze(data, ref_date=args.ref_date)
        df = getattr(doc, args.table).copy()
        df.insert(0, "doc", src)
        frames.append(df)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if args.format == "jsonl":
        out.to_json(sys.stdout, orient="records", lines=True, force_ascii=False)
    else:
        out.to_csv(sys.stdout, index=False)
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
    d = sub.add_parser("demo", help="extract the embedded sample corpus and print its metrics table")
    d.add_argument("--style", default="default", choices=["default", "pku"])
    d.add_argument("--bulletin", action="store_true", help="one sample bulletin and all its tables instead")
    d.add_argument("-o", "--output", default=None,
                   help="where to write the Parquet files (default: ./tongbao-demo-output, else a temp dir)")
    d.set_defaults(func=cmd_demo)
    from ._cli_extract import add_parser as _add_extract

    _add_extract(sub)
    a = sub.add_parser("analyze", help="extract a table from files (or stdin) as CSV or JSON lines")
    a.add_argument("files", nargs="*")
    a.add_argument("--table", default="metrics", choices=TABLES)
    a.add_argument("--ref-date", default=None, help="reference date for year-less dates (YYYY-MM-DD)")
    a.add_argument("--format", default="csv", choices=["csv", "jsonl"])
    a.set_defaults(func=cmd_analyze)
    t = sub.add_parser("tokenize", help="tokenize files (or stdin), one output line per input line")
    t.add_argument("files", nargs="*")
    t.add_argument("--encoding", default=None, help="force an encoding (default: detect)")
    t.add_argument("--sep", default=" ")
    t.add_argument("--style", default="default", choices=["default", "pku"])
    t.add_argument("--no-hmm", action="store_true", help="disable the unknown-word model")
    t.set_defaults(func=cmd_tokenize)
    args = ap.parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        return 0
    except (OSError, ValueError, UnicodeError) as exc:
        # A missing file, a directory, undecodable bytes, a bad --ref-date:
        # one line naming the problem, not a traceback.
        where = f"{exc.filename}: " if isinstance(exc, OSError) and exc.filename else ""
        print(f"tongbao: {where}{exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
