"""trace's fast path (tests of gd_desktop/core/trace_table.py): byte for byte the plain output.

The plain path evaluates every step on its own and writes it with ``csv`` and ``json``; the fast
one builds the records from the run's arrays and writes repeats without computing them. Random
problems of every kind are compared: converging, swinging just below the critical rate, diverging
to an overflow, with a hidden layer and with mini-batches.
"""

from __future__ import annotations

import numpy as np
import pytest

from gd_desktop.core import engine, optimizers, trace_table
from gd_desktop.core.trace import (
    as_csv,
    as_json,
    as_summary,
    fast_csv,
    fast_json,
    fast_summary,
    trace_main,
)
from gd_desktop.core.trace_table import TraceTable


def random_problem(seed: int) -> tuple[engine.Problem, list[float], int]:
    """A problem, its starting weights and a number of steps, drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    rows, inputs = int(rng.integers(1, 6)), int(rng.integers(1, 4))
    data = np.round(rng.uniform(-5, 5, (rows, inputs)), int(rng.integers(0, 3)))
    targets = np.round(rng.uniform(-10, 10, rows), 1)
    hidden = int(rng.choice([0, 0, 0, 1, 2]))
    batch = int(rng.choice([0, 0, 0, 1])) if rows > 1 else 0
    activation = str(rng.choice(list(engine.ACTIVATIONS))) if hidden else "identity"
    optimizer = str(rng.choice(["gd", "gd", "gd", *optimizers.OPTIMIZERS]))
    schedule = str(rng.choice(["constant", "constant", *optimizers.SCHEDULES]))
    base = engine.Problem.create(
        data, targets, 0.01, hidden, activation, batch, seed, optimizer=optimizer, schedule=schedule
    )
    critical = engine.critical_learning_rate(base)
    if critical is None or not np.isfinite(critical):
        critical = 0.1
    # Well below the critical rate (converges), just below it (swings), or above (overflows).
    rate = critical * float(rng.choice([0.3, 0.9, 0.999, 0.999999, 1.5, 3.0]))
    problem = base.with_learning_rate(rate)
    weights = np.round(rng.uniform(-2, 2, problem.weight_count), 2).tolist()
    return problem, weights, int(rng.choice([0, 1, 7, 300, 5000]))


@pytest.mark.parametrize("seed", range(80))
def test_fast_output_is_the_plain_output_byte_for_byte(seed):
    problem, weights, steps = random_problem(seed)
    plain = engine.run(problem, weights, steps)
    fast = trace_table.trace_table(problem, weights, steps)
    assert "".join(fast_csv(fast)) == as_csv(plain)
    assert "".join(fast_json(fast)) == as_json(plain)
    if steps < 5000:  # the summary: the last record alone, from the repeat too
        last = trace_table.trace_table(problem, weights, steps, last_only=True)
        assert "".join(fast_summary(last)) == as_summary(plain)


def test_the_seeds_cover_every_kind_of_run():
    """The random problems above do converge, repeat, overflow, and use hidden layers and
    mini-batches (else the comparison would prove less than it says)."""
    kinds = set()
    for seed in range(80):
        problem, weights, steps = random_problem(seed)
        table = trace_table.trace_table(problem, weights, steps)
        kinds.add("overflow" if table.diverged_at else "finite")
        kinds.add("repeated" if table.computed < table.count else "all computed")
        kinds.add("hidden" if problem.hidden_count else "linear")
        kinds.add("batches" if problem.batch_size else "full batch")
    assert kinds == {
        "overflow", "finite", "repeated", "all computed", "hidden", "linear", "batches",
        "full batch",
    }  # fmt: skip


def converged_table(steps: int) -> TraceTable:
    problem = engine.Problem.create([[3.0, 4.0]], [6.0], 0.01)
    return trace_table.trace_table(problem, [1.0, 2.0], steps)


def test_a_fixed_point_stops_the_computing_and_the_records_repeat():
    """The course example reaches weights that no step changes: later records are copies."""
    table = converged_table(100_000)
    assert table.count == 100_001 and table.period == 1
    assert table.computed < 5_000
    assert table.source(100_000) == table.computed - 1


def test_a_two_step_swing_is_found_just_below_the_critical_rate():
    problem = engine.Problem.create([[3.0, 4.0]], [6.0], 0.0399)
    table = trace_table.trace_table(problem, [1.0, 2.0], 100_000)
    assert table.period == 2 and table.computed < 20_000
    plain = engine.run(problem, [1.0, 2.0], table.computed + 5)
    assert "".join(fast_csv(trace_table.trace_table(problem, [1.0, 2.0], table.computed + 5))) == (
        as_csv(plain)
    )


def test_the_same_weights_but_a_zero_of_another_sign_is_no_repeat():
    """0.0 and −0.0 are equal numbers but not the same bits (and print differently)."""
    history = np.array([[0.0, 1.0], [-0.0, 1.0]])
    assert trace_table._repeat_period(history) == 0
    assert trace_table._repeat_period(np.array([[0.0, 1.0], [0.0, 1.0]])) == 1


@pytest.mark.parametrize(
    "how", [{"batch_size": 1}, {"optimizer": "momentum"}, {"schedule": "step"}], ids=str
)
def test_mini_batches_other_optimizers_and_schedules_are_never_taken_for_a_repeat(how):
    """Their next step depends on more than the weights (the rows drawn, buffers, the rate)."""
    problem = engine.Problem.create([[1.0], [2.0]], [1.0, 2.0], 0.1, **how)
    table = trace_table.trace_table(problem, [1.0], 500)
    assert table.computed == table.count == 501


def test_trace_writes_a_million_converged_steps_as_csv(capsys):
    """What the command prints for 10⁶ steps: every iteration, once, in order (its speed is
    in benchmarks/bench_trace.py, not timed here)."""
    words = "--weights 1 2 --inputs 3 4 --target 6 --learning-rate 0.01 --format csv"
    assert trace_main([*words.split(), "--steps", "1000000"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1_000_002
    assert lines[-1].startswith("1000000,") and lines[-2].startswith("999999,")
    assert lines[-1].partition(",")[2] == lines[-2].partition(",")[2]
