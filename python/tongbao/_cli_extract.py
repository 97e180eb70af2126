"""``tongbao extract PATH... -o OUTDIR`` and ``tongbao demo``.

``extract`` streams every table of the documents under PATH (files,
directories, globs, ``-`` for standard input) to OUTDIR as Parquet, CSV or
JSON lines, with a progress bar on stderr, then prints a summary: documents
read, rows per table, documents not read and why. Exit status: 0 when every
document was read, 1 when some were not (the rest is written all the same),
2 for a usage error (a bad option, a bad date, an output directory that
cannot be made).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from importlib import resources
from typing import List, Optional

from ._tables import DEFAULT_TABLES, TABLES


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    e = sub.add_parser("extract", help="every table of a corpus into a directory (Parquet, CSV or JSON lines)",
                       description="Extract the tables of every document under PATH into OUTDIR.")
    e.add_argument("paths", nargs="+", metavar="PATH", help="files, directories (recursive), globs, or - (stdin)")
    e.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="directory to write the tables to")
    e.add_argument("--format", default="parquet", choices=["parquet", "csv", "jsonl"])
    e.add_argument("--ref-date", default=None, metavar="YYYY-MM-DD",
                   help="reference date of every document (default: each document's own)")
    e.add_argument("--jobs", type=int, default=None, metavar="N", help="threads (default: the machine's cores)")
    e.add_argument("--tables", default=",".join(DEFAULT_TABLES), metavar="T1,T2",
                   help=f"comma-separated tables among {', '.join(TABLES)} (default: %(default)s)")
    e.add_argument("--pattern", action="append", default=None, metavar="GLOB",
                   help="file names read in directories (repeatable; default: *.txt, *.html, *.htm)")
    e.add_argument("--no-progress", action="store_true", help="no progress bar")
    e.set_defaults(func=cmd_extract)


def _usage(msg: str) -> int:
    print(f"tongbao extract: error: {msg}", file=sys.stderr)
    return 2


def cmd_extract(args: argparse.Namespace) -> int:
    import tongbao

    tables = [t.strip() for t in args.tables.split(",") if t.strip()]
    bad = [t for t in tables if t not in TABLES]
    if bad:
        return _usage(f"unknown table(s) {', '.join(bad)}: the tables are {', '.join(TABLES)}")
    if args.jobs is not None and args.jobs < 1:
        return _usage("--jobs must be at least 1")
    if args.ref_date is not None:
        try:
            from ._analyze import parse_ref_date

            parse_ref_date(args.ref_date)
        except (tongbao.InputError, TypeError) as exc:
            return _usage(str(exc))
    try:
        os.makedirs(args.output, exist_ok=True)
    except OSError as exc:
        return _usage(f"cannot create {args.output}: {exc.strerror or exc}")
    sources: List[object] = [sys.stdin.buffer if p == "-" else p for p in args.paths]
    # a PATH on the command line is always a path, never a text
    import pathlib

    sources = [pathlib.Path(s) if isinstance(s, str) else s for s in sources]
    try:
        result = tongbao.extract(sources, args.ref_date, tables=tables, jobs=args.jobs,
                                 progress=False if args.no_progress else None, pattern=args.pattern,
                                 out=args.output, format=args.format)
    except ImportError as exc:
        return _usage(str(exc))
    print(result.summary())
    if "metrics" in tables:
        # the corpus-level tables: one row per fact, every contradiction (docs/series.md)
        from ._series_io import summary_line, write_series_and_checks

        print(summary_line(write_series_and_checks(result, args.output, args.format)))
    print(f"written: {os.path.abspath(args.output)} ({args.format})")
    return 1 if len(result.errors) else 0


def _corpus_dir() -> str:
    return str(resources.files("tongbao._data").joinpath("corpus"))


def _demo_output(requested: Optional[str]) -> str:
    if requested:
        return requested
    here = os.path.join(os.getcwd(), "tongbao-demo-output")
    try:
        os.makedirs(here, exist_ok=True)
        if os.access(here, os.W_OK):
            return here
    except OSError:
        pass
    return tempfile.mkdtemp(prefix="tongbao-demo-")


def demo(output: Optional[str] = None) -> int:
    import pandas as pd

    import tongbao

    corpus = _corpus_dir()
    try:
        import pyarrow  # noqa: F401
        have_arrow = True
    except ImportError:
        have_arrow = False
    result = tongbao.extract(corpus, progress=False)
    docs = result.documents
    print(f"tongbao {tongbao.__version__} (ICU {tongbao.ICU_VERSION}) — sample corpus: {len(docs)} bulletins, "
          f"{int(docs['bytes'].sum()) / 1e3:.1f} kB, encodings {', '.join(sorted(set(docs['encoding'].dropna())))}")
    m = result.metrics.copy()
    m["file"] = m["doc_id"].map(lambda p: os.path.basename(str(p)))
    m = m.sort_values(["date_text", "region", "metric", "scope", "origin"], kind="stable", na_position="last")
    # figures as written: 35, 2.5, 210000000 (not 2.1e+08 or 35.0)
    m["value"] = m["value"].map(lambda v: f"{v:.0f}" if float(v).is_integer() else f"{v:g}")
    cols = ["date_text", "region", "code", "metric", "scope", "origin", "value", "file"]
    print(f"\n== metrics per region and date ({len(m)} rows)")
    with pd.option_context("display.max_rows", None, "display.width", 200,
                           "display.unicode.east_asian_width", True):
        print(m[cols].rename(columns={"date_text": "date"}).to_string(index=False))
    print("\n" + result.summary())
    out = _demo_output(output)
    if have_arrow:
        result.to_parquet(out)
        print(f"\nParquet files (one per table) written to {out}")
    else:
        result.to_csv(out)
        print(f"\npyarrow is not installed: CSV files written to {out} (pip install 'tongbao[extract]')")
    return 0
