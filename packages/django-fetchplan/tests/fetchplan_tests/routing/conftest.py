"""The ``replica`` fixture: a real streaming replica of the test database's cluster.

Session-scoped: it starts after the test database exists on the primary (so the base backup
holds it), points the ``replica`` alias at the new server, and stops the server at the end.
Where it cannot run (SQLite, replication refused) its tests are skipped, unless
``REQUIRE_REPLICA=1`` (``make test`` sets it with ``REQUIRE_POSTGRES=1``), which fails them.
"""

import os
from collections.abc import Iterator

import pytest
from django.db import connections
from pytest_django import DjangoDbBlocker

from fetchplan_tests.routing.replica_server import ReplicaUnavailable, start_replica


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_REPLICA") == "1":
        pytest.fail(f"REQUIRE_REPLICA=1 but no replica: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def replica(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """Start the replica; yield its alias, ``"replica"``."""
    if "replica" not in connections.settings:
        _unavailable("the replica tests need PostgreSQL (DATABASE_URL=postgres://...)")
    primary = connections["default"].settings_dict
    try:
        server = start_replica(primary)
    except ReplicaUnavailable as error:
        _unavailable(str(error))
        raise
    replica = connections["replica"]
    replica.close()
    replica.settings_dict.update(HOST="127.0.0.1", PORT=str(server.port))
    try:
        yield "replica"
    finally:
        with django_db_blocker.unblock():
            replica.close()
        server.stop()
