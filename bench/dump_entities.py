#!/usr/bin/env python3
"""Dump every entity column for a fixed set of texts, to check that a change
to the entity pass leaves its output identical (diff two dumps).

Texts: the seed and synthetic bulletins, the PKU test set (one text per 200
lines), every string literal with a Han character in tests/*.py, and then
the same seeds again after some user entries are added (persons, a place,
an organisation), which exercises the user-entry paths.

Usage: PYTHONPATH=python python bench/dump_entities.py [--shared DIR] > dump.txt
"""
from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_strings(root: Path):
    out = []
    for f in sorted((root / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and HAN.search(node.value):
                out.append((f"{f.name}:{node.lineno}", node.value))
    return out


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(root.parent / "shared"))
    a = ap.parse_args()
    import tongbao

    sh = Path(a.shared)
    texts = [(f.name, f.read_text(encoding="utf-8")) for f in sorted((sh / "corpus" / "seeds").glob("*.txt"))]
    seeds = list(texts)
    texts += [(f.name, f.read_text(encoding="utf-8")) for f in sorted((sh / "corpus" / "synthetic").glob("*.txt"))]
    lines = (sh / "sighan" / "pku_test.utf8").read_text(encoding="utf-8").splitlines(keepends=True)
    texts += [(f"pku:{i}", "".join(lines[i:i + 200])) for i in range(0, len(lines), 200)]
    texts += test_strings(root)

    def dump(tag, name, text):
        ents = tongbao.analyze(text).entities
        cols = list(ents.columns)
        print(f"== {tag} {name} {len(ents)} {cols}")
        for row in ents.itertuples(index=False):
            print("\t".join(repr(v) for v in row))

    for name, text in texts:
        dump("base", name, text)
    tongbao.add_person("王凯歌")
    tongbao.add_person("欧阳青山河")
    tongbao.add_org("郑州宇通客车")
    for name, text in seeds + [("user", "王凯歌和欧阳青山河在郑州宇通客车调研，王凯歌指出，欧阳青山河主持。")]:
        dump("user", name, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
