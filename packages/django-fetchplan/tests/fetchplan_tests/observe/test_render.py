"""render_without_queries() renders in a no-query zone in DEBUG and tests, not in production."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db.models import FETCH_ONE
from django.test import RequestFactory, override_settings
from fetchplan.observe.render import render_without_queries
from fetchplan.observe.zones import QueriesForbidden

from bookstore.models import Book
from tests.repos.observe.factories import make_books

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "authors.html").write_text("{% for b in books %}{{ b.author.name }};{% endfor %}")
    (tmp_path / "titles.html").write_text("{% for b in books %}{{ b.title }};{% endfor %}")
    engine = {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]}
    with override_settings(TEMPLATES=[engine]):
        yield tmp_path


@pytest.mark.usefixtures("templates")
def test_template_that_queries_fails_under_tests() -> None:
    make_books(2)
    books = list(Book.objects.all().fetch_mode(FETCH_ONE))
    request = RequestFactory().get("/")
    with pytest.raises(QueriesForbidden, match=r"zone \(rendering authors.html\)"):
        render_without_queries(request, "authors.html", {"books": books})


@pytest.mark.usefixtures("templates")
def test_template_over_loaded_data_renders() -> None:
    make_books(2)
    books = list(Book.objects.all())
    response = render_without_queries(RequestFactory().get("/"), "titles.html", {"books": books})
    assert response.content.decode() == "Title b0;Title b1;"


@pytest.mark.usefixtures("templates")
@override_settings(FETCHPLAN_RENDER_WITHOUT_QUERIES=False)
def test_zone_can_be_turned_off_as_in_production() -> None:
    make_books(1)
    books = list(Book.objects.all().fetch_mode(FETCH_ONE))
    response = render_without_queries(RequestFactory().get("/"), "authors.html", {"books": books})
    assert response.content.decode() == "Author b0;"


@override_settings(DEBUG=False)
def test_production_default_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from fetchplan.observe import conf

    assert conf.render_without_queries_enabled()
    monkeypatch.setattr(conf, "under_tests", lambda: False)
    assert not conf.render_without_queries_enabled()
    with override_settings(DEBUG=True):
        assert conf.render_without_queries_enabled()
