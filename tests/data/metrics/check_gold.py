#!/usr/bin/env python3
"""Mechanical checks of the metrics evaluation set in this folder (stdlib only).

Checks:
  * every gold row has exactly the schema keys, type "metric", a metric, scope
    and origin from the GUIDE vocabulary, status must/optional, a code of six
    digits (41xxxx, Henan) or null, an ISO date at day/month/hour precision and
    a numeric value;
  * every row's `text` occurs verbatim in its document, and the value can be
    read from that text (digits, full-width digits, thousands separators,
    万/亿, Chinese ordinals; 无新增 rows have value 0; an optional row whose
    evidence carries no number, such as 均在汤阴县, is exempt);
  * every document m*.txt has a reference date and gold rows, and every gold
    doc exists; no row is dated more than a week after its reference date;
  * one region name is given one code throughout the set;
  * breakdowns add up: for a total row T and the rows of the same
    (metric, scope, origin, date) whose place lies inside T's place and whose
    evidence stands after T's evidence in the same sentence (up to the next
    。), the direct parts must sum to T; origin splits (local + imported beside
    an origin-null row of the same metric, scope, date and place) must sum to
    the total;
  * documents listed in faults.json show exactly as many inconsistencies as
    faults are listed for them, all others none.

Run: python3 check_gold.py   (exit status 0 when every check passes)
"""
import datetime as dt
import json
import os
import re
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))

METRICS = {"confirmed", "asymptomatic", "suspected", "close_contact",
           "secondary_contact", "death", "discharged", "released",
           "hospitalized", "quarantine_site", "quarantine_room", "quarantined",
           "lockdown_zone", "control_zone", "test_round", "vaccine_dose",
           "vaccination_site"}
SCOPES = {"new", "cumulative", "current", None}
ORIGINS = {"local", "imported", None}
KEYS = ["doc", "type", "metric", "scope", "origin", "region", "code", "date",
        "value", "text", "status"]

# Places without a division code (towns, functional zones): their parent
# division, so that breakdowns through them can be summed.
PARENTS = {
    ("m06.txt", "鄭東新區"): "410100",
    ("m09.txt", "航空港区"): "410100",
    ("m13.txt", "城关镇"): "411424",
    ("m13.txt", "胡襄镇"): "411424",
    ("m13.txt", "起台镇"): "411424",
    ("m14.txt", "马栏镇"): "411024",
    ("m14.txt", "柏梁镇"): "411024",
    ("m19.txt", "羊山新区"): "411500",
    ("m19.txt", "上天梯管理区"): "411500",
    ("m19.txt", "鸡公山管理区"): "411500",
}

CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
            "七": 7, "八": 8, "九": 9, "十": 10}

errors = []


def err(msg):
    errors.append(msg)


def parse_date(s):
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d", "%Y-%m"):
        try:
            return dt.datetime.strptime(s, fmt)
        except (TypeError, ValueError):
            pass
    return None


def numbers_in(text):
    t = text.translate({0xFF10 + i: ord("0") + i for i in range(10)})
    t = t.replace("\uFF0C", ",")
    t = re.sub(r"(?<=\d),(?=\d{3})", "", t)
    out = set()
    for m in re.finditer(r"(\d+(?:\.\d+)?)(万|亿)?", t):
        v = float(m.group(1)) * {"万": 1e4, "亿": 1e8, None: 1}[m.group(2)]
        out.add(round(v, 6))
    for m in re.finditer(r"第([一二三四五六七八九十])|([一二两三四五六七八九十])轮", t):
        out.add(float(CN_DIGIT[m.group(1) or m.group(2)]))
    return out


def ancestors(area):
    """Chain of division codes containing `area` (a code), nearest first."""
    out = []
    if area == "410000":
        return out
    if area.endswith("00") or area == "419001":
        return ["410000"]
    return [area[:4] + "00", "410000"]


def area_of(row):
    if row["code"]:
        return row["code"]
    return None


def up_chain(row):
    """Own identity plus all enclosing areas, for descendant tests."""
    if row["code"]:
        return row["code"], ancestors(row["code"])
    parent = PARENTS.get((row["doc"], row["region"]))
    ident = "%s:%s" % (row["doc"], row["region"])
    if parent is None:
        return ident, []
    return ident, [parent] + ancestors(parent)


def main():
    with open(os.path.join(HERE, "ref_dates.json"), encoding="utf-8") as f:
        refs = json.load(f)
    with open(os.path.join(HERE, "faults.json"), encoding="utf-8") as f:
        faults = json.load(f)
    gold = []
    with open(os.path.join(HERE, "gold.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    gold.append(json.loads(line))
                except ValueError as e:
                    err("gold.jsonl line %d: bad JSON (%s)" % (n, e))
    docs = sorted(x for x in os.listdir(HERE) if re.fullmatch(r"m\d+\.txt", x))
    texts = {}
    for d in docs:
        with open(os.path.join(HERE, d), encoding="utf-8") as f:
            texts[d] = f.read()

    # documents and reference dates
    if len(docs) < 20:
        err("only %d documents" % len(docs))
    for d in docs:
        if d not in refs:
            err("%s: no reference date" % d)
        elif parse_date(refs[d]) is None or len(refs[d]) != 10:
            err("%s: bad reference date %r" % (d, refs[d]))
        if not any(g.get("doc") == d for g in gold):
            err("%s: no gold rows" % d)
    for d in refs:
        if d not in texts:
            err("ref_dates.json names missing document %s" % d)
    for d in faults:
        if d not in texts:
            err("faults.json names missing document %s" % d)

    # rows
    codes_by_region = defaultdict(set)
    for i, g in enumerate(gold, 1):
        where = "row %d (%s %r)" % (i, g.get("doc"), g.get("text"))
        if list(g.keys()) != KEYS:
            err("%s: keys %s" % (where, list(g.keys())))
            continue
        if g["doc"] not in texts:
            err("%s: unknown document" % where)
            continue
        if g["type"] != "metric":
            err("%s: type %r" % (where, g["type"]))
        if g["metric"] not in METRICS:
            err("%s: metric %r" % (where, g["metric"]))
        if g["scope"] not in SCOPES:
            err("%s: scope %r" % (where, g["scope"]))
        if g["origin"] not in ORIGINS:
            err("%s: origin %r" % (where, g["origin"]))
        if g["status"] not in ("must", "optional"):
            err("%s: status %r" % (where, g["status"]))
        code = g["code"]
        if code is not None and not (isinstance(code, str) and re.fullmatch(r"41\d{4}", code)):
            err("%s: code %r" % (where, code))
        if not g["region"]:
            err("%s: empty region" % where)
        codes_by_region[g["region"]].add(code)
        d = parse_date(g["date"])
        if d is None:
            err("%s: date %r" % (where, g["date"]))
        elif g["doc"] in refs and parse_date(refs[g["doc"]]):
            if d > parse_date(refs[g["doc"]]) + dt.timedelta(days=7):
                err("%s: date %s long after reference date" % (where, g["date"]))
        if not isinstance(g["value"], (int, float)) or isinstance(g["value"], bool):
            err("%s: value %r" % (where, g["value"]))
            continue
        if not g["text"] or g["text"] not in texts[g["doc"]]:
            err("%s: text not in document" % where)
            continue
        if g["value"] == 0:
            if "无" not in g["text"] and "無" not in g["text"]:
                err("%s: value 0 without 无/無 in evidence" % where)
        else:
            nums = numbers_in(g["text"])
            if not nums and g["status"] == "optional":
                pass
            elif round(float(g["value"]), 6) not in nums:
                err("%s: value %s not readable from evidence %s" % (where, g["value"], sorted(nums)))
    for region, cs in codes_by_region.items():
        if len(cs) > 1:
            err("region %s has several codes %s" % (region, sorted(map(str, cs))))

    # consistency
    found = defaultdict(list)
    n_break = n_split = 0
    by_group = defaultdict(list)
    by_place = defaultdict(list)
    for g in gold:
        if list(g.keys()) != KEYS or g["doc"] not in texts:
            continue
        by_group[(g["doc"], g["metric"], g["scope"], g["origin"], g["date"])].append(g)
        by_place[(g["doc"], g["metric"], g["scope"], g["date"], g["code"] or g["region"])].append(g)
    for key, rows in by_group.items():
        doc = texts[key[0]]
        for tot in rows:
            tid, _ = up_chain(tot)
            start = doc.find(tot["text"])
            end = doc.find("。", start)
            end = len(doc) if end < 0 else end
            parts = []
            for r in rows:
                if r is tot:
                    continue
                rid, rup = up_chain(r)
                if tid not in rup:
                    continue
                p = doc.find(r["text"], start + 1)
                if 0 <= p < end:
                    parts.append((r, rid, rup))
            if not parts:
                continue
            ids = {rid for _, rid, _ in parts}
            direct = []
            for r, rid, rup in parts:
                nearest = next((a for a in rup if a in ids or a == tid), None)
                if nearest == tid:
                    direct.append(r)
            n_break += 1
            s = sum(r["value"] for r in direct)
            if s != tot["value"]:
                found[key[0]].append("breakdown of %s %s %s %s at %s: parts %s, total %s" % (
                    key[2], key[3], key[1], key[4], tot["region"], s, tot["value"]))
    for key, rows in by_place.items():
        tots = [r for r in rows if r["origin"] is None]
        loc = [r for r in rows if r["origin"] == "local"]
        imp = [r for r in rows if r["origin"] == "imported"]
        if len(tots) == 1 and len(loc) == 1 and len(imp) == 1:
            n_split += 1
            if loc[0]["value"] + imp[0]["value"] != tots[0]["value"]:
                found[key[0]].append("origin split of %s %s at %s %s: %s + %s != %s" % (
                    key[2], key[1], key[4], key[3], loc[0]["value"], imp[0]["value"],
                    tots[0]["value"]))
    for d in docs:
        want = len(faults.get(d, []))
        got = found.get(d, [])
        if len(got) != want:
            err("%s: %d inconsistencies found, %d listed in faults.json: %s" % (
                d, len(got), want, got))

    n_must = sum(g.get("status") == "must" for g in gold)
    for e in errors:
        print("FAIL:", e)
    print("%d documents, %d gold rows (%d must, %d optional), %d documents with planted faults"
          % (len(docs), len(gold), n_must, len(gold) - n_must, len(faults)))
    print("%d breakdowns and %d origin splits checked" % (n_break, n_split))
    for d in sorted(found):
        for x in found[d]:
            print("  inconsistency in %s: %s" % (d, x))
    print("OK" if not errors else "%d problems" % len(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
