"""Autodiscovery finds every installed app's ``repos`` module or package, and the modules
``FETCHPLAN_REPOS_MODULES`` names, so their plans are registered before the checks run."""

import pytest
from django.apps import AppConfig, apps
from django.test import override_settings
from fetchplan.discovery import autodiscover
from fetchplan.plan.registry import all_plans

APPS = "fetchplan_tests.discovery"
BASE_APPS = ["django.contrib.contenttypes", "fetchplan", "fetchplan_tests.testapp"]


def installed(*apps: str) -> override_settings:
    return override_settings(INSTALLED_APPS=[*BASE_APPS, *(f"{APPS}.{app}" for app in apps)])


def plan_names() -> set[str]:
    return {plan.name for plan in all_plans()}


def test_an_app_with_a_repos_module() -> None:
    with installed("app_with_module"):
        found = autodiscover()
    assert f"{APPS}.app_with_module.repos" in found
    assert "discovery: app_with_module.repos" in plan_names()


def test_an_app_with_a_repos_package_and_its_submodules() -> None:
    with installed("app_with_package"):
        found = autodiscover()
    package = f"{APPS}.app_with_package.repos"
    assert [name for name in found if name.startswith(package)] == [
        package,
        f"{package}.more",
        f"{package}.more.deeper",
        f"{package}.writers",
    ]
    assert {
        "discovery: app_with_package.repos.writers",
        "discovery: app_with_package.repos.more.deeper",
    } <= plan_names()


def test_an_app_without_repos_is_skipped_quietly() -> None:
    with installed("app_without_repos"):
        found = autodiscover()
    assert not [name for name in found if name.startswith(f"{APPS}.app_without_repos")]


def test_the_test_app_is_found_as_any_project_app() -> None:
    assert "fetchplan_tests.testapp.repos" in autodiscover()
    assert "writer card" in plan_names()


@override_settings(FETCHPLAN_REPOS_MODULES=[f"{APPS}.listed_repos"])
def test_modules_named_in_the_setting_are_imported() -> None:
    found = autodiscover()
    assert found[-1] == f"{APPS}.listed_repos"
    assert "discovery: listed_repos" in plan_names()


def test_an_import_error_inside_a_repos_module_is_raised_as_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Not through INSTALLED_APPS: the app registry would be left half-populated by the error.
    broken = AppConfig.create(f"{APPS}.app_with_broken_repos")
    monkeypatch.setattr(apps, "get_app_configs", lambda: [broken])
    with pytest.raises(ImportError, match="on purpose"):
        autodiscover()


@override_settings(FETCHPLAN_REPOS_MODULES=[f"{APPS}.no_such_module"])
def test_a_missing_module_named_in_the_setting_is_an_error() -> None:
    with pytest.raises(ModuleNotFoundError, match="no_such_module"):
        autodiscover()
