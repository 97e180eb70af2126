#!/usr/bin/env python3
"""What entity extraction adds to analyze(): time of entity_columns against
the rest of tongbao.analyze (tokens, dates, quantities) on the seed bulletins.

Usage: PYTHONPATH=python python bench/bench_entities.py [--shared DIR] [--repeat N]
Prints per-document and total times and the ratio entities / rest (the
target is <= 0.30).
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
    from tongbao._entities import entity_columns

    texts = [(f.name, f.read_text(encoding="utf-8"))
             for f in sorted((Path(a.shared) / "corpus" / "seeds").glob("*.txt"))]
    tongbao.analyze(texts[0][1])      # warm up: lexicon, gazetteer
    entity_columns(texts[0][1])
    tot_rest = tot_ent = 0.0
    for name, text in texts:
        rest = best_of(lambda: tongbao.analyze(text), a.repeat)   # entities are lazy: not run here
        ent = best_of(lambda: entity_columns(text), a.repeat)
        tot_rest += rest
        tot_ent += ent
        print(f"{name}  {len(text):6d} chars  analyze {rest * 1e3:7.2f} ms  entities {ent * 1e3:6.2f} ms"
              f"  ratio {ent / rest:.2f}")
    print(f"total  analyze {tot_rest * 1e3:.2f} ms  entities {tot_ent * 1e3:.2f} ms  "
          f"ratio {tot_ent / tot_rest:.2f} (target <= 0.30)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
