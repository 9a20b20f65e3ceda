"""Write ``results.json``, ``results.md`` and the charts of a run."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.config import EXPORT_LABELS, VARIANT_LABELS, Profile
from bench.summary import Target, summarize, targets, targets_json

BACKEND_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mariadb": "MariaDB"}
NOTES = [
    "Ratios, not absolute times, are what to compare: the machine has 2 cores shared with "
    "other engineers' test runs, so absolute times are noisy. Variants of a scenario run in "
    "the same process, interleaved (rotating order), after a warm-up that also checks every "
    "variant returns the same records (skipped above 10,000 books: the process is warm by "
    "then); medians, with min–max.",
    "Each scenario is one of the bookstore's reads, and every variant returns the same "
    "bookstore DTO's data, checked field by field: scenario 1 `BookRow` (the layer: the plan "
    "`BOOK_ROW`), 2 `BookDetail` (`get_book()`), 3 `AuthorDetail` (`get_author()`), 4 "
    "`BookRecord` (`stream()` of `BOOK_RECORD`). The NamedTuple variants fill twins derived "
    "from those DTOs and plans.",
    "Floor: hand-written SQL through the cursor, `fetchall()` only (no records built). "
    "Scenario 1 floor: 2 queries (books joined with author and publisher, the review count "
    "and average from the book's stored rating columns, as the plan reads them; tag names by "
    "a join filtered on `book_id <= %s`). `plan_sql` runs the plan's own two statements "
    "through the same cursor.",
    "Naive Django stops at 1,000 books: its time at larger sizes is extrapolated "
    "proportionally from 1,000 books, its queries on the line through 100 and 1,000 "
    "(marked *extrapolated*).",
    "Scenarios 2 and 3 load one page per id, as a view would; the figures are for all the "
    "pages together.",
    "Scenario 4 reads a fixture of plain book rows bulk-inserted with raw SQL (COPY on "
    "PostgreSQL): 1,000 authors, 100 publishers, no tags or reviews (only the books table is "
    "exported). Each variant runs in its own process; peak RSS is the kernel's high-water "
    "mark, reset just before the export starts.",
]


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.1f}" if ms < 100 else f"{ms:,.0f}"


def _x(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}×" if ratio < 10 else f"{ratio:,.0f}×"


def _label(key: str, row: dict[str, Any]) -> str:
    return VARIANT_LABELS[key] + (" *(extrapolated)*" if row.get("extrapolated") else "")


def machine_lines(results: dict[str, Any]) -> list[str]:
    """Return the machine and versions as Markdown lines."""
    m = results["machine"]
    load = "/".join(f"{x:.1f}" for x in m["load_average"])
    end = "/".join(f"{x:.1f}" for x in m.get("load_average_end", []))
    return [
        f"- Run: {m['date']}, profile `{results['profile']}`, "
        f"{results.get('total_seconds', 0) / 60:.1f} min, commit `{m['git_commit']}`; "
        f"load average {load} at the start, {end} at the end",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}",
        f"- Python {m['python']}, Django {m['django']}, pydantic {m['pydantic']}, "
        f"psycopg {m['psycopg']}, django-readers {m['django_readers']}, "
        f"SQLite {m['sqlite']}, PostgreSQL {m['postgresql'] or '(not run)'}",
    ]


def targets_table(found: list[Target]) -> list[str]:
    """Return the targets as a Markdown table."""
    lines = ["| target | backend | measured | limit | |", "|---|---|---:|---:|---|"]
    for t in found:
        verdict = "**met**" if t.met else "**not met**"
        lines.append(
            f"| {t.name} | {BACKEND_LABELS[t.backend]} | {t.measured} | {t.limit} | {verdict} |"
        )
    return lines


def _variant_by_size(
    rows_by_size: dict[str, Any], size_label: str, cell: Callable[[dict[str, Any]], str]
) -> list[str]:
    """Return a table with one row per variant and one column per size (extrapolated: *x*)."""
    sizes = sorted(rows_by_size, key=int)
    lines = [
        "| variant | " + " | ".join(size_label.format(int(s)) for s in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for key in VARIANT_LABELS:
        cells = []
        for size in sizes:
            row = rows_by_size[size].get(key)
            star = "*" if row and row["extrapolated"] else ""
            cells.append(f"{star}{cell(row)}{star}" if row else "")
        lines.append(f"| {VARIANT_LABELS[key]} | " + " | ".join(cells) + " |")
    return lines


def glance_table(rows_by_size: dict[str, Any]) -> list[str]:
    """Return scenario 1 as one row per variant: median ms (× floor) at each size."""
    return _variant_by_size(
        rows_by_size, "{:,} books", lambda row: f"{_ms(row['median'])} ms ({_x(row['x_floor'])})"
    )


def queries_table(rows_by_size: dict[str, Any]) -> list[str]:
    """Return scenario 5: queries per variant at each size."""
    return _variant_by_size(rows_by_size, "{:,}", lambda row: f"{row['queries']:,}")


def detail_table(rows: dict[str, Any], per: int | None = None) -> list[str]:
    """Return one size of a scenario: queries, median, min–max, ratios."""
    lines = [
        "| variant | queries | median ms | min–max ms | × floor | × hand-tuned |"
        + (" ms per page |" if per else ""),
        "|---|---:|---:|---:|---:|---:|" + ("---:|" if per else ""),
    ]
    for key, row in sorted(rows.items(), key=lambda kv: list(VARIANT_LABELS).index(kv[0])):
        lines.append(
            f"| {_label(key, row)} | {row['queries']:,} | {_ms(row['median'])} | "
            f"{_ms(row['min'])}–{_ms(row['max'])} | {_x(row['x_floor'])} | {_x(row['x_hand'])} |"
            + (f" {row['median'] * 1000 / per:.2f} |" if per else "")
        )
    return lines


def export_table(export: dict[str, Any]) -> list[str]:
    """Return scenario 4: time, × values_list, RSS before, peak and added, per size."""
    lines = [
        "| variant | rows | seconds (min–max) | × `values_list` "
        "| RSS before MB | peak MB | added MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for rows in sorted(export, key=int):
        for key, row in export[rows].items():
            lines.append(
                f"| {EXPORT_LABELS[key]} | {int(rows):,} | {row['median']:.2f} "
                f"({row['min']:.2f}–{row['max']:.2f}) | {_x(row['x_values_list'])} | "
                f"{row['rss_before_mb']:.0f} | {row['peak_rss_mb']:.0f} | {row['added_mb']:.1f} |"
            )
    return lines


def markdown(results: dict[str, Any], summary: dict[str, Any], found: list[Target]) -> str:
    """Return results.md."""
    out = ["# Benchmark results", "", *machine_lines(results), ""]
    out += [f"- {note}" for note in NOTES] + ["", "## Targets", "", *targets_table(found), ""]
    for backend, data in summary.items():
        name = BACKEND_LABELS[backend]
        if "list" in data:
            sizes = sorted(data["list"], key=int)
            out += [f"## Scenario 1 on {name}: list books, median (× floor)", ""]
            out += [*glance_table(data["list"]), ""]
            for size in sizes[-2:]:
                out += [
                    f"### {name}, {int(size):,} books",
                    "",
                    *detail_table(data["list"][size]),
                    "",
                ]
            out += [
                f"### Scenario 5 on {name}: queries per size",
                "",
                *queries_table(data["list"]),
                "",
            ]
        for scenario, title in (("detail", "book pages"), ("authors", "author pages")):
            if scenario in data:
                (count,) = data[scenario]
                number = "2" if scenario == "detail" else "3"
                out += [f"## Scenario {number} on {name}: {int(count):,} {title}", ""]
                out += [*detail_table(data[scenario][count], per=int(count)), ""]
        if "export" in data:
            out += [
                f"## Scenario 4 on {name}: export to CSV",
                "",
                *export_table(data["export"]),
                "",
            ]
    out += ["## Charts", ""]
    out += [
        f"![{p}]({p})"
        for p in ("time_vs_size.png", "queries_vs_size.png", "pages.png", "export_memory.png")
    ]
    return "\n".join(out) + "\n"


def write_results(results: dict[str, Any], profile: Profile, out: Path) -> list[Path]:
    """Write every results file into ``out``; return their paths."""
    from bench.charts import draw_all

    out.mkdir(parents=True, exist_ok=True)
    summary = summarize(results)
    found = targets(summary)
    document = {**results, "summary": summary, "targets": targets_json(found)}
    paths = [out / "results.json", out / "results.md"]
    paths[0].write_text(json.dumps(document, indent=1) + "\n")
    paths[1].write_text(markdown(results, summary, found))
    return paths + draw_all(summary, out)
