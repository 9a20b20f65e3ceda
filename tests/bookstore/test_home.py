"""The home page lists recent books in one query."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from repos.books import list_recent_books

pytestmark = pytest.mark.django_db


def test_home_lists_recent_books(client: Client) -> None:
    call_command("seed", books=30, seed=1, verbosity=0)
    recent = list_recent_books(limit=12)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert len(recent) == 12
    for book in recent:
        assert book.title in body
    assert len(queries) == 1


def test_home_without_books_explains_how_to_seed(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "manage.py seed" in response.content.decode()
