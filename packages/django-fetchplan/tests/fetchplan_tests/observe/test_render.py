"""render_without_queries() renders in a no-query zone in DEBUG and tests, not in production."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings
from fetchplan.observe.render import render_without_queries
from fetchplan.observe.zones import QueriesForbidden

from fetchplan_tests.compat import lazy
from fetchplan_tests.observe.factories import make_novels
from fetchplan_tests.testapp.models import Novel

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "writers.html").write_text("{% for n in novels %}{{ n.writer.name }};{% endfor %}")
    (tmp_path / "titles.html").write_text("{% for n in novels %}{{ n.title }};{% endfor %}")
    engine = {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]}
    with override_settings(TEMPLATES=[engine]):
        yield tmp_path


@pytest.mark.usefixtures("templates")
def test_template_that_queries_fails_under_tests() -> None:
    make_novels(2)
    novels = list(lazy(Novel.objects.all()))
    request = RequestFactory().get("/")
    with pytest.raises(QueriesForbidden, match=r"zone \(rendering writers.html\)"):
        render_without_queries(request, "writers.html", {"novels": novels})


@pytest.mark.usefixtures("templates")
def test_template_over_loaded_data_renders() -> None:
    make_novels(2)
    novels = list(Novel.objects.all())
    response = render_without_queries(RequestFactory().get("/"), "titles.html", {"novels": novels})
    assert response.content.decode() == "Title b0;Title b1;"


@pytest.mark.usefixtures("templates")
@override_settings(FETCHPLAN_RENDER_WITHOUT_QUERIES=False)
def test_zone_can_be_turned_off_as_in_production() -> None:
    make_novels(1)
    novels = list(lazy(Novel.objects.all()))
    response = render_without_queries(RequestFactory().get("/"), "writers.html", {"novels": novels})
    assert response.content.decode() == "Writer b0;"


@override_settings(DEBUG=False)
def test_production_default_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from fetchplan.observe import conf

    assert conf.render_without_queries_enabled()
    monkeypatch.setattr(conf, "under_tests", lambda: False)
    assert not conf.render_without_queries_enabled()
    with override_settings(DEBUG=True):
        assert conf.render_without_queries_enabled()
