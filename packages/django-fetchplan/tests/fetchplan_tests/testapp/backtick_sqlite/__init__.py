"""A SQLite backend that quotes names with backticks, for tests that need a second database.

SQLite accepts backtick-quoted names, so queries run on it as on SQLite; SQL compiled for it
differs from SQL compiled for ``default`` (double quotes) on either test run, SQLite or
PostgreSQL. ``explain()`` must compile for the queryset's database: this makes it visible.
"""
