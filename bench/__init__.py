"""Benchmarks: measured side by side, reported as ratios (see docs/performance.md)."""
