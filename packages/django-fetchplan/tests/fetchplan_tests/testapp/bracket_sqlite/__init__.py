"""A SQLite backend that quotes names in square brackets, for tests that need a second database.

SQLite accepts bracket-quoted names, so queries run on it as on SQLite; SQL compiled for it
differs from SQL compiled for ``default`` on every test run (SQLite and PostgreSQL quote with
double quotes, MySQL/MariaDB with backticks). ``explain()`` must compile for the queryset's
database: this makes it visible.
"""
