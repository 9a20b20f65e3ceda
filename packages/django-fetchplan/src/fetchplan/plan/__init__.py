"""The fetch-plan engine: declare what a DTO needs, run it in a fixed number of queries.

Import the public names from :mod:`fetchplan`; this package holds the engine's modules.
"""
