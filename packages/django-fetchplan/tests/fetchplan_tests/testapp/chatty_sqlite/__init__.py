"""A SQLite backend that runs statements of its own while connecting, as MySQL's backend does.

Django's MySQL/MariaDB backend asks the server for its version and settings and sets the
isolation level through Django's cursor on each new connection, and some of it only when first
needed (cached properties). SQLite and PostgreSQL run none of that through the cursor, so this
backend makes the observe tools' handling of setup statements testable on every test run.
"""
