"""Without a usable replica, routing changes nothing: one database, no error."""

import logging
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connections
from django.test import override_settings
from fetchplan import fetch_all
from fetchplan.observe import record_queries
from fetchplan.routing import ReplicaRouter, read_alias, write_scope

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.models import Writer

pytestmark = pytest.mark.django_db


def plan_read_aliases() -> set[str]:
    with write_scope(), record_queries(call_sites=False) as recorded:
        fetch_all(plans.WRITER_REF, Writer.objects.all())
    return {record.alias for record in recorded.records}


def test_no_replica_configured_reads_the_primary() -> None:
    assert read_alias(Writer) is None
    assert plan_read_aliases() == {"default"}


@override_settings(FETCHPLAN_READ_REPLICAS=["nowhere"])
def test_a_replica_missing_from_databases_is_ignored() -> None:
    with write_scope():
        assert read_alias(Writer) is None
    assert plan_read_aliases() == {"default"}


def test_the_router_sends_writes_to_the_primary_and_never_migrates_a_replica() -> None:
    router = ReplicaRouter()
    with override_settings(FETCHPLAN_READ_REPLICAS=["default"]):
        assert router.allow_migrate("default", "testapp") is False
    assert router.allow_migrate("default", "testapp") is None
    with write_scope():
        assert router.db_for_write(Writer) == "default"
        assert read_alias(Writer) is None  # pinned by the write


class WritersElsewhere:
    """A project's own router: writers live on the "other" database."""

    def db_for_read(self, model: type[Writer], **hints: object) -> str | None:
        return "other" if model is Writer else None


@pytest.mark.django_db(databases=["default", "other"])
@override_settings(
    FETCHPLAN_READ_REPLICAS=["other"],
    DATABASE_ROUTERS=[WritersElsewhere(), "fetchplan.routing.ReplicaRouter"],
)
def test_models_another_router_places_elsewhere_are_left_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fetchplan_tests.testapp.models import Country

    # Outside the test's transaction (inside one, every plan read stays on the primary).
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    with write_scope():
        assert read_alias(Writer) is None  # routed to "other" by the project: not a replica read
        assert read_alias(Country) == "other"  # the primary's model: read on the replica
    elsewhere = Writer(name="x")
    elsewhere._state.db = "nowhere"
    assert ReplicaRouter().db_for_write(Writer, instance=elsewhere) is None


@pytest.fixture
def unreachable_replica() -> Iterator[None]:
    replica = connections["replica"]
    saved = dict(replica.settings_dict)
    replica.close()
    replica.settings_dict.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
    try:
        yield
    finally:
        replica.close()
        replica.settings_dict.clear()
        replica.settings_dict.update(saved)
        from fetchplan import routing

        routing._down_until.clear()


# transaction=True: inside the test's transaction every plan read stays on the primary.
@pytest.mark.skipif("replica" not in settings.DATABASES, reason="PostgreSQL runs have a replica")
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@override_settings(FETCHPLAN_READ_REPLICAS=["replica"])
def test_an_unreachable_replica_is_skipped_with_a_warning(
    unreachable_replica: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="fetchplan.routing"):
        assert plan_read_aliases() == {"default"}
        assert plan_read_aliases() == {"default"}  # skipped for a while, not retried each time
    warnings = [r for r in caplog.records if r.name == "fetchplan.routing"]
    assert len(warnings) == 1
    assert "'replica' is unreachable" in warnings[0].getMessage()
