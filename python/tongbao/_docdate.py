"""A document's date from where it came from: its file path, its HTML page.

When a bulletin's text states no date of its own (no dateline, no dated
title, no reporting range: see docs/dates.md), the file it was read from
often does: a scraper names files ``d20220803.txt`` or ``2022-08-04.txt``,
stores pages in dated folders (``2022/08/04/``), and news pages carry their
publication date in a ``<meta>`` element. These two functions read those
and nothing else; they are pure Python and never guess: a name or folder
that is not a whole, valid calendar date gives None.

They are meant for ``tongbao.extract`` and the command line (being built),
which use them when the text has no date (``Document.ref_source`` then
``"path"`` or ``"html"``); a ``ref_date`` given by the caller always wins.
"""
from __future__ import annotations

import datetime as _dt
import functools
import os
import re
from html.parser import HTMLParser
from typing import List, Optional, Tuple, Union

__all__ = ["date_from_path", "date_from_html"]

# Years accepted from a path or a page: wider than any bulletin, narrow
# enough that an 8-digit serial (12345678) is not read as the year 1234.
_YEARS = (1900, 2100)

# A date inside a file or folder name, not inside a longer number:
# 2022-08-04, 2022_08_04, 2022.8.4, 20220804, d20220804, 2022年8月4日.
_NAME_DATE = re.compile(
    r"(?<!\d)(?P<y>\d{4})(?:(?P<sep>[-_.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"|(?P<m2>\d{2})(?P<d2>\d{2}))(?!\d)"
    r"|(?<!\d)(?P<y3>\d{4})年(?P<m3>\d{1,2})月(?P<d3>\d{1,2})日")

# A date in a metadata value: 2022-08-04, 2022-08-04T10:19:34+08:00,
# 2022/08/04 10:19, 20220804, 2022年8月4日.
_VALUE_DATE = re.compile(
    r"^\s*(?P<y>\d{4})(?:(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})|(?P<m2>\d{2})(?P<d2>\d{2})"
    r"|年(?P<m3>\d{1,2})月(?P<d3>\d{1,2})日)(?!\d)")


def _valid(y: str, m: str, d: str) -> Optional[_dt.date]:
    try:
        day = _dt.date(int(y), int(m), int(d))
    except ValueError:
        return None
    return day if _YEARS[0] <= day.year <= _YEARS[1] else None


def _date_in_name(name: str) -> Optional[_dt.date]:
    for m in _NAME_DATE.finditer(name):
        g = m.groupdict()
        if g["y3"]:
            day = _valid(g["y3"], g["m3"], g["d3"])
        elif g["sep"]:
            day = _valid(g["y"], g["m"], g["d"])
        else:
            day = _valid(g["y"], g["m2"], g["d2"])
        if day is not None:
            return day
    return None


def _is_num(part: str, lo: int, hi: int, width: Tuple[int, ...]) -> bool:
    return part.isascii() and part.isdigit() and len(part) in width and lo <= int(part) <= hi


def date_from_path(path: Union[str, "os.PathLike[str]"]) -> Optional[_dt.date]:
    """The date a file's name or folders give, else None.

    The file name is read first (its stem: ``20220804_郑州.html``), then the
    folders from the innermost out: a year/month/day chain of folders
    (``2022/08/04/``, ``2022/8/4/``), or a folder named like a dated file
    (``2022-08-04/``, ``20220804/``). A year or a month alone gives nothing.
    Both ``/`` and ``\\`` separate folders.

    >>> date_from_path("corpus/d20220803.txt")
    datetime.date(2022, 8, 3)
    >>> date_from_path("2022-08-04.txt")
    datetime.date(2022, 8, 4)
    >>> date_from_path("20220804_郑州.html")
    datetime.date(2022, 8, 4)
    >>> date_from_path("news/2022/08/04/index.html")
    datetime.date(2022, 8, 4)
    >>> date_from_path("郑州市2022年8月4日疫情通报.txt")
    datetime.date(2022, 8, 4)
    >>> date_from_path("bulletins/20221399.txt") is None   # no 13th month
    True
    >>> date_from_path("report_123456789.txt") is None     # a serial, not a date
    True
    """
    p = os.fspath(path)
    cut = max(p.rfind("/"), p.rfind("\\"))
    name = p[cut + 1:]
    if not name:   # (a path ending in a separator: its last folder is the name)
        parts: List[str] = [q for q in re.split(r"[\\/]+", p) if q]
        if not parts:
            return None
        name, cut = parts[-1], p.rfind(parts[-1]) - 1
    stem = name.rsplit(".", 1)[0] if "." in name[1:] else name
    day = _date_in_name(stem)
    if day is not None:
        return day
    return _date_in_folders(p[:cut + 1]) if cut >= 0 else None


@functools.lru_cache(maxsize=4096)
def _date_in_folders(directory: str) -> Optional[_dt.date]:
    """The date the folders of ``directory`` give (see :func:`date_from_path`):
    remembered, as a corpus holds many files per folder."""
    folders = [q for q in re.split(r"[\\/]+", directory) if q]
    for i in range(len(folders) - 1, -1, -1):
        f = folders[i]
        if (i >= 2 and _is_num(f, 1, 31, (1, 2)) and _is_num(folders[i - 1], 1, 12, (1, 2))
                and _is_num(folders[i - 2], *_YEARS, (4,))):
            day = _valid(folders[i - 2], folders[i - 1], f)
            if day is not None:
                return day
        day = _date_in_name(f)
        if day is not None:
            return day
    return None


# <meta> names and properties that hold a publication date, strongest first
# (lower case). Modification times are not publication dates and are not read.
_META_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "pubdate", "publishdate", "publish_date", "publish-date", "publishtime", "pubtime",
    "firstpublishedtime", "publication_date", "citation_publication_date", "citation_date",
    "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created",
    "sailthru.date", "parsely-pub-date", "date",
)
_RANK = {k: i for i, k in enumerate(_META_KEYS)}


class _MetaDates(HTMLParser):
    """Collects (rank, value) of the date-bearing <meta> elements and of
    elements marked itemprop="datePublished"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: List[Tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs if k}
        keys = [a.get("name", ""), a.get("property", ""), a.get("itemprop", ""), a.get("http-equiv", "")]
        for k in keys:
            rank = _RANK.get(k.strip().lower())
            if rank is None:
                continue
            value = a.get("content") or a.get("datetime") or ""
            if value:
                self.found.append((rank, len(self.found), value))

    handle_startendtag = handle_starttag


def _date_in_value(value: str) -> Optional[_dt.date]:
    m = _VALUE_DATE.match(value)
    if m is None:
        return None
    g = m.groupdict()
    if g["sep"]:
        return _valid(g["y"], g["m"], g["d"])
    if g["m2"]:
        return _valid(g["y"], g["m2"], g["d2"])
    return _valid(g["y"], g["m3"], g["d3"])


def date_from_html(text: str) -> Optional[_dt.date]:
    """The publication date an HTML page states in its metadata, else None.

    Read from ``<meta>`` elements (``name``, ``property`` or ``itemprop``:
    ``article:published_time``, ``PubDate``, ``publishdate``,
    ``firstpublishedtime``, ``dc.date``, ``date`` … strongest first) and from
    an element marked ``itemprop="datePublished"`` (its ``content`` or
    ``datetime``). The value's calendar date is taken as written (a time
    zone does not move it). The body's text is not read: that is the
    scanner's job.

    >>> date_from_html('<meta name="PubDate" content="2022-08-04 10:19:34">')
    datetime.date(2022, 8, 4)
    >>> date_from_html('<meta property="article:published_time" content="2022-08-04T23:30:00+08:00">')
    datetime.date(2022, 8, 4)
    >>> date_from_html('<time itemprop="datePublished" datetime="2022/8/4">8月4日</time>')
    datetime.date(2022, 8, 4)
    >>> date_from_html('<meta name="keywords" content="2022-08-04"><p>2022年8月4日</p>') is None
    True
    """
    p = _MetaDates()
    try:
        p.feed(text)
        p.close()
    except Exception:  # pragma: no cover - HTMLParser is lenient; a broken page gives what was read
        pass
    for _, _, value in sorted(p.found):
        day = _date_in_value(value)
        if day is not None:
            return day
    return None
