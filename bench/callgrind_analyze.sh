#!/bin/sh
# Instructions per pass of tongbao.analyze over the seed bulletins, with and
# without the entity pass (callgrind; runs of 3 and 13 passes, subtracted).
# Run from the repo root after an in-place build: sh bench/callgrind_analyze.sh [SHARED]
SHARED=${1:-../shared}
PY=${PYTHON:-.venv/bin/python}
count() {
    PYTHONPATH=python valgrind --tool=callgrind --callgrind-out-file=/dev/null "$PY" bench/analyze_passes.py "$SHARED" "$1" $2 2>&1 |
        awk '/Collected/ {print $4}'
}
for mode in noent ent; do
    a=$(count 3 $mode); b=$(count 13 $mode)
    echo "$mode: $(( (b - a) / 10 )) instructions per pass"
done
