"""The engine's arithmetic: the course's worked examples, gradients, rates, history, runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gd_desktop.core import engine, limits
from gd_desktop.core.engine import Evaluation, History, Problem, ProblemError

PROPERTY = settings(max_examples=100, deadline=None)


# --- strategies -----------------------------------------------------------------------------

# Quarters in [-10, 10]: exact in binary, so the only rounding is the engine's own.
number = st.integers(min_value=-40, max_value=40).map(lambda k: k / 4)


@st.composite
def problems(draw, max_rows: int = 4, max_weights: int = 4):
    """A small problem: (inputs rows × weights, targets, weights)."""
    rows = draw(st.integers(min_value=1, max_value=max_rows))
    width = draw(st.integers(min_value=1, max_value=max_weights))
    inputs = [[draw(number) for _ in range(width)] for _ in range(rows)]
    targets = [draw(number) for _ in range(rows)]
    weights = [draw(number) for _ in range(width)]
    return inputs, targets, weights


def central_difference(problem: Problem, weights, index: int, h: float = 0.5) -> float:
    """Our own central difference; exact (up to rounding) for a quadratic loss at any h."""
    up = np.array(weights, dtype=float)
    down = up.copy()
    up[index] += h
    down[index] -= h
    return (engine.loss_of(problem, up) - engine.loss_of(problem, down)) / (2 * h)


def slow_loss_and_gradient(inputs, targets, weights):
    """The course's formulas with Python loops: loss = mean e², slope = mean 2·e·x."""
    n = len(inputs)
    errors = [sum(w * x for w, x in zip(weights, row)) - t for row, t in zip(inputs, targets)]
    loss = sum(e * e for e in errors) / n
    gradient = [
        sum(2 * e * row[i] for e, row in zip(errors, inputs)) / n for i in range(len(weights))
    ]
    return errors, loss, gradient


# --- worked example 1 -----------------------------------------------------------------------


def test_example_1_first_step_is_the_slides_numbers():
    """Input 3, weight 2, target 10: prediction 6, error −4, slope −24, new weight 2.24."""
    problem = Problem.create([3], [10], 0.01)
    first = engine.evaluate(problem, [2])
    assert first.predictions.tolist() == [6.0]
    assert first.errors.tolist() == [-4.0]
    assert first.gradient.tolist() == [-24.0]
    assert first.loss == 16.0
    assert engine.next_weights(problem, first).tolist() == [pytest.approx(2.24, rel=1e-12)]


def test_example_1_second_step_continues_as_the_course():
    """The step after 2.24 gives prediction 6.72, error −3.28, next weight 2.4368."""
    problem = Problem.create([3], [10], 0.01)
    second = engine.evaluate(problem, engine.next_weights(problem, engine.evaluate(problem, [2])))
    assert second.predictions[0] == pytest.approx(6.72, rel=1e-12)
    assert second.errors[0] == pytest.approx(-3.28, rel=1e-12)
    assert engine.next_weights(problem, second)[0] == pytest.approx(2.4368, rel=1e-12)


def test_example_1_run_records_start_and_two_steps():
    """engine.run over two steps records weights 2, 2.24, 2.4368 and predictions to match."""
    trace = engine.run(Problem.create([3], [10], 0.01), [2], 2)
    assert trace.diverged_at is None
    assert not trace.diverged
    weights = [e.weights[0] for e in trace.evaluations]
    predictions = [e.predictions[0] for e in trace.evaluations]
    assert weights == pytest.approx([2, 2.24, 2.4368], rel=1e-12)
    assert predictions == pytest.approx([6, 6.72, 7.3104], rel=1e-12)


# --- worked example 2 -----------------------------------------------------------------------


def test_example_2_two_inputs_matches_the_slides():
    """Weights [1,2], inputs [3,4], target 6: pred 11, error 5, gradient [30,40] -> [0.7,1.6]."""
    problem = Problem.create([3, 4], [6], 0.01)
    first = engine.evaluate(problem, [1, 2])
    assert first.predictions.tolist() == [11.0]
    assert first.errors.tolist() == [5.0]
    assert first.gradient.tolist() == [30.0, 40.0]
    updated = engine.next_weights(problem, first)
    assert updated.tolist() == pytest.approx([0.7, 1.6], rel=1e-12)
    after = engine.evaluate(problem, updated)
    assert after.predictions[0] == pytest.approx(8.5, rel=1e-12)
    assert after.errors[0] == pytest.approx(2.5, rel=1e-12)


# --- gradients ------------------------------------------------------------------------------


def test_several_rows_loss_is_mean_and_slope_is_mean_of_two_error_input():
    """With three rows, loss and slope are the means the course defines, not sums."""
    inputs = [[1.0, 2.0], [3.0, -1.0], [0.5, 4.0]]
    targets = [1.0, 2.0, 3.0]
    weights = [0.5, -0.25]
    errors, loss, gradient = slow_loss_and_gradient(inputs, targets, weights)
    evaluation = engine.evaluate(Problem.create(inputs, targets, 0.1), weights)
    assert evaluation.errors.tolist() == pytest.approx(errors, rel=1e-12)
    assert evaluation.loss == pytest.approx(loss, rel=1e-12)
    assert evaluation.gradient.tolist() == pytest.approx(gradient, rel=1e-12)


@pytest.mark.parametrize(
    ("inputs", "targets", "weights"),
    [
        ([3], [10], [2]),
        ([3, 4], [6], [1, 2]),
        ([[1.0, 2.0], [3.0, -1.0], [0.5, 4.0]], [1.0, 2.0, 3.0], [0.5, -0.25]),
    ],
)
def test_engine_finite_difference_agrees_with_gradient(inputs, targets, weights):
    """engine.finite_difference_slope matches the analytic gradient, for one and several rows."""
    problem = Problem.create(inputs, targets, 0.01)
    gradient = engine.evaluate(problem, weights).gradient
    for index in range(problem.weight_count):
        slope = engine.finite_difference_slope(problem, np.array(weights, dtype=float), index)
        assert slope == pytest.approx(gradient[index], rel=1e-6, abs=1e-6)
        assert slope == pytest.approx(central_difference(problem, weights, index), rel=1e-6)


@PROPERTY
@given(problems())
def test_gradient_matches_central_differences(case):
    """On random small problems each gradient component equals a central difference."""
    inputs, targets, weights = case
    problem = Problem.create(inputs, targets, 0.01)
    evaluation = engine.evaluate(problem, weights)
    scale = 1.0 + evaluation.loss
    for index in range(problem.weight_count):
        ours = central_difference(problem, weights, index)
        assert evaluation.gradient[index] == pytest.approx(ours, rel=1e-9, abs=1e-9 * scale)
        theirs = engine.finite_difference_slope(problem, np.array(weights, dtype=float), index)
        assert evaluation.gradient[index] == pytest.approx(theirs, rel=1e-6, abs=1e-6 * scale)


# --- the critical learning rate -------------------------------------------------------------


def test_critical_rate_example_1_is_one_ninth():
    """One input of 3: the run diverges above 1/9."""
    assert engine.critical_learning_rate(Problem.create([3], [10], 0.01)) == pytest.approx(
        1 / 9, rel=1e-12
    )


def test_critical_rate_example_2_is_one_twenty_fifth():
    """Inputs [3, 4]: the run diverges above 1/25 = 0.04."""
    assert engine.critical_learning_rate(Problem.create([3, 4], [6], 0.01)) == pytest.approx(
        0.04, rel=1e-12
    )


def test_critical_rate_several_rows_is_n_over_largest_eigenvalue():
    """With rows [1,0] and [0,2] (n = 2, λmax(XᵀX) = 4) the critical rate is 2/4."""
    problem = Problem.create([[1, 0], [0, 2]], [0, 0], 0.01)
    assert engine.critical_learning_rate(problem) == pytest.approx(0.5, rel=1e-12)


def test_critical_rate_all_zero_inputs_is_infinite():
    """When every input is 0 the loss ignores the weights and no rate diverges."""
    assert engine.critical_learning_rate(Problem.create([[0, 0], [0, 0]], [1, 2], 5.0)) == float(
        "inf"
    )


@pytest.mark.parametrize("signs", [(1, 1), (1, -1)])
def test_critical_rate_of_huge_inputs_is_tiny_without_overflow(signs):
    """Inputs near 1e155 overflow XᵀX; the rate is still ≈ n/λmax, with no warning or NaN."""
    scale = 1e155
    problem = Problem.create([[3 * scale * signs[0], 4 * scale * signs[1]]], [0], 0.01)
    rate = engine.critical_learning_rate(problem)  # filterwarnings=error: a warning fails here
    assert rate == pytest.approx(0.04 / scale / scale, rel=1e-3)


@PROPERTY
@given(problems(), st.floats(min_value=0.0, max_value=0.999))
def test_step_below_critical_rate_never_increases_loss(case, fraction):
    """Any learning rate below n/λmax(XᵀX) gives steps that do not raise the loss."""
    inputs, targets, weights = case
    base = Problem.create(inputs, targets, 0.0)
    critical = engine.critical_learning_rate(base)
    assume(np.isfinite(critical))
    problem = base.with_learning_rate(fraction * critical)
    current = engine.evaluate(problem, weights)
    for _ in range(20):
        following = engine.evaluate(problem, engine.next_weights(problem, current))
        assert following.loss <= current.loss + 1e-9 * (1.0 + current.loss)
        current = following


@PROPERTY
@given(problems())
def test_step_above_critical_rate_grows_loss_and_is_detected(case):
    """At 1.5 × the critical rate the loss eventually grows and loss_is_growing says so."""
    inputs, targets, weights = case
    base = Problem.create(inputs, targets, 0.0)
    critical = engine.critical_learning_rate(base)
    assume(np.isfinite(critical))
    # The run must start off the minimum along the stiffest direction, or nothing can grow.
    _, vectors = np.linalg.eigh(base.inputs.T @ base.inputs)
    gradient = engine.evaluate(base, weights).gradient
    assume(abs(float(vectors[:, -1] @ gradient)) > 1e-6)
    trace = engine.run(base.with_learning_rate(1.5 * critical), weights, 3000)
    losses = np.array([e.loss for e in trace.evaluations])
    assert trace.diverged  # the error is doubled at every step: 3000 steps must overflow
    assert losses[-1] > losses[0]
    assert engine.loss_is_growing(losses)


def test_loss_is_growing_on_course_example_1():
    """Example 1: at lr 0.01 the loss shrinks (not growing); at lr 0.2 > 1/9 it grows."""
    slow = engine.run(Problem.create([3], [10], 0.01), [2], 10)
    fast = engine.run(Problem.create([3], [10], 0.2), [2], 10)
    assert not engine.loss_is_growing(np.array([e.loss for e in slow.evaluations]))
    assert engine.loss_is_growing(np.array([e.loss for e in fast.evaluations]))


@pytest.mark.parametrize(
    ("losses", "expected"),
    [
        ([1.0, 2.0, 3.0], False),  # too short to tell over a window of 3
        ([1.0, 2.0, 3.0, 4.0], True),
        ([5.0, 1.0, 2.0, 3.0, 4.0], True),  # only the last steps count
        ([1.0, 2.0, 3.0, 4.0, 3.9], False),
        ([2.0, 2.0, 2.0, 2.0], False),  # flat is not growing
        ([1.0, 2.0, 3.0, float("inf")], True),
        ([1.0, 1.0, 1.0, float("nan")], True),
    ],
)
def test_loss_is_growing_cases(losses, expected):
    """loss_is_growing is true only when the last three steps each raised the loss."""
    assert engine.loss_is_growing(np.array(losses)) is expected


# --- the loss along one weight --------------------------------------------------------------


@PROPERTY
@given(problems(), st.data())
def test_loss_along_weight_equals_loss_of_point_by_point(case, data):
    """The vectorised curve equals loss_of with that one weight replaced, at every value."""
    inputs, targets, weights = case
    problem = Problem.create(inputs, targets, 0.01)
    w = np.array(weights, dtype=float)
    index = data.draw(st.integers(min_value=0, max_value=problem.weight_count - 1))
    values = np.array(data.draw(st.lists(number, min_size=1, max_size=20)))
    curve = engine.loss_along_weight(problem, w, index, values)
    assert curve.shape == values.shape
    for value, loss in zip(values, curve):
        moved = w.copy()
        moved[index] = value
        expected = engine.loss_of(problem, moved)
        assert loss == pytest.approx(expected, rel=1e-9, abs=1e-9)


@PROPERTY
@given(problems(), st.data())
def test_minimum_along_weight_has_zero_slope(case, data):
    """At minimum_along_weight the slope along that weight is ~0 and neighbours are not lower."""
    inputs, targets, weights = case
    problem = Problem.create(inputs, targets, 0.01)
    w = np.array(weights, dtype=float)
    index = data.draw(st.integers(min_value=0, max_value=problem.weight_count - 1))
    bottom = engine.minimum_along_weight(problem, w, index)
    if not np.any(problem.inputs[:, index]):
        assert bottom is None
        return
    assert bottom is not None
    at = w.copy()
    at[index] = bottom
    evaluation = engine.evaluate(problem, at)
    scale = 1.0 + float(np.max(np.abs(problem.inputs))) * (1.0 + float(np.max(np.abs(w))))
    assert abs(evaluation.gradient[index]) <= 1e-9 * scale * scale
    neighbours = engine.loss_along_weight(problem, w, index, np.array([bottom - 0.5, bottom + 0.5]))
    assert np.all(neighbours >= evaluation.loss - 1e-9 * (1.0 + evaluation.loss))


def test_minimum_along_weight_example_1_is_target_over_input():
    """Example 1 (input 3, target 10): the lowest loss is at weight 10/3."""
    problem = Problem.create([3], [10], 0.01)
    assert engine.minimum_along_weight(problem, np.array([2.0]), 0) == pytest.approx(10 / 3)


def test_minimum_along_weight_without_effect_is_none():
    """A weight whose input is 0 in every row has no minimum along it."""
    problem = Problem.create([[0, 1], [0, 2]], [1, 1], 0.01)
    assert engine.minimum_along_weight(problem, np.array([1.0, 1.0]), 0) is None


# --- history --------------------------------------------------------------------------------


def _record(i: int, weight_count: int = 2, row_count: int = 3) -> Evaluation:
    """A recognisable evaluation number i."""
    return Evaluation(
        weights=np.arange(weight_count, dtype=float) + i,
        predictions=np.zeros(row_count),
        errors=np.arange(row_count, dtype=float) - i,
        loss=float(i) * 0.5,
        gradient=np.arange(weight_count, dtype=float) * i,
    )


def test_history_keeps_ten_thousand_records_exactly():
    """10 000 appends across many doublings keep every value in order."""
    count = 10_000
    history = History(weight_count=2, row_count=3)
    for i in range(count):
        history.append(_record(i), learning_rate=i * 1e-3, moved_by_hand=(i % 7 == 0))
    index = np.arange(count, dtype=float)
    assert len(history) == count
    assert history.weights.shape == (count, 2)
    assert history.errors.shape == (count, 3)
    np.testing.assert_array_equal(history.weights, np.stack([index, index + 1], axis=1))
    np.testing.assert_array_equal(history.gradients, np.stack([0 * index, index], axis=1))
    np.testing.assert_array_equal(history.errors, np.stack([-index, 1 - index, 2 - index], axis=1))
    np.testing.assert_array_equal(history.losses, index * 0.5)
    np.testing.assert_array_equal(history.learning_rates, index * 1e-3)
    np.testing.assert_array_equal(history.moved_by_hand, np.arange(count) % 7 == 0)


def test_history_views_are_read_only():
    """Every view refuses writes, so the plots cannot corrupt the record."""
    history = History(weight_count=2, row_count=1)
    history.append(_record(1, row_count=1), 0.01)
    for view in (
        history.weights,
        history.gradients,
        history.errors,
        history.losses,
        history.learning_rates,
        history.moved_by_hand,
    ):
        assert not view.flags.writeable
        with pytest.raises(ValueError):
            view[0] = 0


def test_history_growth_keeps_earlier_values_and_views():
    """Growing past the capacity keeps old values; a view taken before growth stays valid."""
    history = History(weight_count=1, row_count=1, capacity=2)
    history.append(_record(0, 1, 1), 0.1)
    history.append(_record(1, 1, 1), 0.2)
    before = history.losses
    np.testing.assert_array_equal(before, [0.0, 0.5])
    for i in range(2, 9):
        history.append(_record(i, 1, 1), 0.1 * (i + 1))
    np.testing.assert_array_equal(before, [0.0, 0.5])
    np.testing.assert_array_equal(history.losses, np.arange(9) * 0.5)
    np.testing.assert_allclose(history.learning_rates, 0.1 * (np.arange(9) + 1), rtol=1e-15)
    assert len(history) == 9


def test_history_starts_empty():
    """A new history has length 0 and empty views of the right width."""
    history = History(weight_count=3, row_count=2)
    assert len(history) == 0
    assert history.weights.shape == (0, 3)
    assert history.errors.shape == (0, 2)
    assert history.losses.shape == (0,)


# --- run --------------------------------------------------------------------------------------


def test_run_stops_at_first_non_finite_value():
    """A diverging run keeps only finite evaluations and names the step that blew up."""
    problem = Problem.create([3], [10], 1.0)  # each step multiplies the error by −17
    trace = engine.run(problem, [2], 10_000)
    assert trace.diverged
    assert trace.diverged_at == len(trace.evaluations)
    assert 10 < trace.diverged_at < 10_000
    assert all(e.is_finite for e in trace.evaluations)
    following = engine.evaluate(problem, engine.next_weights(problem, trace.evaluations[-1]))
    assert not following.is_finite


def test_run_with_zero_steps_evaluates_only_the_start():
    """steps=0 gives just the starting evaluation and no divergence."""
    trace = engine.run(Problem.create([3], [10], 0.01), [2], 0)
    assert len(trace.evaluations) == 1
    assert trace.evaluations[0].weights.tolist() == [2.0]
    assert trace.evaluations[0].loss == 16.0
    assert trace.diverged_at is None


def test_run_counts_each_step():
    """A run that does not diverge holds steps + 1 evaluations."""
    trace = engine.run(Problem.create([3, 4], [6], 0.01), [1, 2], 25)
    assert len(trace.evaluations) == 26
    assert not trace.diverged


def test_run_rejects_negative_steps():
    """A negative number of steps is a ProblemError."""
    with pytest.raises(ProblemError):
        engine.run(Problem.create([3], [10], 0.01), [2], -1)


def test_run_with_overflowing_start_is_a_problem_error():
    """A start whose prediction already overflows is refused, not returned as a 'finite' run."""
    problem = Problem.create([1e200], [0], 0.01)
    with pytest.raises(ProblemError):
        engine.run(problem, [1e200], 3)


@pytest.mark.parametrize(
    ("inputs", "targets", "learning_rate"),
    [
        ([[1, 2], [3, 4]], [1], 0.01),  # one target for two rows
        ([1, 2], [1, 2], 0.01),  # one row, two targets
        ([1, float("nan")], [1], 0.01),
        ([1, 2], [float("inf")], 0.01),
        ([1, 2], [1], -0.01),
        ([1, 2], [1], float("nan")),
        ([1, 2], [1], float("inf")),
        ([1] * (limits.MAX_INPUTS + 1), [1], 0.01),
        ([], [], 0.01),
    ],
)
def test_problem_create_rejects_bad_problems(inputs, targets, learning_rate):
    """Mismatched lengths, NaN/inf, a negative rate and too many inputs are ProblemErrors."""
    with pytest.raises(ProblemError):
        Problem.create(inputs, targets, learning_rate)


def test_problem_accepts_the_maximum_number_of_inputs():
    """Exactly MAX_INPUTS (10, for data sets; the window offers 8 to type) inputs is allowed."""
    problem = Problem.create([1] * limits.MAX_INPUTS, [1], 0.01)
    assert problem.weight_count == limits.MAX_INPUTS == 10


@pytest.mark.parametrize("weights", [[1], [1, 2, 3], [1, float("nan")], [float("-inf"), 1]])
def test_run_rejects_bad_weights(weights):
    """Weights must be one finite number per input."""
    with pytest.raises(ProblemError):
        engine.run(Problem.create([3, 4], [6], 0.01), weights, 1)


def test_problem_data_is_read_only():
    """A created problem's inputs and targets cannot be changed behind the engine's back."""
    problem = Problem.create([3, 4], [6], 0.01)
    with pytest.raises(ValueError):
        problem.inputs[0, 0] = 1
    with pytest.raises(ValueError):
        problem.targets[0] = 1


# --- no Qt ------------------------------------------------------------------------------------


def test_engine_and_trace_import_no_qt():
    """Importing the engine and the trace command loads neither PySide6 nor pyqtgraph."""
    code = textwrap.dedent(
        """
        import gd_desktop.core.engine, gd_desktop.core.trace, gd_desktop.app, sys
        gui = sorted(n for n in sys.modules if n.startswith(("PySide6", "pyqtgraph")))
        print("engine" in dir(gd_desktop.core.trace))
        print(",".join(gui))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "True"  # the modules really were imported
    assert lines[1:] in ([], [""])


def test_minimum_along_weight_is_none_when_the_numbers_overflow():
    """Inputs near the largest float: no finite bottom, no overflow warning, None for the views."""
    problem = Problem.create([[1e308, 1e308]], [1.0], 0.01)
    assert engine.minimum_along_weight(problem, np.array([1.0, 2.0]), 0) is None
