#!/usr/bin/env bash
# Tests .pre-commit-hooks.yaml for real: installs pre-commit from PyPI into a
# virtual environment, then runs the `escp` hook of this repository (built by
# pre-commit itself, as users get it) in a throw-away repository with a
# ready and a not-ready consortium.toml. Run by .ci/run.
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
echo "not a consortium file" > "$repo/notes.txt"
git -C "$repo" add -A

cd "$repo"
echo "== pre-commit hook on the ready consortium (must pass)"
"$precommit" try-repo "$root" escp --files consortium.toml notes.txt

echo "== pre-commit hook on the not-ready consortium (must fail)"
set +e
out="$("$precommit" try-repo "$root" escp --files bad/consortium.toml 2>&1)"
status=$?
set -e
echo "$out" | tail -n 20
if [ "$status" -eq 0 ]; then
  echo "the hook passed a not-ready consortium" >&2
  exit 1
fi
echo "$out" | grep -q "eligible-country" || { echo "the hook's output lacks the diagnostics" >&2; exit 1; }
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
echo "pre-commit hook: 3 passed, 0 failed"
