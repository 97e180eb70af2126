"""Place a trie into a double array (the layout the C core walks; see
csrc/core/tb_lexicon.h).

Every character gets a code (1..n, the most frequent characters first). A
node s with children keeps a base; its child by character x sits in slot
base[s] + code(x), and that slot records its parent in check. One step of a
walk is then one load of the child's slot -- no search among siblings, no
hash probe, no data-dependent branch besides "is this the child?" -- which
is what a walk through a lexicon far bigger than the caches needs.

Placement is first fit (see place): the nodes with many children first,
then the others in order of their traffic (the summed frequency of the words
below them, how often a walk reaches them), so the slots real text visits
sit near the front of the array; the hot characters' small codes keep a
node's frequent children close to each other. The wide nodes' children all
include the hottest characters, whose codes are dense, so those nodes cannot
interleave well: about 1.4 slots per node.

The root is slot 0 with base 0 (its child by x is slot code(x)); a leaf has
base 0 (the walk stops without a load); every other base is >= 1.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from array import array
from pathlib import Path
from typing import Any, Dict, List, Tuple

EMPTY = 0xFFFFFFFF  # check of a free slot: never a node's index
WIDE = 8  # children from which a node is placed in the first round


def traffic(root: dict) -> Dict[int, float]:
    """Summed frequency of the words in each node's subtree, by id(node).
    A node's payload sits under the key None as (freq, ...)."""
    mass: Dict[int, float] = {}
    stack: List[Tuple[dict, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            own = float(node[None][0]) if None in node else 0.0
            mass[id(node)] = own + sum(mass[id(node[k])] for k in node if k is not None)
        else:
            stack.append((node, True))
            stack.extend((node[k], False) for k in node if k is not None)
    return mass


def char_codes(entries: Dict[str, Tuple[Any, ...]]) -> Dict[str, int]:
    """Codes 1..n for every character of the words, most frequent first
    (weight: the summed frequency of the words it occurs in)."""
    weight: Dict[str, float] = {}
    for word, payload in entries.items():
        for ch in word:
            weight[ch] = weight.get(ch, 0.0) + float(payload[0]) + 1.0
    ordered = sorted(weight, key=lambda ch: (-weight[ch], ord(ch)))
    return {ch: i + 1 for i, ch in enumerate(ordered)}


def first_fit(rows: List[List[int]]) -> List[int]:
    """Bases for rows of child codes (each sorted), first fit in row order,
    the first row (the root's) at base 0: tools/place_rows.c, compiled here
    with the C compiler the extension is built with."""
    here = Path(__file__).resolve().parent
    cc = os.environ.get("CC", "cc").split()
    with tempfile.TemporaryDirectory() as tmp:
        exe, src, dst = Path(tmp) / "place_rows", Path(tmp) / "rows.bin", Path(tmp) / "bases.bin"
        subprocess.run([*cc, "-O2", "-o", str(exe), str(here / "place_rows.c")], check=True)
        flat = array("I", [len(rows)])
        for codes in rows:
            flat.append(len(codes))
            flat.extend(codes)
        src.write_bytes(flat.tobytes())
        subprocess.run([str(exe), str(src), str(dst)], check=True)
        bases = array("I")
        bases.frombytes(dst.read_bytes())
    if len(bases) != len(rows):
        raise SystemExit("double_array: place_rows returned the wrong number of bases")
    return list(bases)


def place(root: dict, codes: Dict[str, int]) -> Tuple[Dict[int, int], Dict[int, int], List[int]]:
    """Place the trie. Returns (slot by id(node), base by slot, check by slot
    as a list indexed by slot, EMPTY for free slots). The list is as long as
    the array: every base + any code is inside it, so a walk needs no bounds
    test.

    Bases are chosen first fit, in two rounds: the nodes with WIDE or more
    children by decreasing number of children (the classic first-fit-
    decreasing packing of a sparse table: the hard rows go in while the array
    is empty, and leave gaps the narrow rows fill), then all others hottest
    first. A base needs no slot of its own node, so the order is free; the
    slots follow from the bases at the end."""
    mass = traffic(root)
    internal: List[Tuple[dict, List[int]]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        kids = sorted(codes[k] for k in node if k is not None)
        if kids:
            internal.append((node, kids))
            stack.extend(node[k] for k in node if k is not None)
    root_row = next(e for e in internal if e[0] is root)
    wide = sorted((e for e in internal if e[0] is not root and len(e[1]) >= WIDE), key=lambda e: -len(e[1]))
    narrow = sorted((e for e in internal if e[0] is not root and len(e[1]) < WIDE), key=lambda e: -mass[id(e[0])])
    order = [root_row] + wide + narrow
    bases = first_fit([kids for _, kids in order])
    base_of = {id(node): b for (node, _), b in zip(order, bases)}

    slot_of: Dict[int, int] = {id(root): 0}
    base: Dict[int, int] = {}
    check: List[int] = [EMPTY] * (max(bases) + max(codes.values()) + 1)
    stack = [root]
    while stack:
        node = stack.pop()
        s = slot_of[id(node)]
        b = base_of.get(id(node), 0)   # leaves: base 0
        base[s] = b
        for k in node:
            if k is not None:
                t = b + codes[k]
                check[t] = s
                slot_of[id(node[k])] = t
                stack.append(node[k])
    return slot_of, base, check
