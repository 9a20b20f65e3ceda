"""Build what the acceptance test needs: the library's wheel, clean virtualenvs, a new project.

Everything slow is cached under ``.cache/acceptance/`` in the library's folder (git-ignored):
downloaded wheels of Django and pydantic, and one virtualenv per Django version keyed by a
hash of the library's sources, so a rerun with unchanged sources reuses them.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[2]
PROJECT_FILES = Path(__file__).resolve().parent / "new-project"
CACHE = Path(os.environ.get("FETCHPLAN_ACCEPTANCE_CACHE", LIBRARY / ".cache" / "acceptance"))
PYDANTIC = "pydantic==2.14.4"
PSYCOPG = "psycopg[binary]==3.3.9"
TIMEOUT = 600

SETTINGS_TAIL = """
# Added by the acceptance test: the library and the app, and PostgreSQL when asked.
INSTALLED_APPS += ["fetchplan", "clinic"]
if os.environ.get("ACCEPTANCE_POSTGRES_DB"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ["ACCEPTANCE_POSTGRES_DB"],
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": "5432",
        }
    }
"""
WRONG_PLAN_AT_MODULE_LEVEL = """
# The report's wrongly typed plan, declared at module level, where autodiscovery registers it.
from clinic.dtos import WrongPetCard

WRONG_PET_CARD = Plan(Pet, WrongPetCard, name="wrong pet card")
"""
# The typo the library's README shows `manage.py check` catching.
TYPO = ('"owner_name": "owner__name"', '"owner_name": "owner__nme"')


@dataclass(frozen=True)
class Target:
    """One supported Django version and the Python it is tried with."""

    django: str
    python: str

    @property
    def name(self) -> str:
        return f"django{self.django.replace('.', '')[:2]}"


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Run a command; return its stdout; raise with its output when it fails."""
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def source_hash() -> str:
    """Return a hash of everything that goes into the wheel (sources, pyproject, README)."""
    digest = hashlib.sha256()
    files = sorted((LIBRARY / "src").rglob("*"))
    for path in [*files, LIBRARY / "pyproject.toml", LIBRARY / "README.md"]:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(LIBRARY)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_wheel(key: str) -> Path:
    """Return the library's wheel for sources hashed ``key``, building it when missing."""
    folder = CACHE / "wheels" / key
    wheels = sorted(folder.glob("django_fetchplan-*.whl"))
    if not wheels:
        shutil.rmtree(CACHE / "wheels", ignore_errors=True)
        run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", folder, LIBRARY)
        wheels = sorted(folder.glob("django_fetchplan-*.whl"))
    (wheel,) = wheels
    return wheel


def wheelhouse(python: Path, name: str, *requirements: str) -> Path:
    """Return a folder holding wheels of ``requirements`` and their dependencies, for the
    interpreter ``python`` (compiled wheels differ by Python version)."""
    folder = CACHE / "wheelhouse" / name
    stamp = folder / (hashlib.sha256(" ".join(requirements).encode()).hexdigest()[:16] + ".ok")
    if not stamp.exists():
        run(python, "-m", "pip", "download", "--quiet", "-d", folder, *requirements)
        stamp.touch()
    return folder


def virtualenv(target: Target, wheel: Path, key: str) -> Path:
    """Return a virtualenv with only Django, pydantic and the wheel (reused while ``key``
    holds); its Python is ``target.python``."""
    home = CACHE / "venvs" / f"{target.name}-{key}"
    python = home / "bin" / "python"
    if (home / ".ready").exists():
        return python
    for old in (CACHE / "venvs").glob(f"{target.name}-*"):
        shutil.rmtree(old)
    requirements = (f"Django=={target.django}", PYDANTIC)
    run(target.python, "-m", "venv", home)
    found = wheelhouse(python, target.name, *requirements)
    run(python, "-m", "pip", "install", "--quiet", "--no-index", "-f", found, *requirements, wheel)
    (home / ".ready").touch()
    return python


def postgres_driver(python: Path) -> Path:
    """Return a folder holding psycopg for ``python``, to put on PYTHONPATH for PostgreSQL runs
    (the virtualenv itself stays free of it)."""
    version = run(python, "-c", "import sys; print(f'{sys.version_info[0]}{sys.version_info[1]}')")
    folder = CACHE / "drivers" / f"py{version.strip()}"
    if not (folder / ".ready").exists():
        shutil.rmtree(folder, ignore_errors=True)
        run(python, "-m", "pip", "install", "--quiet", "--target", folder, PSYCOPG)
        (folder / ".ready").touch()
    return folder


def django_admin(python: Path) -> Path:
    """Return the ``django-admin`` script of the virtualenv of ``python``."""
    return python.parent / "django-admin"


def create_project(python: Path, folder: Path) -> Path:
    """Generate a new Django project with the ``clinic`` app in ``folder``; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    env = project_env(postgres_db=None, driver=None)
    run(django_admin(python), "startproject", "vetsite", ".", cwd=folder, env=env)
    run(python, "manage.py", "startapp", "clinic", cwd=folder, env=env)
    for name in ("models.py", "dtos.py", "repos.py", "reports.py", "services.py"):
        shutil.copy(PROJECT_FILES / "clinic" / name, folder / "clinic" / name)
    shutil.copy(PROJECT_FILES / "scenarios.py", folder / "scenarios.py")
    settings = folder / "vetsite" / "settings.py"
    settings.write_text("import os\n" + settings.read_text() + SETTINGS_TAIL)
    run(python, "manage.py", "makemigrations", "clinic", cwd=folder, env=env)
    return folder


def break_module_level_plans(project: Path) -> None:
    """Put the README's typo into the app's ``repos.py`` and append the wrongly typed plan."""
    repos = project / "clinic" / "repos.py"
    text = repos.read_text()
    assert TYPO[0] in text
    repos.write_text(text.replace(*TYPO) + WRONG_PLAN_AT_MODULE_LEVEL)


def project_env(*, postgres_db: str | None, driver: Path | None) -> dict[str, str]:
    """Return the environment the project's commands run in (no inherited Python paths)."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1"}
    if postgres_db is not None and driver is not None:
        env["ACCEPTANCE_POSTGRES_DB"] = postgres_db
        env["PYTHONPATH"] = str(driver)
    return env


def manage(
    python: Path, project: Path, *args: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py`` in ``project``; return the finished process (any exit status)."""
    return subprocess.run(
        [str(python), "manage.py", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
