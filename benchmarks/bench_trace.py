"""How fast ``gd-desktop trace`` writes 10⁶ steps, against the plain way of writing them.

Run:  .venv/bin/python benchmarks/bench_trace.py

Three runs of the course's two-input example: one that converges to a fixed point (rate 0.01),
one that ends in a two-step swing just below the critical rate 0.04 (0.0399), and one so close to
it that no step repeats in 10⁶ (0.0399999). Each is written as CSV and JSON by the command, 10⁶
steps, in a fresh process; the plain way (one evaluation per step, ``csv`` and ``json.dumps``:
``trace.as_csv`` / ``trace.as_json``) is timed in-process on 10⁵ steps and scaled by ten (it is
linear in the steps). The ratio fast ÷ plain says what the fast path saves; the same output, byte
for byte, is tests/core/test_trace_table.py's business. Writes benchmarks/results/trace.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from gd_desktop.core import engine, trace  # noqa: E402

RATES = {"converges (0.01)": 0.01, "swings (0.0399)": 0.0399, "no repeat (0.0399999)": 0.0399999}
STEPS = 1_000_000
PLAIN_STEPS = 100_000


def command_seconds(rate: float, output: str) -> float:
    words = f"--weights 1 2 --inputs 3 4 --target 6 --learning-rate {rate} --format {output}"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "gd_desktop", "trace", *words.split(), "--steps", str(STEPS)],
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return time.perf_counter() - started


def plain_seconds(rate: float, output: str) -> float:
    problem = engine.Problem.create([[3.0, 4.0]], [6.0], rate)
    started = time.perf_counter()
    result = engine.run(problem, [1.0, 2.0], PLAIN_STEPS)
    (trace.as_csv if output == "csv" else trace.as_json)(result)
    return (time.perf_counter() - started) * STEPS / PLAIN_STEPS


def main() -> int:
    rows = []
    print("| 10⁶ steps of the course example | format | trace | plain (10⁵ × 10) | ratio |")
    print("|---|---|---|---|---|")
    for name, rate in RATES.items():
        for output in ("csv", "json"):
            fast, plain = command_seconds(rate, output), plain_seconds(rate, output)
            rows.append({"run": name, "format": output, "trace_s": fast, "plain_s": plain})
            print(f"| {name} | {output} | {fast:.1f} s | {plain:.0f} s | {fast / plain:.2f} |")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "trace.json").write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
