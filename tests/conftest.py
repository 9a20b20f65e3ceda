"""Shared pytest configuration."""

pytest_plugins = ["repos.observe.pytest_plugin"]
