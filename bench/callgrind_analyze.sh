#!/bin/sh
# Instructions per pass of tongbao.analyze over the seed bulletins: without
# the entity pass, with it, and with entities and metrics (the default call)
# (callgrind; runs of 3 and 13 passes, subtracted).
# Run from the repo root: sh bench/callgrind_analyze.sh [SHARED] (the
# in-place build python/tongbao/_core*.so when there is one, else the
# package installed in .venv).
SHARED=${1:-../shared}
PY=${PYTHON:-.venv/bin/python}
if ls python/tongbao/_core*.so >/dev/null 2>&1; then PP=python; else PP=; fi
count() {
    PYTHONPATH=$PP valgrind --tool=callgrind --callgrind-out-file=/dev/null "$PY" bench/analyze_passes.py "$SHARED" "$1" $2 2>&1 |
        awk '/Collected/ {print $4}'
}
for mode in noent ent metrics; do
    a=$(count 3 $mode); b=$(count 13 $mode)
    echo "$mode: $(( (b - a) / 10 )) instructions per pass"
done
