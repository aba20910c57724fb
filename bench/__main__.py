"""Run every benchmark module in this package (bench/*_bench.py), each in its own process,
since each one sets Django up against the database it needs: PostgreSQL (BENCH_PG, default
postgres://postgres@127.0.0.1:5432), the production database."""

import os
import pkgutil
import subprocess
import sys

import bench

server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
# report_bench makes (and drops) its own test database next to this name.
env = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", f"{server}/kp_report_bench")}
failed = 0
for module in sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.endswith("_bench")):
    print(f"== bench.{module}", flush=True)
    failed |= subprocess.call([sys.executable, "-m", f"bench.{module}"], env=env) != 0
sys.exit(1 if failed else 0)
