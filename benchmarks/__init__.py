"""Reproducible measurements; results go to benchmarks/RESULTS.md."""
