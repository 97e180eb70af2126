#!/usr/bin/env python3
"""Date P/R/F1 of tongbao.analyze(...).dates on the gold seeds.

Runs analyze() on each seed bulletin with the reference date listed in
shared/gold/GUIDE.md, turns the dates table into gold-style records
{doc, type: "date", text, value} and scores them with shared/tools/score_gold.py
against the date records of the gold (per document and in total).

  .venv/bin/python bench/score_dates.py [--shared ../shared] [-v]

-v also lists the false positives and the misses of each document.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
from collections import Counter

# The reference dates of shared/gold/GUIDE.md ("Reference dates").
REF_DATES = {
    "000_49add8836dfc7fe4.txt": "2022-03-28",
    "001_8883ae6c5903f225.txt": "2021-11-08",
    "002_4d726feb6a2db307.txt": "2021-08-12",
    "003_ade38ef73a2d2cc1.txt": "2022-12-31",
    "004_05e1f188d513b151.txt": "2022-05-07",
}


def date_records(doc_name: str, text: str, ref_date) -> list:
    """The dates tongbao finds in `text` as gold-style records."""
    import tongbao

    df = tongbao.analyze(text, ref_date=ref_date).dates
    return [{"doc": doc_name, "type": "date", "text": t, "value": v}
            for t, v in zip(df["text"], df["value"])]


def gold_dates(shared: pathlib.Path, doc_name: str) -> list:
    path = shared / "gold" / (pathlib.Path(doc_name).stem + ".jsonl")
    with open(path, encoding="utf-8") as f:
        recs = [json.loads(line) for line in f if line.strip()]
    return [r for r in recs if r["type"] == "date"]


def load_scorer(shared: pathlib.Path):
    sys.path.insert(0, str(shared / "tools"))
    import score_gold

    return score_gold


def run(shared: pathlib.Path, verbose: bool = False) -> dict:
    """{doc: date stats} plus "total"; prints the table."""
    score_gold = load_scorer(shared)
    all_gold, all_pred, out = [], [], {}
    print(f"{'doc':28} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for name, ref in REF_DATES.items():
        text = (shared / "corpus" / "seeds" / name).read_text(encoding="utf-8")
        gold = gold_dates(shared, name)
        pred = date_records(name, text, ref)
        s = score_gold.score(gold, pred, docs={name})["date"]
        out[name] = s
        all_gold += gold
        all_pred += pred
        print(f"{name:28} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} {s['tp']:4} {s['fp']:4} {s['fn']:4}")
        if verbose:
            must = Counter(str(g["value"]) for g in gold if g.get("status") != "optional")
            opt = Counter(str(g["value"]) for g in gold if g.get("status") == "optional")
            for p in pred:
                v = str(p["value"])
                if must[v]:
                    must[v] -= 1
                elif opt[v]:
                    opt[v] -= 1
                else:
                    print(f"    FP {p['text']!r} -> {v}")
            for v, c in must.items():
                if c:
                    print(f"    FN {v} x{c}")
    s = score_gold.score(all_gold, all_pred, docs=set(REF_DATES))["date"]
    out["total"] = s
    print(f"{'total':28} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} {s['tp']:4} {s['fp']:4} {s['fn']:4}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = pathlib.Path(__file__).resolve().parent.parent
    ap.add_argument("--shared", default=os.environ.get("TONGBAO_SHARED", str(here.parent / "shared")))
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    run(pathlib.Path(a.shared), a.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
