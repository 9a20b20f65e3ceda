"""Discovered as a submodule of ``<app>.repos``."""

from fetchplan_tests.discovery.declare import writer_plan

PLAN = writer_plan("discovery: app_with_package.repos.writers")
