"""How close the engine's stepping loop comes to the same arithmetic on plain Python floats.

Run:  .venv/bin/python benchmarks/bench_optimizers.py

For the course's problems (the chapter's two-input example, and 16 rows of 10 inputs, the
largest a course problem gets) and for every optimizer, two loops are timed side by side in one
run: the *floor*, a step written with plain Python floats that records nothing (the forward sum,
the error, the loss, the slope, the optimizer's update), and ``engine.descend`` taking the same
steps in chunks of 128 and returning every step's weights, slopes, errors, loss, rate and state
as arrays. (``Run.advance`` takes the chapter's example 512 steps at a time, where a chunk's
own cost weighs less: 128 is the harder test, and the one the target was set for.) The ratio
engine ÷ floor is the figure; the target is 3× or less (issue 15, item 6). Also timed, for
the record: a plain step over 10⁵ rows × 10 inputs (numpy's path, whose floor is the memory's
speed: see bench_engine.py) and a plain step by ``Run.advance`` (the history appended too).

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


def example_by_hand(optimizer, settings, rate, steps):
    """The floor for the chapter's example, as a teacher would type it: inputs 3 and 4, target 6,
    weights 1 and 2, every number a local variable, nothing kept but the weights."""
    mu, alpha, beta1, beta2, eps = settings
    sqrt = math.sqrt
    w1, w2 = 1.0, 2.0
    b1 = b2 = s1 = s2 = m1 = m2 = v1 = v2 = 0.0
    e = 3.0 * w1 + 4.0 * w2 - 6.0
    g1, g2 = 2.0 * e * 3.0, 2.0 * e * 4.0
    for t in range(1, steps + 1):
        if optimizer == "gd":
            w1, w2 = w1 - rate * g1, w2 - rate * g2
        elif optimizer in ("momentum", "nesterov"):
            if t == 1:
                b1, b2 = g1, g2
            else:
                b1, b2 = mu * b1 + g1, mu * b2 + g2
            if optimizer == "momentum":
                w1, w2 = w1 - rate * b1, w2 - rate * b2
            else:
                w1, w2 = w1 - rate * (g1 + mu * b1), w2 - rate * (g2 + mu * b2)
        elif optimizer == "adagrad":
            s1, s2 = s1 + g1 * g1, s2 + g2 * g2
            w1, w2 = w1 - rate * g1 / (sqrt(s1) + eps), w2 - rate * g2 / (sqrt(s2) + eps)
        elif optimizer == "rmsprop":
            s1, s2 = alpha * s1 + (1 - alpha) * g1 * g1, alpha * s2 + (1 - alpha) * g2 * g2
            w1, w2 = w1 - rate * g1 / (sqrt(s1) + eps), w2 - rate * g2 / (sqrt(s2) + eps)
        else:
            m1, m2 = beta1 * m1 + (1 - beta1) * g1, beta1 * m2 + (1 - beta1) * g2
            v1, v2 = beta2 * v1 + (1 - beta2) * g1 * g1, beta2 * v2 + (1 - beta2) * g2 * g2
            c1, c2 = 1 - beta1**t, 1 - beta2**t
            w1 = w1 - rate * (m1 / c1) / (sqrt(v1 / c2) + eps)
            w2 = w2 - rate * (m2 / c1) / (sqrt(v2 / c2) + eps)
        e = 3.0 * w1 + 4.0 * w2 - 6.0
        _loss = e * e
        g1, g2 = 2.0 * e * 3.0, 2.0 * e * 4.0
    return [w1, w2]


def compare(name: str, problem: engine.Problem, weights, by_hand: bool = False) -> dict:
    """Engine ÷ floor per optimizer on one problem, each timed over CHUNK steps: the floor is
    the chapter's example typed by hand (``by_hand``), else the same steps on lists."""
    rows, targets = problem.inputs.tolist(), problem.targets.tolist()
    out = {}
    for optimizer in optimizers.OPTIMIZERS:
        chosen = problem.replaced(optimizer=optimizer)
        settings = tuple(chosen.optimizer_settings)
        start = engine.evaluate(chosen, weights)
        rate = chosen.learning_rate

        def floor_work(settings=settings, optimizer=optimizer, rate=rate):
            if by_hand:
                return example_by_hand(optimizer, settings, rate, CHUNK)
            return floor_steps(rows, targets, list(weights), rate, optimizer, settings, CHUNK)

        floor, engine_time = side_by_side(
            floor_work, lambda chosen=chosen, start=start: engine.descend(chosen, start, CHUNK)
        )
        same = floor_work()
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
        "the chapter's example (two inputs, one row), floor typed by hand": compare(
            "example", example, [1.0, 2.0], by_hand=True
        ),
        "the chapter's example, floor on lists": compare("example", example, [1.0, 2.0]),
        "16 rows of 10 inputs, floor on lists": compare("sixteen", sixteen, np.zeros(10)),
    }

    big_x = rng.normal(size=(100_000, 10))
    big = engine.Problem.create(big_x, big_x @ rng.normal(size=10), 1e-3)
    big_start = engine.evaluate(big, np.zeros(10))
    large = {}
    for optimizer in ("gd", "adam"):
        chosen = big.replaced(optimizer=optimizer)
        seconds = median_seconds(lambda chosen=chosen: engine.descend(chosen, big_start, 1), 15)
        large[optimizer] = seconds * 1e3
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
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
