"""Benchmarks on national data: `make bench` (python -m bench). See bench/national_bench.py."""
