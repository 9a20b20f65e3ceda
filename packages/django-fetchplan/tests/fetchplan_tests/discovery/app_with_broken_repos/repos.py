"""Fails on import: autodiscovery must let the app's own error through."""

raise ImportError("app_with_broken_repos.repos is broken on purpose")
