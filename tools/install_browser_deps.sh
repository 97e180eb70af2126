#!/usr/bin/env bash
# Install headless Chromium (Debian's `chromium`) for tests/test_browser.py,
# which renders a Document's HTML view and inspects the screenshot. `.ci/run`
# calls this so CI always runs the browser test; `make test` runs it only
# when Chromium is present (and skips it otherwise). The CJK font comes with
# install_system_deps.sh. Needs root for apt-get.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
exec "$(dirname "$0")/apt_install.sh" ${need[@]+"${need[@]}"}
