"""Deterministic demo and benchmark data for the bookstore (``manage.py seed``)."""
