"""The public surface: ``from fetchplan import ...`` offers exactly what ``__all__`` lists, and
the library imports without Django where it promises to, and without any host-side patch."""

import importlib
import subprocess
import sys
import textwrap

import fetchplan
import pytest

# The names issue 10 promises (the public API); __all__ may hold more, never fewer.
PROMISED = {
    "Plan", "One", "Many", "Strategy", "fetch_all", "fetch_one", "fetch_first", "stream",
    "count", "exists", "explain", "NotFound", "MultipleFound", "PlanError", "DTO", "NotLoaded",
    "RelationNotLoaded", "is_loaded", "require",
}  # fmt: skip


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter (nothing imported yet); return the finished process."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_all_matches_the_lazy_export_table() -> None:
    assert sorted(fetchplan.__all__) == sorted(fetchplan._EXPORTS)
    assert set(fetchplan.__all__) >= PROMISED


@pytest.mark.parametrize("name", sorted(fetchplan._EXPORTS))
def test_every_public_name_imports_from_its_module(name: str) -> None:
    value = getattr(fetchplan, name)
    module = importlib.import_module(fetchplan._EXPORTS[name])
    assert value is getattr(module, name)
    assert name in dir(fetchplan)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Plann'"):
        fetchplan.Plann  # noqa: B018


def test_importing_the_dto_base_imports_no_django() -> None:
    result = run_python(
        "import fetchplan.dto, sys; "
        "assert not any(m.startswith('django') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('django'))"
    )
    assert result.returncode == 0, result.stderr


def test_the_package_and_its_dto_names_import_without_django() -> None:
    result = run_python(
        """
        import sys
        from fetchplan import DTO, NotLoaded, RelationNotLoaded, is_loaded, require
        imported = sorted(m for m in sys.modules if m.startswith("django"))
        assert not imported, imported
        """
    )
    assert result.returncode == 0, result.stderr


def test_every_module_imports_without_django_stubs_ext() -> None:
    # A project that never calls django_stubs_ext.monkeypatch(): generic Django classes
    # (models.Field, Prefetch, ...) are not subscriptable at runtime there.
    result = run_python(
        """
        import importlib, pkgutil, sys
        import django
        from django.conf import settings
        from django.db import models

        settings.configure(
            INSTALLED_APPS=["django.contrib.contenttypes", "fetchplan"],
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        )
        django.setup()
        import fetchplan

        names = [info.name for info in pkgutil.walk_packages(fetchplan.__path__, "fetchplan.")]
        # fetchplan.mypy is mypy's plugin: mypy imports it, with django-stubs, when it checks
        # types; a project never imports it at run time (and may have no mypy installed).
        names = [name for name in names if not name.startswith("fetchplan.mypy")]
        for name in names:
            importlib.import_module(name)
        assert "fetchplan.plan.run" in names and "fetchplan.observe.callsite" in names
        assert "django_stubs_ext" not in sys.modules
        assert not hasattr(models.Field, "__class_getitem__")
        """
    )
    assert result.returncode == 0, result.stderr
