"""Summarise a valgrind memcheck log of tools/exercise_api.py (`make valgrind`).

    python tools/valgrind_report.py fuzz/build/valgrind.log

CPython 3.11 and numpy report their own noise under memcheck (uninitialised
reads in the interpreter's start-up, a few objects definitely lost at exit
by module initialisation), and there is no suppression file for the
interpreter at hand. So this separates the records whose stack passes
through tongbao (its extension, tongbao_module.c, csrc/core/tb_*) from the
rest, prints both, and exits non-zero when tongbao has any memory error or
any definitely lost byte.
"""
from __future__ import annotations

import re
import sys

OURS = re.compile(r"tongbao/_core|tongbao_module\.c|csrc/core/|\btb_\w+ \(")
LOST = re.compile(r"([\d,]+) \(([\d,]+) direct, [\d,]+ indirect\) bytes in [\d,]+ blocks are definitely lost"
                  r"|([\d,]+) bytes in [\d,]+ blocks are definitely lost")


def main(path: str) -> int:
    log = open(path, encoding="utf-8", errors="replace").read()
    records = re.split(r"\n==\d+== \n", log)
    ours_lost = other_lost = ours_err = other_err = 0
    for rec in records:
        m = LOST.search(rec)
        mine = bool(OURS.search(rec))
        if m:
            n = int((m.group(2) or m.group(3)).replace(",", ""))   # direct bytes
            if mine:
                ours_lost += n
                print(rec.strip(), file=sys.stderr)
            else:
                other_lost += n
        elif re.search(r"Invalid (read|write|free)|uninitialised|Mismatched free|overlap", rec):
            if mine:
                ours_err += 1
                print(rec.strip(), file=sys.stderr)
            else:
                other_err += 1
    total = re.findall(r"definitely lost: ([\d,]+) bytes", log)
    print(f"valgrind: tongbao: definitely lost: {ours_lost} bytes, memory errors: {ours_err}")
    print(f"valgrind: elsewhere (CPython/numpy start-up and exit): definitely lost: {other_lost} bytes, "
          f"memory errors: {other_err}; process total definitely lost: {total[-1] if total else '?'} bytes")
    if "exercise_api:" not in log and not re.search(r"ERROR SUMMARY", log):
        print("valgrind: the log looks incomplete", file=sys.stderr)
        return 1
    return 1 if ours_lost or ours_err else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
