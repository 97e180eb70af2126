#!/usr/bin/env python3
"""Metric P/R/F1 and region accuracy of tongbao's metrics table.

Three corpora, each scored with shared/tools/score_gold.py:
  synthetic  shared/corpus/synthetic (daily reports, gold.jsonl, ref_dates.json)
  eval       tests/data/metrics (bulletins written for this project, same layout)
  seeds      shared/corpus/seeds with shared/gold/*.jsonl (reference dates of GUIDE.md)

  .venv/bin/python bench/score_metrics.py [--shared ../shared] [--no-ref] [-v] [CORPUS ...]

--no-ref analyzes without the reference dates (each document's own date
is found in its text); -v lists the misses and false positives.
"""
from __future__ import annotations

import argparse
import json
import math
import pathlib
import sys
from typing import Dict, List, Optional

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The reference dates of shared/gold/GUIDE.md ("Reference dates").
SEED_REF_DATES = {
    "000_49add8836dfc7fe4.txt": "2022-03-28",
    "001_8883ae6c5903f225.txt": "2021-11-08",
    "002_4d726feb6a2db307.txt": "2021-08-12",
    "003_ade38ef73a2d2cc1.txt": "2022-12-31",
    "004_05e1f188d513b151.txt": "2022-05-07",
}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (not isinstance(v, str) and str(v) == "<NA>")


def metric_records(doc: str, text: str, ref_date: Optional[str]) -> List[dict]:
    """The metrics tongbao finds in `text` as gold-style records."""
    import tongbao

    df = tongbao.analyze(text, ref_date=ref_date).metrics
    out = []
    for row in df.to_dict("records"):
        out.append({
            "doc": doc, "type": "metric", "metric": row["metric"],
            "scope": None if _missing(row["scope"]) else row["scope"],
            "origin": None if _missing(row["origin"]) else row["origin"],
            "region": None if _missing(row["region"]) else row["region"],
            "code": None if _missing(row["code"]) else row["code"],
            "date": None if _missing(row["date"]) else row["date"],
            "value": row["value"], "text": row["text"],
        })
    return out


def corpus(shared: pathlib.Path, name: str):
    """(documents {name: text}, gold records, reference dates) of a corpus."""
    sys.path.insert(0, str(shared / "tools"))
    import score_gold

    if name == "seeds":
        folder = shared / "corpus" / "seeds"
        docs = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
        gold = score_gold.load([shared / "gold" / (pathlib.Path(d).stem + ".jsonl") for d in docs])
        return docs, [g for g in gold if g["type"] == "metric"], dict(SEED_REF_DATES)
    folder = shared / "corpus" / "synthetic" if name == "synthetic" else ROOT / "tests" / "data" / "metrics"
    docs = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
    gold = score_gold.load([folder / "gold.jsonl"])
    refs = json.loads((folder / "ref_dates.json").read_text(encoding="utf-8"))
    return docs, gold, refs


def score(shared: pathlib.Path, name: str, use_ref: bool = True, verbose: bool = False) -> Dict:
    """score_gold's stats for the metrics of one corpus."""
    sys.path.insert(0, str(shared / "tools"))
    import score_gold

    docs, gold, refs = corpus(shared, name)
    pred: List[dict] = []
    for doc, text in docs.items():
        pred += metric_records(doc, text, refs.get(doc) if use_ref else None)
    stats = score_gold.score(gold, pred, docs=set(docs))
    if verbose:
        _explain(score_gold, gold, pred, docs)
    return stats


def _explain(score_gold, gold, pred, docs) -> None:
    from collections import Counter

    for doc in sorted(docs):
        g = Counter(score_gold.key(r) for r in gold if r["doc"] == doc and r.get("status", "must") == "must")
        opt = Counter(score_gold.key(r) for r in gold if r["doc"] == doc and r.get("status") == "optional")
        p = Counter(score_gold.key(r) for r in pred if r["doc"] == doc)
        miss = g - p
        extra = p - g - opt
        for k in miss.elements():
            print(f"  {doc} MISS {k}")
        for k in extra.elements():
            texts = [r["text"] for r in pred if r["doc"] == doc and score_gold.key(r) == k]
            print(f"  {doc} FP   {k} {texts[:1]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--no-ref", action="store_true", help="analyze without the reference dates")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("corpora", nargs="*", default=["synthetic", "eval", "seeds"])
    a = ap.parse_args()
    shared = pathlib.Path(a.shared)
    print(f"{'corpus':10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4} {'region':>7}"
          f"   ({'no reference dates' if a.no_ref else 'reference dates given'})")
    for name in a.corpora:
        if name == "eval" and not (ROOT / "tests" / "data" / "metrics" / "gold.jsonl").exists():
            print(f"{name:10} (no tests/data/metrics/gold.jsonl)")
            continue
        s = score(shared, name, use_ref=not a.no_ref, verbose=a.verbose)
        m = s["metric"]
        print(f"{name:10} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f} {m['tp']:4} {m['fp']:4} {m['fn']:4} "
              f"{s['metric_region_acc']:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
