#!/usr/bin/env bash
# Creates or updates the project's virtual environments from the pinned requirements:
#   .venv          dev tools + the package (editable) with its `genai-obs` command
#   .venv-checkov  checkov alone (its pinned boto3 and hcl2 module clash with the dev tools)
# Re-running is cheap: a venv is rebuilt only when its requirements file changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "error: $PYTHON not found; Python 3.11+ is required." >&2
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "error: Python 3.11+ is required ($("$PYTHON" --version 2>&1) found)." >&2
  exit 1
fi

make_venv() {  # make_venv DIR REQUIREMENTS
  local dir="$1" req="$2"
  local stamp="$dir/.requirements.sha256"
  local want
  want="$("$PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$req")"
  if [ -x "$dir/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  echo "==> setting up $dir from $req"
  rm -rf "$dir"
  "$PYTHON" -m venv "$dir"
  # (grep drops pip's notes about index mirrors that some machines list but lack)
  "$dir/bin/python" -m pip install --quiet -r "$req" 2> >(grep -v "is ignored: it is neither" >&2)
  echo "$want" > "$stamp"
}

make_venv .venv requirements-dev.txt
# The package itself, editable, so `genai-obs` is on .venv/bin.
if [ ! -x .venv/bin/genai-obs ] || ! cmp -s pyproject.toml .venv/.pyproject.toml; then
  .venv/bin/python -m pip install --quiet --no-deps -e . 2> >(grep -v "is ignored: it is neither" >&2)
  cp pyproject.toml .venv/.pyproject.toml
fi
make_venv .venv-checkov requirements-checkov.txt
