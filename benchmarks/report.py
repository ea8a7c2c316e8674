"""The final table (Rich) and the JSON results file."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from benchmarks.common import Figure

__all__ = ["machine", "print_table", "save_json"]


def _number(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:,.2f} s"
    if unit == "ms":
        return f"{value:,.1f} ms"
    if unit == "req/s":
        return f"{value:,.1f} req/s"
    if unit == "/s":
        return f"{value:,.0f}/s"
    if unit == "score":  # accuracy, F1, calibration error: 0..1
        return f"{value:.3f}"
    if unit == "MiB":
        return f"{value:,.0f} MiB"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _met(met: bool | None) -> str:
    if met is None:
        return "-"
    return "[green]yes[/]" if met else "[bold red]NO[/]"


def print_table(console: Console, figures: Sequence[Figure]) -> None:
    table = Table(title="fairlane benchmarks (ratio = value / baseline, same run)")
    for column in ("benchmark", "database", "figure", "value", "baseline", "ratio", "target"):
        table.add_column(column, justify="right" if column in ("value", "baseline") else "left")
    table.add_column("met?", justify="center")
    for f in figures:
        ratio = f.ratio
        table.add_row(
            f.benchmark,
            f.database,
            f.figure,
            _number(f.value, f.unit),
            "-" if f.baseline is None else _number(f.baseline, f.unit),
            "-" if ratio is None else f"{ratio:,.2f}x",
            f.target or "-",
            _met(f.met),
        )
    console.print(table)
    baselines = {(f.benchmark, f.baseline_label) for f in figures if f.baseline_label}
    for benchmark, label in sorted(baselines):
        console.print(f"  baseline of {benchmark}: {label}")
    for f in figures:
        if f.note:
            console.print(f"  note ({f.benchmark}, {f.database}, {f.figure}): {f.note}")


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }


def save_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
