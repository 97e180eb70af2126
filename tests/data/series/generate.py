"""Write the series evaluation corpus: a month (August 2022) of invented daily
bulletins of 河南省 and of two of its cities, 郑州市 and 商丘市, in the style of
their health commissions' reports, as a clean copy and a faulted copy.

    python3 tests/data/series/generate.py          # (re)write clean/ and faulted/
    python3 tests/data/series/generate.py --check  # exit 1 if the files on disk differ

Every figure is invented (a seeded random draw) and the clean copy adds up
everywhere: each breakdown to its total, local + imported to the total,
yesterday's cumulative plus today's new cases to today's cumulative, each
city's counties to no more than the city. The faulted copy is the clean one
with the faults of ``faults.json`` planted, plus a repost, a machine-
paraphrased copy and a corrected re-issue. Each copy has ``documents.json``:
the documents in publication order with their reference (publication) date.
``clean/facts.json`` is every fact the clean copy states, for the tests to
compare ``tongbao.series`` with. Standard library only.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import pathlib
import random
import sys

HERE = pathlib.Path(__file__).resolve().parent
DAYS = [dt.date(2022, 8, 1) + dt.timedelta(days=i) for i in range(31)]

# county -> division code; the cities whose counties the province reports
COUNTIES = {
    "郑州市": {"金水区": "410105", "二七区": "410103", "中原区": "410102", "惠济区": "410108", "中牟县": "410122"},
    "商丘市": {"柘城县": "411424", "民权县": "411421", "睢县": "411422", "梁园区": "411402"},
    "周口市": {"川汇区": "411602", "淮阳区": "411603"},
    "济源示范区": {},          # directly under the province (419001): reported as a whole
}
CITY_CODE = {"郑州市": "410100", "商丘市": "411400", "周口市": "411600", "济源示范区": "419001"}
PROVINCE = ("河南省", "410000")

# the days on which a fault is planted (see plant_faults and faults.json)
BREAKDOWN_DAY, ORIGIN_DAY, FLOW_DAY, HIERARCHY_DAY, GAP_DAY = 9, 15, 18, 22, 26
REPOST_DAY, PARAPHRASE_DAY, CORRECTION_DAY = 5, 10, 12


def md(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def thousands(n: int) -> str:
    return f"{n:,}"


def draw(rng: random.Random) -> list:
    """The month's true figures, day by day."""
    days = []
    for i, d in enumerate(DAYS):
        def cases(weights):
            out = {}
            for city, counties in COUNTIES.items():
                names = list(counties) or [city]
                for name in names:
                    n = rng.choices([0, 0, 1, 2, 3, 4, 6], weights=weights)[0]
                    if n:
                        out[(city, name)] = n
            return out
        day = {
            "date": d,
            "confirmed": cases([6, 4, 3, 2, 1, 1, 1]),
            "asymptomatic": cases([4, 3, 3, 3, 2, 1, 1]),
            "imported_confirmed": rng.choice([0, 0, 0, 1, 2]),
            "imported_asymptomatic": rng.choice([0, 0, 1]),
            "discharged_local": rng.randint(2, 9),
            "discharged_imported": rng.choice([0, 0, 1]),
            "released_local": rng.randint(3, 15),
            "contacts_new": rng.randint(80, 400),
            "contacts_released": rng.randint(60, 380),
            "zones": (rng.randint(8, 20), rng.randint(10, 30)),
            "sq_contacts_new": rng.randint(20, 90),
            "sq_quarantined": rng.randint(900, 1500),
        }
        days.append(day)
    # the faults need figures to bend: make sure they are there
    days[BREAKDOWN_DAY - 1]["asymptomatic"][("周口市", "川汇区")] = 4
    days[FLOW_DAY - 1]["asymptomatic"][("商丘市", "柘城县")] = 5
    days[HIERARCHY_DAY - 1]["asymptomatic"] = {k: v for k, v in days[HIERARCHY_DAY - 1]["asymptomatic"].items()
                                               if k[0] != "郑州市"}
    days[HIERARCHY_DAY - 1]["asymptomatic"][("郑州市", "中牟县")] = 3
    days[CORRECTION_DAY - 1]["confirmed"][("郑州市", "二七区")] = 2
    return days


def accumulate(days: list) -> None:
    """Cumulative and current figures that follow from the daily ones."""
    conf_local, conf_imp = 3012, 231          # since 2020-01-21
    disch_local, disch_imp, deaths = 2960, 224, 22
    asym_local_cur, asym_imp_cur = 120, 6
    contacts, contacts_cur = 104512, 3120
    zz_conf, zz_asym = 41, 133                # this wave (本轮)
    sq_conf, sq_asym, sq_contacts = 18, 57, 1420
    for day in days:
        newc = sum(day["confirmed"].values())
        newa = sum(day["asymptomatic"].values())
        conf_local += newc
        conf_imp += day["imported_confirmed"]
        disch_local += day["discharged_local"]
        disch_imp += day["discharged_imported"]
        asym_local_cur = max(0, asym_local_cur + newa - day["released_local"])
        asym_imp_cur += day["imported_asymptomatic"]
        contacts += day["contacts_new"]
        contacts_cur = max(500, contacts_cur + day["contacts_new"] - day["contacts_released"])
        zz_conf += sum(v for (c, _), v in day["confirmed"].items() if c == "郑州市")
        zz_asym += sum(v for (c, _), v in day["asymptomatic"].items() if c == "郑州市")
        sq_conf += sum(v for (c, _), v in day["confirmed"].items() if c == "商丘市")
        sq_asym += sum(v for (c, _), v in day["asymptomatic"].items() if c == "商丘市")
        sq_contacts += day["sq_contacts_new"]
        day.update(
            conf_local=conf_local, conf_imported=conf_imp, conf_total=conf_local + conf_imp,
            disch_total=disch_local + disch_imp, deaths=deaths,
            hosp_local=conf_local - disch_local - deaths, hosp_imported=conf_imp - disch_imp,
            asym_cur_local=asym_local_cur, asym_cur_imported=asym_imp_cur,
            contacts=contacts, contacts_cur=contacts_cur,
            zz_conf=zz_conf, zz_asym=zz_asym, sq_conf=sq_conf, sq_asym=sq_asym, sq_contacts=sq_contacts,
        )


# ----------------------------------------------------------------------------- texts

def breakdown(parts: dict, city: "str | None" = None) -> str:
    """（郑州市金水区2例、二七区1例，商丘市柘城县2例）, or （金水区2例、二七区1例） within a city."""
    groups = []
    for c in COUNTIES:
        items = [(name, n) for (cc, name), n in parts.items() if cc == c]
        if city is not None and c != city or not items:
            continue
        text = "、".join(f"{name}{n}例" for name, n in items)
        groups.append(text if city is not None or c == "济源示范区" else c + text)
    return "（" + "，".join(groups) + "）"


def province_text(day: dict, f: dict) -> str:
    d = day["date"]
    pub = d + dt.timedelta(days=1)
    conf, asym = day["confirmed"], f.get("asymptomatic", day["asymptomatic"])
    newc, newa = sum(conf.values()), f.get("asym_total", sum(day["asymptomatic"].values()))
    s = [f"{md(d)}0—24时，全省"]
    s.append(f"新增本土确诊病例{newc}例{breakdown(conf)}" if newc else "无新增本土确诊病例")
    s.append(f"，新增本土无症状感染者{newa}例{breakdown(asym)}。" if newa else "，无新增本土无症状感染者。")
    ic, ia = day["imported_confirmed"], day["imported_asymptomatic"]
    if ic and ia:
        s.append(f"新增境外输入确诊病例{ic}例、无症状感染者{ia}例（均在郑州市集中隔离）。")
    elif ic:
        s.append(f"新增境外输入确诊病例{ic}例（在郑州市集中隔离），无新增境外输入无症状感染者。")
    elif ia:
        s.append(f"无新增境外输入确诊病例，新增境外输入无症状感染者{ia}例（在郑州市集中隔离）。")
    else:
        s.append("无新增境外输入确诊病例和无症状感染者。")
    s.append(f"当日治愈出院本土病例{day['discharged_local']}例，解除医学观察的本土无症状感染者{day['released_local']}例。")
    total = f.get("conf_total", day["conf_total"])
    cum = (f"2020年1月21日至2022年{md(d)}24时，全省累计报告确诊病例{thousands(total)}例"
           f"（本土{thousands(day['conf_local'])}例、境外输入{day['conf_imported']}例），"
           f"累计治愈出院{thousands(day['disch_total'])}例，累计死亡{day['deaths']}例。"
           f"现有住院病例{day['hosp_local'] + day['hosp_imported']}例（本土{day['hosp_local']}例、境外输入{day['hosp_imported']}例），"
           f"尚在医学观察的无症状感染者{day['asym_cur_local'] + day['asym_cur_imported']}例"
           f"（本土{day['asym_cur_local']}例、境外输入{day['asym_cur_imported']}例）。"
           f"累计追踪到密切接触者{thousands(day['contacts'])}人，尚在医学观察{thousands(day['contacts_cur'])}人。")
    return ("河南省卫生健康委员会关于新冠肺炎疫情情况的通报\n"
            f"发布时间：{pub.isoformat()} 09:{30 + d.day % 20:02d}　　来源：省卫生健康委\n\n"
            + "".join(s) + "\n\n" + cum + "\n\n"
            "省卫生健康委提醒：广大群众要继续坚持戴口罩、勤洗手、常通风、少聚集，"
            "出现发热、干咳、乏力等症状要及时就近到发热门诊就诊。\n")


def zhengzhou_text(day: dict, f: dict) -> str:
    d = day["date"]
    pub = d + dt.timedelta(days=1)
    conf = {k: v for k, v in day["confirmed"].items() if k[0] == "郑州市"}
    asym = {k: v for k, v in day["asymptomatic"].items() if k[0] == "郑州市"}
    newc, newa = sum(conf.values()), sum(asym.values())
    head = f"{md(d)}0—24时，郑州市"
    if f.get("asym_stated") is not None:     # the hierarchy fault: the city's own count, no breakdown
        newa = f["asym_stated"]
        asym_part = f"新增本土无症状感染者{newa}例，均为集中隔离管控人员"
    else:
        asym_part = f"新增本土无症状感染者{newa}例{breakdown(asym, '郑州市')}"
    if newc and newa:
        body = f"{head}新增本土确诊病例{newc}例{breakdown(conf, '郑州市')}，{asym_part}。"
    elif newc:
        body = f"{head}新增本土确诊病例{newc}例{breakdown(conf, '郑州市')}，无新增本土无症状感染者。"
    elif newa:
        body = f"{head}无新增本土确诊病例，{asym_part}。"
    else:
        body = f"{head}无新增本土确诊病例和无症状感染者。"
    if newc or newa:
        body += "以上感染者均为集中隔离或封控管控人员，已转运至定点医院隔离治疗。"
    zc = f.get("zz_conf", day["zz_conf"])
    za = day["zz_asym"] + f.get("zz_asym_shift", 0)
    lock, ctrl = day["zones"]
    title = f"郑州市新冠肺炎疫情防控指挥部关于{md(d)}疫情情况的通报" + f.get("title_suffix", "")
    pub_line = f.get("published", f"{pub.isoformat()} 08:{10 + d.day:02d}")
    note = f.get("note", "")
    return (f"{title}\n发布时间：{pub_line}\n\n{note}{body}\n\n"
            f"截至{md(d)}24时，本轮疫情全市累计报告本土确诊病例{zc}例、无症状感染者{za}例。"
            f"全市现有封控区{lock}个、管控区{ctrl}个。\n\n"
            "请广大市民继续支持配合疫情防控工作，非必要不离郑，主动配合做好核酸检测。\n")


def shangqiu_text(day: dict, f: dict, paraphrase: bool = False) -> str:
    d = day["date"]
    pub = d + dt.timedelta(days=1)
    conf = {k: v for k, v in day["confirmed"].items() if k[0] == "商丘市"}
    asym = {k: v for k, v in day["asymptomatic"].items() if k[0] == "商丘市"}
    newc, newa = sum(conf.values()), sum(asym.values())
    head = f"{md(d)}0时至24时，全市"
    if newc and newa:
        body = f"{head}新增本土确诊病例{newc}例{breakdown(conf, '商丘市')}，新增本土无症状感染者{newa}例{breakdown(asym, '商丘市')}。"
    elif newc:
        body = f"{head}新增本土确诊病例{newc}例{breakdown(conf, '商丘市')}，无新增本土无症状感染者。"
    elif newa:
        body = f"{head}无新增本土确诊病例，新增本土无症状感染者{newa}例{breakdown(asym, '商丘市')}。"
    else:
        body = f"{head}无新增本土确诊病例和无症状感染者。"
    sa = day["sq_asym"] + f.get("sq_asym_shift", 0)
    cum = (f"截至{md(d)}24时，本轮疫情全市累计报告本土确诊病例{day['sq_conf']}例、本土无症状感染者{sa}例，"
           f"累计追踪密切接触者{thousands(day['sq_contacts'])}人，现有集中隔离人员{thousands(day['sq_quarantined'])}人。")
    if not paraphrase:
        if newc or newa:
            body += "新增感染者均为集中隔离管控人员，已第一时间转运至定点医院隔离治疗。"
        return (f"商丘市卫生健康委员会关于{md(d)}新冠肺炎疫情情况的通报\n日期：{pub.isoformat()}\n\n"
                f"{body}\n\n{cum}\n\n"
                "市卫生健康委提醒广大市民，坚持科学佩戴口罩、勤洗手、常通风，非必要不离商，积极配合做好核酸检测。\n")
    # a machine paraphrase (synonym substitution, as seed 002 is): the framing
    # changes, the figures and the names of the figures stay
    if newc or newa:
        body += "新增感染者均是集中化隔离管控工作人员，已在第一时间运送至指定医院防护医治。"
    cum = cum.replace("截至", "截止").replace("本轮疫情", "本次疫情").replace("累计追踪", "累积跟踪")
    return (f"商丘市卫生健康委员会有关{md(d)}新冠肺炎疫情状况的通告\n\n{body}\n\n{cum}\n\n"
            "市卫生健康委提示众多群众，坚持不懈科学研究佩戴口罩、勤清洗手、常透气，非务必不离商，踊跃相互配合搞好核酸检测。\n")


def repost(text: str, d: dt.date) -> str:
    """The same bulletin on a news portal: its own chrome around the same body."""
    lines = text.split("\n")
    body = "\n".join(line for line in lines[2:])    # drop the commission's date line
    return (f"首页 > 要闻 > 正文\n\n{lines[0]}\n\n{d.isoformat()} 10:42　来源：大河网　作者：综合\n"
            f"{body}\n责任编辑：王晓\n\n分享到：微信 微博 QQ空间\n【打印】【关闭】\n"
            f"https://news.dahe.cn/2022/{d.month:02d}-{d.day:02d}/1081{d.day:03d}.html\n")


# ----------------------------------------------------------------------------- the two copies

def documents(days: list, faulted: bool) -> list:
    """(name, ref_date, text) in publication order."""
    out = []
    for i, day in enumerate(days):
        d = day["date"]
        pub = (d + dt.timedelta(days=1)).isoformat()
        fp, fz, fs = {}, {}, {}
        if faulted:
            if d.day == BREAKDOWN_DAY:       # a county's figure misprinted: the parts no longer add up
                asym = dict(day["asymptomatic"])
                asym[("周口市", "川汇区")] -= 1
                fp["asymptomatic"] = asym
            if d.day == ORIGIN_DAY:          # the total is not local + imported
                fp["conf_total"] = day["conf_total"] + 10
            if d.day >= FLOW_DAY:            # the cumulative total leaves out one day's new cases
                fs["sq_asym_shift"] = -days[FLOW_DAY - 1]["asymptomatic"][("商丘市", "柘城县")]
            if d.day == HIERARCHY_DAY:       # the city counts fewer than the province's county figure
                fz["asym_stated"] = 2
            if d.day >= HIERARCHY_DAY:
                fz["zz_asym_shift"] = -1
            if d.day == CORRECTION_DAY:      # a transposed figure, corrected two days later
                fz["zz_conf"] = int(str(day["zz_conf"])[::-1]) if str(day["zz_conf"])[::-1] != str(day["zz_conf"]) else day["zz_conf"] + 9
        stamp = d.isoformat()
        if not (faulted and d.day == GAP_DAY):
            out.append((f"henan-{stamp}", pub, province_text(day, fp)))
        out.append((f"zhengzhou-{stamp}", pub, zhengzhou_text(day, fz)))
        out.append((f"shangqiu-{stamp}", pub, shangqiu_text(day, fs)))
        if faulted and d.day == REPOST_DAY:
            out.append((f"dahe-henan-{stamp}", pub, repost(province_text(day, fp), d + dt.timedelta(days=1))))
        if faulted and d.day == CORRECTION_DAY + 2:
            fixed = dict(title_suffix="（更正）", published=f"{pub} 16:20",
                         note=f"因工作人员录入失误，{md(days[CORRECTION_DAY - 1]['date'])}疫情通报中本轮疫情累计报告本土确诊病例数有误，现更正如下。\n\n")
            cd = days[CORRECTION_DAY - 1]["date"]
            out.append((f"zhengzhou-{cd.isoformat()}-correction", pub, zhengzhou_text(days[CORRECTION_DAY - 1], fixed)))
        if faulted and d.day == PARAPHRASE_DAY + 2:
            pd_ = days[PARAPHRASE_DAY - 1]
            out.append((f"copy-shangqiu-{pd_['date'].isoformat()}", pub, shangqiu_text(pd_, {}, paraphrase=True)))
    return out


def facts(days: list) -> list:
    """Every fact the clean copy states: (region, code, metric, scope, origin, date, value)."""
    out = []

    def add(region, code, metric, scope, origin, d, value):
        out.append({"region": region, "code": code, "metric": metric, "scope": scope, "origin": origin,
                    "date": d.isoformat(), "value": value})
    for day in days:
        d = day["date"]
        pr, pc = PROVINCE
        add(pr, pc, "confirmed", "new", "local", d, sum(day["confirmed"].values()))
        add(pr, pc, "asymptomatic", "new", "local", d, sum(day["asymptomatic"].values()))
        add(pr, pc, "confirmed", "new", "imported", d, day["imported_confirmed"])
        add(pr, pc, "asymptomatic", "new", "imported", d, day["imported_asymptomatic"])
        add(pr, pc, "discharged", "new", "local", d, day["discharged_local"])
        add(pr, pc, "released", "new", "local", d, day["released_local"])
        add(pr, pc, "confirmed", "cumulative", None, d, day["conf_total"])
        add(pr, pc, "confirmed", "cumulative", "local", d, day["conf_local"])
        add(pr, pc, "confirmed", "cumulative", "imported", d, day["conf_imported"])
        add(pr, pc, "discharged", "cumulative", None, d, day["disch_total"])
        add(pr, pc, "death", "cumulative", None, d, day["deaths"])
        add(pr, pc, "hospitalized", "current", None, d, day["hosp_local"] + day["hosp_imported"])
        add(pr, pc, "hospitalized", "current", "local", d, day["hosp_local"])
        add(pr, pc, "hospitalized", "current", "imported", d, day["hosp_imported"])
        add(pr, pc, "asymptomatic", "current", None, d, day["asym_cur_local"] + day["asym_cur_imported"])
        add(pr, pc, "asymptomatic", "current", "local", d, day["asym_cur_local"])
        add(pr, pc, "asymptomatic", "current", "imported", d, day["asym_cur_imported"])
        add(pr, pc, "close_contact", "cumulative", None, d, day["contacts"])
        add(pr, pc, "close_contact", "current", None, d, day["contacts_cur"])
        for metric in ("confirmed", "asymptomatic"):
            for (city, name), n in day[metric].items():
                code = COUNTIES[city].get(name) or CITY_CODE[city]
                add(name, code, metric, "new", "local", d, n)
            for city in ("郑州市", "商丘市"):
                add(city, CITY_CODE[city], metric, "new", "local", d,
                    sum(v for (c, _), v in day[metric].items() if c == city))
        zc = CITY_CODE["郑州市"]
        add("郑州市", zc, "confirmed", "cumulative", "local", d, day["zz_conf"])
        add("郑州市", zc, "asymptomatic", "cumulative", "local", d, day["zz_asym"])
        add("郑州市", zc, "lockdown_zone", "current", None, d, day["zones"][0])
        add("郑州市", zc, "control_zone", "current", None, d, day["zones"][1])
        sc = CITY_CODE["商丘市"]
        add("商丘市", sc, "confirmed", "cumulative", "local", d, day["sq_conf"])
        add("商丘市", sc, "asymptomatic", "cumulative", "local", d, day["sq_asym"])
        add("商丘市", sc, "close_contact", "cumulative", None, d, day["sq_contacts"])
        add("商丘市", sc, "quarantined", "current", None, d, day["sq_quarantined"])
    return out


def faults(days: list) -> list:
    """The planted faults, each with the check kind that must find it."""
    def day(n):
        return days[n - 1]
    bd = day(BREAKDOWN_DAY)
    asym_b = sum(bd["asymptomatic"].values())
    cd = day(CORRECTION_DAY)
    wrong = int(str(cd["zz_conf"])[::-1]) if str(cd["zz_conf"])[::-1] != str(cd["zz_conf"]) else cd["zz_conf"] + 9
    fl = day(FLOW_DAY)
    skipped = fl["asymptomatic"][("商丘市", "柘城县")]
    return [
        {"id": "breakdown", "kind": "breakdown", "doc_id": f"henan-{bd['date']}",
         "code": "410000", "metric": "asymptomatic", "scope": "new", "origin": "local", "date": str(bd["date"]),
         "stated": asym_b, "expected": asym_b - 1,
         "what": "川汇区 printed one lower than it is: the province's breakdown sums to one less than its total"},
        {"id": "origin_split", "kind": "origin_split", "doc_id": f"henan-{day(ORIGIN_DAY)['date']}",
         "code": "410000", "metric": "confirmed", "scope": "cumulative", "origin": None,
         "date": str(day(ORIGIN_DAY)["date"]), "stated": day(ORIGIN_DAY)["conf_total"] + 10,
         "expected": day(ORIGIN_DAY)["conf_total"],
         "what": "the cumulative total is 10 above 本土 + 境外输入"},
        {"id": "flow", "kind": "flow", "doc_id": f"shangqiu-{fl['date']}",
         "code": "411400", "metric": "asymptomatic", "scope": "cumulative", "origin": "local", "date": str(fl["date"]),
         "stated": fl["sq_asym"] - skipped, "expected": fl["sq_asym"],
         "what": f"商丘市's cumulative asymptomatic total leaves out the day's {skipped} new cases (and so does every later one)"},
        {"id": "hierarchy", "kind": "hierarchy", "doc_id": f"zhengzhou-{day(HIERARCHY_DAY)['date']}",
         "code": "410100", "metric": "asymptomatic", "scope": "new", "origin": "local",
         "date": str(day(HIERARCHY_DAY)["date"]), "stated": 2, "expected": 3,
         "what": "郑州市 reports 2 new asymptomatic cases; the province's report has 3 in 中牟县 alone"},
        {"id": "correction", "kind": "source_conflict", "doc_id": f"zhengzhou-{cd['date']}",
         "also": [f"zhengzhou-{cd['date']}-correction"],
         "code": "410100", "metric": "confirmed", "scope": "cumulative", "origin": "local", "date": str(cd["date"]),
         "stated": wrong, "expected": cd["zz_conf"],
         "what": "a transposed cumulative figure, corrected by a re-issue two days later (the correction wins)"},
        {"id": "gap", "kind": "gap", "doc_id": None, "code": "410000", "date": str(day(GAP_DAY)["date"]),
         "what": "the province's bulletin for this day is missing from the corpus"},
        {"id": "repost", "kind": "duplicate", "doc_id": f"dahe-henan-{day(REPOST_DAY)['date']}",
         "duplicate_of": f"henan-{day(REPOST_DAY)['date']}",
         "what": "the province's bulletin reposted by a news portal: same text, other boilerplate"},
        {"id": "paraphrase", "kind": "duplicate", "doc_id": f"copy-shangqiu-{day(PARAPHRASE_DAY)['date']}",
         "duplicate_of": f"shangqiu-{day(PARAPHRASE_DAY)['date']}",
         "what": "a machine-paraphrased copy of 商丘市's bulletin: other words, the same figures"},
    ]


def render() -> dict:
    """path (relative to this directory) -> file content."""
    days = draw(random.Random(15))
    accumulate(days)
    files = {}
    for copy in ("clean", "faulted"):
        docs = documents(days, copy == "faulted")
        for name, _, text in docs:
            files[f"{copy}/{name}.txt"] = text
        files[f"{copy}/documents.json"] = json.dumps(
            [{"doc_id": name, "path": f"{name}.txt", "ref_date": ref} for name, ref, _ in docs],
            ensure_ascii=False, indent=1) + "\n"
    files["clean/facts.json"] = json.dumps(facts(days), ensure_ascii=False, indent=0) + "\n"
    files["faults.json"] = json.dumps(faults(days), ensure_ascii=False, indent=1) + "\n"
    return files


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the files on disk instead of writing")
    args = ap.parse_args(argv)
    files = render()
    if args.check:
        bad = [p for p, text in files.items() if not (HERE / p).is_file() or (HERE / p).read_text(encoding="utf-8") != text]
        on_disk = {str(p.relative_to(HERE)) for sub in ("clean", "faulted") for p in (HERE / sub).glob("*")}
        bad += sorted(on_disk - set(files))
        for p in bad:
            print("differs:", p)
        return 1 if bad else 0
    for sub in ("clean", "faulted"):
        for p in (HERE / sub).glob("*"):
            if str(p.relative_to(HERE)) not in files:
                p.unlink()
    for p, text in files.items():
        (HERE / p).parent.mkdir(parents=True, exist_ok=True)
        (HERE / p).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
