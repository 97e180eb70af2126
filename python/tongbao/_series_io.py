"""``series`` and ``checks`` written beside a Result's tables (``tongbao extract``).

They are derived tables, not extraction tables: written as ``series.<ext>``
and ``checks.<ext>`` next to ``metrics.<ext>``, left out of ``tongbao.json``
(``read_result`` reads what ``extract`` wrote, and these are recomputed from
it by ``Result.series()`` / ``Result.checks()``). List columns (``values``,
``doc_ids``, ``evidence``) stay lists in Parquet and JSON lines and are JSON
text in CSV.
"""
from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Dict

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

LIST_COLUMNS = ("values", "doc_ids", "evidence")
_EXT = {"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl"}


def _plain(v: Any) -> Any:
    """A JSON-ready copy of a list cell (NumPy scalars and NaN made plain)."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and v != v:
        return None
    return v


def write_frame(df: "pd.DataFrame", path: str, fmt: str) -> None:
    out = df.copy()
    for c in LIST_COLUMNS:
        if c in out.columns:
            cells = [_plain(v) for v in out[c].tolist()]
            out[c] = [json.dumps(v, ensure_ascii=False) for v in cells] if fmt == "csv" else cells
    if fmt == "parquet":
        out.to_parquet(path, index=False)
    elif fmt == "csv":
        out.to_csv(path, index=False)
    elif fmt == "jsonl":
        out.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        raise ValueError(f"format must be one of {', '.join(_EXT)}, not {fmt!r}")


def write_series_and_checks(result: Any, out: "str | os.PathLike[str]", fmt: str) -> Dict[str, int]:
    """Write ``series`` and ``checks`` of ``result`` into ``out``; returns the
    number of checks of each kind (every kind, zeros included)."""
    from ._checks import KINDS

    out = os.fspath(out)
    series, checks = result.series(), result.checks()
    write_frame(series, os.path.join(out, "series" + _EXT[fmt]), fmt)
    write_frame(checks, os.path.join(out, "checks" + _EXT[fmt]), fmt)
    counts = checks["kind"].value_counts().to_dict()
    return {"_facts": len(series), **{k: int(counts.get(k, 0)) for k in KINDS}}


def summary_line(counts: Dict[str, int]) -> str:
    """``series: 1354 facts; checks: 6 (breakdown 1, origin_split 1, …)``."""
    kinds = {k: n for k, n in counts.items() if not k.startswith("_")}
    total = sum(kinds.values())
    detail = ", ".join(f"{k} {n}" for k, n in kinds.items() if n)
    return f"series: {counts['_facts']} facts; checks: {total}" + (f" ({detail})" if detail else "")
