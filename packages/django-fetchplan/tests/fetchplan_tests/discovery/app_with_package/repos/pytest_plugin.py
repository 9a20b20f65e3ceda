"""A pytest plugin beside repository modules needs a test runner to import: never discovered."""

raise AssertionError("autodiscovery must not import pytest plugin modules")
