"""Run order workers in threads, each with its own database connection."""

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import OperationalError, connection

from dtos.writes import OrderInput, OrderLineInput
from repos.orders import place_order
from repos.write_errors import OutOfStock


@dataclass
class Tally:
    """What the workers of one round saw, by outcome; ``unexpected`` holds any other error."""

    outcomes: Counter[str] = field(default_factory=Counter)
    unexpected: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: str) -> None:
        """Count one outcome."""
        with self.lock:
            self.outcomes[outcome] += 1


def one_unit(*, customer_id: int, book_id: int) -> OrderInput:
    """Return an order of one copy of one book."""
    return OrderInput(customer_id=customer_id, lines=(OrderLineInput(book_id=book_id, quantity=1),))


def run_workers(*, workers: int, target: Callable[[Tally], None]) -> Tally:
    """Start ``workers`` threads at once on ``target``; return their tally when all are done.

    Each thread has its own connection (Django's are per thread) and closes it at the end, so
    the test database can be dropped afterwards.
    """
    tally = Tally()
    start = threading.Barrier(workers)

    def run() -> None:
        try:
            start.wait()
            target(tally)
        except BaseException as error:
            with tally.lock:
                tally.unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return tally


def order_loop(*, order: OrderInput, placed_by: int, count: int) -> Callable[[Tally], None]:
    """Return a worker that places ``order`` ``count`` times, counting the outcomes.

    Outcomes: ``placed``, ``out_of_stock``, and ``locked`` (SQLite's "database is locked").
    """

    def work(tally: Tally) -> None:
        for _ in range(count):
            try:
                place_order(order=order, placed_by=placed_by)
            except OutOfStock:
                tally.add("out_of_stock")
            except OperationalError as error:
                if "locked" not in str(error):
                    raise
                tally.add("locked")
            else:
                tally.add("placed")

    return work
