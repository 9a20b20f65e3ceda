"""scripts/mariadb_ready.py lets the checkout's user create triggers (migration 0006) when the
server logs binary: the one setting ALL PRIVILEGES on its databases does not cover."""

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "mariadb_ready.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mariadb_ready", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeCursor:
    """Answers the variables query with ``(log_bin, trusted)`` and records every statement."""

    def __init__(self, log_bin: int, trusted: int) -> None:
        self.row = (log_bin, trusted)
        self.statements: list[str] = []

    def execute(self, sql: str) -> None:
        self.statements.append(sql)

    def fetchone(self) -> tuple[int, int]:
        return self.row


@pytest.mark.parametrize(
    ("log_bin", "trusted", "sets"), [(1, 0, True), (1, 1, False), (0, 0, False)]
)
def test_trigger_creation_is_allowed_only_where_binary_logging_needs_it(
    log_bin: int, trusted: int, sets: bool
) -> None:
    pytest.importorskip("MySQLdb")
    cursor = FakeCursor(log_bin, trusted)
    assert load()._allow_triggers(cursor) is sets
    setting = "SET GLOBAL log_bin_trust_function_creators = 1"
    assert (setting in cursor.statements) is sets
