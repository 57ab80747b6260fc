#!/usr/bin/env bash
# Tests .pre-commit-hooks.yaml for real: installs pre-commit from PyPI into a
# virtual environment, then runs the `escp` hook of this repository (built by
# pre-commit itself, as users get it) in a throw-away repository with a
# ready and a not-ready consortium.toml, a not-ready *.consortium.toml in a
# subfolder, and the .pre-commit-config.yaml that docs/ci.md gives, pinned
# by `pre-commit autoupdate` as docs/ci.md says. Run by .ci/run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check pre-commit
export PRE_COMMIT_HOME="$work/cache"
precommit="$work/venv/bin/pre-commit"

repo="$work/proposal"
mkdir -p "$repo/bad"
git -C "$repo" init --quiet
git -C "$repo" config user.email ci@example.invalid
git -C "$repo" config user.name ci
cp "$root/examples/2020-strand-a-ready.toml" "$repo/consortium.toml"
cp "$root/examples/2020-strand-a-not-ready.toml" "$repo/bad/consortium.toml"
mkdir -p "$repo/teams"
cp "$root/examples/2020-strand-b-not-ready.toml" "$repo/teams/agrifood.consortium.toml"
echo "not a consortium file" > "$repo/notes.txt"
git -C "$repo" add -A

cd "$repo"
echo "== pre-commit hook on the ready consortium (must pass)"
# Every call escp knows has closed by now, and a closed call is NOT READY;
# the hook is run on the day before the 2020 call's deadline, with `args`
# as a proposal repository would set them.
cat > .pre-commit-config.yaml <<EOF
repos:
  - repo: $root
    rev: $(git -C "$root" rev-parse HEAD)
    hooks:
      - id: escp
        args: [--today, "2020-11-01"]
EOF
git add -A
"$precommit" run escp --files consortium.toml notes.txt
rm .pre-commit-config.yaml
git add -A

echo "== pre-commit hook on the not-ready consortium files (must fail, and check both)"
set +e
out="$("$precommit" try-repo "$root" escp --files bad/consortium.toml teams/agrifood.consortium.toml notes.txt 2>&1)"
status=$?
set -e
echo "$out" | tail -n 20
if [ "$status" -eq 0 ]; then
  echo "the hook passed a not-ready consortium" >&2
  exit 1
fi
echo "$out" | grep -q "eligible-country" || { echo "the hook's output lacks the diagnostics" >&2; exit 1; }
echo "$out" | grep -q "Readiness of teams/agrifood.consortium.toml" \
  || { echo "the hook's files pattern left out teams/agrifood.consortium.toml" >&2; exit 1; }
if echo "$out" | grep -q "notes.txt"; then
  echo "the hook checked notes.txt, which is no consortium file" >&2
  exit 1
fi

echo "== the .pre-commit-config.yaml of docs/ci.md, pinned with pre-commit autoupdate (must fail on the not-ready files)"
# The block that follows the marker in docs/ci.md, with the repository's
# address replaced by this folder; any other drift of the doc fails here.
awk '/tests\/pre-commit\/run.sh runs this block/ { marked = 1; next }
     marked && /^```yaml/ { inside = 1; next }
     inside && /^```/ { exit }
     inside { print }' "$root/docs/ci.md" > "$work/documented.yaml"
grep -q "https://github.com/OWNER/escp" "$work/documented.yaml" \
  || { echo "docs/ci.md: no pre-commit configuration after the marker" >&2; exit 1; }
sed "s|https://github.com/OWNER/escp|$root|" "$work/documented.yaml" > .pre-commit-config.yaml
cat .pre-commit-config.yaml
# The rev as written must exist in escp's repository (pre-commit fetches
# it): "v0.1.0", a tag escp never had, failed with "pathspec did not match".
documented="$(sed -n 's/^ *rev: *//p' .pre-commit-config.yaml)"
git -C "$root" rev-parse --verify -q "$documented^{commit}" >/dev/null \
  || git -C "$root" rev-parse --verify -q "origin/$documented^{commit}" >/dev/null \
  || { echo "docs/ci.md pins rev '$documented', which escp's repository does not have" >&2; exit 1; }
"$precommit" autoupdate
pinned="$(sed -n 's/^ *rev: *//p' .pre-commit-config.yaml)"
expected="$(git -C "$root" rev-parse HEAD)"
if [ "$pinned" != "$expected" ]; then
  echo "pre-commit autoupdate pinned rev '$pinned', not escp's latest commit $expected" >&2
  exit 1
fi
git add -A
set +e
out="$("$precommit" run --all-files 2>&1)"
status=$?
set -e
echo "$out" | tail -n 5
if [ "$status" -eq 0 ]; then
  echo "the documented configuration passed not-ready consortium files" >&2
  exit 1
fi
for file in consortium.toml bad/consortium.toml teams/agrifood.consortium.toml; do
  echo "$out" | grep -q "Readiness of $file\$" \
    || { echo "the documented configuration did not check $file" >&2; exit 1; }
done
rm .pre-commit-config.yaml
echo "== the hook with its files pattern overridden (docs/ci.md), from a config file"
mkdir -p proposals
cp "$root/examples/2020-strand-a-not-ready.toml" proposals/agri4i.toml
cat > .pre-commit-config.yaml <<EOF
repos:
  - repo: $root
    rev: $(git -C "$root" rev-parse HEAD)
    hooks:
      - id: escp
        files: ^proposals/.*\\.toml\$
EOF
git add -A
set +e
out="$("$precommit" run escp --files proposals/agri4i.toml consortium.toml 2>&1)"
status=$?
set -e
echo "$out" | tail -n 5
if [ "$status" -eq 0 ]; then
  echo "the hook with a files pattern passed a not-ready consortium" >&2
  exit 1
fi
echo "$out" | grep -q "proposals/agri4i.toml" || { echo "the hook did not check proposals/agri4i.toml" >&2; exit 1; }
if echo "$out" | grep -q "Readiness of consortium.toml"; then
  echo "the files pattern was not honoured: consortium.toml was checked" >&2
  exit 1
fi
echo "pre-commit hook: 4 passed, 0 failed"
