"""Start a real PostgreSQL streaming replica of the local cluster, for the routing tests.

``pg_basebackup`` copies the primary (the server ``DATABASE_URL`` names) into a temporary
folder, with ``-R`` (the standby settings: ``standby.signal`` and ``primary_conninfo``); a
second server then runs there on a free port, as the ``postgres`` user (``runuser`` when this
process is root), and streams the primary's WAL. ``stop()`` stops it and deletes the folder.

The primary must accept replication connections from 127.0.0.1 (a ``replication`` entry in
``pg_hba.conf``): ``scripts/pg-allow-replication`` adds it, and ``.ci/run`` runs that script.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STARTUP_SECONDS = 60


class ReplicaUnavailable(Exception):
    """The replica could not be started; the message says why."""


@dataclass
class ReplicaServer:
    """A running replica: where it listens, and how to stop it."""

    folder: Path
    port: int
    bindir: Path

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its folder."""
        try:
            _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m",
                          "fast", "-w", "stop"], check=False)  # fmt: skip
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _bindir() -> Path:
    output = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
    return Path(output.stdout.strip())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres(command: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if check and result.returncode != 0:
        raise ReplicaUnavailable(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return result


def start_replica(primary: dict[str, Any]) -> ReplicaServer:
    """Start a streaming replica of the server in ``primary`` (a Django database settings dict).

    Raises ``ReplicaUnavailable`` if a step fails (no PostgreSQL binaries, replication
    refused by ``pg_hba.conf``, the server not starting).
    """
    bindir = _bindir()
    folder = Path(tempfile.mkdtemp(prefix="fetchplan-replica-"))
    data = folder / "data"
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(folder, postgres.pw_uid, postgres.pw_gid)
    server = ReplicaServer(folder=folder, port=_free_port(), bindir=bindir)
    try:
        host, port = primary.get("HOST") or "127.0.0.1", str(primary.get("PORT") or 5432)
        _as_postgres([str(bindir / "pg_basebackup"), "-h", host, "-p", port,
                      "-U", primary.get("USER") or "postgres",
                      "-D", str(data), "-X", "stream", "-R", "-c", "fast"])  # fmt: skip
        (data / "postgresql.conf").write_text(
            f"port = {server.port}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{folder}'\n"
            "hot_standby = on\n"
            "hot_standby_feedback = on\n"
            "fsync = off\n"
            "shared_buffers = 32MB\n"
        )
        (data / "pg_ident.conf").write_text("")
        (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"),
                      "-w", "-t", str(STARTUP_SECONDS), "start"])  # fmt: skip
    except ReplicaUnavailable as error:
        log = folder / "log"
        tail = log.read_text()[-2000:] if log.exists() else ""
        server.stop()
        raise ReplicaUnavailable(f"{error}\n{tail}") from None
    except BaseException:
        server.stop()
        raise
    return server


def wait_until(condition: Any, *, seconds: float = 30.0, what: str = "the replica") -> None:
    """Call ``condition()`` until it is true; raise AssertionError after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not catch up within {seconds} s")
        time.sleep(0.05)
