#!/usr/bin/env bash
# Install the Debian packages the build needs when they are missing:
# ICU and PCRE2 headers, pkg-config, a C compiler. Needs root for apt-get;
# otherwise it only reports what is missing.
set -euo pipefail
need=()
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
if command -v pkg-config >/dev/null 2>&1; then
  pkg-config --exists icu-uc icu-i18n || need+=(libicu-dev)
  pkg-config --exists libpcre2-32 || need+=(libpcre2-dev)
else
  need+=(libicu-dev libpcre2-dev)
fi
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || need+=(python3-venv)
exec "$(dirname "$0")/apt_install.sh" ${need[@]+"${need[@]}"}
