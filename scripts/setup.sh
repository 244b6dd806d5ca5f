#!/usr/bin/env bash
# One-time set-up on a fresh machine: a virtualenv with the project, and the Debian packages it uses
# (CJK fonts for the PDF notice; with "test": the cluster extra (Ray), LibreOffice, poppler, chromium and
# PostgreSQL for the real-world checks; the store's tests start a throwaway PostgreSQL server of their own).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
if [ "${1:-}" = test ]; then
  .venv/bin/pip install -q --disable-pip-version-check -e '.[test,cluster]'
  debs="fonts-noto-cjk libreoffice-calc-nogui poppler-utils chromium postgresql"
else
  .venv/bin/pip install -q --disable-pip-version-check -e .
  debs="fonts-noto-cjk"
fi
missing=""
for deb in $debs; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing="$missing $deb"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "请以 root 安装 Debian 软件包：$missing" >&2
  fi
fi
