"""Persons, places (with division codes) and organisations: doc.entities."""
import importlib.util
import json
import sys
import threading

import pytest

import tongbao
from tongbao._entities import entity_columns

pd = pytest.importorskip("pandas")

HENAN_CITIES = {
    "郑州市": "410100", "开封市": "410200", "洛阳市": "410300", "平顶山市": "410400",
    "安阳市": "410500", "鹤壁市": "410600", "新乡市": "410700", "焦作市": "410800",
    "濮阳市": "410900", "许昌市": "411000", "漯河市": "411100", "三门峡市": "411200",
    "南阳市": "411300", "商丘市": "411400", "信阳市": "411500", "周口市": "411600",
    "驻马店市": "411700",
}

# (county, code, parent) — a sample across Henan's cities, with districts and
# county-level cities.
HENAN_COUNTIES = [
    ("中牟县", "410122", "410100"), ("新郑市", "410184", "410100"), ("金水区", "410105", "410100"),
    ("兰考县", "410225", "410200"), ("栾川县", "410324", "410300"), ("汝州市", "410482", "410400"),
    ("林州市", "410581", "410500"), ("浚县", "410621", "410600"), ("长垣市", "410783", "410700"),
    ("修武县", "410821", "410800"), ("台前县", "410927", "410900"), ("临颍县", "411122", "411100"),
    ("灵宝市", "411282", "411200"), ("邓州市", "411381", "411300"), ("宁陵县", "411423", "411400"),
    ("固始县", "411525", "411500"), ("鹿邑县", "411628", "411600"), ("新蔡县", "411729", "411700"),
]


def rows(text):
    """The entities of text as a list of dicts (through analyze)."""
    return tongbao.analyze(text).entities.to_dict("records")


def place(text, surface):
    hits = [r for r in rows(text) if r["label"] == "place" and r["text"] == surface]
    assert hits, f"{surface} not found as a place in {text!r}: {rows(text)}"
    return hits[0]


def na(v):
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


@pytest.mark.parametrize("name,code", sorted(HENAN_CITIES.items()))
def test_henan_prefecture_cities(name, code):
    r = place(f"{name}发布通告", name)
    assert (r["code"], r["parent_code"], r["level"], r["name"]) == (code, "410000", "city", name)
    short = name[:-1]
    r = place(f"今天{short}新增病例", short)
    assert r["code"] == code and r["name"] == name


def test_jiyuan():
    for surface in ("济源示范区", "济源市", "济源"):
        r = place(f"各辖市、{surface}设分会场", surface)
        assert (r["code"], r["parent_code"]) == ("419001", "410000")


@pytest.mark.parametrize("name,code,parent", HENAN_COUNTIES)
def test_henan_counties(name, code, parent):
    r = place(f"在{name}调研", name)
    assert (r["code"], r["parent_code"], r["level"]) == (code, parent, "county")


def test_province_and_short_forms():
    assert place("河南省卫生健康委", "河南省")["code"] == "410000"
    assert place("现代化河南建设", "河南")["code"] == "410000"
    assert place("驰援上海", "上海")["code"] == "310000"
    assert place("进驻修武", "修武")["code"] == "410821"


def test_former_names_resolve_to_current_division():
    r = place("孟津县新增1例", "孟津县")
    assert (r["code"], r["name"], r["parent_code"]) == ("410308", "孟津区", "410300")
    assert place("偃师市", "偃师市")["code"] == "410307"


def test_traditional_input():
    r = place("鄭州市新增確診病例", "鄭州市")
    assert (r["code"], r["name"]) == ("410100", "郑州市")
    assert place("長垣市", "長垣市")["code"] == "410783"


def test_ambiguous_names_need_context():
    r = place("朝阳区发现1例", "朝阳区")
    assert na(r["code"]) and r["level"] == "county"
    assert place("北京市朝阳区发现1例", "朝阳区")["code"] == "110105"
    assert place("长春市朝阳区", "朝阳区")["code"] == "220104"
    # a county named without its city takes the city mentioned before it
    text = "新增本土确诊病例6例(平顶山市卫东区2例、新华区4例)"
    assert place(text, "新华区")["code"] == "410402"
    # a short form naming a city and a county: the city
    assert place("安阳发布", "安阳")["code"] == "410500"


def test_county_after_city_in_breakdown():
    text = "新增6例(商丘市民权县2例、宁陵县4例)"
    assert place(text, "民权县")["code"] == "411421"
    assert place(text, "宁陵县")["code"] == "411423"


def test_provincial_abbreviation_in_context():
    found = [r for r in rows("要从严加强来豫(返豫)人员管理") if r["label"] == "place"]
    assert [(r["text"], r["code"]) for r in found] == [("豫", "410000"), ("豫", "410000")]
    assert not [r for r in rows("豫剧表演") if r["label"] == "place"]


def test_towns_without_code():
    r = place("2020年2月,寄料镇发现1例确诊病例", "寄料镇")
    assert na(r["code"]) and r["level"] == "town"
    assert place("内黄县城关镇", "城关镇")["level"] == "town"
    assert place("宛城区汉冶街道实行封控管理", "汉冶街道")["level"] == "town"
    assert not [r for r in rows("各乡镇、城乡社区") if r["label"] == "place"]


def persons(text):
    return [r["text"] for r in rows(text) if r["label"] == "person"]


def test_persons_after_titles_and_later_mentions():
    text = "楼阳生主持并讲话 王凯出席\n省委书记楼阳生主持并讲话,省长王凯作具体部署。楼阳生指出,要抓好流调。"
    assert persons(text) == ["楼阳生", "王凯", "楼阳生", "王凯", "楼阳生"]
    assert persons("市委常委、市委秘书长牛卫国到新郑市调研") == ["牛卫国"]
    assert persons("市领导侯红、周富强、杜新军等在郑州分会场参加会议") == ["侯红", "周富强", "杜新军"]


def test_persons_in_bylines_and_qa():
    assert persons("本报综合报道 (河南日报记者李铮 冯芸)3月27日") == ["李铮", "冯芸"]
    assert persons("冯金灿 蔡雨/摄") == ["冯金灿", "蔡雨"]
    assert persons("(王正勋 侯林峰 常娟)") == ["王正勋", "侯林峰", "常娟"]
    assert persons("市民政局副局长 周志波:我们将做好保障") == ["周志波"]
    assert persons("深入贯彻习近平总书记重要指示") == ["习近平"]
    assert persons("鄭州市長王五表示") == ["王五"]
    assert persons("责任编辑：赵六") == ["赵六"]


def test_no_false_names():
    assert persons("省委书记高度重视") == []
    assert persons("构筑覆盖全链条、全方位、全过程的坚固防线") == []


def orgs(text):
    return [r["text"] for r in rows(text) if r["label"] == "org"]


def test_orgs():
    assert orgs("省委召开会议,省卫生健康委通报情况") == ["省委", "省卫生健康委"]
    assert orgs("落实国务院联防联控机制各项要求") == ["国务院联防联控机制"]
    assert orgs("在许昌市中心医院,") == ["许昌市中心医院"]
    assert orgs("牛振西和同伴组建了郑州市红十字水上义务救援队,") == ["郑州市红十字水上义务救援队"]
    assert orgs("河南省委召开会议") == ["河南省委"]
    assert orgs("河南省人民政府新闻办公室召开新闻发布会") == ["河南省人民政府新闻办公室"]
    assert orgs("洛阳市委书记江凌到孟津区调研") == ["洛阳市委"]
    assert orgs("维护大局和谐稳定,拿出管用办法") == []


def test_offsets_and_columns():
    text = "省长王凯到鄭州市、孟津县调研。楼阳生指出"
    df = tongbao.analyze(text).entities
    assert list(df.columns) == ["text", "start", "end", "label", "code", "parent_code", "level", "name"]
    for r in df.to_dict("records"):
        assert text[r["start"]:r["end"]] == r["text"]
    assert df["start"].is_monotonic_increasing
    cols = entity_columns(text)
    assert len({len(v) for v in cols.values()}) == 1


def test_user_entries_take_effect_at_once():
    assert "欧阳小明" not in persons("欧阳小明到场")
    tongbao.add_person("欧阳小明")
    assert persons("欧阳小明到场") == ["欧阳小明"]
    tongbao.add_person("阿卜杜勒·艾则孜")
    assert persons("阿卜杜勒·艾则孜发言") == ["阿卜杜勒·艾则孜"]
    tongbao.add_org("生命之光志愿团")
    assert orgs("生命之光志愿团出发") == ["生命之光志愿团"]
    tongbao.add_place("幸福路市场", level="market")
    r = place("幸福路市场封控", "幸福路市场")
    assert na(r["code"]) and r["level"] == "market"
    tongbao.add_place("郑州航空港", code="410100")
    assert place("郑州航空港", "郑州航空港")["code"] == "410100"
    tongbao.add_entity("测试新区", "place", code="419999", parent_code="410000", level="county")
    r = place("测试新区", "测试新区")
    assert (r["code"], r["parent_code"], r["level"]) == ("419999", "410000", "county")


def test_user_entry_errors():
    with pytest.raises(tongbao.InputError):
        tongbao.add_entity("某地", "planet")
    with pytest.raises(tongbao.InputError):
        tongbao.add_place("某地", code="41")
    with pytest.raises(tongbao.InputError):
        tongbao.add_person("")
    with pytest.raises(TypeError):
        tongbao.add_entity("某人", "person", code="410100")
    with pytest.raises(TypeError):
        tongbao.add_person(None)


def test_hostile_input():
    for text in ["", "   ", "\ud800郑州市", "a" * 10000, "、" * 5000, "(" * 3000 + "摄", "郑州市" * 20000]:
        cols = entity_columns(text)
        for s, e, t in zip(cols["start"], cols["end"], cols["text"]):
            assert text[s:e] == t


def test_threads_scan_while_adding():
    text = "省长王凯到郑州市调研"
    errors = []

    def scan():
        try:
            for _ in range(200):
                assert "郑州市" in entity_columns(text)["text"]
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(50):
        tongbao.add_org(f"并发测试单位{i}")
    for t in threads:
        t.join()
    assert not errors


def _score_gold(shared_dir):
    spec = importlib.util.spec_from_file_location("score_gold", shared_dir / "tools" / "score_gold.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_gold_seeds(shared_dir, seed_files):
    sg = _score_gold(shared_dir)
    gold = [g for g in sg.load(sorted((shared_dir / "gold").glob("*.jsonl")))
            if g["type"] in ("person", "place", "org")]
    pred = []
    for f in seed_files:
        df = tongbao.analyze(f.read_text(encoding="utf-8")).entities
        seen = set()
        for r in df.to_dict("records"):
            if (r["label"], r["text"]) in seen:
                continue
            seen.add((r["label"], r["text"]))
            code = None if na(r["code"]) else r["code"]
            pred.append({"doc": f.name, "type": r["label"], "text": r["text"], "code": code})
    s = sg.score(gold, pred)
    assert s["person"]["f1"] >= 0.90, s["person"]
    assert s["place"]["f1"] >= 0.90, s["place"]
    assert s["place_code_acc"] >= 0.95, s["place_code_acc"]
    assert s["org"]["f1"] >= 0.80, s["org"]
