#!/usr/bin/env bash
# Install what `make fuzz` (argument "fuzz") and `make valgrind` (argument
# "valgrind") need when missing: clang with its libFuzzer runtime (Debian:
# libclang-rt-14-dev, or whichever libclang-rt-N-dev matches the installed
# clang), valgrind. No argument: both. Needs root for apt-get; otherwise it
# only reports what is missing.
set -euo pipefail
want=${1:-all}
need=()
if [ "$want" != valgrind ]; then
command -v clang >/dev/null 2>&1 || need+=(clang)
if command -v clang >/dev/null 2>&1; then
  probe=$(mktemp -d)
  echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' >"$probe/p.c"
  if ! clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
    major=$(clang -dumpversion | cut -d. -f1)
    need+=("libclang-rt-$major-dev")
  fi
  rm -rf "$probe"
else
  need+=(libclang-rt-14-dev)
fi
fi
if [ "$want" != fuzz ]; then
  command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
fi
exec "$(dirname "$0")/apt_install.sh" ${need[@]+"${need[@]}"}
