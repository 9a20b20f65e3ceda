"""Benchmarks: measured side by side, reported as ratios (see README, Performance)."""
