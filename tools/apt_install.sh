#!/usr/bin/env bash
# Install the given Debian packages (nothing when none are given): with
# apt-get when root, otherwise report them and fail. Shared by
# install_system_deps.sh and install_fuzz_deps.sh, which decide what is missing.
set -euo pipefail
[ $# -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: $* — run as root: apt-get install $*" >&2
  exit 1
fi
echo "installing Debian packages: $*"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "$@" >/dev/null
