#!/usr/bin/env python3
"""Run tongbao.analyze over the seed bulletins N times, for instruction
counts under callgrind: the difference between two runs with different N,
divided by the difference in N, is the cost of one pass without start-up.

Usage: PYTHONPATH=python valgrind --tool=callgrind python bench/analyze_passes.py SHARED N [noent|ent|metrics]

noent: tokens, quantities, dates; ent: + entities; metrics (the default
call): + entities + metrics.
"""
import sys
from pathlib import Path

import tongbao

texts = [f.read_text(encoding="utf-8") for f in sorted((Path(sys.argv[1]) / "corpus" / "seeds").glob("*.txt"))]
mode = sys.argv[3] if len(sys.argv) > 3 else "metrics"
ent = mode != "noent"
met = mode == "metrics"
tongbao.analyze(texts[0], entities=ent, metrics=met)   # warm up: lexicon, gazetteer, rules
for _ in range(int(sys.argv[2])):
    for t in texts:
        tongbao.analyze(t, entities=ent, metrics=met)
