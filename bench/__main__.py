"""Run every benchmark module in this package (bench/*_bench.py), one after the other."""

import importlib
import pkgutil

import bench

for module in sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.endswith("_bench")):
    print(f"== bench.{module}")
    importlib.import_module(f"bench.{module}").main([])
