"""``make load`` on another commit and on this checkout, alternately: req/s side by side.

Usage (``scripts/load-back-to-back`` runs this)::

    python -m bench.back_to_back COMMIT [ROUNDS] [--load-args "..."] [--workdir DIR]

COMMIT (any name git resolves in this repository) is exported with ``git archive`` into a
throwaway directory outside the repository (``--workdir``, default
``/tmp/load-back-to-back-<sha>``): a plain copy, no git metadata shared with this repository.
Its own virtualenv comes from its own Makefile (``make venv``), and every database it makes
carries its own ``CHECKOUT_ID`` (the Makefile computes it from the path), so neither side ever
uses the other's database. Then ``make load LOAD_ARGS=...`` runs ROUNDS times on each side,
alternating old, new, old, new, with the same ``--load-args`` on both, plus the options of
``--only-if-supported`` on each side whose load tool has them (``4b64e56`` has no fault phase
and no connection-setup comparison, so ``--setups= --kill-every 0`` goes to the side that
knows them and turns them off there). The gunicorn settings are each commit's own; compare
only commits whose ``bench/load.py`` starts the same server (``4b64e56`` and this one: 3
workers, 4 threads each).

Prints, per run, the 1-minute load average at its start and the req/s of each scenario, then
the ratio new / old of each pair and their median. Each run's full output goes to
``<workdir>/run-<n>-<side>.log``.
"""

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOAD_ARGS = "--duration 30 --books 10000 --scenarios reads,mixed"
DEFAULT_ONLY_IF_SUPPORTED = "--setups= --kill-every 0"
PHASE = re.compile(r"^== (?P<name>[^:]+): ")
REQUESTS = re.compile(r"^requests: \d+ in [\d.]+ s = (?P<rps>[\d.]+) req/s$")


@dataclass
class Run:
    """One ``make load`` run: which side, the load average at its start, req/s per phase."""

    side: str
    load_average: tuple[float, float, float]
    req_per_s: dict[str, float] = field(default_factory=dict)


def positive_int(text: str) -> int:
    """Parse a count of rounds: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def resolve_commit(name: str) -> str:
    """Return the full sha of commit ``name`` in this repository; exit with a message if none."""
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"error: {name!r} is not a commit of {ROOT}")
    return done.stdout.strip()


def parse_phases(output: str) -> dict[str, float]:
    """Return ``{phase name: req/s}`` from the report ``bench.load`` prints.

    A phase is a line ``== <name>: <requests>`` followed by ``requests: N in S s = R req/s``
    (the format of ``4b64e56`` and of this checkout alike).
    """
    phases: dict[str, float] = {}
    for line, following in pairwise(output.splitlines()):
        phase, requests = PHASE.match(line), REQUESTS.match(following)
        if phase and requests:
            phases[phase["name"]] = float(requests["rps"])
    return phases


def supported(checkout: Path, options: Sequence[str]) -> list[str]:
    """Return ``options`` if the checkout's ``bench.load --help`` names every one, else []."""
    names = [option.split("=")[0] for option in options if option.startswith("--")]
    done = subprocess.run(
        [str(checkout / ".venv" / "bin" / "python"), "-m", "bench.load", "--help"],
        cwd=checkout, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return list(options) if all(name in done.stdout for name in names) else []


def export_commit(sha: str, workdir: Path) -> Path:
    """Copy commit ``sha`` into ``workdir/checkout`` (once) and build its virtualenv."""
    checkout = workdir / "checkout"
    if not (checkout / "Makefile").exists():
        checkout.mkdir(parents=True, exist_ok=True)
        archive = subprocess.Popen(["git", "archive", sha], cwd=ROOT, stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(checkout)], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            raise SystemExit(f"error: git archive {sha} failed")
    subprocess.run(["make", "venv"], cwd=checkout, check=True)
    return checkout


def load_average() -> tuple[float, float, float]:
    """Return the 1, 5 and 15-minute load averages."""
    one, five, fifteen = os.getloadavg()
    return (one, five, fifteen)


INHERITED_BY_MAKE = ("CHECKOUT_ID", "LOAD_DB", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")
"""Variables a caller's make would pass down: with them, both sides would share one database."""


def own_environment() -> dict[str, str]:
    """Return this process's environment without what would make both sides one checkout.

    The Makefile exports ``CHECKOUT_ID``; a caller running this script from ``make`` (or with
    ``CHECKOUT_ID`` exported in its shell) would otherwise give the old commit this checkout's
    id, so both sides would seed and load the same database, each migrating it to its own
    schema. Each ``make load`` computes its own id from its own path instead.
    """
    return {key: value for key, value in os.environ.items() if key not in INHERITED_BY_MAKE}


def run_load(checkout: Path, side: str, load_args: Sequence[str], log: Path) -> Run:
    """Run ``make load`` in ``checkout``; keep its output in ``log``; return its req/s."""
    run = Run(side=side, load_average=load_average())
    command = ["make", "load", f"LOAD_ARGS={shlex.join(load_args)}"]
    print(f"== {side}: {shlex.join(command)} in {checkout} (load average {run.load_average})")
    sys.stdout.flush()
    done = subprocess.run(
        command, cwd=checkout, env=own_environment(), capture_output=True, text=True, check=False
    )
    log.write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"error: make load failed on the {side} side; see {log}")
    run.req_per_s = parse_phases(done.stdout)
    return run


def table(runs: Sequence[Run]) -> str:
    """Return the runs as a Markdown table, then the new / old ratio of each pair."""
    phases = list(dict.fromkeys(name for run in runs for name in run.req_per_s))
    lines = [
        "| run | " + " | ".join(f"{name} req/s" for name in phases) + " | load average at start |",
        "|---|" + "---:|" * (len(phases) + 1),
    ]
    for number, run in enumerate(runs, start=1):
        cells = [f"{run.req_per_s[name]:.0f}" if name in run.req_per_s else "—" for name in phases]
        average = "/".join(f"{value:.1f}" for value in run.load_average)
        lines.append(f"| {(number + 1) // 2} {run.side} | " + " | ".join(cells) + f" | {average} |")
    pairs = list(zip(runs[::2], runs[1::2], strict=True))
    for name in phases:
        ratios = [
            new.req_per_s[name] / old.req_per_s[name]
            for old, new in pairs
            if old.req_per_s.get(name) and name in new.req_per_s
        ]
        if ratios:
            shown = ", ".join(f"{ratio:.2f}" for ratio in ratios)
            lines.append(
                f"{name}: new / old per round {shown}; median {statistics.median(ratios):.2f}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison; return 0 when every run finished."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", help="the old side: a commit of this repository")
    parser.add_argument("rounds", nargs="?", type=positive_int, default=2, help="pairs (2)")
    parser.add_argument("--load-args", default=DEFAULT_LOAD_ARGS, help="LOAD_ARGS of both sides")
    parser.add_argument(
        "--only-if-supported", default=DEFAULT_ONLY_IF_SUPPORTED,
        help="options added on each side whose load tool has them all",
    )  # fmt: skip
    parser.add_argument("--workdir", type=Path, help="where the old commit is exported")
    args = parser.parse_args(argv)
    try:
        load_args, optional = shlex.split(args.load_args), shlex.split(args.only_if_supported)
    except ValueError as error:
        parser.error(f"cannot split the options: {error}")
    sha = resolve_commit(args.commit)
    workdir = (args.workdir or Path(f"/tmp/load-back-to-back-{sha[:12]}")).resolve()
    if workdir.is_relative_to(ROOT):
        parser.error(f"--workdir must be outside the repository ({ROOT})")
    workdir.mkdir(parents=True, exist_ok=True)

    old = export_commit(sha, workdir)
    subprocess.run(["make", "venv"], cwd=ROOT, check=True)
    sides = {
        "old": (old, load_args + supported(old, optional)),
        "new": (ROOT, load_args + supported(ROOT, optional)),
    }
    for side, (checkout, arguments) in sides.items():
        print(f"== {side}: {checkout}, LOAD_ARGS={shlex.join(arguments)}")
    runs = []
    for number in range(1, args.rounds + 1):
        for side, (checkout, arguments) in sides.items():
            log = workdir / f"run-{number}-{side}.log"
            runs.append(run_load(checkout, side, arguments, log))
            print(f"== round {number}, {side}: req/s {runs[-1].req_per_s}")
    print(f"== old: {sha[:12]} ({old}); new: this checkout ({ROOT})")
    print(table(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
