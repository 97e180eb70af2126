"""Every contradiction in a corpus of bulletins, one row each.

Six kinds, each from what the figures themselves say (nothing is guessed
from outside the corpus):

- ``breakdown``: a total whose parts (a bracket or 其中 list of places) do
  not add up, in one document — the rows the metrics table marks
  ``consistent == False``;
- ``origin_split``: local + imported is not the stated total;
- ``flow``: cumulative(t) ≠ cumulative(t−1) + new(t) for one region, metric
  and origin, where all three are stated for whole days;
- ``hierarchy``: the new figures of a city's counties (or a province's
  cities or counties) on a day add up to more than the figure of the
  division above;
- ``source_conflict``: documents give different values for one fact;
- ``gap``: a daily headline series with days missing inside its span.

The facts compared across documents are the merged ones of
:func:`tongbao.series` (copies counted once, the winning value of each), so
a contradiction is reported once however often it is reposted.
"""
from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from ._series import NOT_ADDITIVE, Prepared, _S, _missing, no_gc, prepare

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

KINDS = ("breakdown", "origin_split", "flow", "hierarchy", "source_conflict", "gap")
CHECK_COLUMNS = ("kind", "region", "code", "metric", "scope", "origin", "date", "expected", "stated",
                 "doc_ids", "evidence", "message")
# A gap is looked for only in series that look daily: at least this many
# days stated, covering at least this share of their span. A county's new
# cases appear only on days with cases; a province's daily report every day.
GAP_MIN_DAYS = 3
GAP_MIN_COVER = 0.5


def _fmt(v: Any) -> str:
    if _missing(v):
        return "?"
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _true(v: Any) -> bool:
    return not _missing(v) and bool(v)


def _false(v: Any) -> bool:
    return not _missing(v) and not bool(v)


def _what(metric: Any, scope: Any, origin: Any) -> str:
    return "/".join(str(x) for x in (metric, scope, origin) if not _missing(x))


class _Rows:
    """Evidence of rows of the prepared table, by position: read from the
    metrics table as given, only for the rows a check names."""

    def __init__(self, prep: Prepared):
        self.doc = prep.rows["doc_id"].to_numpy(object)
        self.row = prep.rows["_row"].to_numpy()
        src = prep.source
        self.cols = {c: src[c].to_numpy(object) for c in ("text", "start", "end") if c in src.columns}

    def get(self, i: int, col: str) -> Any:
        c = self.cols.get(col)
        v = None if c is None else c[self.row[i]]
        return None if _missing(v) else v

    def evidence(self, positions: Any) -> Tuple[List[Any], List[Dict[str, Any]]]:
        ev = []
        for i in positions:
            start, end = self.get(i, "start"), self.get(i, "end")
            ev.append({"doc_id": self.doc[i], "text": self.get(i, "text"),
                       "start": None if start is None else int(start), "end": None if end is None else int(end)})
        return list(dict.fromkeys(e["doc_id"] for e in ev)), ev


def _check(kind: str, r: Dict[str, Any], expected: Any, stated: Any, rows: _Rows, positions: Any, message: str) -> Dict[str, Any]:
    doc_ids, ev = rows.evidence(positions)
    return {"kind": kind, "region": r.get("region"), "code": r.get("code"), "metric": r.get("metric"),
            "scope": r.get("scope"), "origin": r.get("origin"), "date": r.get("date"),
            "expected": float("nan") if _missing(expected) else float(expected),
            "stated": float("nan") if _missing(stated) else float(stated),
            "doc_ids": doc_ids, "evidence": ev, "message": message}


def _exact(rows: List[Dict[str, Any]]) -> bool:
    """True when no row's value is approximate (余, 多, 约 …): only exact
    figures can be said not to add up."""
    return all(_missing(x.get("approx")) for x in rows)


def _inside(code: Any, parent: Any) -> bool:
    """True when division ``code`` lies inside division ``parent`` (both six digits)."""
    if _missing(code) or _missing(parent) or code == parent or len(code) != 6 or len(parent) != 6:
        return False
    if parent.endswith("0000"):
        return bool(code[:2] == parent[:2])
    if parent.endswith("00"):
        return bool(code[:4] == parent[:4])
    return False


def _breakdowns(prep: Prepared, rows: _Rows) -> List[Dict[str, Any]]:
    """breakdown and origin_split: the totals the metrics table marks inconsistent, re-added."""
    import numpy as np

    m = prep.rows
    if "consistent" not in m.columns or "part" not in m.columns:
        return []
    flag = m["consistent"].astype("boolean")
    bad_docs = set(m.loc[(flag == False).fillna(False).to_numpy(bool), "doc_id"].tolist())  # noqa: E712
    if not bad_docs:
        return []
    out = []
    in_bad = m["doc_id"].isin(bad_docs).to_numpy(bool)
    cols = [c for c in ("doc_id", "metric", "scope", "origin", "region", "code", "date", "value", "approx",
                        "start", "consistent", "part", "_key", "_docpos", "_row") if c in m.columns]
    sub = m[cols][in_bad].assign(_p=np.flatnonzero(in_bad))
    start = sub["start"] if "start" in sub.columns else sub["_row"]
    sub = sub.iloc[np.lexsort((start.to_numpy(), sub["_docpos"].to_numpy()))]
    recs = sub.to_dict("records")
    # a part belongs to the nearest total before it in its document with its
    # metric and scope (parts that name their own metric join that total)
    groups: List[Tuple[Dict[str, Any], List[Dict[str, Any]]]] = []
    open_totals: Dict[Tuple[Any, Any], int] = {}
    doc = None
    for r in recs:
        if r["doc_id"] != doc:
            doc, open_totals = r["doc_id"], {}
        k = (r["metric"], None if _missing(r["scope"]) else r["scope"])
        if not _true(r.get("part")):
            groups.append((r, []))
            open_totals[k] = len(groups) - 1
        elif k in open_totals:
            groups[open_totals[k]][1].append(r)
    for total, parts in groups:
        # the metrics table flags the rows of a breakdown that does not add up
        # (a nested one's rows only, when the outer level does)
        if not parts or not any(_false(x.get("consistent")) for x in [total] + parts):
            continue
        found = False
        origin_parts = [p for p in parts if _missing(total["origin"]) and not _missing(p["origin"])
                        and p["_key"] == total["_key"]]
        place_parts = [p for p in parts if p not in origin_parts]
        if origin_parts and _exact([total] + origin_parts):
            local = [p for p in origin_parts if p["origin"] == "local"]
            imported = [p for p in origin_parts if p["origin"] == "imported"]
            s = sum(p["value"] for p in origin_parts)
            if (local and imported and s != total["value"]) or any(p["value"] > total["value"] for p in origin_parts):
                found = True
                out.append(_check("origin_split", total, s, total["value"], rows,
                                  [total["_p"]] + [p["_p"] for p in origin_parts],
                                  f"{total['region']} {_what(total['metric'], total['scope'], None)} on {total['date']}: "
                                  f"local + imported = {_fmt(s)}, but the total is {_fmt(total['value'])}"))
        if place_parts and _exact([total] + place_parts):
            # each part with the parts inside it, the top level with the total
            tops = [p for i, p in enumerate(place_parts)
                    if not any(_inside(p["code"], q["code"]) for q in place_parts[:i])]
            partial = str(rows.get(place_parts[0]["_p"], "text") or "").startswith("其中")
            s = sum(p["value"] for p in tops)
            if s > total["value"] or (s < total["value"] and not partial):
                found = True
                out.append(_check("breakdown", total, s, total["value"], rows, [total["_p"]] + [p["_p"] for p in tops],
                                  f"{total['region']} {_what(total['metric'], total['scope'], total['origin'])} on "
                                  f"{total['date']}: the parts add up to {_fmt(s)}, the total is {_fmt(total['value'])}"))
            for i, p in enumerate(place_parts):
                inner = [q for q in place_parts[i + 1:] if _inside(q["code"], p["code"])]
                inner = [q for j, q in enumerate(inner) if not any(_inside(q["code"], x["code"]) for x in inner[:j])]
                if inner and sum(q["value"] for q in inner) != p["value"]:
                    found = True
                    s = sum(q["value"] for q in inner)
                    out.append(_check("breakdown", p, s, p["value"], rows, [p["_p"]] + [q["_p"] for q in inner],
                                      f"{p['region']} {_what(p['metric'], p['scope'], p['origin'])} on {p['date']}: "
                                      f"the parts add up to {_fmt(s)}, the figure is {_fmt(p['value'])}"))
        if not found:
            out.append(_check("breakdown", total, None, total["value"], rows, [total["_p"]] + [p["_p"] for p in parts],
                              f"{total['region']} {_what(total['metric'], total['scope'], total['origin'])} on "
                              f"{total['date']}: the metrics table marks this breakdown as not adding up"))
    return out


def _facts_frame(prep: Prepared) -> "pd.DataFrame":
    """The merged facts with the position of their winning row and whether they may be compared."""
    import numpy as np
    import pandas as pd

    f = prep.facts[["region", "code", "level", "metric", "scope", "origin", "date", "value", "approx",
                    "conflict", "_key", "_own"]].copy(deep=False)
    f["_win"] = prep.winner
    f["_ambiguous"] = prep.ambiguous
    f["_origin"] = f["origin"].fillna("")
    f["_scope"] = f["scope"].fillna("")
    f["_date"] = f["date"].fillna("")
    f["_exact"] = f["approx"].isna().to_numpy(bool) & ~f["_ambiguous"].to_numpy(bool) & np.isfinite(f["value"].to_numpy())
    # integers for the joins: each key numbered once, a whole day as days since 1970 (-1 for other precisions)
    for c, src in (("_k", "_key"), ("_m", "metric"), ("_s", "_scope"), ("_o", "_origin")):
        f[c] = pd.factorize(f[src].to_numpy(object))[0]
    day = pd.to_datetime(f["_date"].where(f["_date"].str.len() == 10, None), format="%Y-%m-%d", errors="coerce")
    f["_day"] = np.where(day.isna(), -1, (day - pd.Timestamp("1970-01-01")).dt.days.fillna(-1)).astype(np.int64)
    return f


def _conflicts(prep: Prepared, rows: _Rows) -> List[Dict[str, Any]]:
    """One check per fact whose documents disagree: the winner against the others."""
    import numpy as np

    out = []
    f = prep.facts
    idx = np.flatnonzero(f["conflict"].to_numpy(bool)) if len(f) else np.zeros(0, np.int64)
    bounds = prep.winner
    ends = np.r_[bounds[1:], len(prep.rows)]
    value = prep.rows["value"].to_numpy()
    recs = f.iloc[idx][["region", "code", "metric", "scope", "origin", "date", "value"]].to_dict("records")
    for i, r in zip(idx.tolist(), recs):
        a, b = int(bounds[i]), int(ends[i])
        # each document's first row with a value other than the winner's, else its first row
        firsts: Dict[Any, int] = {}
        for p in range(a, b):
            d = rows.doc[p]
            if d not in firsts or (value[firsts[d]] == r["value"] and value[p] != r["value"]):
                firsts[d] = p
        others = [(d, value[p]) for d, p in firsts.items() if value[p] != r["value"]]
        told = "; ".join(f"{_fmt(v)} in {d}" for d, v in others)
        out.append(_check("source_conflict", r, r["value"], others[0][1] if others else None, rows,
                          list(firsts.values()),
                          f"{r['region']} {_what(r['metric'], r['scope'], r['origin'])} on {r['date']}: "
                          f"{_fmt(r['value'])} in {rows.doc[a]} (the latest source, kept) but {told}"))
    return out


def _flows(f: "pd.DataFrame", rows: _Rows) -> List[Dict[str, Any]]:
    import pandas as pd

    base = f[f["_exact"].to_numpy(bool) & (f["_day"] >= 0).to_numpy(bool)
             & ~f["metric"].isin(NOT_ADDITIVE).fillna(False).to_numpy(bool)]
    cum = base[(base["scope"] == "cumulative").fillna(False).to_numpy(bool)]
    new = base[(base["scope"] == "new").fillna(False).to_numpy(bool)]
    if not len(cum) or not len(new):
        return []
    keys = ["_k", "_m", "_o", "_day"]
    cols = keys + ["value", "_win"]
    j = cum[cols].merge(new[cols], on=keys, suffixes=("", "_new"))
    prev = cum[cols].assign(_day=cum["_day"] + 1)
    j = j.merge(prev, on=keys, suffixes=("", "_prev"))
    bad = j[(j["value"] != j["value_prev"] + j["value_new"]).to_numpy(bool)]
    out = []
    facts = _fact_records(f, bad["_win"].to_numpy())
    for r, p in zip(bad.to_dict("records"), facts):
        exp = r["value_prev"] + r["value_new"]
        out.append(_check("flow", p, exp, r["value"], rows, [r["_win_prev"], r["_win_new"], r["_win"]],
                          f"{p['region']} {_what(p['metric'], 'cumulative', p['origin'])} on {p['date']}: "
                          f"the day before's {_fmt(r['value_prev'])} + {_fmt(r['value_new'])} new = {_fmt(exp)}, "
                          f"but the total is {_fmt(r['value'])}"))
    return out


def _fact_records(f: "pd.DataFrame", wins: Any) -> List[Dict[str, Any]]:
    """The facts whose winning rows are ``wins``, as dicts (facts are in the
    order of their rows, so ``_win`` is increasing)."""
    import numpy as np

    i = np.searchsorted(f["_win"].to_numpy(), wins)
    records: List[Dict[str, Any]] = f.iloc[i][["region", "code", "metric", "scope", "origin", "date"]].to_dict("records")
    return records


def _hierarchies(f: "pd.DataFrame", prep: Prepared, rows: _Rows) -> List[Dict[str, Any]]:
    """The new figures of the divisions inside one (counties in a city, cities
    or counties in a province) may not add up to more than its own. Worked on
    integers: codes as numbers, the other keys numbered once."""
    import numpy as np
    import pandas as pd

    base = f[f["_exact"].to_numpy(bool) & (f["scope"] == "new").fillna(False).to_numpy(bool)
             & f["level"].notna().to_numpy(bool) & ~f["metric"].isin(NOT_ADDITIVE).fillna(False).to_numpy(bool)]
    if not len(base):
        return []
    code = base["code"].to_numpy(object).astype(np.int64)
    lv = base["level"].to_numpy(object)
    other = np.stack([pd.factorize(base[c].to_numpy(object))[0] for c in ("metric", "_origin", "_date")], axis=1)
    pos = np.arange(len(base))
    county, city = lv == "county", lv == "city"
    # (child fact, parent code, child level): county -> its city, county -> province, city -> province
    links = [(pos[county], code[county] // 100 * 100, 0), (pos[county], code[county] // 10000 * 10000, 0),
             (pos[city], code[city] // 10000 * 10000, 1)]
    child = np.concatenate([p for p, _, _ in links])
    parent = np.concatenate([c for _, c, _ in links])
    kind = np.concatenate([np.full(len(p), k) for p, _, k in links])
    kids = pd.DataFrame({"parent": parent, "kind": kind, "m": other[child, 0], "o": other[child, 1],
                         "d": other[child, 2], "value": base["value"].to_numpy()[child], "child": child})
    kids = kids[kids["parent"].to_numpy() != code[kids["child"].to_numpy()]]     # a city is not its own county
    keys = ["parent", "kind", "m", "o", "d"]
    sums = kids.groupby(keys, sort=False)["value"].sum().rename("total").reset_index()
    own = pd.DataFrame({"parent": code, "m": other[:, 0], "o": other[:, 1], "d": other[:, 2],
                        "own": base["value"].to_numpy(), "fact": pos})
    j = sums.merge(own, on=["parent", "m", "o", "d"])
    bad = j[(j["total"] > j["own"]).to_numpy(bool)]
    if not len(bad):
        return []
    consistent = prep.rows["consistent"].astype("boolean") if "consistent" in prep.rows.columns else None
    members = kids.merge(bad[keys], on=keys).groupby(keys, sort=False)["child"].agg(list).rename("kids")
    bad = bad.merge(members.reset_index(), on=keys)
    wins = base["_win"].to_numpy()
    bad = bad.reset_index(drop=True)
    recs = base.iloc[bad["fact"].to_numpy()][["region", "code", "metric", "scope", "origin", "date"]].to_dict("records")
    out = []
    for r, p in zip(bad.to_dict("records"), recs):
        # a total whose own breakdown is wrong is the breakdown check's
        if consistent is not None and _false(consistent.iat[int(wins[r["fact"]])]):
            continue
        plural = ("counties", "cities")[r["kind"]]
        out.append(_check("hierarchy", p, r["total"], r["own"], rows,
                          [int(wins[r["fact"]])] + [int(wins[k]) for k in r["kids"]],
                          f"{p['region']} {_what(p['metric'], 'new', p['origin'])} on {p['date']}: its {plural} "
                          f"add up to {_fmt(r['total'])}, more than its own {_fmt(r['own'])}"))
    return out


def _gaps(f: "pd.DataFrame", rows: _Rows) -> List[Dict[str, Any]]:
    """Missing days inside a daily headline series, one check per region and run of days."""
    import numpy as np
    import pandas as pd

    base = f[f["_own"].to_numpy(bool) & (f["_day"] >= 0).to_numpy(bool)]
    if not len(base):
        return []
    sid = base.groupby(["_k", "_m", "_s", "_o"], sort=False).ngroup().to_numpy()
    day = base["_day"].to_numpy()
    order = np.lexsort((day, sid))
    sid, day, win, pos = sid[order], day[order], base["_win"].to_numpy()[order], order
    stats = pd.DataFrame({"sid": sid, "day": day}).groupby("sid")["day"].agg(["size", "min", "max"])
    span = stats["max"] - stats["min"] + 1
    daily = stats.index[((stats["size"] >= GAP_MIN_DAYS) & (stats["size"] / span >= GAP_MIN_COVER)
                         & (span > stats["size"])).to_numpy(bool)]
    same = np.r_[False, sid[1:] == sid[:-1]]
    jump = same & (np.r_[0, np.diff(day)] > 1) & np.isin(sid, daily.to_numpy())
    runs: Dict[Tuple[Any, int, int], Dict[str, Any]] = {}
    epoch = _dt.date(1970, 1, 1)
    at = np.flatnonzero(jump)
    recs = base.iloc[pos[at]][["_key", "region", "code", "metric", "scope", "origin"]].to_dict("records")
    for i, r in zip(at.tolist(), recs):
        lo, hi = int(day[i - 1]) + 1, int(day[i]) - 1
        run = runs.setdefault((r["_key"], lo, hi), {"r": r, "series": [], "wins": []})
        run["series"].append(_what(r["metric"], r["scope"], r["origin"]))
        run["wins"] += [int(win[i - 1]), int(win[i])]
    out = []
    for (key, lo, hi), run in sorted(runs.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        r = run["r"]
        a, b = epoch + _dt.timedelta(days=lo), epoch + _dt.timedelta(days=hi)
        days = a.isoformat() if lo == hi else f"{a.isoformat()} to {b.isoformat()}"
        n = hi - lo + 1
        series = sorted(run["series"])
        rec = {"region": r["region"], "code": r["code"], "metric": None, "scope": None, "origin": None,
               "date": a.isoformat()}
        out.append(_check("gap", rec, None, None, rows, list(dict.fromkeys(run["wins"]))[:2],
                          f"{r['region']}: no figure for {days} ({n} day{'s' if n > 1 else ''}) in "
                          f"{len(series)} daily series ({', '.join(series[:6])}{', …' if len(series) > 6 else ''})"))
    return out


def checks(metrics: "pd.DataFrame", documents: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """Every inconsistency in a corpus' metric rows, one row each.

    ``metrics`` and ``documents`` are as for :func:`tongbao.series` (copies
    are left out, so a reposted fault is reported once). Columns:

    - ``kind``: ``breakdown``, ``origin_split``, ``flow``, ``hierarchy``,
      ``source_conflict`` or ``gap`` (see the module's docstring);
    - ``region``, ``code``, ``metric``, ``scope``, ``origin``, ``date``: the
      figure that is contradicted (for a gap, the region and first missing day);
    - ``expected``, ``stated``: what the other figures imply (the sum of the
      parts, yesterday's total plus today's new cases, the winning value of
      a conflict) and what is stated; missing for a gap;
    - ``doc_ids``, ``evidence``: the documents involved and the rows, as a
      list of ``{doc_id, text, start, end}`` (``text == doc.text[start:end]``);
    - ``message``: the contradiction in words.

    >>> import tongbao
    >>> m = tongbao.analyze_many({"a": "8月3日全省新增本土确诊病例5例（郑州市金水区3例、二七区1例）。"},
    ...                          table="metrics", ref_date="2022-08-04")
    >>> c = checks(m)
    >>> c[["kind", "expected", "stated"]].values.tolist()
    [['breakdown', 4.0, 5.0]]
    >>> c["evidence"][0][0]["text"]
    '全省新增本土确诊病例5例'
    """
    import pandas as pd

    with no_gc():
        prep = prepare(metrics, documents, lists=False)
        rows = _Rows(prep)
        f = _facts_frame(prep)
        found = (_breakdowns(prep, rows) + _flows(f, rows) + _hierarchies(f, prep, rows)
                 + _conflicts(prep, rows) + _gaps(f, rows))
    df = pd.DataFrame(found, columns=list(CHECK_COLUMNS))
    for c in ("kind", "region", "code", "metric", "scope", "origin", "date", "message"):
        df[c] = df[c].astype(_S())
    for c in ("expected", "stated"):
        df[c] = df[c].astype("float64")
    order = {k: i for i, k in enumerate(KINDS)}
    df = df.assign(_k=df["kind"].map(order)).sort_values(["_k", "code", "date"], kind="stable", na_position="last")
    return df.drop(columns="_k").reset_index(drop=True)

