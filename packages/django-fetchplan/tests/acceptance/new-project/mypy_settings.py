"""Settings for type-checking the acceptance project's files (not copied into the project)."""

SECRET_KEY = "type-checking-only"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "fetchplan", "clinic"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
