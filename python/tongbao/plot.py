"""Plots of the metrics table with matplotlib (``pip install "tongbao[plot]"``).

>>> import tongbao, tongbao.plot
>>> doc = tongbao.analyze("8月2日新增本土确诊病例3例。8月3日新增本土确诊病例5例。", ref_date="2022-08-04")
>>> ax = tongbao.plot.metrics(doc)
>>> [(line.get_label(), line.get_ydata().tolist()) for line in ax.get_lines()]
[('(not stated)', [3.0, 5.0])]

Region names are Chinese: the labels use a CJK font when one is installed
(Debian: ``fonts-noto-cjk``, which ``make setup`` installs). Without one,
:func:`metrics` warns once (:class:`FontWarning`) and labels each region by
its division code instead of drawing empty boxes.
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, List, Optional

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.font_manager import FontProperties

__all__ = ["metrics", "cjk_font", "FontWarning"]

# Families that cover simplified and traditional Chinese, best first. The
# Noto CJK collection registers under its first face's name (JP), which
# carries every Han character too.
_CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans SC", "Source Han Sans SC",
    "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Serif CJK SC",
    "Noto Serif CJK JP", "PingFang SC", "Microsoft YaHei", "SimHei", "Heiti SC", "AR PL UMing CN",
)
_NO_REGION = "(not stated)"
_REQUIRED = ("metric", "scope", "origin", "date", "value")


class FontWarning(UserWarning):
    """No CJK font was found: region labels fall back to division codes."""


_font_checked = False
_font: Optional["FontProperties"] = None
_warned = False


def cjk_font() -> Optional["FontProperties"]:
    """A matplotlib FontProperties of an installed CJK font, or None (looked up once)."""
    global _font_checked, _font
    if not _font_checked:
        from matplotlib import font_manager

        names = {f.name for f in font_manager.fontManager.ttflist}
        for family in _CJK_FAMILIES:
            if family in names:
                _font = font_manager.FontProperties(family=family)
                break
        _font_checked = True
    return _font


def _metrics_frame(source: Any) -> "pd.DataFrame":
    """The metrics table of a Result, a Document, or a DataFrame of one
    (pandas, or Dask: computed here, after filtering)."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        df = source
    elif hasattr(source, "metrics") and not callable(source.metrics):
        df = source.metrics
    elif hasattr(source, "compute") and hasattr(source, "columns"):
        df = source
    else:
        raise TypeError("metrics() takes a tongbao Result or Document, or a metrics DataFrame, "
                        f"not {type(source).__name__}")
    missing = [c for c in _REQUIRED if c not in df.columns]
    if missing:
        raise KeyError(f"not a metrics table: no column {', '.join(map(repr, missing))}")
    return df


def metrics(result_or_frame: Any, metric: Optional[str] = "confirmed", scope: Optional[str] = "new",
            origin: Optional[str] = "local", by: str = "region", top: Optional[int] = 10,
            ax: Optional["Axes"] = None) -> "Axes":
    """A line per region (or other column ``by``) of one metric over time.

    ``result_or_frame`` is an extraction Result, a Document or a metrics
    DataFrame (pandas or Dask). Rows are those of ``metric``, ``scope`` and
    ``origin`` (None: any) with a complete date and a value. With
    ``by="region"`` a region is its division code (金水区 and 金水區 are
    one line) named by its most frequent spelling. A figure stated by
    several bulletins for the same region and day counts once (the largest,
    when they disagree). ``top`` keeps the regions with the largest totals
    (new counts: the sum; stocks and cumulative counts: the peak); None
    keeps all. Draws on ``ax`` (a new figure otherwise) and returns it.
    """
    import pandas as pd

    df = _metrics_frame(result_or_frame)
    if by not in df.columns:
        raise KeyError(f"no column {by!r} in the metrics table (columns: {list(df.columns)})")
    keep = df["date"].notna() & df["value"].notna()
    for col, want in (("metric", metric), ("scope", scope), ("origin", origin)):
        if want is not None:
            keep &= df[col] == want
    cols = list(dict.fromkeys([by, "code", "region", "date", "value"]))
    cols = [c for c in cols if c in df.columns]
    sub = df.loc[keep, cols]
    if hasattr(sub, "compute"):
        sub = sub.compute()
    sub = pd.DataFrame(sub).copy()
    sub["when"] = pd.to_datetime(sub["date"].astype(str).str.slice(0, 10), errors="coerce")
    sub = sub[sub["when"].notna()]
    sub["value"] = sub["value"].astype(float)

    font = cjk_font()
    if by == "region" and "code" in sub.columns:
        sub["key"] = sub["code"].astype("object").where(sub["code"].notna(), sub["region"].astype("object"))
    else:
        sub["key"] = sub[by].astype("object")
    # a figure whose region the text does not state is a line of its own
    sub["key"] = sub["key"].where(sub["key"].notna(), _NO_REGION)
    label = {}
    for key, grp in sub.groupby("key", sort=False):
        if key == _NO_REGION:
            label[key] = _NO_REGION
        elif by == "region":
            name = str(grp["region"].mode().iloc[0])
            code = None if grp["code"].isna().all() else str(grp["code"].dropna().iloc[0])
            label[key] = (f"{name} {code}" if code else name) if font is not None else (code or "(no code)")
        else:
            label[key] = str(key)
    if font is None and by == "region" and len(sub):
        _warn_no_font()

    series = sub.groupby(["key", "when"], sort=True)["value"].max()
    cumulative = scope not in (None, "new")
    totals = series.groupby(level=0).max() if cumulative else series.groupby(level=0).sum()
    order: List[Any] = totals.sort_values(ascending=False, kind="stable").index.tolist()
    if top is not None:
        order = order[:top]

    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(9, 4.5))
    import matplotlib.dates as mdates

    for key in order:
        s = series.loc[key]
        ax.plot(s.index, s.values, marker="o", markersize=3, linewidth=1.5, label=label[key])
    ax.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    what = " · ".join(x for x in (metric, scope, origin) if x is not None) or "all metrics"
    ax.set_title(what)
    ax.set_ylabel("value")
    if order:
        from matplotlib.font_manager import FontProperties

        prop = font.copy() if font is not None else FontProperties()
        prop.set_size("small")
        ax.legend(prop=prop, title=by, loc="best")
    else:
        ax.text(0.5, 0.5, f"no rows of {what}", transform=ax.transAxes, ha="center", va="center")
    return ax


def _warn_no_font() -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn("no CJK font found (Debian: apt-get install fonts-noto-cjk): regions are labelled "
                      "by division code", FontWarning, stacklevel=3)
