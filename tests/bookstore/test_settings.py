"""The bookstore wires the library in: its app, its middleware first, its plans discovered."""

from typing import Any

from django.conf import settings
from fetchplan.discovery import autodiscover


def test_the_query_middleware_is_first() -> None:
    assert settings.MIDDLEWARE[0] == "fetchplan.observe.middleware.QueryMiddleware"


def test_the_repos_package_and_its_modules_are_discovered() -> None:
    assert "fetchplan" in settings.INSTALLED_APPS
    assert settings.FETCHPLAN_REPOS_MODULES == ["repos"]
    assert {"repos", "repos.books", "repos.authors"} <= set(autodiscover())


READ_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({"replicas": settings.FETCHPLAN_READ_REPLICAS,
                  "databases": {k: v.get("PORT") for k, v in settings.DATABASES.items()},
                  "mirror": settings.DATABASES.get("replica1", {}).get("TEST"),
                  "routers": settings.DATABASE_ROUTERS}))
"""


def _settings_with(env: dict[str, str]) -> dict[str, Any]:
    import json
    import os
    import subprocess
    import sys

    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "bookstore.settings", "DEBUG": "1", **env}
    done = subprocess.run([sys.executable, "-c", READ_SETTINGS], env=full, capture_output=True,
                          text=True, check=True, timeout=60)  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_replicas_are_opt_in_with_database_replica_urls() -> None:
    none = _settings_with({"DATABASE_REPLICA_URLS": ""})
    assert none["replicas"] == []
    assert list(none["databases"]) == ["default"]
    two = _settings_with({
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/shop",
        "DATABASE_REPLICA_URLS": "postgres://postgres@127.0.0.1:5433/shop,"
                                 "postgres://postgres@127.0.0.1:5434/shop",
    })  # fmt: skip
    assert two["replicas"] == ["replica1", "replica2"]
    assert two["databases"] == {"default": 5432, "replica1": 5433, "replica2": 5434}
    assert two["mirror"] == {"MIRROR": "default"}
    assert two["routers"] == ["fetchplan.routing.ReplicaRouter"]


def test_the_read_your_writes_middleware_is_installed() -> None:
    assert "fetchplan.routing.ReadYourWritesMiddleware" in settings.MIDDLEWARE
