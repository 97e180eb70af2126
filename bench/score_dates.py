#!/usr/bin/env python3
"""Date P/R/F1 of tongbao.analyze(...).dates on the gold seeds.

Runs analyze() on each seed bulletin with the reference date listed in
shared/gold/GUIDE.md, turns the dates table into gold-style records
{doc, type: "date", text, value} and scores them with shared/tools/score_gold.py
against the date records of the gold (per document and in total).

  .venv/bin/python bench/score_dates.py [--shared ../shared] [-v] [--no-ref]

-v also lists the false positives and the misses of each document.
--no-ref scores without the reference dates (the document's own date, years
by context, else unknown), then checks that no date of the seeds or of the
synthetic bulletins (shared/corpus/synthetic, ref_dates.json) resolves to a
wrong value: each one is its value with the reference given, or that value
with parts unknown (XXXX-03-27 for 2022-03-27). Exit status 1 if one does.
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


def run(shared: pathlib.Path, verbose: bool = False, no_ref: bool = False) -> dict:
    """{doc: date stats} plus "total"; prints the table."""
    score_gold = load_scorer(shared)
    all_gold, all_pred, out = [], [], {}
    print(f"{'doc':28} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for name, ref in REF_DATES.items():
        text = (shared / "corpus" / "seeds" / name).read_text(encoding="utf-8")
        gold = gold_dates(shared, name)
        pred = date_records(name, text, None if no_ref else ref)
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


def compatible(got: str, want: str) -> bool:
    """`got` is `want` with some parts unknown (X)."""
    return len(got) == len(want) and all(a == b or a == "X" for a, b in zip(got, want))


def wrong_values(shared: pathlib.Path) -> list:
    """Dates that resolve, without a reference date, to a value other than
    the one they get with it (unknown parts allowed), over the seeds and the
    synthetic bulletins: [(doc, text, value without, value with)]."""
    import tongbao

    docs = [(shared / "corpus" / "seeds" / n, r) for n, r in REF_DATES.items()]
    syn = shared / "corpus" / "synthetic"
    if (syn / "ref_dates.json").exists():
        refs = json.loads((syn / "ref_dates.json").read_text(encoding="utf-8"))
        docs += [(syn / n, r) for n, r in sorted(refs.items())]
    bad = []
    print(f"{'doc':28} {'ref_source':>10} {'dates':>5} {'known':>5} {'wrong':>5}")
    for path, ref in docs:
        text = path.read_text(encoding="utf-8")
        with_ref = tongbao.analyze(text, ref_date=ref, entities=False, metrics=False).dates
        doc = tongbao.analyze(text, entities=False, metrics=False)
        want = {(s, e): v for s, e, v in zip(with_ref["start"], with_ref["end"], with_ref["value"])}
        n = known = 0
        for t, s, e, v in zip(doc.dates["text"], doc.dates["start"], doc.dates["end"], doc.dates["value"]):
            n += 1
            known += "X" not in v
            w = want.get((s, e))
            if w is None or not compatible(v, w):
                bad.append((path.name, t, v, w))
        print(f"{path.name:28} {str(doc.ref_source):>10} {n:5} {known:5} "
              f"{sum(b[0] == path.name for b in bad):5}")
    for b in bad:
        print(f"    WRONG {b[0]} {b[1]!r}: {b[2]} (with the reference date: {b[3]})")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = pathlib.Path(__file__).resolve().parent.parent
    ap.add_argument("--shared", default=os.environ.get("TONGBAO_SHARED", str(here.parent / "shared")))
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--no-ref", action="store_true", help="score without the reference dates")
    a = ap.parse_args()
    run(pathlib.Path(a.shared), a.verbose, a.no_ref)
    if a.no_ref:
        print()
        return 1 if wrong_values(pathlib.Path(a.shared)) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
