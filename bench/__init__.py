"""Benchmarks: `make bench` (python -m bench) runs every bench/*_bench.py; each also runs alone
(`python -m bench.national_bench`, `python -m bench.report_bench`)."""
