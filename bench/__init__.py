"""Benchmarks: `python -m bench` runs every bench/*_bench.py; each also runs alone (`python -m bench.<name>`)."""
