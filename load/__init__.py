"""Load run: `make load` (python -m load). See load/run.py."""
