"""Microsoft Recognizers-Text's Chinese Number, Percent and Ordinal cases
(../shared/specs/recognizers-zh, MIT) run against tongbao's quantities.

A case passes when the multiset of values tongbao finds equals the peer's
expected values. The peer splits what tongbao calls quantities into models,
so the comparison takes, per model:

- Number: every quantity's value, except currency amounts (the peer has a
  separate Currency model: 一美元 gives no Number) and discounts 九折/三成
  (its Percent model's);
- Percent: quantities of kind percent or percent_point;
- Ordinal: quantities with ordinal=True.

Issue 3's target is >= 85% of the three files together; the pass rate per
file is printed (`pytest -s tests/test_recognizers.py`). Cases tongbao does
not follow on purpose are listed in docs/quantities.md with the reason.
"""
import json
import math

import pytest

import tongbao

MODELS = ("Number", "Percent", "Ordinal")
MONEY = ("元", "块钱", "万元", "亿元", "美元", "美金", "美刀", "欧元", "英镑", "日元", "港元")


def values(text, model):
    out = []
    for r in tongbao.analyze(text).quantities.itertuples():
        unit = "" if str(r.unit) == "<NA>" else r.unit
        if model == "Number":
            if r.kind == "percent" and r.text.rstrip().endswith(("成", "折", "成半")):
                continue
            if unit in MONEY:
                continue
            out.append(r.value)
        elif model == "Percent":
            if r.kind in ("percent", "percent_point"):
                out.append(r.value)
        elif r.ordinal:
            out.append(r.value)
    return out


def same(got, expected):
    if len(got) != len(expected):
        return False
    return all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(sorted(got), sorted(expected)))


def load(shared_dir, model):
    path = shared_dir / "specs" / "recognizers-zh" / f"{model}Model.json"
    if not path.exists():
        pytest.skip(f"missing {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def test_recognizers_pass_rate(shared_dir):
    total = passed = 0
    lines = []
    for model in MODELS:
        cases = load(shared_dir, model)
        ok = 0
        for case in cases:
            expected = [float(r["Resolution"]["value"].rstrip("%")) for r in case["Results"]]
            if same(values(case["Input"], model), expected):
                ok += 1
        lines.append(f"{model}Model: {ok}/{len(cases)} = {ok / len(cases):.1%}")
        total += len(cases)
        passed += ok
    lines.append(f"all: {passed}/{total} = {passed / total:.1%}")
    print("\nRecognizers-Text zh\n  " + "\n  ".join(lines))
    assert passed / total >= 0.85, lines


@pytest.mark.parametrize("text, expected", [
    ("两千四百五", [2450]), ("一万零二百五十", [10250]), ("五兆六十二亿四万五千二", [5006200045200]),
    ("四万万", [400000000]), ("百三", [130]), ("4.78万亿", [4780000000000]), ("1,050,000,000", [1050000000]),
    ("1, 234, 567", [1, 234, 567]), ("一百 五 十 二", [152]), ("负三十二", [-32]), ("-1e1", [-10]),
    ("2^5", [32]), ("40k", [40000]), ("二分之一", [0.5]), ("负一又二分之一", [-1.5]), ("一打", [12]),
    ("两百点两", [200, 2]), ("一切", []), ("我家在四川", []), ("小明每天收拾房间", []),
])
def test_recognizers_number_examples(text, expected):
    assert same(values(text, "Number"), expected), values(text, "Number")
