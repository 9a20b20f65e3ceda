"""The test suite of django-fetchplan: its own test models, settings and tests."""
