#!/usr/bin/env bash
# Installs the offline VS Code test host (code-server 4.100.3, i.e. VS Code 1.100.3) into a cache
# outside the repo, following ../shared/VSCODE-HOST.md. Idempotent: a marker file makes reruns free.
# code-server's own postinstall downloads ripgrep from GitHub, which this network cannot reach, so the
# steps are done by hand with Debian's ripgrep.
set -euo pipefail

VERSION=4.100.3
HOST_DIR="${DL_DOCTOR_HOST_DIR:-$HOME/.cache/dl-doctor/code-server-$VERSION}"
MARKER="$HOST_DIR/.complete"

if [ -f "$MARKER" ]; then
  echo "setup-host: code-server $VERSION ready in $HOST_DIR"
  exit 0
fi

fail() { echo "setup-host: FAILED: $*" >&2; exit 1; }
trap 'fail "step on line $LINENO exited with $?"' ERR

packages=(chromium ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config python3 make g++)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || fail "missing Debian packages (${missing[*]}); install them as root"
  echo "setup-host: installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

started=$(date +%s)
echo "setup-host: installing code-server $VERSION into $HOST_DIR (2-3 minutes the first time)"
rm -rf "$HOST_DIR"
mkdir -p "$HOST_DIR"
cd "$HOST_DIR"
npm init -y >/dev/null
npm install --ignore-scripts --no-audit --no-fund "code-server@$VERSION" >/dev/null

cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
npm_config_yes=true npm rebuild >/dev/null          # node-pty, spdlog, kerberos, watchdog
ln -sfn node_modules node_modules.asar
(cd extensions && npm install --omit=dev --no-audit --no-fund >/dev/null)   # built-in extensions' dependencies
ln -sf code-linux.sh bin/remote-cli/code-server 2>/dev/null || true
ln -sf browser-linux.sh bin/helpers/browser.sh 2>/dev/null || true

cd "$HOST_DIR"
npm_config_yes=true npm rebuild argon2 >/dev/null   # builds from source when its prebuilt download fails

node node_modules/code-server/out/node/entry.js --version >/dev/null || fail "code-server does not start"
touch "$MARKER"
echo "setup-host: done in $(( $(date +%s) - started )) s"
