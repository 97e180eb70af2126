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
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${need[*]} — run as root: apt-get install ${need[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
