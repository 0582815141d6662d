#!/usr/bin/env bash
# Benchmark the court backend on SQLite and PostgreSQL: bench/run.sh [--duration 10] [--backends sqlite,postgresql] …
# Runs `python -m bench` with the backend's own virtualenv (.venv-court) from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${COURT_PYTHON:-.venv-court/bin/python}"
exec "$PY" -m bench "$@"
