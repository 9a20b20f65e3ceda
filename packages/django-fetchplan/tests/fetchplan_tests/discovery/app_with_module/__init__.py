"""An app whose repository module is ``repos.py``."""
