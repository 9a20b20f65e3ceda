"""Business rules as plain functions over DTOs: they import no model and never query.

Tests run each of them inside ``no_queries()``; ``tests/bookstore/services/test_imports.py``
fails if a module here (or in ``dtos/``) imports ``bookstore.models`` or ``django.db``.
"""
