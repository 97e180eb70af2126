#!/usr/bin/env python3
"""Compile the tokenizer's lexicon into the binary form the C core maps.

Sources (never copied into this repository):
  * the dictionary and HMM tables shipped in the `jieba` package from PyPI
    (MIT licence), a declared build dependency: jieba/dict.txt and
    jieba/finalseg/prob_{start,trans,emit}.py;
  * lexicon/*.dict in this repository: domain vocabulary written here, in
    jieba's format (`word freq tag`), which overrides the base entries.

Output: one little-endian file (see csrc/core/tb_lexicon.h for the layout):
the trie as a double array (tools/double_array.py) with the character codes
it is indexed by, the raw frequencies, the tag strings, and the BMES HMM
tables. The file is generated: its header records the sources and their
versions.

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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from double_array import EMPTY, char_codes, place  # noqa: E402

MAGIC = b"TBLEX006"
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


def fold_key(word: str, t2s: Optional[dict[str, str]] = None) -> str:
    """Fold a dictionary key the way the C core folds input: NFKC per code
    point, then Traditional -> Simplified with the same pairs (csrc/core/tb_fold.h)."""
    out = []
    for ch in word:
        n = unicodedata.normalize("NFKC", ch)
        ch = n if len(n) == 1 else ch
        out.append(t2s.get(ch, ch) if t2s else ch)
    return "".join(out)


class Entries:
    """Dictionary entries keyed as lookups will see them.

    Input is folded Traditional -> Simplified before lookup, so keys must be
    folded the same way, or a key with a folded character is never reached:
    ICU's pairs fold some characters that simplified text uses too (俱 -> 具,
    藉 -> 借, 乾 -> 干), and jieba's 与日俱增 or 一片狼藉 would never match.
    When two spellings fold to one key, the spelling that is already the key
    keeps it (一干二净 over 一乾二净), else the most frequent one does; a
    later line for the same spelling overrides an earlier one (domain files
    over jieba's). `raw` keeps the unfolded keys: the total frequency, the
    denominator of every word's probability, is jieba's, over all its lines."""

    def __init__(self, t2s: dict[str, str]) -> None:
        self.t2s = t2s
        self.folded: dict[str, tuple[int, str]] = {}
        self.spelling: dict[str, str] = {}     # folded key -> the spelling that holds it
        self.raw: dict[str, tuple[int, str]] = {}

    def add(self, word: str, freq: int, tag: str) -> None:
        plain = fold_key(word)
        key = fold_key(word, self.t2s)
        self.raw[plain] = (freq, tag)
        holder = self.spelling.get(key)
        if (holder is None or plain == key or holder == plain
                or (holder != key and freq > self.folded[key][0])):
            self.folded[key] = (freq, tag)
            self.spelling[key] = plain


def read_dict(path: Path, entries: Entries) -> None:
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            try:
                freq = int(parts[1]) if len(parts) > 1 else 1
            except ValueError:
                sys.exit(f"build_lexicon: {path}:{lineno}: bad frequency {parts[1]!r}")
            tag = parts[2] if len(parts) > 2 else ""
            entries.add(parts[0], freq, tag)


def literal_dict(path: Path) -> dict:
    """The dict literal assigned in one of jieba's prob_*.py files (parsed, not executed)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign):
            return ast.literal_eval(node.value)
    raise SystemExit(f"build_lexicon: no table in {path}")


def read_t2s(path: Optional[Path]) -> tuple[bytes, str, dict[str, str]]:
    """The folding pairs as a section, the header line naming their source,
    and the pairs as a map."""
    if path is None:
        return struct.pack("<I", 0), "no t2s", {}
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
    return (struct.pack("<I", len(pairs)) + body, f"t2s {icu} ({len(pairs)})",
            {chr(a): chr(b) for a, b in pairs})


def build(out: Path, domain_dir: Path, t2s_path: Optional[Path] = None) -> None:
    jdir = jieba_dir()
    version = importlib.metadata.version("jieba")
    t2s_section, t2s_note, t2s = read_t2s(t2s_path)
    folded = Entries(t2s)
    read_dict(jdir / "dict.txt", folded)
    domain_files = sorted(domain_dir.glob("*.dict"))
    domain_words: set[str] = set()
    for p in domain_files:
        before = dict(folded.folded)
        read_dict(p, folded)
        domain_words |= {w for w in folded.folded if w not in before or folded.folded[w] != before[w]}
    entries = folded.folded

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

    # The trie as a double array (tools/double_array.py): a node is a slot,
    # its child by character x the slot base + code(x).
    codes = char_codes(entries)
    slot_of, base, check = place(root, codes)
    max_code = max(codes.values())
    n_slots = len(check)   # base + any code is a slot (checked again at open)

    # Per-node data, by slot: raw frequency, tag, flags.
    freqs = array("I", [0]) * n_slots
    node_bytes = bytearray(16 * n_slots)
    # Bit 2 (TB_LEX_RARE_LONG): a word of 4+ characters, not an idiom or set
    # phrase (tags i, l), rarer than 0.3 x its most frequent proper prefix of
    # 2+ characters. Only such words can pass the long-compound rule's quick
    # reject (tb_style.c rule_long), so the style pass skips all others
    # without a lookup. Same double arithmetic as the C test.
    no_split_tags = {tag_id[t] for t in ("i", "l") if t in tag_id}
    # (node, depth, max frequency over its proper prefixes of 2+ characters)
    stack = [(root, 0, 0)]
    while stack:
        node, depth, max_prefix = stack.pop()
        s_ = slot_of[id(node)]
        f, t, dom = node.get(None, (0, 0, False))
        f = min(f, 0xFFFFFFFF)
        freqs[s_] = f
        rare_long = (f and depth >= 4 and t not in no_split_tags
                     and not float(f) >= 0.3 * float(max_prefix))
        # Slot record: base u32, check u32, log(freq) f32, tag u8, flags u8, pad u16.
        # Flags: bit 0 the node ends a word; bit 1 a domain word from
        # lexicon/*.dict, which segmentation styles never split; bit 2 rare
        # long word (above). The log is precomputed so the best-path search
        # does no log() calls.
        struct.pack_into("<IIfBBH", node_bytes, 16 * s_, base[s_], check[s_], math.log(f) if f else 0.0,
                         t, (1 if f else 0) | (2 if dom else 0) | (4 if rare_long else 0), 0)
        kid_prefix = max(max_prefix, f if depth >= 2 else 0)
        stack.extend((node[k], depth + 1, kid_prefix) for k in node if k is not None)
    for s_ in range(n_slots):   # free slots: check EMPTY, all else zero
        if check[s_] == EMPTY and s_ != 0:
            struct.pack_into("<I", node_bytes, 16 * s_ + 4, EMPTY)
    struct.pack_into("<I", node_bytes, 4, EMPTY)   # the root has no parent

    # Character codes: a direct u16 table for the BMP, sorted pairs beyond it.
    code16 = array("H", [0]) * 65536
    astral = []
    for ch, c in codes.items():
        if ord(ch) < 65536:
            code16[ord(ch)] = c
        else:
            astral.append((ord(ch), c))
    if max_code > 0xFFFF:
        sys.exit("build_lexicon: more than 65535 distinct characters")
    astral.sort()
    code_section = (code16.tobytes() + struct.pack("<I", len(astral))
                    + array("I", [x for pair in astral for x in pair]).tobytes())

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

    total = float(sum(f for f, _ in folded.raw.values()))
    source = (f"jieba-{version} dict.txt+finalseg; " + ",".join(p.name for p in domain_files)
              + f"; {t2s_note}")
    sections = [("nodes", bytes(node_bytes)), ("freqs", freqs.tobytes()), ("codes", code_section),
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
    header = struct.pack("<8sIIdIIIIIIIII", MAGIC, n_slots, len(tags), total, offsets["nodes"],
                         offsets["codes"], offsets["tags"], offsets["hmm"], len(body) + HEADER_SIZE,
                         len(entries), offsets["freqs"], offsets["t2s"], max_code)
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
    print(f"build_lexicon: {len(entries)} words, {len(slot_of)} trie nodes in {n_slots} slots, "
          f"{max_code} characters, {len(tags)} tags, "
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
