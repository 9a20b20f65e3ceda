"""Outside any app: found because FETCHPLAN_REPOS_MODULES names it."""

from fetchplan_tests.discovery.declare import writer_plan

PLAN = writer_plan("discovery: listed_repos")
