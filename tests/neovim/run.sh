#!/usr/bin/env bash
# Tests the Neovim configuration of docs/editors.md for real: runs the block
# that follows the marker there, as it is written, as init.lua in a headless
# Neovim (Debian's package, installed here if `nvim` is missing; NVIM=path
# runs another), opens a not-ready consortium file, and checks the
# diagnostics that `escp lsp` sends it (tests/neovim/check.lua writes them).
# escp is the release binary (built here if missing; ESCP=path overrides it).
# Run by .ci/run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

nvim="${NVIM:-}"
if [ -z "$nvim" ]; then
  if ! command -v nvim >/dev/null; then
    echo "== installing Debian's neovim"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq neovim >/dev/null 2>&1 || {
      apt-get update -qq >/dev/null && apt-get install -y -qq neovim >/dev/null
    } || { echo "cannot install neovim with apt-get: install it, or give NVIM=path" >&2; exit 1; }
  fi
  nvim="$(command -v nvim)"
fi
"$nvim" --version | head -n 1

export ESCP="${ESCP:-$root/target/release/escp}"
if [ ! -x "$ESCP" ]; then
  (cd "$root" && cargo build --release --quiet)
fi
# The documented configuration runs `escp` from PATH.
mkdir -p "$work/bin"
ln -s "$ESCP" "$work/bin/escp"
export PATH="$work/bin:$PATH"

# The block that follows the marker in docs/editors.md, unchanged.
awk '/tests\/neovim\/run.sh runs this block/ { marked = 1; next }
     marked && /^```lua/ { inside = 1; next }
     inside && /^```/ { exit }
     inside { print }' "$root/docs/editors.md" > "$work/init.lua"
grep -q "'escp', 'lsp'" "$work/init.lua" \
  || { echo "docs/editors.md: no Neovim configuration after the marker" >&2; exit 1; }

mkdir -p "$work/proposal"
cp "$root/examples/2020-strand-a-not-ready.toml" "$work/proposal/consortium.toml"
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
  XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache"
export ESCP_NVIM_OUT="$work/diagnostics.json"

echo "== Neovim with the configuration of docs/editors.md, on a not-ready consortium.toml"
cd "$work/proposal"
status=0
timeout 90 "$nvim" --headless -n -i NONE -u "$work/init.lua" \
  -c "luafile $here/check.lua" consortium.toml </dev/null >"$work/nvim.log" 2>&1 || status=$?
if [ "$status" -ne 0 ] || [ ! -s "$ESCP_NVIM_OUT" ]; then
  echo "Neovim exited with $status without escp's diagnostics" >&2
  cat "$work/nvim.log" >&2
  [ -f "$ESCP_NVIM_OUT" ] && cat "$ESCP_NVIM_OUT" >&2
  exit 1
fi

python3 - "$ESCP_NVIM_OUT" <<'PY'
import json, sys

result = json.load(open(sys.argv[1]))
diagnostics = result["diagnostics"]
failures = []

def expect(what, ok):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)

expect("escp is the language server attached", result["clients"] == ["escp"])
swiss = [d for d in diagnostics if d.get("code") == "eligible-country"]
expect(
    "eligible-country at the Swiss cluster's country (line 34, column 11)",
    any(d["lnum"] == 33 and d["col"] == 10 and "SWISS-FOOD" in d["message"] for d in swiss),
)
expect("eligible-country is an error", all(d["severity"] == 1 for d in swiss))
expect(
    "the readiness verdict on the call line (line 13)",
    any(d["lnum"] == 12 and d["message"].startswith("NOT READY") for d in diagnostics),
)
for rule in ["distinct-countries", "min-eu-countries", "eccp-registration", "max-grant", "unknown-key"]:
    expect(rule + " is among the diagnostics", any(d.get("code") == rule for d in diagnostics))
if failures:
    print(json.dumps(diagnostics, indent=1, ensure_ascii=False), file=sys.stderr)
    sys.exit(1)
PY
echo "neovim: 1 passed, 0 failed"
