"""Make the MariaDB/MySQL user of a database URL exist, then exit 0 if it can connect, else 1.

``make test`` runs the suites on MariaDB as a user of their own, one per checkout, so two
checkouts on one machine never share a database or a user. This script, given the URL the
suite will use (``mysql://fetchplan_<id>:<password>@127.0.0.1:3306/bookstore_<id>``):

1. connects as that user;
2. if it cannot, connects as the administrator (``MARIADB_ADMIN_USER``, default ``root``, over the
   local socket: Debian's MariaDB lets the system's root in without a password) and creates the
   user, for ``localhost`` and ``127.0.0.1``, with every privilege on the databases whose name
   ends in ``_<id>`` (the URL's database, the test runner's ``test_<name>``, the library's);
   then connects as the user again;
3. reads, as the user, whether binary logging stops it creating triggers (below), and if so
   lets it, as the administrator; then exits 0.

The user creates triggers (migration 0006 keeps each tag's book count with them): ALL
PRIVILEGES on the databases includes TRIGGER. With binary logging on, MariaDB/MySQL also
require SUPER for CREATE TRIGGER unless ``log_bin_trust_function_creators`` is on. Step 3
runs whether the user was just made or existed already: the variable is a global setting that
a server restart turns off again, and the next run turns it back on.

Everything it prints goes to stderr; exit 1 means the server is unreachable or the setup failed.
"""

import os
import sys
from typing import Any

import dj_database_url
import MySQLdb

CONNECT_TIMEOUT = 3
TRIGGER_VARIABLES = "SELECT @@GLOBAL.log_bin, @@GLOBAL.log_bin_trust_function_creators"


def _triggers_blocked(config: dict[str, object]) -> bool:
    """Connect as the URL's user; return True if binary logging stops it creating triggers.

    Raises ``MySQLdb.OperationalError`` when the user cannot connect.
    """
    connection = MySQLdb.connect(
        host=str(config.get("HOST") or "127.0.0.1"),
        port=int(str(config.get("PORT") or 3306)),
        user=str(config["USER"]),
        password=str(config.get("PASSWORD") or ""),
        connect_timeout=CONNECT_TIMEOUT,
    )
    try:
        cursor = connection.cursor()
        cursor.execute(TRIGGER_VARIABLES)
        log_bin, trusted = cursor.fetchone()
        return bool(log_bin) and not trusted
    finally:
        connection.close()


def _admin() -> Any:
    """Connect as the administrator, over the local socket."""
    return MySQLdb.connect(
        user=os.environ.get("MARIADB_ADMIN_USER", "root"),
        unix_socket=os.environ.get("MARIADB_SOCKET", "/run/mysqld/mysqld.sock"),
        connect_timeout=CONNECT_TIMEOUT,
    )


def _suffix(database: str) -> str:
    """Return ``_<id>``: what every database of this checkout ends with."""
    if "_" not in database:
        raise ValueError(f"database name {database!r} has no _<checkout id> suffix")
    return "_" + database.rsplit("_", 1)[1]


def _grant_on(database_pattern: str) -> str:
    """Return the GRANT statement on ``database_pattern``, quoted as an identifier.

    Identifiers cannot be parameters; the pattern's backticks are doubled (quoting) and its %
    too (the driver formats the statement's parameters with %).
    """
    quoted = "`" + database_pattern.replace("`", "``").replace("%", "%%") + "`"
    return "GRANT ALL PRIVILEGES ON " + quoted + ".* TO %s@%s"


def _allow_triggers(cursor: Any) -> bool:
    """Let users without SUPER create triggers when binary logging is on; return True if set."""
    cursor.execute(TRIGGER_VARIABLES)
    log_bin, trusted = cursor.fetchone()
    if not log_bin or trusted:
        return False
    cursor.execute("SET GLOBAL log_bin_trust_function_creators = 1")
    print("MariaDB: binary logging is on: set log_bin_trust_function_creators = 1", file=sys.stderr)
    return True


def _create_user(config: dict[str, object]) -> None:
    user, password = str(config["USER"]), str(config.get("PASSWORD") or "")
    # In a GRANT, _ and % in a database name are wildcards: \_ is a literal underscore.
    pattern = "%" + _suffix(str(config["NAME"])).replace("_", "\\_")
    admin = _admin()
    try:
        cursor = admin.cursor()
        for host in ("localhost", "127.0.0.1"):
            account = (user, host, password)
            cursor.execute("CREATE USER IF NOT EXISTS %s@%s IDENTIFIED BY %s", account)
            cursor.execute("ALTER USER %s@%s IDENTIFIED BY %s", account)
            cursor.execute(_grant_on(pattern), (user, host))
    finally:
        admin.close()


def _allow_triggers_as_admin() -> None:
    admin = _admin()
    try:
        _allow_triggers(admin.cursor())
    finally:
        admin.close()


def main(url: str) -> int:
    config = dict(dj_database_url.parse(url))
    try:
        try:
            blocked = _triggers_blocked(config)
        except MySQLdb.OperationalError:
            _create_user(config)
            blocked = _triggers_blocked(config)
            print(
                f"MariaDB: created user {config['USER']} for this checkout's databases",
                file=sys.stderr,
            )
    except (MySQLdb.Error, ValueError) as exc:
        print(f"MariaDB not reachable or not set up: {exc}".strip(), file=sys.stderr)
        return 1
    if blocked:
        try:
            _allow_triggers_as_admin()
        except MySQLdb.Error as exc:
            print(
                f"MariaDB: binary logging is on and {config['USER']} cannot create triggers "
                f"(log_bin_trust_function_creators could not be set: {exc})",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
