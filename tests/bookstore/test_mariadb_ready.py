"""scripts/mariadb_ready.py lets the checkout's user create triggers (migration 0006) when the
server logs binary: the one setting ALL PRIVILEGES on its databases does not cover.

Beside the fake-cursor test of the decision, one test runs the script against a real server
with binary logging on: a throwaway MariaDB started in a temporary folder on a free port (as
the ``mysql`` system user, as Debian's package runs it). It runs in the MariaDB run of the
suite only (the one ``DATABASE_URL`` that is ``mysql://``), and is skipped where the server's
binaries or its system user are missing, unless ``REQUIRE_MARIADB=1``.
"""

import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import dj_database_url
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


@dataclass(frozen=True)
class Server:
    socket: str
    port: int

    def root(self) -> Any:
        return _driver().connect(user="root", unix_socket=self.socket)


def _driver() -> Any:
    """Return mysqlclient's module (it ships no type stubs), skipping where it is missing."""
    return pytest.importorskip("MySQLdb")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_MARIADB") == "1":
        pytest.fail(reason + " and REQUIRE_MARIADB=1")
    pytest.skip(reason)


@pytest.fixture
def binlog_server() -> Iterator[Server]:
    """A MariaDB server of its own, binary logging on, root over its socket; removed after."""
    if not os.environ.get("DATABASE_URL", "").startswith("mysql://"):
        pytest.skip("runs in the suite's MariaDB run only")
    mysqldb = _driver()
    install, server = shutil.which("mariadb-install-db"), shutil.which("mariadbd", path="/usr/sbin")
    if install is None or server is None:
        _unavailable("mariadb-install-db or mariadbd is not installed")
    try:
        pwd.getpwnam("mysql")
    except KeyError:
        _unavailable("no mysql system user to run a server as")
    folder = Path(tempfile.mkdtemp(prefix="mariadb-binlog-"))
    shutil.chown(folder, "mysql")
    data, sock, port = folder / "data", str(folder / "sock"), _free_port()
    subprocess.run(
        [str(install), "--user=mysql", f"--datadir={data}", "--skip-test-db",
         "--auth-root-authentication-method=socket"],
        check=True, capture_output=True,
    )  # fmt: skip
    process = subprocess.Popen(
        [str(server), "--no-defaults", "--user=mysql", f"--datadir={data}", f"--socket={sock}",
         f"--port={port}", "--bind-address=127.0.0.1", f"--log-bin={folder / 'binlog'}",
         "--server-id=1", f"--pid-file={folder / 'pid'}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        started = Server(sock, port)
        for _ in range(150):
            try:
                started.root().close()
                break
            except mysqldb.OperationalError:  # not up yet
                time.sleep(0.1)
        else:
            pytest.fail("the throwaway MariaDB server did not start in 15 s")
        yield started
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def _create_trigger(server: Server, url: str) -> None:
    """As the URL's user, make a table and a trigger on it in the URL's database."""
    config = dj_database_url.parse(url)
    connection = _driver().connect(
        host="127.0.0.1", port=server.port, user=config["USER"], password=config["PASSWORD"]
    )
    try:
        cursor = connection.cursor()
        assert config["NAME"] == "bookstore_binlog"  # the literal below: no formatted SQL
        cursor.execute("CREATE DATABASE IF NOT EXISTS bookstore_binlog")
        connection.select_db("bookstore_binlog")
        cursor.execute("CREATE TABLE IF NOT EXISTS t (n INT)")
        cursor.execute("DROP TRIGGER IF EXISTS t_insert")
        cursor.execute("CREATE TRIGGER t_insert BEFORE INSERT ON t FOR EACH ROW SET NEW.n = 1")
    finally:
        connection.close()


def _trusted(server: Server) -> int:
    connection = server.root()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT @@GLOBAL.log_bin_trust_function_creators")
        (trusted,) = cursor.fetchone()
        return int(trusted)
    finally:
        connection.close()


def _restart_setting(server: Server) -> None:
    """Turn the variable off again, as a server restart does."""
    connection = server.root()
    try:
        connection.cursor().execute("SET GLOBAL log_bin_trust_function_creators = 0")
    finally:
        connection.close()


def test_the_user_creates_triggers_on_a_binary_logging_server_new_or_existing(
    binlog_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MARIADB_SOCKET", binlog_server.socket)
    url = f"mysql://fetchplan_binlog:secret@127.0.0.1:{binlog_server.port}/bookstore_binlog"
    script = load()
    assert _trusted(binlog_server) == 0
    assert script.main(url) == 0  # creates the user
    assert _trusted(binlog_server) == 1
    _create_trigger(binlog_server, url)

    _restart_setting(binlog_server)
    with pytest.raises(_driver().OperationalError) as refused:
        _create_trigger(binlog_server, url)  # what migration 0006 would meet
    assert refused.value.args[0] == 1419  # "You do not have the SUPER privilege and binary..."
    assert script.main(url) == 0  # the user exists: the setting is restored all the same
    assert _trusted(binlog_server) == 1
    _create_trigger(binlog_server, url)
