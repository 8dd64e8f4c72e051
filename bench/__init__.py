"""Benchmarks: measured by hand, not timed tests."""
