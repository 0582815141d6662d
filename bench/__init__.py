"""Load benchmark of the court backend: `python -m bench` (see bench/README.md)."""
