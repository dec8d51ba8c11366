"""How close a step over a large data set comes to the memory's speed limit.

Run:  .venv/bin/python benchmarks/bench_engine.py

A full-batch step over 10⁵ rows × 10 inputs must read the inputs twice (the forward product and
the backward one): no implementation can beat bytes touched ÷ memory bandwidth, and the bandwidth
is measured here, in the same run, with numpy copying a large array. The ratio step ÷ floor says
how much the engine wastes. Also timed: a step through a hidden layer (8 ReLU nodes), a mini-batch
step, and the views' vectorised work over the same data (a loss curve and a contour map).
Writes benchmarks/results/engine.json.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

# As the app does (gd_desktop/__init__.py), before numpy is loaded.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from gd_desktop.core import engine  # noqa: E402

ROWS, INPUTS = 100_000, 10
FRAME_MS = 1000 / 60


def median_seconds(work, repeats: int = 30) -> float:
    work()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def copy_bandwidth() -> float:
    """Bytes per second numpy moves copying 64 MB (each byte read once and written once)."""
    source = np.random.default_rng(0).random(8_000_000)
    target = np.empty_like(source)
    seconds = median_seconds(lambda: np.copyto(target, source), 15)
    return 2 * source.nbytes / seconds


def main() -> int:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(ROWS, INPUTS))
    y = x @ rng.normal(size=INPUTS) + 0.1 * rng.normal(size=ROWS)
    bandwidth = copy_bandwidth()
    rows = {}

    linear = engine.Problem.create(x, y, 1e-3)
    start = engine.evaluate(linear, np.zeros(INPUTS))
    step = median_seconds(lambda: engine.descend(linear, start, 1))
    touched = 2 * x.nbytes + 4 * y.nbytes  # inputs read twice; targets, errors read and written
    rows["linear step"] = (step, touched / bandwidth)

    hidden = engine.Problem.create(x, y, 1e-3, 8, "relu")
    weights = rng.uniform(-0.5, 0.5, hidden.weight_count)
    start_hidden = engine.evaluate(hidden, weights)
    step_hidden = median_seconds(lambda: engine.descend(hidden, start_hidden, 1), 15)
    node_arrays = ROWS * 8 * 8  # sums, values, slopes of 8 nodes per row
    touched_hidden = 2 * x.nbytes + 6 * node_arrays + 4 * y.nbytes
    rows["hidden step (8 ReLU nodes)"] = (step_hidden, touched_hidden / bandwidth)

    batched = engine.Problem.create(x, y, 1e-3, batch_size=100, seed=1)
    start_batch = engine.evaluate(batched, np.zeros(INPUTS))
    step_batch = median_seconds(lambda: engine.descend(batched, start_batch, 1), 15)
    rows["mini-batch step (100 rows; full loss after)"] = (step_batch, touched / bandwidth)

    grid = np.linspace(-2, 2, 401)
    curve = median_seconds(lambda: engine.loss_along_weight(linear, start.weights, 0, grid))
    rows["loss curve, 401 points (linear)"] = (curve, 2 * x.nbytes / bandwidth)
    curve_hidden = median_seconds(
        lambda: engine.loss_along_weight(hidden, weights, 20, np.linspace(-2, 2, 41)), 5
    )
    rows["loss curve, 41 points (hidden weight)"] = (
        curve_hidden,
        41 * (ROWS * 8 * 3) / bandwidth + 2 * x.nbytes / bandwidth,
    )
    axis = np.linspace(-2, 2, 48)
    contour = median_seconds(lambda: engine.loss_grid(linear, start.weights, 0, 1, axis, axis), 10)
    rows["contour map 48 × 48 (linear)"] = (contour, 2 * x.nbytes / bandwidth)

    print(f"data: {ROWS:,} rows × {INPUTS} inputs; copy bandwidth {bandwidth / 1e9:.1f} GB/s")
    print(f"{'what':45} {'time':>10} {'floor':>10} {'ratio':>7}  frame (16.7 ms)")
    result = {"rows": ROWS, "inputs": INPUTS, "copy_bandwidth_bytes_per_s": bandwidth}
    for name, (seconds, floor) in rows.items():
        ratio = seconds / floor
        within = "within" if seconds * 1000 <= FRAME_MS else "over"
        print(f"{name:45} {seconds * 1000:8.2f} ms {floor * 1000:8.2f} ms {ratio:7.1f}  {within}")
        result[name] = {"seconds": seconds, "floor_seconds": floor, "ratio": ratio}
    out = HERE / "results" / "engine.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
