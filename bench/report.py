"""The results: a plain-text table (one row per scenario, its target next to it) and a JSON file."""

import json

from django.db import connection

from .scenarios import rows_per_second, size

COLUMNS = ["what", "p50", "runs", "queries", "measured", "peak RSS", "target", "met?"]


def duration(seconds):
    if seconds < 0.01:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 10:
        return f"{seconds * 1000:,.0f} ms"
    return f"{seconds:,.1f} s"


def verdict(scenario, result, results):
    """True / False for a target met or not; None when there is nothing to judge."""
    if "error" in result:
        return None
    if "timed_out" in result:
        return False if scenario.timed else None  # it took longer than any time target allows
    return scenario.judge(result, results)


def row(scenario, result, results):
    if "timed_out" in result:
        return [
            scenario.what,
            f"timed out after {result['timed_out']:.0f} s",
            "",
            "",
            "",
            "",
            scenario.target,
            "NOT MET",
        ]
    if "error" in result:
        return [scenario.what, "error", "", "", result["error"][:60], "", scenario.target, "—"]
    queries = result["queries"]
    met = verdict(scenario, result, results)
    return [
        scenario.what,
        duration(result["p50"]) if scenario.timed else "—",
        str(result["runs"]),
        f"{queries:,}" if queries is not None else f"≥{connection.queries_limit:,}",
        (scenario.describe or size)(result),
        f"{result['rss_peak_mb']:,.0f} MB (+{result['rss_growth_mb']:,.0f})" if scenario.isolated else "",
        scenario.target,
        "—" if met is None else "met" if met else "NOT MET",
    ]


def table(scenarios, results):
    rows = [COLUMNS] + [row(scenario, results[scenario.key], results) for scenario in scenarios]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def notes(scenarios, results):
    """What the table has no room for: the lapse's ratio, JIT, search hits, sitemap, errors."""
    found = []
    lapse, reference = results.get("lapse", {}), results.get("lapse_reference", {})
    if "p50" in lapse and "p50" in reference:
        found.append(
            f"lapse: {lapse['p50'] / reference['p50']:.1f}x the bare SQL reference "
            f"({duration(lapse['p50'])} vs {duration(reference['p50'])})"
        )
    for key in ("lapse_explain", "list_last_page_explain"):
        if "outcome" in results.get(key, {}):
            on, off = results[key]["outcome"]["on"], results[key]["outcome"]["off"]
            found.append(
                f"{key}: {on['execution_ms']:,} ms with jit on (of which JIT {on['jit_ms']:,} ms, "
                f"{on['jit_functions']} functions), {off['execution_ms']:,} ms with jit off"
            )
    for scenario in scenarios:
        result = results[scenario.key]
        if "error" in result:
            found.append(f"{scenario.key}: {result['error']}")
        elif result.get("queries_varied"):
            found.append(f"{scenario.key}: the query count varied between runs")
    check = results.get("lapse_check", {}).get("outcome")
    if check:
        found.append(f"lapse check sample: {', '.join(f'{basis} {n}' for basis, n in check['bases'].items())}")
    for key in ("export_csv", "export_json"):
        if "outcome" in results.get(key, {}):
            found.append(
                f"{key}: {rows_per_second(results[key]):,.0f} rows/s, {results[key]['outcome']['bytes']:,} bytes"
            )
    return "\n".join(f"- {line}" for line in found)


def to_json(meta, dataset, scenarios, results):
    rows = {}
    for scenario in scenarios:
        result = results[scenario.key]
        rows[scenario.key] = {
            "what": scenario.what,
            "target": scenario.target,
            "met": verdict(scenario, result, results),
            **result,
        }
    return json.dumps({"meta": meta, "dataset": dataset, "results": rows}, indent=2, default=str)
