#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the last line that runs on Node 20) into the ignored
# project folder .cache/code-server, for the end-to-end tests and `npm run serve`. Reruns are instant.
#
# code-server builds native modules, so it needs Debian's build packages; its @vscode/ripgrep dependency
# downloads a binary from GitHub, which is satisfied here from that package's own download cache, filled
# with Debian's rg. Pass --apt to install the Debian packages first (needs root).
set -euo pipefail
cd "$(dirname "$0")/../.."

version=4.100.3
prefix="$PWD/.cache/code-server"
binary="$prefix/node_modules/.bin/code-server"

if [ -x "$binary" ] && [ "$(cat "$prefix/.installed" 2>/dev/null)" = "$version" ]; then
  echo "code-server $version already installed in $prefix"
  exit 0
fi

debian_packages=(build-essential python3 pkg-config libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev ripgrep)
if [ "${1:-}" = "--apt" ]; then
  missing=()
  for name in "${debian_packages[@]}"; do
    dpkg -s "$name" >/dev/null 2>&1 || missing+=("$name")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

rg_path="$(command -v rg || true)"
if [ -z "$rg_path" ]; then
  echo "code-server needs ripgrep: apt-get install ripgrep (or run this script with --apt as root)" >&2
  exit 1
fi

started=$(date +%s)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# @vscode/ripgrep 1.15.11 looks for its download in $TMPDIR/vscode-ripgrep-cache-<version>/ first.
rg_cache="$scratch/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rg_cache/pack/rg-dir"
cp "$rg_path" "$rg_cache/pack/rg-dir/rg"
tar -czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$rg_cache/pack/rg-dir" rg
rm -rf "$rg_cache/pack"

rm -rf "$prefix"
mkdir -p "$prefix"
echo '{"name":"topdown-code-server","private":true}' >"$prefix/package.json"
(
  cd "$prefix"
  TMPDIR="$scratch" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error "code-server@$version"
)
"$binary" --version >/dev/null
echo "$version" >"$prefix/.installed"
echo "code-server $version installed in $prefix in $(($(date +%s) - started)) s"
