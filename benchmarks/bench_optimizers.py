"""How close the engine's stepping loop comes to the same arithmetic on plain Python floats.

Run:  .venv/bin/python benchmarks/bench_optimizers.py

For the course's problems (the chapter's two-input example, and 16 rows of 10 inputs, the
largest a course problem gets) and for every optimizer, two loops are timed side by side in one
run: the *floor*, a step written with plain Python floats that records nothing (the forward sum,
the error, the loss, the slope, the optimizer's update), and ``engine.descend`` taking the same
steps in chunks of 128 (as ``Run.advance`` does) and returning every step's weights, slopes,
errors, loss, rate and state as arrays. The ratio engine ÷ floor is the figure; the target is 3×
or less (issue 15, item 6). Also timed, for the record: a plain step over 10⁵ rows × 10 inputs
(numpy's path, whose floor is the memory's speed: see bench_engine.py) and a plain step by
``Run.advance`` (the history appended too).

Writes benchmarks/results/optimizers.json.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import time
from operator import mul
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from gd_desktop.core import engine, optimizers  # noqa: E402
from gd_desktop.core.run import Run  # noqa: E402

CHUNK = 128
TARGET = 3.0


def median_seconds(work, repeats: int = 21) -> float:
    work()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def side_by_side(first, second, repeats: int = 41) -> tuple[float, float]:
    """The fastest of ``repeats`` runs of each, taken in turns so that both see the same load
    (the machine is shared: the fastest run is the one least disturbed)."""
    first(), second()
    best_first = best_second = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        first()
        t1 = time.perf_counter()
        second()
        t2 = time.perf_counter()
        best_first, best_second = min(best_first, t1 - t0), min(best_second, t2 - t1)
    return best_first, best_second


def unrolled_plain_steps(x1, x2, y, w1, w2, rate, steps):
    """The chapter's example as a teacher would type it: two weights, one row, no lists."""
    e = x1 * w1 + x2 * w2 - y
    g1, g2 = 2.0 * e * x1, 2.0 * e * x2
    for _ in range(steps):
        w1, w2 = w1 - rate * g1, w2 - rate * g2
        e = x1 * w1 + x2 * w2 - y
        _loss = e * e
        g1, g2 = 2.0 * e * x1, 2.0 * e * x2
    return w1, w2


def floor_steps(rows, targets, weights, rate, optimizer, settings, steps):
    """The floor: ``steps`` steps in plain Python floats, nothing kept but the weights (sums by
    ``sum(map(mul, …))``, the fastest plain Python has; a generator is 3 to 5 times slower)."""
    mu, alpha, beta1, beta2, eps = settings
    n, count = len(weights), len(rows)
    columns = [list(column) for column in zip(*rows)]
    w = [float(x) for x in weights]  # Python floats (numpy's scalars are slower)
    b, s, m, v = [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n
    errors = [sum(map(mul, row, w)) - y for row, y in zip(rows, targets)]
    twice = [2.0 * e for e in errors]
    g = [sum(map(mul, twice, column)) / count for column in columns]
    for t in range(1, steps + 1):
        if optimizer == "gd":
            w = [wi - rate * gi for wi, gi in zip(w, g)]
        elif optimizer == "momentum":
            b = g if t == 1 else [mu * bi + gi for bi, gi in zip(b, g)]
            w = [wi - rate * bi for wi, bi in zip(w, b)]
        elif optimizer == "nesterov":
            b = g if t == 1 else [mu * bi + gi for bi, gi in zip(b, g)]
            w = [wi - rate * (gi + mu * bi) for wi, gi, bi in zip(w, g, b)]
        elif optimizer == "adagrad":
            s = [si + gi * gi for si, gi in zip(s, g)]
            w = [wi - rate * gi / (math.sqrt(si) + eps) for wi, gi, si in zip(w, g, s)]
        elif optimizer == "rmsprop":
            s = [alpha * si + (1 - alpha) * gi * gi for si, gi in zip(s, g)]
            w = [wi - rate * gi / (math.sqrt(si) + eps) for wi, gi, si in zip(w, g, s)]
        else:
            m = [beta1 * mi + (1 - beta1) * gi for mi, gi in zip(m, g)]
            v = [beta2 * vi + (1 - beta2) * gi * gi for vi, gi in zip(v, g)]
            c1, c2 = 1 - beta1**t, 1 - beta2**t
            w = [wi - rate * (mi / c1) / (math.sqrt(vi / c2) + eps) for wi, mi, vi in zip(w, m, v)]
        errors = [sum(map(mul, row, w)) - y for row, y in zip(rows, targets)]
        _loss = sum(map(mul, errors, errors)) / count
        twice = [2.0 * e for e in errors]
        g = [sum(map(mul, twice, column)) / count for column in columns]
    return w


def compare(name: str, problem: engine.Problem, weights) -> dict:
    """Engine ÷ floor per optimizer on one problem, each timed over CHUNK steps."""
    rows, targets = problem.inputs.tolist(), problem.targets.tolist()
    out = {}
    for optimizer in optimizers.OPTIMIZERS:
        chosen = problem.replaced(optimizer=optimizer)
        settings = tuple(chosen.optimizer_settings)
        start = engine.evaluate(chosen, weights)
        rate = chosen.learning_rate
        floor, engine_time = side_by_side(
            lambda settings=settings, optimizer=optimizer, rate=rate: floor_steps(
                rows, targets, list(weights), rate, optimizer, settings, CHUNK
            ),
            lambda chosen=chosen, start=start: engine.descend(chosen, start, CHUNK),
        )
        same = floor_steps(rows, targets, list(weights), rate, optimizer, settings, CHUNK)
        descent = engine.descend(chosen, start, CHUNK)
        assert len(descent) == CHUNK, (name, optimizer, descent.stopped)
        np.testing.assert_allclose(descent.weights[-1], same, rtol=1e-9)  # the same steps
        out[optimizer] = {
            "floor_us": floor / CHUNK * 1e6,
            "engine_us": engine_time / CHUNK * 1e6,
            "ratio": engine_time / floor,
        }
    return out


def main() -> int:
    rng = np.random.default_rng(6)
    example = engine.Problem.create([3.0, 4.0], [6.0], 0.001)
    x16 = rng.normal(size=(16, 10))
    sixteen = engine.Problem.create(x16, x16 @ rng.normal(size=10), 0.001)
    results = {
        "two inputs, one row (the chapter's example)": compare("example", example, [1.0, 2.0]),
        "16 rows of 10 inputs": compare("sixteen", sixteen, np.zeros(10)),
    }

    big_x = rng.normal(size=(100_000, 10))
    big = engine.Problem.create(big_x, big_x @ rng.normal(size=10), 1e-3)
    big_start = engine.evaluate(big, np.zeros(10))
    large = {}
    for optimizer in ("gd", "adam"):
        chosen = big.replaced(optimizer=optimizer)
        seconds = median_seconds(lambda chosen=chosen: engine.descend(chosen, big_start, 1), 15)
        large[optimizer] = seconds * 1e3
    unrolled, plain = side_by_side(
        lambda: unrolled_plain_steps(3.0, 4.0, 6.0, 1.0, 2.0, 0.001, CHUNK),
        lambda: engine.descend(example, engine.evaluate(example, [1.0, 2.0]), CHUNK),
    )
    run = Run(example.replaced(learning_rate=1e-4), [1.0, 2.0])
    advance = median_seconds(
        lambda: (run.reset(), run.advance(10_000, halt_when_diverging=False)), 5
    )

    print(f"Engine steps against plain Python floats (chunks of {CHUNK} steps, fastest of 41):")
    worst = 0.0
    for problem_name, rows in results.items():
        print(f"\n{problem_name}")
        print(f"  {'optimizer':<10} {'floor µs':>9} {'engine µs':>10} {'ratio':>6}")
        for optimizer, row in rows.items():
            worst = max(worst, row["ratio"])
            print(
                f"  {optimizer:<10} {row['floor_us']:9.2f} {row['engine_us']:10.2f} "
                f"{row['ratio']:5.2f}×"
            )
    print(f"\nworst ratio {worst:.2f}× (target ≤ {TARGET:.0f}×)")
    print("10⁵ rows × 10 inputs, one step: " + ", ".join(
        f"{name} {ms:.2f} ms" for name, ms in large.items()))  # fmt: skip
    print(
        f"The chapter's example unrolled by hand (two scalars, no lists): "
        f"{unrolled / CHUNK * 1e6:.2f} µs a plain step; the engine {plain / CHUNK * 1e6:.2f} µs "
        f"({plain / unrolled:.1f}×)"
    )
    print(f"Run.advance, the chapter's example: {10_000 / advance:,.0f} steps a second")

    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "optimizers.json").write_text(
        json.dumps(
            {
                "chunk": CHUNK,
                "per_step": results,
                "worst_ratio": worst,
                "large_step_ms": large,
                "advance_steps_per_second": 10_000 / advance,
                "unrolled_example_us": unrolled / CHUNK * 1e6,
                "engine_example_us": plain / CHUNK * 1e6,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
