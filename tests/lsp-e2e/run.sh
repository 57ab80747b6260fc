#!/usr/bin/env bash
# Tests `escp lsp` with a real LSP client: installs pytest-lsp from PyPI into
# a throw-away virtual environment and runs test_escp_lsp.py against the
# release binary (built here if missing; ESCP=path overrides it), once with
# VS Code's and once with Neovim's client capabilities. Run by .ci/run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

export ESCP="${ESCP:-$root/target/release/escp}"
if [ ! -x "$ESCP" ]; then
  (cd "$root" && cargo build --release --quiet)
fi

python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

cd "$here"
"$work/venv/bin/python" -m pytest -p no:cacheprovider -q \
  -W error::pytest_lsp.checks.LspSpecificationWarning test_escp_lsp.py
