#!/usr/bin/env bash
# End to end: `escp serve` in headless Chromium, driven by Playwright.
# Installs what it needs: Debian's chromium (when missing) and the locked
# npm packages (playwright-core drives the system's Chromium: no browser
# is downloaded). Builds escp (release), starts `escp serve --port 0`,
# reads its address from the first line, runs the tests, stops the server.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

# ESCP_PROFILE=debug tries a change of the page without the release build
# (the timings of BENCHMARKS.md are those of the release build).
profile="${ESCP_PROFILE:-release}"
if [ "$profile" = release ]; then
  (cd "$root" && cargo build --release --quiet)
else
  (cd "$root" && cargo build --quiet)
fi
bin="$root/target/$profile/escp"

out="$(mktemp -d)"
server_log="$out/server.log"
"$bin" serve --port 0 >"$out/address" 2>"$server_log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 1 100); do
  [ -s "$out/address" ] && break
  sleep 0.05
done
url="$(head -n 1 "$out/address" | sed -n 's/^escp serve: //p')"
if [ -z "$url" ]; then
  echo "escp serve printed no address:" >&2
  cat "$server_log" >&2
  exit 1
fi
echo "escp serve at $url"

cd "$here"
ESCP_URL="$url" ESCP_BIN="$bin" ESCP_OUT="$out" node --test --test-reporter=spec "$@" test.mjs
