#!/usr/bin/env python3
"""Score tongbao's entities on the seed bulletins against ../shared/gold.

Usage: PYTHONPATH=python python bench/score_entities.py [--shared DIR] [-v]
Prints P/R/F1 for person, place and org (the scorer compares distinct
surface texts per document) and code accuracy on matched places; -v lists
the false positives and misses.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def predictions(shared: Path):
    from tongbao._entities import entity_columns

    pred = []
    for f in sorted((shared / "corpus" / "seeds").glob("*.txt")):
        cols = entity_columns(f.read_text(encoding="utf-8"))
        seen = set()
        for i, text in enumerate(cols["text"]):
            key = (cols["label"][i], text)
            if key in seen:   # the gold lists each distinct surface once
                continue
            seen.add(key)
            pred.append({"doc": f.name, "type": cols["label"][i], "text": text, "code": cols["code"][i]})
    return pred


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parent.parent.parent / "shared"))
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    shared = Path(a.shared)
    sys.path.insert(0, str(shared / "tools"))
    import score_gold

    gold = [g for g in score_gold.load(sorted((shared / "gold").glob("*.jsonl")))
            if g["type"] in ("person", "place", "org")]
    pred = predictions(shared)
    s = score_gold.score(gold, pred)
    for t in ("person", "place", "org"):
        x = s[t]
        print(f"{t:7} P={x['p']:.3f} R={x['r']:.3f} F1={x['f1']:.3f} tp={x['tp']} fp={x['fp']} fn={x['fn']}")
    print(f"place code accuracy on matched places: {s['place_code_acc']:.3f}")
    if a.v:
        for t in ("person", "place", "org"):
            for doc in sorted({g["doc"] for g in gold}):
                g_all = {g["text"]: g for g in gold if g["doc"] == doc and g["type"] == t}
                p_all = {p["text"]: p for p in pred if p["doc"] == doc and p["type"] == t}
                fp = [x for x in p_all if x not in g_all]
                fn = [x for x, g in g_all.items() if x not in p_all and g.get("status") != "optional"]
                bad = [(x, p_all[x]["code"], g_all[x].get("code")) for x in p_all
                       if x in g_all and g_all[x].get("code") and str(p_all[x]["code"]) != str(g_all[x]["code"])]
                if fp or fn or bad:
                    print(f"{doc[:3]} {t}: FP {fp} | FN {fn} | wrong code {bad}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
