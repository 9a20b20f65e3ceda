"""What a run measures: sizes and repetitions of the full run and of ``--quick``.

The full run is sized to finish in under 20 minutes on the project's 2-core machine once the
fixture databases exist (kept in ``bench/.data/`` and in ``bench_*`` PostgreSQL databases; a
first run seeds them all at once, which adds 3 to 4 minutes), even with other engineers'
tests sharing the cores. A run with two rounds at 100,000 books and page warm-ups on every id
took 24 minutes at a load average of 4; one round at 100,000 books (where no target is judged)
and warm-ups on 100 ids take about 5 minutes off that, estimated from that run's pass times.
MariaDB, when it answers, adds scenarios 1 and 4 on top: how long the full run then takes was
not measured (``python -m bench.targets`` and ``bench.export_targets`` on MariaDB alone took
2.6 and 2 minutes with their own sizes and rounds, fixtures reused).
"""

from dataclasses import dataclass

VARIANT_LABELS = {
    "floor": "raw SQL `fetchall()` (floor)",
    "plan_sql": "the plan's own SQL, `fetchall()`",
    "naive": "naive Django (N+1)",
    "hand_tuned": "hand-tuned Django",
    "readers": "django-readers",
    "layer": "layer: values + pydantic",
    "layer_tuple": "layer: values + NamedTuple",
    "layer_instances": "layer: instances strategy",
}
EXPORT_LABELS = {
    "list_instances": "`list()` of model instances",
    "iterator": "`iterator()` model instances",
    "values_list_iterator": "`values_list().iterator()`",
    "layer_stream": "layer `stream()`, pydantic",
    "layer_stream_tuple": "layer `stream()`, NamedTuple",
    "raw_cursor": "raw cursor `fetchmany` (server-side on PostgreSQL)",
    "layer_copy": "layer `export_csv()`: `COPY` on PostgreSQL (stream() + CSV rules elsewhere)",
    "pg_copy": "PostgreSQL `COPY TO STDOUT` (reference)",
}
LAYER_VARIANTS = ("layer", "layer_tuple", "layer_instances")
BACKENDS = ("sqlite", "postgresql", "mariadb")
MARIADB_SCENARIOS = ("list", "export")
"""What runs on MariaDB: scenario 1 (list) and 4 (export); 2, 3 and 6 stay SQLite/PostgreSQL."""


def scenarios_on(backend: str, scenarios: list[str]) -> list[str]:
    """Return which of ``scenarios`` run on ``backend``."""
    if backend == "mariadb":
        return [s for s in scenarios if s in MARIADB_SCENARIOS]
    return list(scenarios)


@dataclass(frozen=True)
class Profile:
    """Sizes and repetitions of one kind of run."""

    name: str
    books: int
    """Books in the seeded fixture of scenarios 1-3."""
    list_sizes: tuple[int, ...]
    list_repetitions: dict[int, int]
    list_check_max: int
    """Above this size, scenario 1 skips the warm-up (records were checked at smaller sizes)."""
    detail_ids: int
    author_ids: int
    page_repetitions: int
    export_rows: tuple[int, ...]
    export_repetitions: int

    @property
    def export_books(self) -> int:
        """Books in the export fixture (the largest export size)."""
        return max(self.export_rows)


FULL = Profile(
    name="full",
    books=100_000,
    list_sizes=(100, 1_000, 10_000, 100_000),
    list_repetitions={100: 7, 1_000: 4, 10_000: 5, 100_000: 1},
    list_check_max=10_000,
    detail_ids=1_000,
    author_ids=500,
    page_repetitions=2,
    export_rows=(100_000, 1_000_000),
    export_repetitions=1,
)

QUICK = Profile(
    name="quick",
    books=2_000,
    list_sizes=(100, 1_000),
    list_repetitions={100: 3, 1_000: 2},
    list_check_max=1_000,
    detail_ids=50,
    author_ids=30,
    page_repetitions=2,
    export_rows=(2_000, 20_000),
    export_repetitions=1,
)
