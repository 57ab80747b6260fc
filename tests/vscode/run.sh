#!/usr/bin/env bash
# Packages the VS Code extension (editors/vscode) as users get it: installs
# its locked dependencies from npm (`npm ci`, @vscode/vsce among them) in a
# copy of the folder, runs `vsce package`, and checks that the .vsix holds
# the extension. The package is left in target/vscode/escp.vsix. Run by
# .ci/run; fails if packaging fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp -R "$root/editors/vscode" "$work/vscode"
rm -rf "$work/vscode/node_modules" "$work/vscode/"*.vsix
cd "$work/vscode"
node --check extension.js
npm ci --no-audit --no-fund --loglevel=error
npm run --silent package >/dev/null

mkdir -p "$root/target/vscode"
cp escp.vsix "$root/target/vscode/escp.vsix"
listing="$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' escp.vsix)"
for needed in extension/extension.js extension/package.json \
  extension/node_modules/vscode-languageclient/package.json; do
  if ! grep -qx "$needed" <<<"$listing"; then
    echo "the .vsix lacks $needed" >&2
    exit 1
  fi
done
echo "VS Code extension packaged: target/vscode/escp.vsix ($(wc -c < escp.vsix) bytes)"
echo "vscode package: 1 passed, 0 failed"
