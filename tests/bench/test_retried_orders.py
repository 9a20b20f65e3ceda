"""The verdict of the retried-orders check of ``make load``'s fault phase (no server needed)."""

from bench.retried_orders import RetriedOrders


def outcome(answered: dict[str, int], rows: dict[str, tuple[int, int]]) -> RetriedOrders:
    return RetriedOrders(prefix="fault-1-", answered=answered, rows=rows)


def test_every_order_placed_once_with_its_line_is_exact() -> None:
    assert outcome({"k0": 201, "k1": 200}, {"k0": (1, 1), "k1": (1, 1)}).exact


def test_a_lost_order_is_not_exact() -> None:
    """Mutation caught: an order answered 201 whose row is missing (lost by a killed backend)."""
    assert not outcome({"k0": 201, "k1": 201}, {"k0": (1, 1)}).exact


def test_a_half_written_order_is_not_exact() -> None:
    """Mutation caught: an order row without its line (a partial write)."""
    assert not outcome({"k0": 201}, {"k0": (1, 0)}).exact


def test_an_order_placed_twice_is_not_exact() -> None:
    assert not outcome({"k0": 201}, {"k0": (2, 2)}).exact


def test_an_order_never_answered_2xx_is_not_exact() -> None:
    """A 500, or 503 after every try, fails the target even if nothing was written."""
    assert not outcome({"k0": 500}, {}).exact
    assert not outcome({"k0": 503}, {}).exact


def test_no_order_at_all_is_not_exact() -> None:
    assert not outcome({}, {}).exact
