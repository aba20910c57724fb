"""Run every benchmark module in this package (bench/*_bench.py), each in its own process,
since each one sets Django up against the database it needs."""

import pkgutil
import subprocess
import sys

import bench

failed = 0
for module in sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.endswith("_bench")):
    print(f"== bench.{module}", flush=True)
    failed |= subprocess.call([sys.executable, "-m", f"bench.{module}"]) != 0
sys.exit(1 if failed else 0)
