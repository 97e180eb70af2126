"""Across bulletins: one reconciled time series per region and metric.

A corpus states the same fact many times — the province's report and the
city's give the same county's cases, a page is reposted or corrected — and
the metrics table has one row per statement. :func:`series` merges them: one
row per *fact* (division, metric, scope, origin, date), its sources and
whether they disagree. :func:`tongbao.checks` (``_checks.py``) lists every
contradiction.

Which value wins when sources disagree: the value of the **latest document**
(greatest ``ref_date``, the day it speaks from), because a later bulletin
that restates a fact is a correction or an update of the earlier one; on a
tie, a document stating the figure for its own area (a headline row,
``part == False``) over a breakdown in another's report, since the issuer
counts its own cases; then the later document in corpus order. Within one
document, its first statement. Every value stays in ``values``.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

from ._core import InputError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

Filter = Union[None, str, Iterable[str]]

REQUIRED = ("metric", "scope", "origin", "region", "code", "date", "value")
FACT = ("_key", "metric", "scope", "origin", "date")     # _key: the code, or the region's name without one
LEVELS = ("province", "city", "county")
# metrics whose values are not counts that add up (an ordinal round)
NOT_ADDITIVE = frozenset({"test_round"})
SERIES_COLUMNS = ("region", "code", "level", "metric", "scope", "origin", "date", "value", "approx",
                  "values", "n_sources", "doc_ids", "conflict", "derived")


def _S() -> Any:
    """The package's string dtype (Python storage, as every tongbao table)."""
    from ._document import _dtype

    return _dtype("string")


def _per_code(codes: "pd.Series", fn: Callable[[str], Any]) -> "pd.Series":
    """``fn`` (code -> str or None) over a column of division codes, computed
    once per distinct code: a corpus has millions of rows but a few thousand codes."""
    import numpy as np
    import pandas as pd

    idx, uniq = pd.factorize(codes.to_numpy(object), use_na_sentinel=True)
    mapped = np.array([fn(c) for c in uniq] + [None], dtype=object)
    return pd.Series(pd.array(mapped[idx], dtype=_S()), index=codes.index)


def _level(code: Any) -> Optional[str]:
    if not isinstance(code, str) or len(code) != 6 or not code.isdigit():
        return None
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00" or code[2:4] == "90":
        return "city"
    return "county"


def _city(code: Any) -> Optional[str]:
    return code[:4] + "00" if _level(code) == "county" else None


def _province(code: Any) -> Optional[str]:
    return code[:2] + "0000" if _level(code) in ("city", "county") else None


def level_of(codes: "pd.Series") -> "pd.Series":
    """The level of six-digit division codes: ``XX0000`` province, ``XXXX00``
    city, else county — except ``XX90YY``, a county-level city governed by
    the province itself (济源 419001, 仙桃 429004), which bulletins list
    with the cities: level city. Missing for a missing or malformed code.

    >>> import pandas as pd
    >>> level_of(pd.Series(["410000", "411400", "411421", "419001", None])).tolist()
    ['province', 'city', 'county', 'city', <NA>]
    """
    return _per_code(codes, _level)


def parent_city(codes: "pd.Series") -> "pd.Series":
    """The city code above a county code (``411421`` → ``411400``), missing
    for other levels and for the province-governed ``XX90YY``."""
    return _per_code(codes, _city)


def province_of(codes: "pd.Series") -> "pd.Series":
    """The province code above a city or county code, missing for a province."""
    return _per_code(codes, _province)


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: building a list per fact (values,
    doc_ids) allocates hundreds of thousands of small objects, and each
    collection they trigger walks every object alive — the frames' strings
    included — which made the merge quadratic-looking and three times slower.
    Nothing here creates cycles that must be freed before the end."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _missing(v: Any) -> bool:
    import pandas as pd

    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


@dataclass
class Prepared:
    """The metric rows of the documents that count (no copies), ranked for merging."""
    rows: "pd.DataFrame"      # metric rows kept, with _key, _fact, _docpos, _ref, _own, _row
    facts: "pd.DataFrame"     # one row per fact: the series before filters and roll-up
    winner: "np.ndarray"      # per fact, the position in `rows` of the winning row
    ambiguous: "np.ndarray"   # per fact, True when the winning document itself gives several values
    duplicates: "pd.Series"   # doc_id -> doc_id of the original, for the copies dropped
    source: "pd.DataFrame"    # the metrics table as given: rows[_row] is its row


def _as_metrics(metrics: "pd.DataFrame") -> "pd.DataFrame":
    import pandas as pd

    if not isinstance(metrics, pd.DataFrame):
        raise InputError(f"metrics must be a pandas DataFrame (a metrics table), not {type(metrics).__name__}")
    if "doc_id" not in metrics.columns:
        if "doc" in metrics.columns:         # tongbao.analyze_many's key column
            metrics = metrics.rename(columns={"doc": "doc_id"})
        else:
            raise InputError("metrics needs a doc_id column (the document of each row)")
    missing = [c for c in REQUIRED if c not in metrics.columns]
    if missing:
        raise InputError(f"metrics lacks the column(s) {', '.join(missing)} of the metrics table")
    if metrics["doc_id"].isna().any():
        raise InputError("metrics has rows without a doc_id")
    if not (pd.api.types.is_numeric_dtype(metrics["value"]) or len(metrics) == 0):
        try:
            metrics["value"].astype("float64")
        except (TypeError, ValueError) as exc:
            raise InputError(f"metrics' value column must hold numbers: {exc}") from None
    return metrics


def prepare(metrics: "pd.DataFrame", documents: "pd.DataFrame | None" = None, lists: bool = True) -> Prepared:
    """Drop the copies' rows, key each row by its fact and rank it for the
    merge. ``lists=False`` leaves the ``values`` and ``doc_ids`` lists out
    (None), for the checks, which read the rows instead."""
    import numpy as np
    import pandas as pd

    from ._fingerprint import duplicate_of, metric_sets

    metrics = _as_metrics(metrics)
    if documents is not None and (not isinstance(documents, pd.DataFrame) or "doc_id" not in documents.columns):
        raise InputError("documents must be a DataFrame with a doc_id column (Result.documents)")
    if documents is not None and documents["doc_id"].duplicated().any():
        twice = documents["doc_id"][documents["doc_id"].duplicated()].tolist()[:3]
        raise InputError(f"documents lists a doc_id more than once: {twice}")
    # only the columns the merge and the checks read (every later take copies
    # them; a check reads its evidence, text and end, from `metrics` by row
    # number), strings in one storage (Arrow-backed ones convert on each access)
    keep = [c for c in ("doc_id",) + REQUIRED + ("approx", "start", "consistent", "part") if c in metrics.columns]
    m = metrics[keep].reset_index(drop=True)
    m["doc_id"] = m["doc_id"].to_numpy(object)
    for c in ("metric", "scope", "origin", "region", "code", "date", "approx"):
        if c in m.columns:
            m[c] = m[c].astype(_S())
    m["value"] = m["value"].astype("float64")
    m["_row"] = np.arange(len(m))
    key = m["code"].copy()
    nocode = key.isna().to_numpy(bool)
    if nocode.any():
        key[nocode] = "~" + m["region"][nocode].fillna("")
    m["_key"] = key
    m["_fact"] = m.groupby(list(FACT), dropna=False, sort=True).ngroup().to_numpy(np.int64)

    if documents is not None and "duplicate_of" in documents.columns:
        dup = documents["duplicate_of"]
    else:
        # the metric-set test reuses the fact numbers: (fact, value) pairs
        keys = pd.DataFrame({"f": m["_fact"].to_numpy(), "v": m["value"].to_numpy()}).groupby(
            ["f", "v"], dropna=False, sort=False).ngroup().to_numpy(np.int64)
        dup = duplicate_of(documents, m if documents is None else None, _sets=metric_sets(m["doc_id"].to_numpy(object), keys))
    if documents is not None:
        dup = pd.Series(dup.to_numpy(object), index=documents["doc_id"].to_numpy(object))
        doc_order = documents["doc_id"].tolist()
        refs = dict(zip(doc_order, documents["ref_date"].tolist())) if "ref_date" in documents.columns else {}
    else:
        dup = pd.Series(dup.to_numpy(object), index=dup.index.to_numpy(object))
        doc_order, refs = [], {}
    dup = dup[[not _missing(v) for v in dup.tolist()]]
    if len(dup):
        m = m[~m["doc_id"].isin(set(dup.index)).to_numpy(bool)].reset_index(drop=True)
    # position of each document: its row in documents, else after them in
    # order of appearance; numbered once per document, not per row
    doc_no, doc_uniq = pd.factorize(m["doc_id"].to_numpy(object))
    doc_pos = pd.Index(doc_order, dtype=object).get_indexer(doc_uniq) if doc_order else np.full(len(doc_uniq), -1)
    unknown = doc_pos < 0
    doc_pos[unknown] = len(doc_order) + np.arange(int(unknown.sum()))
    m["_docpos"] = doc_pos[doc_no] if len(m) else np.zeros(0, np.int64)
    # a document's reference date; without one, the last as-of date it states
    # (dates numbered in sorted order: a numeric group-by, strings have none)
    dates = m["date"]
    date_no, date_uniq = pd.factorize(dates.to_numpy(object), sort=True, use_na_sentinel=True)
    last = pd.Series(date_no).groupby(doc_no).max().reindex(range(len(doc_uniq)), fill_value=-1).to_numpy()
    ref_text = []
    for i, d in enumerate(doc_uniq.tolist()):
        r = refs.get(d)
        if _missing(r) and last[i] >= 0:
            r = date_uniq[last[i]]
        # ISO text orders as time does; a time of day, when given, breaks a tie of days
        ref_text.append(None if _missing(r) else str(r).replace(" ", "T"))
    rank = {v: i for i, v in enumerate(sorted({v for v in ref_text if v is not None}))}
    doc_ref = np.array([rank.get(v, -1) if v is not None else -1 for v in ref_text], np.int64)
    m["_ref"] = doc_ref[doc_no] if len(m) else np.zeros(0, np.int64)
    part = m["part"].astype("boolean").fillna(False).to_numpy(bool) if "part" in m.columns else np.zeros(len(m), bool)
    m["_own"] = ~part
    start = m["start"].to_numpy(np.int64) if "start" in m.columns else np.zeros(len(m), np.int64)
    order = np.lexsort((start, -m["_docpos"].to_numpy(), -m["_own"].to_numpy(np.int64),
                        -m["_ref"].to_numpy(), m["_fact"].to_numpy()))
    m = m.iloc[order].reset_index(drop=True)
    facts, winner, ambiguous = _merge(m, lists)
    return Prepared(m, facts, winner, ambiguous, dup, metrics)


def _names(m: "pd.DataFrame") -> Dict[str, str]:
    """key -> the region's most frequent spelling among the rows (first seen on a tie)."""
    counts = m.groupby(["_key", "region"], sort=False, dropna=True).size()
    best: Dict[str, str] = {}
    seen: Dict[str, int] = {}
    for (key, name), n in counts.items():
        if n > seen.get(key, 0):
            best[key], seen[key] = name, n
    return best


def _merge(m: "pd.DataFrame", lists: bool = True) -> Tuple["pd.DataFrame", "np.ndarray", "np.ndarray"]:
    """One row per fact of the ranked rows (sorted by fact, then preference)."""
    import numpy as np
    import pandas as pd

    fact = m["_fact"].to_numpy()
    n = len(m)
    bounds = np.flatnonzero(np.r_[True, fact[1:] != fact[:-1]]) if n else np.zeros(0, np.int64)
    nf = len(bounds)
    # distinct values of each fact, in preference order (the winner first)
    value = m["value"].to_numpy(np.float64)
    first_v = ~pd.DataFrame({"f": fact, "v": value}).duplicated().to_numpy(bool)
    vf, vv = fact[first_v], value[first_v].tolist()
    vb = np.flatnonzero(np.r_[True, vf[1:] != vf[:-1]]) if nf else np.zeros(0, np.int64)
    ve = np.r_[vb[1:], len(vf)].astype(np.int64)
    vals_col = [vv[a:b] for a, b in zip(vb.tolist(), ve.tolist())] if lists else None
    n_values = ve - vb
    # distinct documents of each fact, in corpus order
    docpos = m["_docpos"].to_numpy(np.int64)
    by_doc = np.lexsort((docpos, fact))
    fd, pd_ = fact[by_doc], docpos[by_doc]
    keep = np.r_[True, (fd[1:] != fd[:-1]) | (pd_[1:] != pd_[:-1])] if n else np.zeros(0, bool)
    docs_sorted = m["doc_id"].to_numpy(object)[by_doc][keep].tolist()
    fk = fd[keep]
    db = np.flatnonzero(np.r_[True, fk[1:] != fk[:-1]]) if nf else np.zeros(0, np.int64)
    de = np.r_[db[1:], len(fk)].astype(np.int64)
    ids_col = [docs_sorted[a:b] for a, b in zip(db.tolist(), de.tolist())] if lists else None
    nsrc = (de - db).astype(np.int64)
    conflict: "np.ndarray" = np.zeros(nf, bool)
    ambiguous: "np.ndarray" = np.zeros(nf, bool)
    # facts with several values (few): do the documents disagree, and does
    # the winning document itself give more than one?
    ends = np.r_[bounds[1:], n].astype(np.int64)
    docs = m["doc_id"].to_numpy(object)
    for k in np.flatnonzero(n_values > 1).tolist():
        a, b = int(bounds[k]), int(ends[k])
        per_doc: Dict[Any, Set[Any]] = {}
        for i in range(a, b):
            per_doc.setdefault(docs[i], set()).add(value[i])
        conflict[k] = len({frozenset(x) for x in per_doc.values()}) > 1
        ambiguous[k] = len(per_doc[docs[a]]) > 1
    win = m[[c for c in ("_key", "code", "metric", "scope", "origin", "date", "value", "approx")
             if c in m.columns]].iloc[bounds]
    names = _names(m)
    win = win.reset_index(drop=True)
    key = win["_key"].tolist()
    # columns passed as typed arrays: pandas would infer (and convert) the
    # storage of plain object arrays of strings
    facts = pd.DataFrame({
        "region": pd.array([names.get(k) for k in key], dtype=_S()),
        "code": win["code"].array,
        "level": level_of(win["code"]).array,
        "metric": win["metric"].array,
        "scope": win["scope"].array,
        "origin": win["origin"].array,
        "date": win["date"].array,
        "value": win["value"].to_numpy(np.float64),
        "approx": win["approx"].array if "approx" in win.columns else pd.array([None] * len(win), dtype=_S()),
        "values": pd.Series(vals_col, dtype=object) if lists else None,
        "n_sources": nsrc,
        "doc_ids": pd.Series(ids_col, dtype=object) if lists else None,
        "conflict": conflict,
        "derived": np.zeros(len(win), bool),
    })
    facts["_key"] = win["_key"].array
    facts["_own"] = np.logical_or.reduceat(m["_own"].to_numpy(bool), bounds) if n else np.zeros(0, bool)
    return facts, bounds, ambiguous


def _city_names(codes: Sequence[str], rows: "pd.DataFrame") -> Dict[str, str]:
    """Names of cities known only by code (a roll-up of counties no row names
    the city of): the entity pass over the evidence of their counties' rows,
    where a breakdown names the city before its first county (周口市川汇区3例)."""
    from ._entities import entity_columns

    out: Dict[str, str] = {}
    if "text" not in rows.columns or not len(codes):
        return out
    want = set(codes)
    prefix = rows["code"].astype(_S()).str[:4] + "00"
    texts = rows.loc[prefix.isin(want).fillna(False).to_numpy(bool), "text"]
    for text in dict.fromkeys(t for t in texts.tolist() if isinstance(t, str)):
        cols = entity_columns(text)
        for code, name in zip(cols["code"], cols["name"]):
            if code in want and code not in out:
                out[code] = name
        if len(out) == len(want):
            break
    return out


def _rollup(facts: "pd.DataFrame", rows: "pd.DataFrame", to: str) -> "pd.DataFrame":
    """Derived rows: a city's (or the province's) figure as the sum of the
    level below, where the series has no figure of its own for that day."""
    import numpy as np
    import pandas as pd

    if to not in ("city", "province"):
        raise InputError(f"rollup must be 'city' or 'province', not {to!r}")
    out = facts
    steps = [("county", "city")] + ([("city", "province")] if to == "province" else [])
    for lower, upper in steps:
        base = out[(out["level"] == lower).fillna(False) & ~out["metric"].isin(NOT_ADDITIVE).fillna(False)]
        if lower == "county":
            parent = parent_city(base["code"])
        else:
            parent = province_of(base["code"])
        base = base.assign(_parent=parent.to_numpy(object)).dropna(subset=["_parent"])
        if not len(base):
            continue
        keys = ["_parent", "metric", "scope", "origin", "date"]
        g = base.groupby(keys, dropna=False, sort=True)
        agg = g.agg(value=("value", "sum"), n=("value", "size"))
        approx = g["approx"].agg(lambda s: None if s.isna().all() else (s.dropna().iloc[0] if s.dropna().nunique() == 1 and s.notna().all() else "about"))
        docs = g["doc_ids"].agg(lambda s: list(dict.fromkeys(d for ids in s for d in ids)))
        agg = agg.assign(approx=approx, doc_ids=docs).reset_index()
        have = set(_tuples(out, ("code", "metric", "scope", "origin", "date")))
        agg = agg[[k not in have for k in _tuples(agg, keys)]]
        if not len(agg):
            continue
        names = dict(zip(out["code"].dropna().tolist(), out.loc[out["code"].notna(), "region"].tolist()))
        unknown = sorted(set(agg["_parent"]) - set(names))
        names.update(_city_names(unknown, rows))
        derived = pd.DataFrame({
            "region": pd.array([names.get(c) for c in agg["_parent"]], dtype=_S()),
            "code": pd.array(agg["_parent"].tolist(), dtype=_S()),
            "level": pd.array([upper] * len(agg), dtype=_S()),
            "metric": agg["metric"].astype(_S()).to_numpy(object),
            "scope": agg["scope"].astype(_S()).to_numpy(object),
            "origin": agg["origin"].astype(_S()).to_numpy(object),
            "date": agg["date"].astype(_S()).to_numpy(object),
            "value": agg["value"].to_numpy(np.float64),
            "approx": agg["approx"].to_numpy(object),
            "values": [[v] for v in agg["value"].tolist()],
            "n_sources": np.asarray([len(d) for d in agg["doc_ids"]], np.int64),
            "doc_ids": agg["doc_ids"].tolist(),
            "conflict": np.zeros(len(agg), bool),
            "derived": np.ones(len(agg), bool),
        })
        for c in ("metric", "scope", "origin", "date", "approx"):
            derived[c] = derived[c].astype(_S())
        derived["_key"] = derived["code"].tolist()
        derived["_own"] = False
        out = pd.concat([out, derived], ignore_index=True)
    return out


def _tuples(df: "pd.DataFrame", cols: Sequence[str]) -> List[Tuple[Any, ...]]:
    """Rows of ``df[cols]`` as tuples, every missing value as None (NA != NA)."""
    return [tuple(None if _missing(v) else v for v in t) for t in zip(*(df[c].tolist() for c in cols))]


def _select(df: "pd.DataFrame", col: str, want: Filter) -> "pd.DataFrame":
    if want is None:
        return df
    wanted = {want} if isinstance(want, str) else set(want)
    mask = df[col].isin(wanted).fillna(False)
    if col == "region":      # a region is named or given by its code
        mask = mask | df["code"].isin(wanted).fillna(False)
    return df[mask.to_numpy(bool)]


def series(metrics: "pd.DataFrame", documents: "pd.DataFrame | None" = None, *, metric: Filter = None,
           scope: Filter = None, origin: Filter = None, region: Filter = None, level: Filter = None,
           rollup: Optional[str] = None) -> "pd.DataFrame":
    """One row per fact of a corpus: the metric rows of many documents merged.

    ``metrics`` is a metrics table of many documents with a ``doc_id``
    column (``Result.metrics``, or ``tongbao.analyze_many(texts,
    table="metrics")``, whose ``doc`` column is taken as ``doc_id``);
    ``documents`` (optional, ``Result.documents``) gives each document's
    ``ref_date`` and ``duplicate_of`` (else computed by
    :func:`tongbao.duplicate_of` from its ``fingerprint`` and the metric
    rows). A copy's rows are left out: a reposted bulletin counts once.

    A fact is a (division code, metric, scope, origin, date) — the region's
    name where the division has no code. Columns:

    - ``region``, ``code``, ``level`` (province, city, county: from the
      code; ``XX90YY`` such as 济源 419001 is a city), ``metric``,
      ``scope``, ``origin``, ``date``;
    - ``value``, ``approx``: the winning value (the latest document's; see
      the module's docstring) and its approximation;
    - ``values``: every distinct value the sources give, the winning one
      first; ``conflict``: True when documents disagree;
    - ``n_sources``, ``doc_ids``: the documents stating the fact (copies
      excluded), in corpus order;
    - ``derived``: True for a figure summed from the level below
      (``rollup``), never stated.

    Filters take a value or a list: ``metric``, ``scope``, ``origin``,
    ``region`` (a name or a code), ``level``. ``rollup="city"`` adds, for a
    city and day without a figure of its own, the sum of its counties'
    figures (``"province"`` also sums cities into the province); ordinals
    (``test_round``) are not summed. Sorted by level, code, metric, scope,
    origin and date, so ``.pivot(index="date", columns="region",
    values="value")`` of one metric, scope and origin has one cell per fact.

    >>> import tongbao
    >>> m = tongbao.analyze_many({
    ...     "p": "8月3日0—24时，全省新增本土确诊病例5例（商丘市民权县3例、睢县2例）。",
    ...     "c": "8月3日0—24时，商丘市新增本土确诊病例5例（民权县3例、睢县2例）。"},
    ...     table="metrics", ref_date="2022-08-04")
    >>> s = series(m)
    >>> s[["region", "level", "value", "n_sources"]].values.tolist()
    [['河南省', 'province', 5.0, 1], ['商丘市', 'city', 5.0, 1], ['民权县', 'county', 3.0, 2], ['睢县', 'county', 2.0, 2]]
    """
    import numpy as np

    if rollup is not None and rollup not in ("city", "province"):
        raise InputError(f"rollup must be 'city' or 'province', not {rollup!r}")
    with no_gc():
        prep = prepare(metrics, documents)
        out = prep.facts
        if rollup is not None:
            out = _rollup(out, prep.source, rollup)
    for col, want in (("metric", metric), ("scope", scope), ("origin", origin), ("region", region), ("level", level)):
        out = _select(out, col, want)
    lv = out["level"].map({"province": 0, "city": 1, "county": 2}).fillna(3).to_numpy(np.int64)
    if rollup is None:
        # the facts come in key, metric, scope, origin, date order (missing last) already
        order = np.argsort(lv, kind="stable")
    else:
        # each column numbered in sorted order (missing last), then one lexsort of integers
        ranks = [_rank(out[c]) for c in ("date", "origin", "scope", "metric", "_key")]
        order = np.lexsort(tuple(ranks) + (lv,))
    return out.iloc[order][list(SERIES_COLUMNS)].reset_index(drop=True)


def _rank(col: "pd.Series") -> "np.ndarray":
    """Integers that order like the column's strings, missing values last."""
    import pandas as pd

    codes, uniques = pd.factorize(col.to_numpy(object), sort=True, use_na_sentinel=True)
    codes[codes < 0] = len(uniques)
    ranks: "np.ndarray" = codes
    return ranks
