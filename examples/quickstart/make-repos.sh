#!/usr/bin/env bash
# Generates the small repositories the quickstart workflow fans out over.
# Each is a folder with a few source files and a tiny test script; 'payments' has a failing test.
# `make-repos.sh --fix` repairs payments' test (to retry its dead letter, see the README).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" = "--fix" ]; then
  printf '#!/bin/sh\necho "4 tests passed"\necho "::metric coverage=86"\n' > "$here/repos/payments/run-tests.sh"
  chmod +x "$here/repos/payments/run-tests.sh"
  echo "payments: test fixed"
  exit 0
fi
for repo in billing gateway search payments; do
  dir="$here/repos/$repo"
  mkdir -p "$dir/src"
  printf 'def handler(event):\n    return {"repo": "%s", "ok": True}\n' "$repo" > "$dir/src/main.py"
  printf '# %s\nA service of the quickstart example.\n' "$repo" > "$dir/README.md"
  if [ "$repo" = payments ]; then
    printf '#!/bin/sh\necho "test_refund ... FAILED: expected 200, got 500" >&2\nexit 1\n' > "$dir/run-tests.sh"
  else
    printf '#!/bin/sh\necho "3 tests passed"\necho "::metric coverage=%s"\n' "$(( 80 + ${#repo} ))" > "$dir/run-tests.sh"
  fi
  chmod +x "$dir/run-tests.sh"
done
