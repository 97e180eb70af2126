"""Dates as bulletins and people write them (issue 17), through the public
API: direction by genre, 号, weekdays, relative days, 近日, days without 日,
years in words, numeric forms; simplified and traditional script alike.

REF is Wednesday 2022-10-05 (weeks start on Monday: 10-03 .. 10-09)."""
import pandas as pd
import pytest

REF = "2022-10-05"


def table(tongbao, text, ref_date=REF):
    df = tongbao.analyze(text, ref_date=ref_date).dates
    for t, s, e in zip(df["text"], df["start"], df["end"]):
        assert text[s:e] == t
    return df


def values(tongbao, text, ref_date=REF):
    df = table(tongbao, text, ref_date)
    return [(t, v) for t, v in zip(df["text"], df["value"])]


def na_to_none(v):
    return None if v is pd.NA or v is None else v


# ---- direction ----------------------------------------------------------

@pytest.mark.parametrize("text,expected,direction", [
    # reports look back (the default for bulletins)
    ("29日0—24时，全省新增本土确诊病例3例", [("29日0", "2022-09-29T00:00"), ("24时", "2022-09-30T00:00")], "past"),
    ("29日0—24時，全省新增本土確診病例3例", [("29日0", "2022-09-29T00:00"), ("24時", "2022-09-30T00:00")], "past"),
    ("8日，全省新增本土确诊病例2例", [("8日", "2022-09-08")], "past"),
    ("31日，全省新增2例", [("31日", "2022-08-31")], "past"),
    ("11月1日，全省新增2例", [("11月1日", "2021-11-01")], "past"),
    ("已於12日起停課", [("12日", "2022-09-12")], "past"),
    ("自10月1日起已实施", [("10月1日", "2022-10-01")], "past"),
    ("29日全省新增本土确诊病例3例", [("29日", "2022-09-29")], "past"),
    ("10月1日起，全市实行", [("10月1日", "2022-10-01")], "past"),  # has begun: no jump to next year
    # announcements look ahead
    ("12号起停课", [("12号", "2022-10-12")], "future"),
    ("1号起停课", [("1号", "2022-11-01")], "future"),
    ("12號起停課", [("12號", "2022-10-12")], "future"),
    ("将于12日召开", [("12日", "2022-10-12")], "future"),
    ("將於12日召開", [("12日", "2022-10-12")], "future"),
    ("拟于11月1日实施", [("11月1日", "2022-11-01")], "future"),
    ("3日将召开总结会", [("3日", "2022-11-03")], "future"),
    ("10月20日前完成全员接种", [("10月20日", "2022-10-20")], "future"),
    ("周五将召开会议", [("周五", "2022-10-07")], "future"),
    ("週五將召開會議", [("週五", "2022-10-07")], "future"),
])
def test_direction(tongbao, text, expected, direction):
    df = table(tongbao, text)
    assert list(zip(df["text"], df["value"])) == expected
    assert [na_to_none(d) for d in df["direction"]] == [direction] * len(expected)


def test_direction_none_for_fixed_dates(tongbao):
    df = table(tongbao, "2022年10月12日起停课，昨日下午，下周一")
    assert [na_to_none(d) for d in df["direction"]] == [None, None, None]
    assert df["direction"].dtype == "string"


def test_direction_needs_a_reference(tongbao):
    df = table(tongbao, "12号起停课", ref_date=None)
    assert list(df["value"]) == ["XXXX-XX-12"]
    assert na_to_none(df["direction"].iloc[0]) is None


# ---- forms --------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    # weekdays, every spelling
    ("周三召开会议", [("周三", "2022-10-05")]),
    ("周一，全省新增", [("周一", "2022-10-03")]),
    ("周五，全省新增", [("周五", "2022-09-30")]),
    ("星期一起停课", [("星期一", "2022-10-10")]),
    ("星期天", [("星期天", "2022-10-02")]),
    ("星期日", [("星期日", "2022-10-02")]),
    ("礼拜日", [("礼拜日", "2022-10-02")]),
    ("礼拜天", [("礼拜天", "2022-10-02")]),
    ("禮拜天", [("禮拜天", "2022-10-02")]),
    ("週三", [("週三", "2022-10-05")]),
    ("本周日", [("本周日", "2022-10-09")]),
    ("这周五", [("这周五", "2022-10-07")]),
    ("這週五", [("這週五", "2022-10-07")]),
    ("这个周三", [("这个周三", "2022-10-05")]),
    ("上周三", [("上周三", "2022-09-28")]),
    ("上个星期五", [("上个星期五", "2022-09-30")]),
    ("上上个周三", [("上上个周三", "2022-09-21")]),
    ("上上個週三", [("上上個週三", "2022-09-21")]),
    ("下周一", [("下周一", "2022-10-10")]),
    ("下週一", [("下週一", "2022-10-10")]),
    ("下个礼拜二", [("下个礼拜二", "2022-10-11")]),
    ("下下周五", [("下下周五", "2022-10-21")]),
    ("下下個星期日", [("下下個星期日", "2022-10-23")]),
    ("下个礼拜", [("下个礼拜", "2022-W41")]),
    ("周一至周五", [("周一", "2022-10-03"), ("周五", "2022-10-07")]),
    ("2022年10月5日（星期三）", [("2022年10月5日", "2022-10-05")]),
    # days around the reference
    ("大前天", [("大前天", "2022-10-02")]),
    ("前天", [("前天", "2022-10-03")]),
    ("后天", [("后天", "2022-10-07")]),
    ("大后天", [("大后天", "2022-10-08")]),
    ("大後天", [("大後天", "2022-10-08")]),
    # 号 as 日
    ("3号，全市开展检测", [("3号", "2022-10-03")]),
    ("10月3號上午", [("10月3號上午", "2022-10-03")]),
    # Chinese-numeral days without 日
    ("八月十五", [("八月十五", "2022-08-15")]),
    ("八月十五晚上", [("八月十五晚上", "2022-08-15")]),
    ("3月15，全省", [("3月15", "2022-03-15")]),
    # years in words
    ("两千零四年", [("两千零四年", "2004")]),
    ("兩千零四年", [("兩千零四年", "2004")]),
    ("二〇二二年", [("二〇二二年", "2022")]),
    ("二零零四年", [("二零零四年", "2004")]),
    ("二零零四年五月四日", [("二零零四年五月四日", "2004-05-04")]),
    ("一千九百八十九年", [("一千九百八十九年", "1989")]),
    ("89年5月5日", [("89年5月5日", "1989-05-05")]),
    ("元月5日", [("元月5日", "2022-01-05")]),
    ("九月廿五日", [("九月廿五日", "2022-09-25")]),
    # numeric dates
    ("2022.10.04", [("2022.10.04", "2022-10-04")]),
    ("04.10.2022 08:50", [("04.10.2022 08:50", "2022-10-04T08:50")]),
    ("于10/4发布", [("10/4", "2022-10-04")]),
    ("2022/10/4", [("2022/10/4", "2022-10-04")]),
    ("2010 01 29", [("2010 01 29", "2010-01-29")]),
    ("13.5.2015", [("13.5.2015", "2015-05-13")]),
    ("05/05/89", [("05/05/89", "1989-05-05")]),
    ("12/31/99", [("12/31/99", "1999-12-31")]),
    ("2022/10/4-2022/10/6", [("2022/10/4", "2022-10-04"), ("2022/10/6", "2022-10-06")]),
    ("13.5.2015至04.10.2015", [("13.5.2015", "2015-05-13"), ("04.10.2015", "2015-10-04")]),
])
def test_forms(tongbao, text, expected):
    assert values(tongbao, text) == expected


@pytest.mark.parametrize("text", [
    # impossible dates
    "2月30日", "2019年2月29日", "4月31日", "31.4.2022",
    # quantities, versions, codes, scores, phone numbers
    "比分10/4", "以10/4的比分获胜", "1/2的人", "增长3.5%", "版本1.2.3", "Python 3.10.15",
    "IP 192.168.1.1", "电话0371-65961234", "0371 6596 1234", "24/7",
    # words that look like dates
    "3号楼", "地铁1号线", "通告（第12号）", "每周三次", "一周三次", "两个周三", "周口市", "做礼拜",
    "离家最近的医院", "最近一周", "十月初一", "两千多年", "14日集中隔离", "实行14日居家健康监测",
])
def test_not_dates(tongbao, text):
    assert values(tongbao, text) == []


def test_recently_is_an_open_range(tongbao):
    for word in ("近日", "最近"):
        df = table(tongbao, f"{word}，我市开展全员核酸检测")
        assert list(df["value"]) == ["2022-10-05"]
        assert list(df["range_role"]) == ["end"]  # an end with no start: open
    df = table(tongbao, "近日", ref_date=None)
    assert list(df["value"]) == ["XXXX-XX-XX"]


def test_ambiguous_numeric_order(tongbao):
    df = table(tongbao, "04.10.2022 5/6/2022", ref_date=None)
    # neither settles the order: each reads by its separator's custom (. day first, / month first)
    assert list(df["value"]) == ["2022-10-04", "2022-05-06"]
    assert list(df["ambiguous"]) == [True, True]
    df = table(tongbao, "5/6/2022", ref_date=None)
    assert list(df["value"]) == ["2022-05-06"] and bool(df["ambiguous"].iloc[0])  # / : month first
    df = table(tongbao, "13.5.2015 和 04.10.2015", ref_date=None)
    assert list(df["ambiguous"]) == [False, False]  # the first settles the second
    assert df["ambiguous"].dtype == df["relative"].dtype  # the same boolean dtype as the other flag


def test_doc_date_from_numeric_dateline(tongbao):
    doc = tongbao.analyze("日期：04.10.2022 08:50\n29日0—24时，全省新增本土确诊病例3例。")
    assert doc.ref_source == "dateline" and str(doc.ref_date)[:10] == "2022-10-04"
    assert list(doc.dates["value"])[1] == "2022-09-29T00:00"


def test_signature_date(tongbao):
    text = ("关于进一步做好疫情防控工作的通告\n\n全市各单位要严格落实各项防控措施，12号起停课。\n\n"
            "郑州市新冠肺炎疫情防控指挥部\n2021年7月31日\n")
    doc = tongbao.analyze(text)
    assert doc.ref_source == "signature" and str(doc.ref_date)[:10] == "2021-07-31"
    assert list(doc.dates["value"]) == ["2021-08-12", "2021-07-31"]


def test_reported_date_with_carried_year(tongbao):
    doc = tongbao.analyze("2022年4月，全省疫情形势严峻。5月3日，全省新增本土确诊病例3例。昨日……")
    assert doc.ref_source == "reported" and str(doc.ref_date)[:10] == "2022-05-03"
    assert list(doc.dates["value"]) == ["2022-04", "2022-05-03", "2022-05-02"]


def test_no_year_no_guess(tongbao):
    doc = tongbao.analyze("5月3日，全省新增本土确诊病例3例。周三召开会议。")
    assert doc.ref_source is None
    assert list(doc.dates["value"]) == ["XXXX-05-03", "XXXX-XX-XX"]
