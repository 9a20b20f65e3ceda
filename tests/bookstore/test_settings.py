"""The bookstore wires the library in: its app, its middleware first, its plans discovered."""

from django.conf import settings
from fetchplan.discovery import autodiscover


def test_the_query_middleware_is_first() -> None:
    assert settings.MIDDLEWARE[0] == "fetchplan.observe.middleware.QueryMiddleware"


def test_the_repos_package_and_its_modules_are_discovered() -> None:
    assert "fetchplan" in settings.INSTALLED_APPS
    assert settings.FETCHPLAN_REPOS_MODULES == ["repos"]
    assert {"repos", "repos.books", "repos.authors"} <= set(autodiscover())
