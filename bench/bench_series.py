#!/usr/bin/env python3
"""series() and checks() benchmark: their cost against extraction's, and how it grows.

Input: the faulted copy of the series evaluation corpus (tests/data/series:
a month of 河南省, 郑州市 and 商丘市 daily reports with planted faults,
reposts and a correction), replicated. Each replica is shifted by whole
months (dates, reference dates and document ids), so every replica's facts
are new facts and its faults new faults, as in a longer corpus, not copies
that the duplicate test would drop.

* extract         -- the metrics of the month's texts replicated N times
                     (``tongbao.extract`` when the package has it, else
                     ``tongbao.analyze_many(..., table="metrics")``, its metric
                     pass) plus a fingerprint per text: the step before;
* duplicate_of    -- the near-duplicate marks from the metric rows, computed
                     once (extract's documents table carries them);
* series, checks  -- over the metrics of those N months, with that documents
                     table (ref_date, duplicate_of), as Result.series() and
                     Result.checks() run them;
* scaling         -- series and checks over 10k, 100k and 1M metric rows,
                     with µs per row: linear when that column stays flat.

Targets (issue 15): series + checks over 100,000 metric rows <= 1 s; the
cost linear in the rows (10k, 100k, 1M quoted). Exits 0 even when a target
fails: it is a benchmark, not a test.

Usage: python bench/bench_series.py [--replicas N] [--rows 10000,100000,1000000]
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "tests" / "data" / "series" / "faulted"
TARGET_ROWS, TARGET_SECONDS = 100_000, 1.0


CPU = {"on": False}     # --cpu: process time instead of wall time (a loaded shared machine)


def clock() -> float:
    return time.process_time() if CPU["on"] else time.perf_counter()


def best_of(fn, passes: int) -> float:
    best = float("inf")
    for _ in range(passes):
        gc.collect()
        t0 = clock()
        fn()
        best = min(best, clock() - t0)
    return best


def load():
    docs = json.loads((CORPUS / "documents.json").read_text(encoding="utf-8"))
    texts = {d["doc_id"]: (CORPUS / d["path"]).read_text(encoding="utf-8") for d in docs}
    return docs, texts


def replicate(metrics, documents, n: int):
    """n replicas of (metrics, documents), replica k shifted by 31*k days."""
    import pandas as pd

    ms, ds = [], []
    dates = pd.to_datetime(metrics["date"], format="%Y-%m-%d", errors="coerce")
    refs = pd.to_datetime(documents["ref_date"], format="%Y-%m-%d", errors="coerce")
    for k in range(n):
        shift = pd.Timedelta(days=31 * k)
        m = metrics.copy()
        m["doc_id"] = f"{k}/" + m["doc_id"].astype(str)
        m["date"] = (dates + shift).dt.strftime("%Y-%m-%d").astype(pd.StringDtype("python"))
        d = documents.copy()
        d["doc_id"] = f"{k}/" + d["doc_id"].astype(str)
        d["ref_date"] = (refs + shift).dt.strftime("%Y-%m-%d")
        ms.append(m)
        ds.append(d)
    return pd.concat(ms, ignore_index=True), pd.concat(ds, ignore_index=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=100, help="months of the corpus for the extract comparison")
    ap.add_argument("--rows", default="10000,100000,1000000", help="metric-row counts of the scaling table")
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--cpu", action="store_true", help="time with the process's CPU time, not the wall clock")
    args = ap.parse_args(argv)
    CPU["on"] = args.cpu

    import pandas as pd

    import tongbao

    docs, texts = load()
    refs = {d["doc_id"]: d["ref_date"] for d in docs}
    many = {f"{k}/{i}": t for k in range(args.replicas) for i, t in texts.items()}
    many_refs = {f"{k}/{i}": refs[i] for k in range(args.replicas) for i in texts}
    nbytes = sum(len(t.encode("utf-8")) for t in many.values())

    if hasattr(tongbao, "extract"):
        peer = "tongbao.extract"

        def extract():
            return tongbao.extract(many)
    else:
        peer = "analyze_many(metrics) + fingerprint"

        def extract():
            m = tongbao.analyze_many(many, table="metrics", ref_date=many_refs)
            [tongbao.fingerprint(t) for t in many.values()]
            return m
    t0 = clock()
    extract()
    t_extract = clock() - t0

    month = tongbao.analyze_many(texts, table="metrics", ref_date=refs).rename(columns={"doc": "doc_id"})
    month_docs = pd.DataFrame(docs)[["doc_id", "ref_date"]]
    m, d = replicate(month, month_docs, args.replicas)
    t_dup = best_of(lambda: tongbao.duplicate_of(d, m), args.passes)
    d["duplicate_of"] = tongbao.duplicate_of(d, m).to_numpy(object)
    t_series = best_of(lambda: tongbao.series(m, d), args.passes)
    t_checks = best_of(lambda: tongbao.checks(m, d), args.passes)
    n_checks = tongbao.checks(m, d)["kind"].value_counts().to_dict()
    print(f"corpus: {len(texts)} documents x {args.replicas} months = {len(many):,} documents, "
          f"{nbytes / 1e6:.1f} MB, {len(m):,} metric rows, {len(tongbao.series(m, d)):,} facts")
    print(f"checks found: {n_checks}")
    print(f"times: best of {args.passes}, {'CPU (process) time' if args.cpu else 'wall clock'}")
    print(f"{'step':<40}{'seconds':>10}{'x extract':>11}")
    print(f"{'extract (' + peer + ')':<40}{t_extract:>10.3f}{1.0:>11.2f}")
    print(f"{'duplicate_of (metric sets)':<40}{t_dup:>10.3f}{t_dup / t_extract:>11.3f}")
    print(f"{'series':<40}{t_series:>10.3f}{t_series / t_extract:>11.3f}")
    print(f"{'checks':<40}{t_checks:>10.3f}{t_checks / t_extract:>11.3f}")
    print(f"{'series + checks':<40}{t_series + t_checks:>10.3f}{(t_series + t_checks) / t_extract:>11.3f}")

    print(f"\n{'metric rows':>12}{'dup s':>8}{'series s':>10}{'checks s':>10}{'total s':>10}{'us/row':>9}")
    per = len(month)
    result = {}
    for rows in [int(x) for x in args.rows.split(",") if x]:
        reps = max(1, round(rows / per))
        mm, dd = replicate(month, month_docs, reps)
        passes = args.passes if len(mm) <= 200_000 else 1
        td = best_of(lambda: tongbao.duplicate_of(dd, mm), passes)
        dd["duplicate_of"] = tongbao.duplicate_of(dd, mm).to_numpy(object)
        ts = best_of(lambda: tongbao.series(mm, dd), passes)
        tc = best_of(lambda: tongbao.checks(mm, dd), passes)
        result[rows] = (len(mm), ts + tc)
        print(f"{len(mm):>12,}{td:>8.3f}{ts:>10.3f}{tc:>10.3f}{ts + tc:>10.3f}{(ts + tc) / len(mm) * 1e6:>9.2f}")
    near = min(result, key=lambda r: abs(r - TARGET_ROWS)) if result else None
    if near is not None:
        n, t = result[near]
        verdict = "PASS" if t <= TARGET_SECONDS * n / TARGET_ROWS else "FAIL"
        print(f"\n{verdict}: series + checks over {n:,} rows in {t:.3f} s (target <= {TARGET_SECONDS:g} s per "
              f"{TARGET_ROWS:,})")
    if len(result) >= 2:
        lo, hi = min(result), max(result)
        (n0, t0_), (n1, t1) = result[lo], result[hi]
        ratio = (t1 / n1) / (t0_ / n0)
        print(f"{'PASS' if ratio <= 1.5 else 'FAIL'}: cost per row at {n1:,} rows is {ratio:.2f}x that at {n0:,} "
              f"(linear: <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
