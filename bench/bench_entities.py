#!/usr/bin/env python3
"""What entity extraction adds to analyze(): tongbao.analyze(text) (the
entity pass runs in the same C call) against analyze(text, entities=False)
(tokens, dates, quantities) on the seed bulletins, best of N each.

Usage: PYTHONPATH=python python bench/bench_entities.py [--shared DIR] [--repeat N]
Prints per-document and total times and the added fraction (the target is
<= 0.30).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parent.parent.parent / "shared"))
    ap.add_argument("--repeat", type=int, default=20)
    a = ap.parse_args()
    import tongbao

    texts = [(f.name, f.read_text(encoding="utf-8"))
             for f in sorted((Path(a.shared) / "corpus" / "seeds").glob("*.txt"))]
    tongbao.analyze(texts[0][1])      # warm up: lexicon, gazetteer
    tot_rest = tot_all = 0.0
    for name, text in texts:
        rest = best_of(lambda: tongbao.analyze(text, entities=False), a.repeat)
        full = best_of(lambda: tongbao.analyze(text), a.repeat)
        tot_rest += rest
        tot_all += full
        print(f"{name}  {len(text):6d} chars  without entities {rest * 1e3:7.2f} ms  with {full * 1e3:7.2f} ms"
              f"  added {full / rest - 1:+.0%}")
    print(f"total  without {tot_rest * 1e3:.2f} ms  with {tot_all * 1e3:.2f} ms  "
          f"added {tot_all / tot_rest - 1:+.0%} (target <= +30%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
