"""Turn raw repetitions into medians, ranges, ratios and the issue's targets (met / not met)."""

from dataclasses import asdict, dataclass
from statistics import median
from typing import Any

from bench.config import LAYER_VARIANTS

TARGET_SIZE = 10_000


@dataclass(frozen=True)
class Target:
    """One target of the issue, as measured."""

    name: str
    backend: str
    measured: str
    limit: str
    met: bool


def _stats(times: list[float]) -> dict[str, float]:
    return {"median": median(times), "min": min(times), "max": max(times)}


def _ratios(rows: dict[str, dict[str, Any]]) -> None:
    floor = rows.get("floor", {}).get("median")
    hand = rows.get("hand_tuned", {}).get("median")
    for row in rows.values():
        row["x_floor"] = row["median"] / floor if floor else None
        row["x_hand"] = row["median"] / hand if hand else None


def summarize_sizes(raw: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Summarize a scenario's ``{size: {variant: {times, queries}}}``.

    A variant missing at a size (the naive one above 1,000 books) is extrapolated from its two
    largest measured sizes: time proportionally to the size, queries on the line through them.
    """
    sizes = sorted(raw, key=int)
    summary: dict[str, dict[str, Any]] = {}
    for size in sizes:
        rows = {
            key: {**_stats(m["times"]), "queries": m["queries"], "extrapolated": False}
            for key, m in raw[size].items()
        }
        summary[size] = rows
    variants = {key for size in sizes for key in raw[size]}
    for key in variants:
        measured = [s for s in sizes if key in raw[s]]
        for size in sizes:
            if key in raw[size] or not measured:
                continue
            last = measured[-1]
            scale = int(size) / int(last)
            base = summary[last][key]
            queries = base["queries"] * scale
            if len(measured) > 1:
                prev = summary[measured[-2]][key]
                slope = (base["queries"] - prev["queries"]) / (int(last) - int(measured[-2]))
                queries = base["queries"] + slope * (int(size) - int(last))
            summary[size][key] = {
                "median": base["median"] * scale,
                "min": base["min"] * scale,
                "max": base["max"] * scale,
                "queries": round(queries),
                "extrapolated": True,
            }
    for rows in summary.values():
        _ratios(rows)
    return summary


def summarize_export(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Summarize export runs: median time, worst peak, RSS before, and time vs values_list."""
    summary: dict[str, dict[str, Any]] = {}
    for rows, variants in raw["runs"].items():
        summary[rows] = {}
        for key, runs in variants.items():
            if not runs:
                continue
            peak = max(r["peak_rss_mb"] for r in runs)
            before = median(r["rss_before_mb"] for r in runs)
            summary[rows][key] = {
                **_stats([r["seconds"] for r in runs]),
                "rss_before_mb": before,
                "peak_rss_mb": peak,
                "added_mb": peak - before,
                "rows": runs[0]["rows"],
            }
        reference = summary[rows].get("values_list_iterator", {}).get("median")
        for row in summary[rows].values():
            row["x_values_list"] = row["median"] / reference if reference else None
    return summary


def summarize(results: dict[str, Any]) -> dict[str, Any]:
    """Return the summary of every scenario of every backend in ``results``."""
    out: dict[str, Any] = {}
    for backend, data in results["backends"].items():
        out[backend] = {}
        for scenario in ("list", "detail", "authors"):
            if scenario in data:
                out[backend][scenario] = summarize_sizes(data[scenario])
        if "export" in data:
            out[backend]["export"] = summarize_export(data["export"])
    return out


def _list_targets(backend: str, rows: dict[str, Any], size: str) -> list[Target]:
    layer = rows["layer"]
    at = f"scenario 1, {int(size):,} books"
    limit = 1.5 if backend == "postgresql" else 2.5
    targets = [
        Target(f"{at}: layer (values, pydantic) ≤ {limit}× the floor", backend,
               f"{layer['x_floor']:.2f}×", f"≤ {limit}×", layer["x_floor"] <= limit),
    ]  # fmt: skip
    if backend == "postgresql":
        faster_hand = rows["hand_tuned"]["median"] / layer["median"]
        faster_readers = rows["readers"]["median"] / layer["median"]
        targets += [
            Target(f"{at}: layer ≥ 8× faster than hand-tuned", backend,
                   f"{faster_hand:.1f}× faster", "≥ 8×", faster_hand >= 8),
            Target(f"{at}: layer ≥ 10× faster than django-readers", backend,
                   f"{faster_readers:.1f}× faster", "≥ 10×", faster_readers >= 10),
        ]  # fmt: skip
    return targets


def _export_targets(backend: str, export: dict[str, Any]) -> list[Target]:
    sizes = sorted(export, key=int)
    small, large = export[sizes[0]].get("layer_stream"), export[sizes[-1]].get("layer_stream")
    if small is None or large is None:
        return []
    worst = max(small["added_mb"], large["added_mb"])
    drift = large["peak_rss_mb"] / small["peak_rss_mb"] - 1
    rows = f"{int(sizes[-1]):,} rows"
    return [
        Target("scenario 4: stream adds ≤ 20 MB of peak RSS over the RSS before the export",
               backend, f"+{small['added_mb']:.1f} MB / +{large['added_mb']:.1f} MB "
               f"({int(sizes[0]):,} / {rows})", "≤ 20 MB", worst <= 20),
        Target(f"scenario 4: stream peak RSS the same (±10%) at {int(sizes[0]):,} and {rows}",
               backend, f"{small['peak_rss_mb']:.0f} → {large['peak_rss_mb']:.0f} MB "
               f"({drift:+.1%})", "±10%", abs(drift) <= 0.10),
        Target(f"scenario 4: stream time ≤ 1.2× `values_list().iterator()` ({rows})", backend,
               f"{large['x_values_list']:.2f}×", "≤ 1.2×", large["x_values_list"] <= 1.2),
    ]  # fmt: skip


def _query_targets(backend: str, rows_by_size: dict[str, Any]) -> list[Target]:
    targets = []
    for key in LAYER_VARIANTS:
        counts = sorted({rows_by_size[size][key]["queries"] for size in rows_by_size})
        targets.append(
            Target(f"scenario 5: {key} query count constant in size (scenario 1)", backend,
                   " / ".join(map(str, counts)) + " queries", "constant", len(counts) == 1)
        )  # fmt: skip
    return targets


def targets(summary: dict[str, Any]) -> list[Target]:
    """Return every target the run can judge, per backend."""
    found: list[Target] = []
    for backend, data in summary.items():
        if "list" in data:
            sizes = sorted(data["list"], key=int)
            size = str(TARGET_SIZE) if str(TARGET_SIZE) in data["list"] else sizes[-1]
            found += _list_targets(backend, data["list"][size], size)
            found += _query_targets(backend, data["list"])
        if "export" in data:
            found += _export_targets(backend, data["export"])
    return found


def targets_json(found: list[Target]) -> list[dict[str, Any]]:
    """Return targets as JSON-able dicts."""
    return [asdict(target) for target in found]
