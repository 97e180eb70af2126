"""tongbao._docdate: a document's date from its file path and its HTML
metadata (issue 16, item 3), for tongbao.extract and the command line."""
import datetime as dt
import doctest
import pathlib

import pytest

from tongbao import _docdate
from tongbao._docdate import date_from_html, date_from_path

D = dt.date


def test_doctests():
    result = doctest.testmod(_docdate, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("path, want", [
    ("d20220803.txt", D(2022, 8, 3)),
    ("2022-08-04.txt", D(2022, 8, 4)),
    ("2022_08_04.txt", D(2022, 8, 4)),
    ("2022.8.4.html", D(2022, 8, 4)),
    ("20220804_郑州.html", D(2022, 8, 4)),
    ("郑州_20220804.html", D(2022, 8, 4)),
    ("henan-2021-11-08-report.txt", D(2021, 11, 8)),
    ("河南省2022年8月4日疫情通报.txt", D(2022, 8, 4)),
    ("河南省2022年8月4日疫情通報.txt", D(2022, 8, 4)),
    ("/data/scrape/2022/08/04/index.html", D(2022, 8, 4)),
    ("scrape/2022/8/4/a.txt", D(2022, 8, 4)),
    ("C:\\scrape\\2022\\08\\04\\a.txt", D(2022, 8, 4)),
    ("scrape/2022-08-04/bulletin.txt", D(2022, 8, 4)),
    ("scrape/20220804/bulletin.txt", D(2022, 8, 4)),
    # the name wins over the folders
    ("2021/01/01/20220804.txt", D(2022, 8, 4)),
    (pathlib.Path("a") / "2022-08-04.txt", D(2022, 8, 4)),
    ("2020-02-29.txt", D(2020, 2, 29)),
])
def test_date_from_path(path, want):
    assert date_from_path(path) == want


@pytest.mark.parametrize("path", [
    "", "bulletin.txt", "s1.txt", "000_49add8836dfc7fe4.txt",
    "20221399.txt",          # no 13th month
    "2021-02-29.txt",        # not a leap year
    "123456789.txt",         # a longer number
    "report_12345678.txt",   # year 1234: out of range
    "scrape/2022/08/x.txt",  # a year and a month alone
    "scrape/2022/index.html",
    "2022.txt",
    "v1.2.3.txt",
])
def test_date_from_path_none(path):
    assert date_from_path(path) is None


@pytest.mark.parametrize("html, want", [
    ('<meta name="PubDate" content="2022-08-04 10:19:34">', D(2022, 8, 4)),
    ("<META NAME='publishdate' CONTENT='2022/08/04'>", D(2022, 8, 4)),
    ('<meta name="firstpublishedtime" content="2022-08-04-10:19:34">', D(2022, 8, 4)),
    ('<meta property="article:published_time" content="2022-08-04T23:30:00+08:00" />', D(2022, 8, 4)),
    ('<meta itemprop="datePublished" content="20220804">', D(2022, 8, 4)),
    ('<meta name="date" content="2022年8月4日">', D(2022, 8, 4)),
    ('<span itemprop="datePublished" datetime="2022-08-04">', D(2022, 8, 4)),
    # the stronger key wins, wherever it is
    ('<meta name="date" content="2022-01-01"><meta name="pubdate" content="2022-08-04">', D(2022, 8, 4)),
    # an unreadable value falls to the next key
    ('<meta name="pubdate" content="yesterday"><meta name="dc.date" content="2022-08-04">', D(2022, 8, 4)),
])
def test_date_from_html(html, want):
    assert date_from_html("<html><head>" + html + "</head><body>x</body></html>") == want


@pytest.mark.parametrize("html", [
    "",
    "<p>2022年8月4日</p>",                                          # the body is the scanner's
    '<meta name="keywords" content="2022-08-04">',
    '<meta property="article:modified_time" content="2022-08-04">',  # not a publication date
    '<meta name="pubdate" content="2022-02-30">',
    '<meta name="pubdate">',
    "<meta name=",                                                   # broken markup
    "<" * 10000,
])
def test_date_from_html_none(html):
    assert date_from_html(html) is None


def test_hostile_sizes():
    assert date_from_path("9" * 100000 + ".txt") is None
    assert date_from_path("/".join(["2022"] * 5000)) is None
    assert date_from_html('<meta name="x" content="1">' * 20000) is None
