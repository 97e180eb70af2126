#!/usr/bin/env python3
"""tongbao.extract benchmark: a corpus on disk to all five tables.

The seed and synthetic bulletins (SHARED/corpus/seeds, SHARED/corpus/synthetic)
are copied to files in a temporary directory until they make at least
--mb MB (default 50), in sub-folders of 500 files, then, in the same run:

* extract jobs=1      -- tongbao.extract(dir, jobs=1): read, decode, analyse,
                         documents + metrics + quantities + dates + entities
                         built as DataFrames;
* extract jobs=2      -- the same with two threads (the ratio to jobs=1 is
                         issue 13's ">= 1.7x");
* analyze loop        -- the loop a user writes without extract: read each
                         file, tongbao.analyze(bytes), build its four
                         DataFrames plus a doc column, pd.concat per table;
* C passes only       -- the core's calls per batch of documents, as extract
                         makes them (fingerprint_scan, the chrome lines
                         decided, Segmenter.extract_batch: every extractor,
                         the fingerprint, the columns) over
                         the texts already decoded, on 1 and 2 threads: the
                         ceiling of extract on this machine, and how far two
                         threads scale here at all (a shared VM's second core
                         may be busy or a hyperthread).

MB/s are of file bytes, best of --passes passes (default 5), the passes of
the two rows of a ratio interleaved. First (while this process
is small: a child's ru_maxrss starts from its parent's RSS), peak RSS when
streaming to Parquet (extract(dir, out=..., format="parquet")), each size in
its own subprocess (resource.getrusage(RUSAGE_SELF).ru_maxrss): --mb MB and
--rss-large MB (default 500; 0 skips it). Targets (issue 13): jobs=1 >= 15
MB/s, jobs=2 >= 1.7x jobs=1, RSS growth <= 50 MB from 50 MB to 500 MB.
Exits 0 even when a target fails: it is a benchmark, not a test.

Usage: python bench/bench_extract.py [--shared PATH] [--mb 50] [--rss-large 500] [--passes 2]
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List

REPO_ROOT = Path(__file__).resolve().parent.parent
TABLES = ("documents", "metrics", "quantities", "dates", "entities")
TARGET_MBPS = 15.0
TARGET_RATIO = 1.7
TARGET_RSS_MB = 50.0


def seed_texts(shared: Path) -> List[bytes]:
    files = sorted((shared / "corpus" / "seeds").glob("*.txt")) + sorted((shared / "corpus" / "synthetic").glob("*.txt"))
    if not files:
        sys.exit(f"no bulletins under {shared}/corpus/seeds or synthetic")
    return [f.read_bytes() for f in files]


def make_corpus(shared: Path, mb: float, where: str) -> int:
    """Copies of the bulletins in `where` until they make `mb` MB; returns the bytes written."""
    texts = seed_texts(shared)
    total, k = 0, 0
    target = int(mb * 1e6)
    while total < target:
        data = texts[k % len(texts)]
        sub = os.path.join(where, f"part{k // 500:04d}")
        if k % 500 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"b{k:06d}.txt"), "wb") as fh:
            fh.write(data)
        total += len(data)
        k += 1
    return total


def best_rates(fns, nbytes: int, passes: int) -> List[float]:
    """best_rate of each of ``fns``, their passes interleaved (a, b, a, b …):
    on a shared VM whose speed drifts, both rows of a ratio see the same
    stretches of time."""
    best = [0.0] * len(fns)
    for _ in range(passes):
        for k, fn in enumerate(fns):
            best[k] = max(best[k], best_rate(fn, nbytes, 1))
    return best


def best_rate(fn, nbytes: int, passes: int) -> float:
    best = 0.0
    for _ in range(passes):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        best = max(best, nbytes / 1e6 / dt)
    return best


def analyze_loop(corpus: str) -> None:
    import pandas as pd

    import tongbao

    frames = {t: [] for t in TABLES[1:]}
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            with open(path, "rb") as fh:
                doc = tongbao.analyze(fh.read())
            for t in frames:
                df = getattr(doc, t).copy()
                df.insert(0, "doc_id", path)
                frames[t].append(df)
    for t, fs in frames.items():
        pd.concat(fs, ignore_index=True)


def core_only(texts: List[str], jobs: int) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from tongbao._extract import BATCH, _Engine
    from tongbao._fingerprint import _SHORT_LINE

    e = _Engine(TABLES)
    nones = [None] * BATCH

    def run(batch: List[str]) -> None:   # extract's own calls of the core, columns included
        from tongbao import _core
        from tongbao._fingerprint import chrome_lines

        drops = [None if c is None else chrome_lines(t, c)
                 for t, c in zip(batch, _core.fingerprint_scan(batch, e.fp_table, _SHORT_LINE))]
        e.seg.extract_batch(batch, nones[:len(batch)], nones[:len(batch)], e.matcher, e.rules, e.fp_table,
                            drops, e.na)

    batches = [texts[a:a + BATCH] for a in range(0, len(texts), BATCH)]
    if jobs == 1:
        for b in batches:
            run(b)
    else:
        with ThreadPoolExecutor(jobs) as pool:
            for _ in pool.map(run, batches):
                pass


def peak_rss_mb() -> float:
    """Peak RSS of this process in MB: resource.getrusage's ru_maxrss (KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_child(args: argparse.Namespace) -> None:
    """In a fresh process: build the corpus, stream it to Parquet, print peak RSS (MB)."""
    import tongbao

    tongbao.analyze("预热")   # lexicon, gazetteer and rules loaded before the baseline
    base = peak_rss_mb()
    with tempfile.TemporaryDirectory(prefix="tongbao-bench-rss-") as tmp:
        corpus = os.path.join(tmp, "corpus")
        nbytes = make_corpus(Path(args.shared), args.rss_child, corpus)
        t0 = time.perf_counter()
        res = tongbao.extract(corpus, jobs=args.jobs, progress=False, out=os.path.join(tmp, "out"))
        dt = time.perf_counter() - t0
        streamed = peak_rss_mb()
        n = len(res.documents)   # + its duplicate_of, derived from metrics read in chunks
        peak = peak_rss_mb()
    print(json.dumps({"mb": nbytes / 1e6, "docs": n, "seconds": dt, "base_mb": base, "streamed_mb": streamed,
                      "peak_mb": peak}))


def run_rss(args: argparse.Namespace, mb: float) -> dict:
    cmd = [sys.executable, __file__, "--shared", args.shared, "--rss-child", str(mb), "--jobs", str(args.jobs)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(REPO_ROOT.parent / "shared"))
    ap.add_argument("--mb", type=float, default=50.0, help="corpus size for the speed rows and the small RSS run")
    ap.add_argument("--rss-large", type=float, default=500.0, help="corpus size of the large RSS run (0: skip)")
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2, help="threads of the RSS runs")
    ap.add_argument("--no-loop", action="store_true", help="skip the analyze() loop row")
    ap.add_argument("--rss-only", action="store_true", help="only the peak-RSS runs")
    ap.add_argument("--rss-child", type=float, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.rss_child is not None:
        return rss_child(args)

    # memory first: a child's ru_maxrss starts from its parent's RSS at fork
    # on Linux, and the speed rows leave this process large
    memory(args)
    if not args.rss_only:
        speed(args)


def speed(args: argparse.Namespace) -> None:
    import tongbao

    with tempfile.TemporaryDirectory(prefix="tongbao-bench-") as tmp:
        corpus = os.path.join(tmp, "corpus")
        nbytes = make_corpus(Path(args.shared), args.mb, corpus)
        nfiles = sum(len(f) for _, _, f in os.walk(corpus))
        print(f"bench_extract: {nfiles} files, {nbytes / 1e6:.1f} MB (copies of seeds + synthetic), "
              f"{os.cpu_count()} CPUs, tables {', '.join(TABLES)}")
        tongbao.extract(corpus + "/part0000", jobs=1, progress=False)   # warm: page cache, C tables
        r1, r2 = best_rates([lambda: tongbao.extract(corpus, jobs=1, progress=False),
                             lambda: tongbao.extract(corpus, jobs=2, progress=False)], nbytes, args.passes)
        print(f"  extract jobs=1           {r1:7.1f} MB/s   (target >= {TARGET_MBPS:.0f}: "
              f"{'ok' if r1 >= TARGET_MBPS else 'SHORT'})")
        print(f"  extract jobs=2           {r2:7.1f} MB/s   {r2 / r1:.2f}x jobs=1 (target >= {TARGET_RATIO}x: "
              f"{'ok' if r2 / r1 >= TARGET_RATIO else 'SHORT'})")
        texts = []
        for dirpath, _, filenames in os.walk(corpus):
            for name in filenames:
                with open(os.path.join(dirpath, name), "rb") as fh:
                    texts.append(tongbao.decode(fh.read())[0])
        c1, c2 = best_rates([lambda: core_only(texts, 1), lambda: core_only(texts, 2)], nbytes, args.passes)
        del texts
        print(f"  C passes only, 1 thread  {c1:7.1f} MB/s   (extract jobs=1 is {r1 / c1:.0%} of it)")
        print(f"  C passes only, 2 threads {c2:7.1f} MB/s   {c2 / c1:.2f}x (extract jobs=2 is {r2 / c2:.0%} of it)")
        if not args.no_loop:
            rl = best_rate(lambda: analyze_loop(corpus), nbytes, 1)
            print(f"  analyze loop             {rl:7.1f} MB/s   (extract jobs=1 is {r1 / rl:.1f}x)")


def memory(args: argparse.Namespace) -> None:
    small = run_rss(args, args.mb)
    print(f"  stream to Parquet, {small['mb']:.0f} MB: peak RSS {small['peak_mb']:.0f} MB "
          f"(after imports and warm-up {small['base_mb']:.0f} MB) "
          f"({small['mb'] / small['seconds']:.1f} MB/s, jobs={args.jobs})")
    if args.rss_large > 0:
        large = run_rss(args, args.rss_large)
        growth = large["peak_mb"] - small["peak_mb"]
        print(f"  stream to Parquet, {large['mb']:.0f} MB: peak RSS {large['peak_mb']:.0f} MB "
              f"({large['mb'] / large['seconds']:.1f} MB/s); after the extraction alone "
              f"{large['streamed_mb']:.0f} MB (50 MB: {small['streamed_mb']:.0f}), with the documents table "
              f"read: growth {growth:+.0f} MB "
              f"(target <= {TARGET_RSS_MB:.0f}: {'ok' if growth <= TARGET_RSS_MB else 'SHORT'})")


if __name__ == "__main__":
    main()
