"""Adam at rest (engine._adam_at_rest): once the slopes are exactly 0 and the bias corrections
1.0, its steps only scale the buffers, and they are computed a chunk at a time. The records must
be the step-by-step loop's to the last bit, zeros' signs included."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_desktop.core import engine
from gd_desktop.core.run import Run
from gd_desktop.core.trace import fast_summary
from gd_desktop.core.trace_table import trace_table

RECORDS = ("weights", "gradients", "errors", "losses", "learning_rates", "optimizer_buffers")


def run_records(problem: engine.Problem, weights, steps: int, monkeypatch=None) -> dict:
    """The run's records after ``steps`` steps as trace takes them (never halting)."""
    run = Run(problem, weights, history_limit=steps + 1)
    run.advance(steps, halt_when_diverging=False, halt_when_converged=False)
    return {name: np.array(getattr(run.history, name)) for name in RECORDS}


def step_by_step(problem, weights, steps: int) -> dict:
    """The same run with the chunked path switched off: every step through the loop."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "_may_rest", lambda *args: False)
        return run_records(problem, weights, steps)


def assert_same_bits(fast: dict, slow: dict) -> None:
    for name in RECORDS:
        assert fast[name].shape == slow[name].shape, name
        np.testing.assert_array_equal(fast[name].view(np.uint64), slow[name].view(np.uint64))


def count_rests(problem, weights, steps: int) -> int:
    """How many chunks the run took at rest (the path this file is about)."""
    calls = []
    original = engine._adam_at_rest

    def counted(*args):
        rest = original(*args)
        calls.append(rest is not None)
        return rest

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "_adam_at_rest", counted)
        run_records(problem, weights, steps)
    return sum(calls)


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(-4, 4), st.integers(-4, 4), st.integers(-9, 9)),
        min_size=1,
        max_size=2,
    ),
    beta1=st.sampled_from([0.0, 0.3, 0.6, 0.9]),
    beta2=st.sampled_from([0.5, 0.9, 0.97]),
    epsilon=st.sampled_from([1e-8, 1e-3, 1e-12]),
    rate=st.sampled_from([0.01, 0.05, 0.2]),
    start=st.tuples(st.integers(-3, 3), st.integers(-3, 3)),
)
def test_at_rest_the_records_are_the_loops_to_the_last_bit(
    rows, beta1, beta2, epsilon, rate, start
):
    """Small integer data (the error reaches exactly 0, the slopes ±0 with negative inputs),
    every β₁ down to 0 (m rounding to a zero of either sign), β₂ whose corrections vanish within
    the run: the chunked records equal the loop's, and the run is at rest for part of them."""
    inputs = [[float(a), float(b)] for a, b, _ in rows]
    targets = [float(y) for *_, y in rows]
    problem = engine.Problem.create(inputs, targets, rate).replaced(
        optimizer="adam", beta1=beta1, beta2=beta2, epsilon=epsilon
    )
    weights = [float(w) for w in start]
    assert_same_bits(run_records(problem, weights, 6000), step_by_step(problem, weights, 6000))


def test_the_chapters_example_comes_to_rest_and_its_summary_is_unchanged():
    """The chapter's example with Adam: at rest from the corrections' end (t ≈ 41,600) until v
    reaches its smallest number, about 700,000 steps later; the summary is the loop's."""
    problem = engine.Problem.create([[3.0, 4.0]], [6.0], 0.01).replaced(optimizer="adam")
    assert count_rests(problem, [1.0, 2.0], 60_000) > 0
    assert_same_bits(
        run_records(problem, [1.0, 2.0], 60_000), step_by_step(problem, [1.0, 2.0], 60_000)
    )
    summary = "".join(fast_summary(trace_table(problem, [1.0, 2.0], 1_000_000, last_only=True)))
    assert summary == (
        '{"iteration": 1000000, "weights": [0.28571428576188646, 1.285714285678585], '
        '"predictions": [6.0], "errors": [0.0], "loss": 0.0, "gradient": [0.0, 0.0], '
        '"rate": 0.01, "state": {"m": [-2.5e-323, -2.5e-323], "v": [2.465e-321, 2.465e-321]}}\n'
    )


@pytest.mark.parametrize("beta1", [0.0, 0.3, 0.9])
def test_a_slope_of_minus_zero_and_buffers_that_reach_zero_keep_their_signs(beta1):
    """A negative input makes a slope of −0.0; a small β₁ takes m to a zero: the signs of the
    zeros are the loop's too."""
    problem = engine.Problem.create([[-3.0, 4.0]], [5.0], 0.01).replaced(
        optimizer="adam", beta1=beta1, beta2=0.9
    )
    fast = run_records(problem, [1.0, 2.0], 6000)
    assert count_rests(problem, [1.0, 2.0], 6000) > 0
    assert np.signbit(fast["gradients"][-1][0])  # −0.0
    assert_same_bits(fast, step_by_step(problem, [1.0, 2.0], 6000))


def test_a_slope_that_is_not_zero_or_a_schedule_is_never_at_rest():
    """Moving weights, a schedule or mini-batches: the loop takes every step."""
    moving = engine.Problem.create([[3.0, 4.0]], [6.5], 1e-7).replaced(optimizer="adam")
    scheduled = engine.Problem.create([[3.0, 4.0]], [6.0], 0.01).replaced(
        optimizer="adam", schedule="exponential", gamma=0.9999
    )
    for problem in (moving, scheduled):
        assert count_rests(problem, [1.0, 2.0], 50_000) == 0


def descents(problem, weights, buffers, steps: int = 200, t: int = 1000):
    """One descent from ``weights`` with Adam's buffers ``buffers`` (m row, v row) after ``t``
    steps: chunked where it may be, and step by step."""
    start = engine.evaluate(problem, np.array(weights))
    state = engine.OptimizerState(t, np.array(buffers))
    fast = engine.descend(problem, start, steps, t, state, stop_unchanged=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "_may_rest", lambda *args: False)
        slow = engine.descend(problem, start, steps, t, state, stop_unchanged=False)
    return fast, slow


def assert_same_descent(fast, slow) -> None:
    for name in ("weights", "gradients", "errors", "losses", "rates", "optimizer_steps"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
    np.testing.assert_array_equal(fast.buffers.view(np.uint64), slow.buffers.view(np.uint64))


def test_a_weight_that_moves_again_ends_the_rest_where_the_loop_moves_it():
    """With β₁ above √β₂, m / √v grows while √v is above ε: a weight at rest moves again some
    steps later. The chunk stops at that step and the loop takes it, as step by step."""
    problem = engine.Problem.create([[3.0, 4.0]], [11.0], 0.01).replaced(
        optimizer="adam", beta1=0.9, beta2=0.5, epsilon=1e-12
    )
    buffers = [[1e-20, 0.0], [1e-10, 0.0]]  # at (1, 2) the error is 0: the slopes are 0
    fast, slow = descents(problem, [1.0, 2.0], buffers)
    moved = np.flatnonzero((slow.weights[1:] != slow.weights[:-1]).any(axis=1))
    assert (slow.weights[0] == [1.0, 2.0]).all() and 0 < moved[0] < 100  # at rest, then not
    assert len(fast) == moved[0] + 1  # the chunk ends at the last step that moved nothing
    assert_same_descent(fast, slow.first(len(fast)))


def test_a_negative_m_that_rounds_to_zero_becomes_the_loops_plus_zero():
    """m = −1.5e−323 with β₁ = 0.3 is −5e−324 after a step, then rounds to −0.0, and adding
    (1 − β₁)·(+0.0) makes it +0.0."""
    problem = engine.Problem.create([[3.0, 4.0]], [11.0], 0.01).replaced(
        optimizer="adam", beta1=0.3, beta2=0.9
    )
    fast, slow = descents(problem, [1.0, 2.0], [[-1.5e-323, 1.5e-323], [1e-300, 0.0]])
    assert not np.signbit(slow.buffers[-1][0]).any()  # both +0.0 in the end
    assert len(fast) == len(slow)  # at rest to the end
    assert_same_descent(fast, slow)
