"""The order of ``make load``'s fault phase: the backend killer stops before the rows are
counted (no server needed: the killer, the retried orders and wrk are stand-ins)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from bench import load_setups
from bench.retried_orders import RetriedOrders


def test_the_killer_stops_before_the_retried_orders_are_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Caught on the order it replaced: the killer terminated the counting connection
    (``AdminShutdown`` in a CI run's ``make load``)."""
    events: list[str] = []

    @contextmanager
    def killer(database_url: str, every: float) -> Iterator[list[int]]:
        events.append("killer starts")
        yield []
        events.append("killer stops")

    @contextmanager
    def retried(**_: Any) -> Iterator[RetriedOrders]:
        events.append("orders start")
        yield RetriedOrders(prefix="fault-1-")
        events.append("orders counted")

    monkeypatch.setattr(load_setups, "connection_killer", killer)
    monkeypatch.setattr(load_setups, "retried_orders", retried)
    monkeypatch.setattr(load_setups, "create_tokens", lambda env: ["token"])
    monkeypatch.setattr(load_setups, "top_up_stock", lambda url: None)
    monkeypatch.setattr(load_setups, "_wrk", lambda *args: events.append("wrk"))
    load_setups.fault_phase(
        env={}, database_url="postgres://x/y", port=1, ids=(1, 2), duration=1,
        kill_every=1.0, wrk_options={},
    )  # fmt: skip
    assert events.index("killer starts") < events.index("wrk") < events.index("killer stops")
    assert events.index("killer stops") < events.index("orders counted")
