"""Draw the PNG charts of a run with matplotlib's Agg backend (no display needed)."""

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # the backend must be chosen before pyplot is imported

from bench.config import EXPORT_LABELS, VARIANT_LABELS

BACKEND_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mariadb": "MariaDB"}
PLAIN = {key: label.replace("`", "") for key, label in VARIANT_LABELS.items()}


def _backends(summary: dict[str, Any], scenario: str) -> list[str]:
    return [backend for backend, data in summary.items() if scenario in data]


def _series(
    rows_by_size: dict[str, Any], key: str, field: str
) -> tuple[list[int], list[float], list[bool]]:
    sizes = [s for s in sorted(rows_by_size, key=int) if key in rows_by_size[s]]
    return (
        [int(s) for s in sizes],
        [rows_by_size[s][key][field] for s in sizes],
        [rows_by_size[s][key]["extrapolated"] for s in sizes],
    )


def _lines(ax: Any, rows_by_size: dict[str, Any], field: str, scale: float) -> None:
    for key, label in PLAIN.items():
        sizes, values, extrapolated = _series(rows_by_size, key, field)
        measured = [
            (s, v * scale) for s, v, e in zip(sizes, values, extrapolated, strict=True) if not e
        ]
        if not measured:
            continue
        line = ax.plot(*zip(*measured, strict=True), marker="o", label=label)[0]
        guessed = [(s, v * scale) for s, v, e in zip(sizes, values, extrapolated, strict=True) if e]
        if guessed:
            ax.plot(
                *zip(*[measured[-1], *guessed], strict=True), linestyle="--", color=line.get_color()
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)
    ax.set_xlabel("books")


def time_vs_size(summary: dict[str, Any], path: Path) -> Path | None:
    """Scenario 1: median time vs size, log-log, one panel per backend."""
    backends = _backends(summary, "list")
    if not backends:
        return None
    fig, axes = plt.subplots(1, len(backends), figsize=(6.5 * len(backends), 5), squeeze=False)
    for ax, backend in zip(axes[0], backends, strict=True):
        _lines(ax, summary[backend]["list"], "median", 1000)
        ax.set_title(f"Scenario 1, list books: {BACKEND_LABELS[backend]}")
        ax.set_ylabel("median ms (dashed: extrapolated)")
    axes[0][0].legend(fontsize=8)
    return _save(fig, path)


def queries_vs_size(summary: dict[str, Any], path: Path) -> Path | None:
    """Scenario 5: queries vs size per variant (the same on every backend)."""
    backends = _backends(summary, "list")
    if not backends:
        return None
    fig, ax = plt.subplots(figsize=(7, 5))
    _lines(ax, summary[backends[0]]["list"], "queries", 1)
    ax.set_title(f"Scenario 5: queries to list books ({BACKEND_LABELS[backends[0]]})")
    ax.set_ylabel("queries (dashed: extrapolated)")
    ax.legend(fontsize=8)
    return _save(fig, path)


def pages(summary: dict[str, Any], path: Path) -> Path | None:
    """Scenarios 2 and 3: time × floor per variant, grouped by backend."""
    panels = [(b, s) for b in summary for s in ("detail", "authors") if s in summary[b]]
    if not panels:
        return None
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 4.8), squeeze=False)
    for ax, (backend, scenario) in zip(axes[0], panels, strict=True):
        (count,) = summary[backend][scenario]
        rows = summary[backend][scenario][count]
        keys = [k for k in PLAIN if k in rows]
        ax.barh([PLAIN[k] for k in keys], [rows[k]["x_floor"] for k in keys], color="tab:blue")
        ax.invert_yaxis()
        title = "book pages" if scenario == "detail" else "author pages"
        ax.set_title(f"{int(count):,} {title}, {BACKEND_LABELS[backend]}", fontsize=10)
        ax.set_xlabel("× floor (median)")
        ax.tick_params(axis="y", labelsize=7)
    return _save(fig, path)


def export_memory(summary: dict[str, Any], path: Path) -> Path | None:
    """Scenario 4: peak RSS added by each export variant, per size and backend."""
    backends = _backends(summary, "export")
    if not backends:
        return None
    fig, axes = plt.subplots(1, len(backends), figsize=(6.5 * len(backends), 5), squeeze=False)
    for ax, backend in zip(axes[0], backends, strict=True):
        export = summary[backend]["export"]
        sizes = sorted(export, key=int)
        keys = [k for k in EXPORT_LABELS if k in export[sizes[-1]]]
        width = 0.8 / len(sizes)
        for i, size in enumerate(sizes):
            added = [max(export[size][k]["added_mb"], 0.1) for k in keys]
            positions = [j + i * width for j in range(len(keys))]
            ax.barh(positions, added, height=width, label=f"{int(size):,} rows")
        ax.set_yticks([j + width * (len(sizes) - 1) / 2 for j in range(len(keys))])
        ax.set_yticklabels([EXPORT_LABELS[k].replace("`", "") for k in keys], fontsize=7)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.set_xlabel("peak RSS over RSS before the export, MB (log)")
        ax.set_title(f"Scenario 4, export to CSV: {BACKEND_LABELS[backend]}")
        ax.legend(fontsize=8)
    return _save(fig, path)


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def draw_all(summary: dict[str, Any], out: Path) -> list[Path]:
    """Draw every chart the summary has data for; return the files written."""
    drawn = [
        time_vs_size(summary, out / "time_vs_size.png"),
        queries_vs_size(summary, out / "queries_vs_size.png"),
        pages(summary, out / "pages.png"),
        export_memory(summary, out / "export_memory.png"),
    ]
    return [path for path in drawn if path is not None]
