#!/usr/bin/env bash
# Install the Debian packages the build needs when they are missing:
# ICU and PCRE2 headers, pkg-config, a C compiler, and the CJK font that
# tongbao.plot labels Chinese region names with (fonts-noto-cjk). Needs
# root for apt-get; otherwise it only reports what is missing (the font is
# optional: without it plots label regions by division code).
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
if [ ! -d /usr/share/fonts/opentype/noto ] || ! ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    need+=(fonts-noto-cjk)
  else
    echo "note: fonts-noto-cjk is not installed: plots will label regions by division code" >&2
  fi
fi
exec "$(dirname "$0")/apt_install.sh" ${need[@]+"${need[@]}"}
