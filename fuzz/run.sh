#!/usr/bin/env bash
# Run every fuzz harness for SECONDS seconds each (not in total), FUZZ_JOBS
# at a time (default: the number of CPUs), then print the executions of
# each and their sum.
#
#   fuzz/run.sh SECONDS PYTHON HARNESS_BINARY...
#
# Each libFuzzer binary fuzz/build/fuzz_<name> runs over its working corpus
# fuzz/build/corpus/fuzz_<name> (grows from run to run), the generated seeds
# fuzz/build/seeds/fuzz_<name> and the regression inputs
# tests/fuzz_regressions/fuzz_<name>; crashes are written to
# fuzz/build/crashes/. The atheris harness fuzz/fuzz_python.py runs last
# with PYTHON, with $FUZZ_PY_PRELOAD (atheris's asan_with_fuzzer.so, for an
# extension built with -fsanitize=address,fuzzer-no-link) preloaded when set.
# Exit status: non-zero when any harness found a crash.
set -uo pipefail
secs=$1
py=$2
shift 2
mkdir -p fuzz/build/logs fuzz/build/crashes
total=0
failed=()
runs_of() {   # executions from libFuzzer's final statistics
  local n
  n=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$1" | tail -1)
  [ -n "$n" ] || n=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$1" | tail -1)
  echo "${n:-0}"
}
jobs_max=${FUZZ_JOBS:-$(nproc)}
rm -f fuzz/build/logs/*.runs fuzz/build/logs/*.failed
run_one() {   # name, log, command... (in the background: results go to files)
  local name=$1 log=$2
  shift 2
  echo "fuzz: $name for ${secs}s"
  if ! "$@" >"$log" 2>&1; then
    touch "fuzz/build/logs/$name.failed"
  fi
  runs_of "$log" >"fuzz/build/logs/$name.runs"
}
throttle() { while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done; }
names=()
for bin in "$@"; do
  name=$(basename "$bin")
  names+=("$name")
  mkdir -p "fuzz/build/corpus/$name" "fuzz/build/seeds/$name" "tests/fuzz_regressions/$name"
  throttle
  run_one "$name" "fuzz/build/logs/$name.log" \
    "$bin" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="fuzz/build/crashes/$name-" \
    "fuzz/build/corpus/$name" "fuzz/build/seeds/$name" "tests/fuzz_regressions/$name" &
done
mkdir -p fuzz/build/corpus/python tests/fuzz_regressions/python
names+=(python)
throttle
run_one python fuzz/build/logs/python.log \
  env ${FUZZ_PY_PRELOAD:+LD_PRELOAD=$FUZZ_PY_PRELOAD} ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
  "$py" fuzz/fuzz_python.py -max_total_time="$secs" -max_len=4096 -timeout=20 -rss_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix=fuzz/build/crashes/python- \
  fuzz/build/corpus/python fuzz/build/seeds/python tests/fuzz_regressions/python &
wait
for name in "${names[@]}"; do
  n=$(cat "fuzz/build/logs/$name.runs" 2>/dev/null || echo 0)
  printf 'fuzz: %-16s %12d executions\n' "$name" "$n"
  total=$((total + n))
  if [ -e "fuzz/build/logs/$name.failed" ]; then
    failed+=("$name")
    echo "fuzz: $name FAILED (log fuzz/build/logs/$name.log):" >&2
    grep -E "fuzz invariant|ERROR|SUMMARY|Traceback|Error|artifact" "fuzz/build/logs/$name.log" | head -20 >&2
  fi
done
echo "fuzz: total executions over all harnesses: $total"
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: crashes in: ${failed[*]} — inputs in fuzz/build/crashes/; add each to tests/fuzz_regressions/<harness>/ once fixed" >&2
  exit 1
fi
