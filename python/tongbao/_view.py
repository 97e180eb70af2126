"""HTML views for Jupyter: a bulletin with what was found in it highlighted,
and a compact summary of an extraction result.

The output is self-contained: one ``<style>`` element scoped under a class
prefix, no script, no font or stylesheet from the network. Every piece of
text (the bulletin, the hover details, table cells) is escaped, so a
bulletin that contains ``<script>`` shows it as text. Details appear on
hover through ``title`` attributes, which every browser and Jupyter front
end shows without script.

Spans may overlap (a metric's evidence contains the quantity it reads; a
place may sit inside an organisation's name): they are nested outermost
first, and a span that crosses another's end is closed and reopened in
fragments, each carrying the same class and details, so the markup stays
well formed whatever the extractors return.
"""
from __future__ import annotations

import html
import math
import re
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._document import Document

# Kinds in nesting priority (outermost first when two spans share a start
# and an end): metric evidence contains quantities and dates; an
# organisation's name may contain a place.
KINDS: Tuple[str, ...] = ("metric", "org", "quantity", "date", "place", "person")
LABELS: Dict[str, str] = {
    "metric": "metric evidence", "quantity": "quantity", "date": "date",
    "place": "place", "person": "person", "org": "organisation",
}
# One background colour each, pale enough for black text, far enough apart
# to tell at a glance (and for the browser test to find in a screenshot).
COLOURS: Dict[str, str] = {
    "metric": "#fde68a",    # amber
    "quantity": "#93c5fd",  # blue
    "date": "#86efac",      # green
    "place": "#fca5a5",     # red
    "person": "#d8b4fe",    # purple
    "org": "#5eead4",       # teal
}
# Past this many characters the rest of the text is folded into a
# <details> element: the notebook stays responsive on a 200-page report.
COLLAPSE_AT = 3000

_UNSAFE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_CSS = """
.tb-doc, .tb-result { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei",
  "Source Han Sans SC", sans-serif; color: #111827; background: #ffffff; font-size: 14px;
  line-height: 1.9; padding: 8px 10px; border: 1px solid #e5e7eb; border-radius: 4px; }
.tb-doc .tb-head, .tb-result .tb-head { font-size: 12px; color: #4b5563; margin-bottom: 4px; }
.tb-doc .tb-legend { font-size: 12px; margin-bottom: 6px; }
.tb-doc .tb-legend span.tb-key { display: inline-block; margin-right: 12px; white-space: nowrap; }
.tb-doc .tb-sw { display: inline-block; width: 12px; height: 12px; vertical-align: -1px;
  margin-right: 4px; border-radius: 2px; }
.tb-doc .tb-text { white-space: pre-wrap; word-break: break-word; }
.tb-doc .tb-k { border-radius: 2px; padding: 1px 0; cursor: help; color: #111827; }
.tb-doc .tb-k:hover { outline: 1px solid #374151; }
.tb-doc .tb-metric { border-bottom: 2px solid #b45309; }
.tb-doc details.tb-more > summary, .tb-doc details.tb-table > summary { cursor: pointer; color: #2563eb;
  font-size: 12px; white-space: normal; }
.tb-doc table, .tb-result table { border-collapse: collapse; font-size: 12px; line-height: 1.4; }
.tb-doc td, .tb-doc th, .tb-result td, .tb-result th { border: 1px solid #e5e7eb; padding: 2px 6px;
  text-align: left; }
.tb-result .tb-err { color: #b91c1c; }
""" + "".join(
    f".tb-doc .tb-{kind} {{ background: {colour}; }}\n" for kind, colour in COLOURS.items()
)


def _clean(s: str) -> str:
    """Text a browser can show as it is: lone surrogates (a lossless str may
    hold them) and C0 controls other than tab and newlines become U+FFFD,
    one for one, so what is shown keeps the text's length."""
    return _UNSAFE.sub("\ufffd", s)


def _esc(s: str) -> str:
    return html.escape(_clean(s), quote=True)


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN, pd.NA raises in bool() below for NA
    except TypeError:
        return True


def _fmt(v: Any) -> str:
    """A cell value for the hover details: integers without '.0', missing as '—'."""
    try:
        if _missing(v):
            return "—"
    except (TypeError, ValueError):
        return "—"
    if isinstance(v, float):
        if math.isfinite(v) and v == int(v):
            return str(int(v))
        return f"{v:g}"
    return str(v)


class Span(NamedTuple):
    start: int
    end: int
    kind: str
    title: str


def _records(df: "pd.DataFrame") -> List[Dict[str, Any]]:
    cols = list(df.columns)
    return [dict(zip(cols, row)) for row in df.itertuples(index=False, name=None)]


def _metric_line(i: int, r: Mapping[str, Any]) -> str:
    approx = f" ({r['approx']})" if not _missing(r.get("approx")) else ""
    part = ", part of a breakdown" if r.get("part") is True else ""
    consistent = "" if _missing(r.get("consistent")) or r.get("consistent") else ", inconsistent with its parts"
    return (f"row {i}: {r['metric']} · {_fmt(r['scope'])} · {_fmt(r['origin'])} — {_fmt(r['region'])}"
            f" ({_fmt(r['code'])}), {_fmt(r['date_text'])}: {_fmt(r['value'])}{approx}{part}{consistent}")


def spans(doc: "Document") -> List[Span]:
    """Every highlight of ``doc`` with its hover details, in text order.

    A metric's evidence may feed several rows (a figure for the province and
    the same figure read for a county); they share one span listing them all.
    A quantity names the metric rows it feeds: the rows whose evidence
    contains it and whose value is its value.
    """
    out: List[Span] = []
    metrics = _records(doc.metrics)
    by_evidence: Dict[Tuple[int, int], List[int]] = {}
    for i, r in enumerate(metrics):
        by_evidence.setdefault((int(r["start"]), int(r["end"])), []).append(i)
    for (a, b), rows in by_evidence.items():
        lines = [f"metric evidence “{doc.text[a:b]}”"] + [_metric_line(i, metrics[i]) for i in rows]
        lines += [f"rule: {metrics[rows[0]]['rule']}"] if not _missing(metrics[rows[0]]["rule"]) else []
        out.append(Span(a, b, "metric", "\n".join(lines)))
    for q in _records(doc.quantities):
        a, b = int(q["start"]), int(q["end"])
        lines = [f"quantity “{q['text']}”", f"value: {_fmt(q['value'])}"
                 + (f" {q['unit']}" if not _missing(q["unit"]) else "")]
        low, high = q["low"], q["high"]
        if not _missing(low) and not _missing(high):
            if (low, high) != (q["value"], q["value"]):
                lines.append(f"range: {_fmt(low)} – {_fmt(high)}")
        elif not _missing(low):
            lines.append(f"at least {_fmt(low)}")
        elif not _missing(high):
            lines.append(f"at most {_fmt(high)}")
        if not _missing(q["approx"]):
            lines.append(f"approx: {q['approx']}")
        if q["ordinal"] is True:
            lines.append("ordinal")
        if not _missing(q["kind"]):
            lines.append(f"kind: {q['kind']}")
        fed = [i for i, r in enumerate(metrics)
               if int(r["start"]) <= a and b <= int(r["end"]) and not _missing(r["value"])
               and not _missing(q["value"]) and float(r["value"]) == float(q["value"])]
        lines += [f"feeds metric {_metric_line(i, metrics[i])}" for i in fed]
        out.append(Span(a, b, "quantity", "\n".join(lines)))
    for d in _records(doc.dates):
        lines = [f"date “{d['text']}”", f"resolved: {_fmt(d['value'])} ({_fmt(d['granularity'])})"]
        if not _missing(d["part_of_day"]):
            lines.append(f"part of day: {d['part_of_day']}")
        if d["relative"] is True:
            ref = f" to {doc.ref_date}" if doc.ref_date is not None else ""
            lines.append(f"relative{ref}")
        if not _missing(d["range_role"]):
            lines.append(f"range: {d['range_role']}")
        out.append(Span(int(d["start"]), int(d["end"]), "date", "\n".join(lines)))
    for e in _records(doc.entities):
        kind = str(e["label"])
        if kind not in COLOURS:
            continue
        lines = [f"{LABELS[kind]} “{e['text']}”"]
        if kind == "place":
            if not _missing(e["code"]):
                level = f" ({e['level']})" if not _missing(e["level"]) else ""
                lines.append(f"division code: {e['code']}{level}")
            else:
                lines.append("division code: unknown")
            if not _missing(e["name"]) and e["name"] != e["text"]:
                lines.append(f"official name: {e['name']}")
            if not _missing(e["parent_code"]):
                lines.append(f"parent division: {e['parent_code']}")
        out.append(Span(int(e["start"]), int(e["end"]), kind, "\n".join(lines)))
    n = len(doc.text)
    out = [s for s in out if 0 <= s.start < s.end <= n]
    out.sort(key=lambda s: (s.start, -s.end, KINDS.index(s.kind)))
    return out


def _open(s: Span) -> str:
    return f'<span class="tb-k tb-{s.kind}" title="{_esc(s.title)}">'


def _render(text: str, items: Sequence[Span], cut: Optional[int], more_label: str) -> str:
    """The text with ``items`` as nested spans; at ``cut`` every open span
    closes, a <details> opens, and they reopen inside it."""
    bounds = {0, len(text)}
    for s in items:
        bounds.add(s.start)
        bounds.add(s.end)
    if cut is not None:
        bounds.add(cut)
    points = sorted(bounds)
    parts: List[str] = []
    stack: List[Span] = []
    # spans by start, so each segment's covering set is found incrementally
    pending = list(items)
    pi = 0
    active: List[Span] = []
    for a, b in zip(points, points[1:]):
        if cut is not None and a == cut:
            parts.append("</span>" * len(stack))
            stack = []
            parts.append(f'<details class="tb-more"><summary>{_esc(more_label)}</summary>')
        while pi < len(pending) and pending[pi].start <= a:
            active.append(pending[pi])
            pi += 1
        active = [s for s in active if s.end > a]
        want = [s for s in active if s.start <= a and s.end >= b]  # already in (start, -end, kind) order
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep] is want[keep]:
            keep += 1
        parts.append("</span>" * (len(stack) - keep))
        parts.extend(_open(s) for s in want[keep:])
        stack = want
        parts.append(_esc(text[a:b]))
    parts.append("</span>" * len(stack))
    if cut is not None and cut < len(text):
        parts.append("</details>")
    return "".join(parts)


def _cut_point(text: str, limit: int) -> Optional[int]:
    """Where to fold a long text: the first line end after ``limit`` if one
    comes soon, else ``limit`` itself; None for a short text."""
    if len(text) <= limit:
        return None
    nl = text.find("\n", limit, limit + 500)
    return nl + 1 if 0 <= nl < len(text) - 1 else limit


def document_html(doc: "Document", collapse_at: int = COLLAPSE_AT) -> str:
    """The HTML view of ``doc`` (see the module docstring); ``collapse_at``
    characters are shown, the rest folded into a <details> element.

    >>> import tongbao
    >>> out = document_html(tongbao.analyze("新增<script>3例", ref_date="2022-08-04"))
    >>> "&lt;script&gt;" in out and "<script>" not in out
    True
    """
    items = spans(doc)
    counts = {k: 0 for k in COLOURS}
    for s in items:
        counts[s.kind] += 1
    # metric rows, not evidence spans, are what a reader counts
    counts["metric"] = len(doc.metrics)
    text = doc.text
    cut = _cut_point(text, collapse_at)
    more = ""
    if cut is not None:
        rest = sum(1 for s in items if s.end > cut)
        more = f"show the remaining {len(text) - cut:,} characters ({rest:,} highlights)"
    ref = f" · reference date {doc.ref_date} ({doc.ref_source})" if doc.ref_date is not None else ""
    enc = f" · {doc.encoding}" if doc.encoding else ""
    legend = "".join(
        f'<span class="tb-key"><span class="tb-sw tb-{k}"></span>{_esc(LABELS[k])} {counts[k]}</span>'
        for k in KINDS if k in COLOURS)
    body = _render(text, items, cut, more)
    metrics = doc.metrics
    table = ""
    if len(metrics):
        cols = ["metric", "scope", "origin", "region", "code", "date_text", "value", "approx", "consistent", "text"]
        table = (f'<details class="tb-table"><summary>metrics table ({len(metrics)} rows)</summary>'
                 + _table_html(metrics[cols]) + "</details>")
    return (f'<div class="tb-doc"><style>{_CSS}</style>'
            f'<div class="tb-head">tongbao.Document · {len(text):,} characters{enc}{ref}</div>'
            f'<div class="tb-legend">{legend}</div>'
            f'<div class="tb-text">{body}</div>{table}</div>')


def _table_html(df: "pd.DataFrame", max_rows: int = 200) -> str:
    cols = list(df.columns)
    head = "".join(f"<th>{_esc(str(c))}</th>" for c in cols)
    rows = []
    for row in df.head(max_rows).itertuples(index=False, name=None):
        rows.append("<tr>" + "".join(f"<td>{_esc(_fmt(v))}</td>" for v in row) + "</tr>")
    more = f'<tr><td colspan="{len(cols)}">… {len(df) - max_rows:,} more rows</td></tr>' if len(df) > max_rows else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}{more}</tbody></table>"


RESULT_TABLES = ("documents", "metrics", "quantities", "dates", "entities", "tokens")


def _result_tables(result: Any) -> List[Tuple[str, Any]]:
    """(name, table) of a result; table None for one not loaded yet (a
    Result read from disk loads a table on first access: a summary should
    not read a corpus's tables)."""
    if isinstance(result, Mapping):
        raw = getattr(result, "_tables", None)
        out: List[Tuple[str, Any]] = []
        for name in result:
            t = raw.get(name) if isinstance(raw, dict) else None
            lazy = t is not None and callable(t) and not hasattr(t, "columns")
            out.append((str(name), None if lazy and name != "documents" else result[name]))
        return out
    tables = getattr(result, "tables", None)
    if isinstance(tables, Mapping):
        return [(str(k), v) for k, v in tables.items()]
    out = []
    for name in RESULT_TABLES:
        try:
            df = getattr(result, name)
        except (AttributeError, KeyError):
            continue
        if df is not None:
            out.append((name, df))
    return out


def _nrows(df: Any) -> str:
    n = getattr(df, "npartitions", None)
    if n is not None:  # a lazy (Dask) table: its length is a computation, not shown
        return f"lazy, {n} partitions"
    try:
        return f"{len(df):,}"
    except TypeError:
        return "?"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def result_html(result: Any, max_errors: int = 20) -> str:
    """A compact HTML summary of an extraction result: how many documents,
    the rows and columns of each table, and the documents with errors
    (from the ``documents`` table's ``error`` column).

    ``result`` is anything with a ``tables`` mapping or with one attribute
    per table (``documents``, ``metrics``, …), pandas or Dask DataFrames.
    """
    tables = _result_tables(result)
    docs = dict(tables).get("documents")
    errors: List[Tuple[str, str, str]] = []
    n_docs = "?"
    if docs is not None and hasattr(docs, "itertuples") and not hasattr(docs, "npartitions"):
        n_docs = f"{len(docs):,}"
        if "error" in docs.columns:
            bad = docs[docs["error"].notna()]
            for r in _records(bad.head(max_errors)):
                where = r.get("path")
                doc_id = _fmt(r.get("doc_id"))
                path = "" if _missing(where) or str(where) == doc_id else str(where)
                errors.append((doc_id, path, str(r["error"])))
            n_bad = len(bad)
        else:
            n_bad = 0
    else:
        n_bad = 0
    def count(name: str, df: Any) -> str:
        if df is not None:
            return _nrows(df)
        col = f"n_{name}"
        if docs is not None and hasattr(docs, "columns") and col in docs.columns and not hasattr(docs, "npartitions"):
            return f"{int(docs[col].fillna(0).sum()):,} (not loaded)"
        return "not loaded"

    rows = "".join(
        f"<tr><td>{_esc(name)}</td><td>{_esc(count(name, df))}</td>"
        f"<td>{_esc(', '.join(map(str, getattr(df, 'columns', []))))}</td></tr>"
        for name, df in tables)
    err = ""
    if n_bad:
        items = "".join(f"<li><b>{_esc(d)}</b>{(' ' + _esc(p)) if p else ''}: {_esc(e)}</li>"
                        for d, p, e in errors)
        more = f"<li>… {n_bad - len(errors):,} more</li>" if n_bad > len(errors) else ""
        err = f'<div class="tb-err">{_plural(n_bad, "document")} with errors:<ul>{items}{more}</ul></div>'
    kind = type(result).__module__.split(".")[0] + "." + type(result).__name__
    return (f'<div class="tb-result"><style>{_CSS}</style>'
            f'<div class="tb-head">{_esc(kind)} · {n_docs} document{"" if n_docs == "1" else "s"}'
            f'{f" · {n_bad:,} with errors" if n_bad else ""}</div>'
            f'<table><thead><tr><th>table</th><th>rows</th><th>columns</th></tr></thead>'
            f'<tbody>{rows}</tbody></table>{err}</div>')

