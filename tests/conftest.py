"""Shared pytest configuration."""

# The fetchplan fixtures load through the library's pytest11 entry point.
