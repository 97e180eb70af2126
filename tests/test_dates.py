"""Dates through the public API: tongbao.analyze(text, ref_date).dates."""
import datetime as dt
import pathlib
import threading

import pytest

REF = "2022-03-28"


def rows(tongbao, text, ref_date=REF):
    """(surface, value) of each date, checking that offsets slice the surface."""
    df = tongbao.analyze(text, ref_date=ref_date).dates
    out = []
    for t, s, e, v in zip(df["text"], df["start"], df["end"], df["value"]):
        assert text[s:e] == t
        out.append((t, None if v is None or v is __import__("pandas").NA else v))
    return out


def one(tongbao, text, ref_date=REF):
    df = tongbao.analyze(text, ref_date=ref_date).dates
    assert len(df) == 1, df
    return df.iloc[0]


@pytest.mark.parametrize("text,ref,expected", [
    ("日期:2021-08-12 17:35", REF, [("2021-08-12 17:35", "2021-08-12T17:35")]),
    ("2022-08-04 10:19:34", REF, [("2022-08-04 10:19:34", "2022-08-04T10:19:34")]),
    ("这是2020年2月10日我市首例", REF, [("2020年2月10日", "2020-02-10")]),
    ("二○○一年十二月三十一日", REF, [("二○○一年十二月三十一日", "2001-12-31")]),
    ("二〇二二年", REF, [("二〇二二年", "2022")]),
    ("3月27日,省委召开", REF, [("3月27日", "2022-03-27")]),
    ("5月7日8时", "2022-05-07", [("5月7日8时", "2022-05-07T08:00")]),
    ("5月7日8时30分", "2022-05-07", [("5月7日8时30分", "2022-05-07T08:30")]),
    ("11月7日上午,省委", "2021-11-08", [("11月7日上午", "2021-11-07")]),
    ("2022年5月", REF, [("2022年5月", "2022-05")]),
    ("2022年春季", REF, [("2022年春季", "2022")]),
    ("当年10月份", REF, [("当年10月份", "2022-10")]),
    ("10月份", REF, [("10月份", "2021-10")]),
    ("2021年底", REF, [("2021年底", "2021-12")]),
    ("2021年初", REF, [("2021年初", "2021-01")]),
    ("2021年上半年", REF, [("2021年上半年", "2021")]),
    ("截至5月7日8时,许昌市", "2022-05-07", [("5月7日8时", "2022-05-07T08:00")]),
    ("今天上午8时,启动", "2022-05-07", [("今天上午8时", "2022-05-07T08:00")]),
    ("今天", REF, [("今天", "2022-03-28")]),
    ("今日", REF, [("今日", "2022-03-28")]),
    ("昨天", REF, [("昨天", "2022-03-27")]),
    ("昨日", REF, [("昨日", "2022-03-27")]),
    ("前天", REF, [("前天", "2022-03-26")]),
    ("明天", REF, [("明天", "2022-03-29")]),
    ("明日", REF, [("明日", "2022-03-29")]),
    ("当天", REF, [("当天", "2022-03-28")]),
    ("当日", REF, [("当日", "2022-03-28")]),
    ("坚决在本月15日前圈住", "2021-11-08", [("本月15日", "2021-11-15")]),
    ("当年", REF, []),
    ("今年", REF, [("今年", "2022")]),
    ("去年", REF, [("去年", "2021")]),
    ("明年", REF, [("明年", "2023")]),
    ("上周三", REF, [("上周三", "2022-03-23")]),
    ("本周", REF, [("本周", "2022-W13")]),
    ("下周一", REF, [("下周一", "2022-04-04")]),
    ("月末", REF, [("月末", "2022-03")]),
    ("月底", REF, [("月底", "2022-03")]),
    ("月初", REF, [("月初", "2022-03")]),
    ("近日", REF, [("近日", "2022-03-28")]),  # an open range ending on the reference day
    ("昨日下午,市委", "2021-11-08", [("昨日下午", "2021-11-07")]),
    ("3月27日至4月2日", REF, [("3月27日", "2022-03-27"), ("4月2日", "2022-04-02")]),
    ("3月27日—4月2日", REF, [("3月27日", "2022-03-27"), ("4月2日", "2022-04-02")]),
    ("3月27日-30日", REF, [("3月27日", "2022-03-27"), ("30日", "2022-03-30")]),
    ("3月27日到30日", REF, [("3月27日", "2022-03-27"), ("30日", "2022-03-30")]),
    ("3月27日至30日", REF, [("3月27日", "2022-03-27"), ("30日", "2022-03-30")]),
    ("2020年1月21日至2022年8月3日24时", REF,
     [("2020年1月21日", "2020-01-21"), ("2022年8月3日24时", "2022-08-04T00:00")]),
    ("8月3日0—24时", "2022-08-05", [("8月3日0", "2022-08-03T00:00"), ("24时", "2022-08-04T00:00")]),
    ("12月20日", "2022-01-03", [("12月20日", "2021-12-20")]),
    ("12月28日至1月3日", "2022-01-03", [("12月28日", "2021-12-28"), ("1月3日", "2022-01-03")]),
    ("5月7日22时至6时", "2022-05-07", [("5月7日22时", "2022-05-07T22:00"), ("6时", "2022-05-08T06:00")]),
    ("切实做好清明节防控工作", REF, [("清明节", "2022-04-05")]),
    ("2020年1月21日以来", REF, [("2020年1月21日", "2020-01-21")]),
    ("今年3月", REF, [("今年3月", "2022-03")]),
    ("去年12月", REF, [("去年12月", "2021-12")]),
    # lunar holidays (ICU's Chinese calendar, generated into tb_lunar_table.h)
    ("2022年春节", REF, [("2022年春节", "2022-02-01")]),
    ("春节期间", REF, [("春节", "2022-02-01")]),
    ("春节期间", "2020-12-20", [("春节", "2021-02-12")]),      # the coming one, nearest the reference
    ("除夕", "2022-01-20", [("除夕", "2022-01-31")]),
    ("元宵节", REF, [("元宵节", "2022-02-15")]),
    ("端午假期", "2022-05-07", [("端午", "2022-06-03")]),
    ("2021年中秋节", REF, [("2021年中秋节", "2021-09-21")]),
    ("2020年中秋国庆", REF, [("2020年中秋", "2020-10-01")]),
    ("重阳节", "2022-10-01", [("重阳节", "2022-10-04")]),
    ("元旦春节期间", "2021-12-28", [("元旦", "2022-01-01"), ("春节", "2022-02-01")]),
    # year ranges with one 年
    ("2020-2022年", REF, [("2020", "2020"), ("2022年", "2022")]),
    ("2020—2022年,", REF, [("2020", "2020"), ("2022年", "2022")]),
    ("2020至2022年", REF, [("2020", "2020"), ("2022年", "2022")]),
    # 次日 / 翌日: the day after the last date with a day, else after the reference
    ("5月1日,张某到郑州。次日上午返回", "2022-05-07", [("5月1日", "2022-05-01"), ("次日上午", "2022-05-02")]),
    ("8月3日0—24时,新增3例。次日", "2022-08-04",
     [("8月3日0", "2022-08-03T00:00"), ("24时", "2022-08-04T00:00"), ("次日", "2022-08-04")]),
    ("翌日", "2022-05-07", [("翌日", "2022-05-08")]),
    # 至今: a range that ends on the reference day
    ("2020年1月至今", "2022-12-31", [("2020年1月", "2020-01"), ("今", "2022-12-31")]),
    ("5月1日至今天", "2022-05-07", [("5月1日", "2022-05-01"), ("今天", "2022-05-07")]),
    ("截至今天上午8时", "2022-05-07", [("今天上午8时", "2022-05-07T08:00")]),
])
def test_examples(tongbao, text, ref, expected):
    assert rows(tongbao, text, ref) == expected


@pytest.mark.parametrize("text", [
    "24小时", "3天", "14天", "3个月", "第3天", "3年来,市卫健委", "两年", "连续两年", "65岁",
    "年轻人的年龄", "新年", "及时", "同时", "时间", "实时", "随时", "临时", "8时", "八点建议",
    "隔离14日内", "第一时间", "2月30日", "13月", "2021年2月29日", "3月32日", "25时",
    "2.2万剂次", "N95口罩", "COVID-19", "共118,406人", "目前天气", "以下月份", "7号楼",
    "吃元宵", "重点人群", "春天", "至今", "3050年春节", "每次日均检测", "本次日报告", "3次日", "第三次日程",
])
def test_not_dates(tongbao, text):
    assert rows(tongbao, text) == []


def test_columns(tongbao):
    df = tongbao.analyze("5月7日0—24时,今天上午8时,昨日下午", ref_date="2022-05-07").dates
    assert list(df.columns) == ["text", "start", "end", "value", "granularity", "part_of_day",
                                "relative", "range_role", "direction", "ambiguous"]
    assert list(df["range_role"].fillna("-")) == ["start", "end", "-", "-"]
    assert list(df["granularity"]) == ["hour", "hour", "hour", "day"]
    assert list(df["part_of_day"].fillna("-")) == ["-", "-", "morning", "afternoon"]
    assert list(df["relative"]) == [True, True, True, True]
    row = one(tongbao, "2020年2月10日")
    assert row["granularity"] == "day" and not row["relative"] and row["part_of_day"] is __import__("pandas").NA


@pytest.mark.parametrize("word,pod", [
    ("上午", "morning"), ("下午", "afternoon"), ("晚上", "evening"), ("夜间", "night"),
    ("凌晨", "early_morning"), ("中午", "noon"),
])
def test_part_of_day(tongbao, word, pod):
    row = one(tongbao, f"5月7日{word}", ref_date="2022-05-08")
    assert row["part_of_day"] == pod and row["value"] == "2022-05-07"


def test_afternoon_clock(tongbao):
    assert one(tongbao, "5月7日下午3时", ref_date="2022-05-08")["value"] == "2022-05-07T15:00"
    assert one(tongbao, "5月7日晚上8点半", ref_date="2022-05-08")["value"] == "2022-05-07T20:30"


def test_granularity_names(tongbao):
    cases = {"2022年": "year", "2022年5月": "month", "2022年5月7日": "day", "5月7日8时": "hour",
             "5月7日8时30分": "minute", "2022-08-04 10:19:34": "second", "本周": "week",
             "2022年春季": "season", "2021年上半年": "half_year", "2022年第一季度": "quarter"}
    for text, gran in cases.items():
        assert one(tongbao, text)["granularity"] == gran, text


def test_folded_input(tongbao):
    assert rows(tongbao, "２０２２年３月２７日") == [("２０２２年３月２７日", "2022-03-27")]
    assert rows(tongbao, "鄭州市3月27日確診") == [("3月27日", "2022-03-27")]
    assert rows(tongbao, "2021－08－12") == [("2021－08－12", "2021-08-12")]
    assert rows(tongbao, "二〇二二年三月二十七日") == [("二〇二二年三月二十七日", "2022-03-27")]


def test_offsets_with_astral_characters(tongbao):
    text = "𠀀😀 3月27日,𠀀 昨日下午"
    assert rows(tongbao, text, "2021-11-08") == [("3月27日", "2021-03-27"), ("昨日下午", "2021-11-07")]


def test_no_reference(tongbao):
    doc = tongbao.analyze("3月27日,省委召开。昨天,7日上午")
    assert doc.ref_date is None and doc.ref_source is None
    assert list(doc.dates["value"]) == ["XXXX-03-27", "XXXX-XX-XX", "XXXX-XX-07"]
    assert list(doc.dates["relative"]) == [True, True, True]


def test_ref_date_types(tongbao):
    for ref in (dt.date(2022, 3, 28), dt.datetime(2022, 3, 28, 10, 5), "2022-03-28", "2022-03-28T10:05"):
        assert rows(tongbao, "昨天", ref) == [("昨天", "2022-03-27")]
    with pytest.raises(tongbao.InputError):
        tongbao.analyze("昨天", ref_date="2022-13-45")


def test_scan_dates_rejects_bad_ref(tongbao):
    seg = tongbao.Tokenizer()._segmenter()
    with pytest.raises(tongbao.InputError):
        seg.scan_dates("昨天", (2022, 2, 30, -1, -1))
    with pytest.raises(TypeError):
        seg.scan_dates("昨天", (2022, 2))
    with pytest.raises(TypeError):
        seg.scan_dates(b"x", None)
    cols, found = seg.scan_dates("昨天", (2022, 3, 28, -1, -1))
    assert cols["value"] == ["2022-03-27"] and found is None


def test_found_reference(tongbao):
    text = "  • 日期:2021-08-12 17:35\n  8月10日,省纪委举办……争取月末前"
    doc = tongbao.analyze(text)
    # ref_source names the evidence (issue 16; it was "text" for any found date)
    assert doc.ref_date == dt.date(2021, 8, 12) and doc.ref_source == "dateline"
    assert list(doc.dates["value"]) == ["2021-08-12T17:35", "2021-08-10", "2021-08"]
    seg = tongbao.Tokenizer()._segmenter()
    assert seg.scan_dates(text, None)[1] == (2021, 8, 12, 17, 35, "dateline")
    # a given reference wins over the dateline as the reference (月末 is its
    # month); 8月10日 takes the year of the nearest preceding year-bearing
    # mention first (issue 16: it took the given reference's year, 2022)
    doc = tongbao.analyze(text, ref_date="2022-03-28")
    assert doc.ref_source == "given"
    assert list(doc.dates["value"]) == ["2021-08-12T17:35", "2021-08-10", "2022-03"]


def test_lede_reference(tongbao):
    doc = tongbao.analyze("本报讯 2022年3月27日,省委召开会议。昨日下午……")
    assert doc.ref_date == dt.date(2022, 3, 27)
    assert list(doc.dates["value"]) == ["2022-03-27", "2022-03-26"]


def test_hostile(tongbao):
    big = "9" * 100000 + "年3月27日"
    assert rows(tongbao, big) == [("3月27日", "2022-03-27")]
    assert rows(tongbao, "1日" * 50000) == []
    assert len(rows(tongbao, "1日8时," * 20000)) == 20000
    assert rows(tongbao, "十" * 100000 + "月") == []
    assert rows(tongbao, "至" * 100000) == []
    assert rows(tongbao, "3月27日至" * 20000)[:2] == [("3月27日", "2022-03-27"), ("3月27日", "2022-03-27")]
    assert rows(tongbao, "明天", "9999-12-31") == []
    assert rows(tongbao, "\ud800 3月27日") == [("3月27日", "2022-03-27")]


def test_threads(tongbao):
    text = "截至5月7日8时,许昌市。今天上午8时,昨日下午。" * 200
    want = rows(tongbao, text, "2022-05-07")
    errors = []

    def work():
        for _ in range(5):
            if rows(tongbao, text, "2022-05-07") != want:
                errors.append(1)

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors



def test_gold_seed_dates(shared_dir, seed_files, score_dates):
    """Date F1 >= 0.95 over the five seeds (the issue's target), scored by
    shared/tools/score_gold.py against the date records of the gold."""
    score_gold = score_dates.load_scorer(shared_dir)
    gold, pred = [], []
    for f in seed_files:
        ref = score_dates.REF_DATES[f.name]
        gold += score_dates.gold_dates(shared_dir, f.name)
        pred += score_dates.date_records(f.name, f.read_text(encoding="utf-8"), ref)
    s = score_gold.score(gold, pred, docs={f.name for f in seed_files})["date"]
    assert s["f1"] >= 0.95, s


def test_seed_002_without_ref(shared_dir):
    text = (shared_dir / "corpus" / "seeds" / "002_4d726feb6a2db307.txt").read_text(encoding="utf-8")
    import tongbao

    doc = tongbao.analyze(text)
    assert doc.ref_date == dt.date(2021, 8, 12) and doc.ref_source == "dateline"
    values = list(doc.dates["value"])
    assert "2021-08-10" in values and "2021-08" in values and "2021-08-12T17:35" in values


_ISO_VALUE = __import__("re").compile(
    r"(?P<y>\d{4}|XXXX)(?:-(?P<m>\d{2}|XX)(?:-(?P<d>\d{2}|XX)"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?)?|-W(?:\d{2}|XX))?")


def _check_value(v):
    """Every value is ISO 8601 (with X for unknown parts) and a real calendar date."""
    m = _ISO_VALUE.fullmatch(v)
    assert m, v
    y = int(m["y"]) if m["y"] != "XXXX" else 2000  # a leap year: XXXX-02-29 is possible
    if m["m"] and m["m"] != "XX":
        mo = int(m["m"])
        d = int(m["d"]) if m["d"] and m["d"] != "XX" else 1
        dt.datetime(y, mo, d, int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0))


def test_fuzz_values_are_valid(tongbao):
    """Random soup of date characters: offsets slice, values are valid, nothing crashes."""
    import random

    rng = random.Random(20220328)
    alphabet = list("0123456789０１２３年月日号时点分秒半许至到—-~ :：，,。今昨明前后当本上下周一二三四五六七八九十〇零两"
                    "午晚夜凌晨中初底末旬季度春截份期间\n") + ["2022年", "24时", "上午", "清明节", "当年"]
    seg = tongbao.Tokenizer()._segmenter()
    for n in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60)))
        ref = (rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28), -1, -1) if n % 3 else None
        cols, found = seg.scan_dates(text, ref)
        n_rows = len(cols["start"])
        assert all(len(c) == n_rows for c in cols.values())
        for s, e, v in zip(cols["start"], cols["end"], cols["value"]):
            assert 0 <= s < e <= len(text)
            _check_value(v)
        if found is not None:
            dt.date(*found[:3])


def test_generated_lunar_table_is_current(tmp_path):
    """csrc/core/tb_lunar_table.h is what tools/gen_lunar_table.c prints with this machine's ICU."""
    import shutil
    import subprocess
    root = pathlib.Path(__file__).resolve().parent.parent
    header = root / "csrc" / "core" / "tb_lunar_table.h"
    if not header.exists() or shutil.which("cc") is None or shutil.which("pkg-config") is None:
        pytest.skip("source tree or compiler not available")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "icu-i18n", "icu-uc"],
                           capture_output=True, text=True, check=True).stdout.split()
    exe = tmp_path / "gen_lunar_table"
    subprocess.run(["cc", "-O1", "-o", str(exe), str(root / "tools" / "gen_lunar_table.c"), *flags], check=True)
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    # the ICU version in the first line may differ between machines; the days may not
    assert out.split("\n", 1)[1] == header.read_text(encoding="utf-8").split("\n", 1)[1]


@pytest.mark.parametrize("year, spring_festival, mid_autumn", [
    (1949, "1949-01-29", "1949-10-06"), (2020, "2020-01-25", "2020-10-01"), (2021, "2021-02-12", "2021-09-21"),
    (2022, "2022-02-01", "2022-09-10"), (2023, "2023-01-22", "2023-09-29"), (2008, "2008-02-07", "2008-09-14"),
])
def test_lunar_holidays_fall_on_their_published_days(tongbao, year, spring_festival, mid_autumn):
    assert rows(tongbao, f"{year}年春节") == [(f"{year}年春节", spring_festival)]
    assert rows(tongbao, f"{year}年中秋节") == [(f"{year}年中秋节", mid_autumn)]
