"""The benchmark scenarios: each module builds the variants of one scenario.

A variant is a function from the scenario's argument (a size bound, a list of ids) to its
output, plus an untimed function that turns that output into plain records, so the harness
can check that every variant returned the same data.
"""
