"""Exit 0 if the PostgreSQL server named by a database URL accepts connections, else 1.

The database in the URL need not exist (the test runner creates ``test_<name>``), so the
check connects to the server's ``postgres`` maintenance database instead.
"""

import sys

import dj_database_url
import psycopg


def main(url: str) -> int:
    config = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=3,
        ):
            return 0
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable: {exc}".strip(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
