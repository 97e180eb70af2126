#!/usr/bin/env python3
"""Compile the tokenizer's lexicon into the binary form the C core maps.

Sources (never copied into this repository):
  * the dictionary and HMM tables shipped in the `jieba` package from PyPI
    (MIT licence), a declared build dependency: jieba/dict.txt and
    jieba/finalseg/prob_{start,trans,emit}.py;
  * lexicon/*.dict in this repository: domain vocabulary written here, in
    jieba's format (`word freq tag`), which overrides the base entries.

Output: one little-endian file (see csrc/core/tb_lexicon.h for the layout):
a trie whose nodes are numbered breadth-first so each node's children are
contiguous and sorted by code point, a direct index of the root's children for
the BMP, the tag strings, and the BMES HMM tables. The file is generated:
its header records the sources and their versions.

  * the Traditional -> Simplified folding pairs that tools/gen_fold_table.c
    extracts from ICU (--t2s FILE; setup.py compiles and runs it).

Usage: python tools/build_lexicon.py OUT.bin [--domain DIR] [--t2s FILE]
"""
from __future__ import annotations

import argparse
import ast
import importlib.metadata
import importlib.util
import math
import os
import struct
import sys
import unicodedata
from array import array
from pathlib import Path
from typing import Optional

MAGIC = b"TBLEX005"
HEADER_SIZE = 128
STATES = "BMES"  # order used by the C HMM
CJK_FIRST, CJK_N = 0x4E00, 0xA000 - 0x4E00  # the emission table's direct-index range
neg_inf_f = -3.0e38  # "impossible" as a finite float32


def jieba_dir() -> Path:
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        sys.exit("build_lexicon: the 'jieba' package (a build dependency) is not installed; "
                 "run: pip install jieba")
    return Path(spec.origin).parent


def fold_key(word: str) -> str:
    """Fold a dictionary key the way the C core folds input (NFKC per code point)."""
    out = []
    for ch in word:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def read_dict(path: Path, entries: dict[str, tuple[int, str]]) -> None:
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            word = fold_key(parts[0])
            try:
                freq = int(parts[1]) if len(parts) > 1 else 1
            except ValueError:
                sys.exit(f"build_lexicon: {path}:{lineno}: bad frequency {parts[1]!r}")
            tag = parts[2] if len(parts) > 2 else ""
            entries[word] = (freq, tag)


def literal_dict(path: Path) -> dict:
    """The dict literal assigned in one of jieba's prob_*.py files (parsed, not executed)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign):
            return ast.literal_eval(node.value)
    raise SystemExit(f"build_lexicon: no table in {path}")


def read_t2s(path: Optional[Path]) -> tuple[bytes, str]:
    """The folding pairs as a section, and the header line naming their source."""
    if path is None:
        return struct.pack("<I", 0), "no t2s"
    pairs = []
    note = ""
    for line in path.read_text(encoding="ascii").splitlines():
        if line.startswith("#"):
            note = line.lstrip("# ")
            continue
        a, b = line.split()
        pairs.append((int(a, 16), int(b, 16)))
    pairs.sort()
    body = array("I", [x for p in pairs for x in p]).tobytes()
    icu = note.split(" from ")[-1].split(";")[0] if " from " in note else "?"
    return struct.pack("<I", len(pairs)) + body, f"t2s {icu} ({len(pairs)})"


def build(out: Path, domain_dir: Path, t2s_path: Optional[Path] = None) -> None:
    jdir = jieba_dir()
    version = importlib.metadata.version("jieba")
    entries: dict[str, tuple[int, str]] = {}
    read_dict(jdir / "dict.txt", entries)
    domain_files = sorted(domain_dir.glob("*.dict"))
    domain_words: set[str] = set()
    for p in domain_files:
        before = dict(entries)
        read_dict(p, entries)
        domain_words |= {w for w in entries if w not in before or entries[w] != before[w]}

    tags = [""] + sorted({t for _, t in entries.values() if t})
    if len(tags) > 255:
        sys.exit("build_lexicon: more than 255 distinct tags")
    tag_id = {t: i for i, t in enumerate(tags)}

    # Trie as nested dicts; node payload kept apart.
    root: dict = {}
    for word, (freq, tag) in entries.items():
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[None] = (freq, tag_id[tag], word in domain_words)

    # Breadth-first numbering: children of a node are contiguous, sorted.
    labels = array("I", [0])
    first = array("I", [0])
    nchild = array("I", [0])
    freqs = array("I", [0])
    tagids = array("B", [0])
    domain = array("B", [0])
    depth = array("B", [0])           # word length, capped at 255
    max_prefix = array("I", [0])      # max frequency over the proper prefixes of 2+ characters
    queue = [root]
    qi = 0
    while qi < len(queue):
        node = queue[qi]
        kids = sorted((k for k in node if k is not None), key=ord)
        first[qi] = len(labels)
        nchild[qi] = len(kids)
        kid_prefix = max(max_prefix[qi], freqs[qi] if depth[qi] >= 2 else 0)
        for k in kids:
            child = node[k]
            f, t, dom = child.get(None, (0, 0, False))
            labels.append(ord(k)); first.append(0); nchild.append(0)
            freqs.append(min(f, 0xFFFFFFFF)); tagids.append(t); domain.append(1 if dom else 0)
            depth.append(min(depth[qi] + 1, 255)); max_prefix.append(kid_prefix)
            queue.append(child)
        qi += 1
    n_nodes = len(labels)

    # Bit 2 (TB_LEX_RARE_LONG): a word of 4+ characters, not an idiom or set
    # phrase (tags i, l), rarer than 0.3 x its most frequent proper prefix of
    # 2+ characters. Only such words can pass the long-compound rule's quick
    # reject (tb_style.c rule_long), so the style pass skips all others
    # without a lookup. Same double arithmetic as the C test.
    no_split_tags = {tag_id[t] for t in ("i", "l") if t in tag_id}
    rare_long = array("B", [0]) * n_nodes
    for i in range(n_nodes):
        if (freqs[i] and depth[i] >= 4 and tagids[i] not in no_split_tags
                and not float(freqs[i]) >= 0.3 * float(max_prefix[i])):
            rare_long[i] = 1

    root_index = array("I", [0]) * 65536
    for i in range(first[0], first[0] + nchild[0]):
        if labels[i] < 65536:
            root_index[labels[i]] = i

    # Node records: label u32, first u32, log(freq) f32, nchild u16, tag u8, flags u8
    # (bit 0: the node ends a word; bit 1: a domain word from lexicon/*.dict,
    # which segmentation styles never split; bit 2: rare long word, above).
    # The log is precomputed so the
    # best-path search does no log() calls; raw frequencies sit in their own array.
    node_bytes = bytearray(16 * n_nodes)
    for i in range(n_nodes):
        f = freqs[i]
        struct.pack_into("<IIfHBB", node_bytes, 16 * i, labels[i], first[i], math.log(f) if f else 0.0,
                         min(nchild[i], 0xFFFF), tagids[i],
                         (1 if f else 0) | (2 * domain[i]) | (4 * rare_long[i]))
    if max(nchild) > 0xFFFF:
        sys.exit("build_lexicon: a node has more than 65535 children")

    # Child labels again as u16 (0xFFFF beyond the BMP): the child search runs
    # over this compact array, 8x denser in cache than the node records.
    labels16 = array("H", [lb if lb < 0xFFFF else 0xFFFF for lb in labels])

    tag_bytes = b"".join(t.encode("ascii").ljust(8, b"\0")[:8] for t in tags)

    fin = jdir / "finalseg"
    p_start = literal_dict(fin / "prob_start.py")
    p_trans = literal_dict(fin / "prob_trans.py")
    p_emit = literal_dict(fin / "prob_emit.py")
    neg_inf = -3.14e100  # jieba's MIN_FLOAT: "impossible" without infinities
    hmm = bytearray()
    hmm += struct.pack("<4d", *(p_start.get(s, neg_inf) for s in STATES))
    for s0 in STATES:
        hmm += struct.pack("<4d", *(p_trans.get(s0, {}).get(s1, neg_inf) for s1 in STATES))
    emit_tables = []
    for s in STATES:
        items = sorted((ord(fold_key(ch)), lp) for ch, lp in p_emit[s].items() if len(ch) == 1)
        dedup: dict[int, float] = {}
        for cp, lp in items:
            dedup.setdefault(cp, lp)
        cps = sorted(dedup)
        emit_tables.append((array("I", cps), array("f", [dedup[c] for c in cps])))
    hmm += struct.pack("<4I", *(len(t[0]) for t in emit_tables))
    for cps, lps in emit_tables:
        hmm += cps.tobytes() + lps.tobytes()
    # Direct table for the CJK Unified Ideographs block: 4 log-emissions per
    # character, so Viterbi needs no search for common characters.
    cjk = array("f", [neg_inf_f] * (4 * CJK_N))
    for s_i, (cps, lps) in enumerate(emit_tables):
        for cp, lp in zip(cps, lps):
            if CJK_FIRST <= cp < CJK_FIRST + CJK_N:
                cjk[4 * (cp - CJK_FIRST) + s_i] = lp
    hmm += cjk.tobytes()

    total = float(sum(f for f, _ in entries.values()))
    t2s_section, t2s_note = read_t2s(t2s_path)
    source = (f"jieba-{version} dict.txt+finalseg; " + ",".join(p.name for p in domain_files)
              + f"; {t2s_note}")
    sections = [("nodes", bytes(node_bytes)), ("freqs", freqs.tobytes()), ("labels16", labels16.tobytes()),
                ("root", root_index.tobytes()),
                ("tags", tag_bytes), ("hmm", bytes(hmm)), ("t2s", t2s_section)]
    offsets = {}
    body = bytearray()
    pos = HEADER_SIZE
    for name, data in sections:
        pad = (-pos) % 8
        body += b"\0" * pad
        pos += pad
        offsets[name] = pos
        body += data
        pos += len(data)
    header = struct.pack("<8sIIdIIIIIIIII", MAGIC, n_nodes, len(tags), total, offsets["nodes"],
                         offsets["root"], offsets["tags"], offsets["hmm"], len(body) + HEADER_SIZE,
                         len(entries), offsets["freqs"], offsets["t2s"], offsets["labels16"])
    src = source.encode("utf-8")[:HEADER_SIZE - len(header) - 1]
    header = header + src
    header = header.ljust(HEADER_SIZE, b"\0")
    assert sys.byteorder == "little", "the lexicon format is little-endian"
    tmp = out.with_suffix(out.suffix + ".tmp")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(tmp, "wb") as fh:
        fh.write(header)
        fh.write(body)
    os.replace(tmp, out)
    print(f"build_lexicon: {len(entries)} words, {n_nodes} trie nodes, {len(tags)} tags, "
          f"total freq {total:.0f}, log total {math.log(total):.4f} -> {out} "
          f"({(len(body) + HEADER_SIZE) / 1e6:.1f} MB) [{source}]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--domain", type=Path, default=Path(__file__).resolve().parent.parent / "lexicon")
    ap.add_argument("--t2s", type=Path, default=None, help="output of tools/gen_fold_table.c")
    args = ap.parse_args()
    build(args.out, args.domain, args.t2s)


if __name__ == "__main__":
    main()
