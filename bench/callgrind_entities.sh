#!/bin/sh
# Instructions per pass of tb_entity_scan over the seed bulletins (callgrind,
# the measured passes only), with the top functions. Run from the repo root:
#   sh bench/callgrind_entities.sh [SHARED] [PASSES]
set -e
SHARED=${1:-../shared}
PASSES=${2:-10}
OUT=${TMPDIR:-/tmp}/entity_harness.$$
cc -std=c11 -D_GNU_SOURCE -O2 -g -Icsrc $(pkg-config --cflags icu-uc icu-i18n) \
   -o "$OUT" bench/entity_harness.c csrc/core/tb_*.c \
   $(pkg-config --libs icu-uc icu-i18n libpcre2-8) -lm -lpthread
valgrind --tool=callgrind --callgrind-out-file="$OUT.cg" --toggle-collect=measured_pass \
   "$OUT" python/tongbao/_data/lexicon.bin "$PASSES" "$SHARED"/corpus/seeds/*.txt 2>&1 | grep -E "entities per|Collected"
callgrind_annotate "$OUT.cg" 2>/dev/null | sed -n '/Ir/,$p' | head -25
TOTAL=$(callgrind_annotate "$OUT.cg" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "per pass: $((TOTAL / PASSES)) instructions"
rm -f "$OUT" "$OUT.cg"
