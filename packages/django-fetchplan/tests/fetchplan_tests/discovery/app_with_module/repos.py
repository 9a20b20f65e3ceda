"""Discovered as ``<app>.repos``."""

from fetchplan_tests.discovery.declare import writer_plan

PLAN = writer_plan("discovery: app_with_module.repos")
