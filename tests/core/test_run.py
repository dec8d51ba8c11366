"""The core's Run: one run's state, its Undo, and the one loop with its stop reasons. No Qt."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_desktop.core import engine
from gd_desktop.core.engine import Problem, ProblemError
from gd_desktop.core.limits import MAX_HISTORY
from gd_desktop.core.run import Run, StopReason, fit_weights, trace


def course_two_inputs(rate: float = 0.01) -> Run:
    return Run(Problem.create([3, 4], [6], rate), [1, 2])


def test_one_weight_course_figure():
    """Input 3, weight 2, target 10, rate 0.01: one step gives the slide's 2.24."""
    run = Run(Problem.create([3], [10], 0.01), [2])
    result = run.advance(1)
    assert result.steps == 1 and result.stopped is None
    assert run.current.weights[0] == pytest.approx(2.24, rel=1e-12)
    assert run.iteration == 1


def test_two_inputs_course_figures():
    """Inputs (3, 4), weights (1, 2), target 6: error 5, then 2.5 after one step."""
    run = course_two_inputs()
    assert run.current.errors[0] == pytest.approx(5.0)
    run.advance(1)
    np.testing.assert_allclose(run.current.weights, [0.7, 1.6], rtol=1e-12)
    assert run.current.errors[0] == pytest.approx(2.5, rel=1e-12)


def test_reset_goes_back_to_the_typed_weights_and_undo_brings_the_run_back():
    """A hand-moved weight is typed; Reset returns there, Undo restores the whole history."""
    run = course_two_inputs()
    run.set_weight(0, 5.0)
    run.advance(4)
    before = np.array(run.history.weights)
    assert run.reset()
    np.testing.assert_array_equal(run.current.weights, [5.0, 2.0])
    assert run.iteration == 0 and run.can_undo
    assert run.undo()
    np.testing.assert_array_equal(run.history.weights, before)
    assert not run.can_undo and not run.undo()


def test_back_then_a_change_drops_later_iterations_and_undo_restores_them():
    """Looking at iteration 2 of 6, a new weight drops 3..6 (four); Undo brings them back."""
    run = course_two_inputs(0.001)
    run.advance(6)
    full = np.array(run.history.weights)
    assert run.show_iteration(2) and not run.show_iteration(2)
    assert run.shown_index == 2 and not run.is_showing_latest
    np.testing.assert_array_equal(run.shown.weights, full[2])
    np.testing.assert_array_equal(run.next_weights, engine.next_weights(run.problem, run.shown))
    assert run.set_weight(1, 0.5) == 4
    assert run.iteration == 3 and run.history.moved_by_hand[3]
    np.testing.assert_array_equal(run.history.weights[:3], full[:3])
    assert run.undo()
    np.testing.assert_array_equal(run.history.weights, full)
    assert run.is_showing_latest


def test_a_new_rate_while_looking_back_goes_on_from_there():
    """A rate set at iteration 1 of 3 keeps iterations 0–1 and steps from there at the new rate."""
    run = course_two_inputs(0.001)
    run.advance(3)
    run.show_iteration(1)
    assert run.set_learning_rate(0.002) == 2
    run.advance(1)
    assert list(run.history.learning_rates) == [0.001, 0.001, 0.002]
    with pytest.raises(ProblemError, match="learning rate"):
        run.set_learning_rate(-1.0)
    assert run.problem.learning_rate == 0.002 and run.iteration == 2


def test_shown_problem_has_the_rate_of_the_step_from_the_shown_iteration():
    run = course_two_inputs(0.001)
    run.advance(2)
    run.set_learning_rate(0.003)
    run.advance(1)
    run.show_iteration(0)
    assert run.shown_problem.learning_rate == 0.001
    run.show_iteration(2)
    assert run.shown_problem.learning_rate == 0.003


@pytest.mark.parametrize("value", [float("nan"), 1e300])
def test_a_weight_the_engine_cannot_use_is_refused_and_changes_nothing(value):
    run = course_two_inputs()
    run.advance(2)
    weights = np.array(run.history.weights)
    with pytest.raises(ProblemError):
        run.set_weight(0, value)
    np.testing.assert_array_equal(run.history.weights, weights)
    assert not run.can_undo


def test_replay_recomputes_and_marks_iterations_moved_by_hand():
    """A saved run: steps stay steps; an iteration that is not the step before is moved by hand."""
    problem = Problem.create([3, 4], [6], 0.01)
    steps = engine.run(problem, [1, 2], 2).evaluations
    saved = [e.weights for e in steps] + [np.array([0.25, 0.5])]
    later = engine.evaluate(problem, saved[-1])
    saved.append(engine.next_weights(problem, later))
    run = Run(problem, [0, 0])
    run.load(problem, [1, 2], saved)
    assert list(run.history.moved_by_hand) == [False, False, False, True, False]
    np.testing.assert_array_equal(run.history.weights, np.array(saved))
    assert run.current.loss == engine.evaluate(problem, saved[-1]).loss
    np.testing.assert_array_equal(run.typed_weights, [1, 2])
    with pytest.raises(ProblemError):
        run.load(problem, [1, 2, 3])
    assert run.iteration == 4


def test_converged_when_a_step_changes_no_weight():
    """At rate 0.02 the two-input example is exact after one step: the next changes nothing."""
    run = course_two_inputs(0.02)
    result = run.advance(10)
    assert result.stopped is StopReason.CONVERGED and run.stopped is StopReason.CONVERGED
    assert result.steps == run.iteration == 2
    assert run.stop_sentence(result.stopped) == (
        "Converged at iteration 2: a step no longer changes the weights."
    )


def test_a_running_run_halts_where_the_loss_grew_three_times():
    """Above the critical rate 0.04 the loss grows ×1.44 a step: halted at iteration 3."""
    run = course_two_inputs(0.044)
    result = run.advance(1000)
    assert result.stopped is StopReason.DIVERGING and result.steps == 3
    assert np.all(np.diff(run.history.losses) > 0)
    assert run.stop_sentence(StopReason.DIVERGING) == (
        "The error grows each step: the learning rate is too big (it diverges above 0.04)."
    )


def test_steps_by_hand_only_warn_when_diverging():
    run = course_two_inputs(0.044)
    flags = [run.advance(1, halt_when_diverging=False).diverging for _ in range(4)]
    assert flags == [False, False, True, True]
    assert run.stopped is None and run.iteration == 4


def test_overflow_keeps_the_last_finite_state():
    """A huge rate grows until the next step is not finite; the run keeps every finite one."""
    run = Run(Problem.create([3], [10], 1e6), [2])
    result = run.advance(10_000, halt_when_diverging=False)
    assert result.stopped is StopReason.OVERFLOW
    assert run.current.is_finite and np.all(np.isfinite(run.history.losses))
    assert not engine.evaluate(run.problem, run.next_weights).is_finite
    assert run.stop_sentence(result.stopped).startswith("The numbers have grown too big")


def test_the_history_limit_stops_a_run():
    run = Run(Problem.create([3], [10], 0.0001), [2], history_limit=5)
    result = run.advance(100)
    assert result.stopped is StopReason.HISTORY_FULL and len(run.history) == 5 and run.is_full
    assert run.stop_sentence(result.stopped) == (
        "The history is full (5 iterations): press Reset to start again."
    )


def test_history_limit_shrinks_for_records_of_many_weights():
    assert course_two_inputs().history_limit == MAX_HISTORY
    wide = Problem.create(np.ones((20, 10)), np.ones(20), 0.01, 8, "tanh")
    run = Run(wide, np.full(wide.weight_count, 0.1))
    assert 1000 <= run.history_limit < MAX_HISTORY


def test_a_hidden_layer_diverging_has_a_sentence_without_a_critical_rate():
    problem = Problem.create([[1.0], [2.0]], [1.0, 2.0], 0.01, 2, "tanh")
    run = Run(problem, [0.1, 0.2, 0.3, 0.4])
    assert run.critical_learning_rate is None
    assert run.stop_sentence(StopReason.DIVERGING) == (
        "The error grows each step: the learning rate is too big."
    )


@pytest.mark.parametrize(
    "problem",
    [
        Problem.create([[3.0, 4.0], [1.0, 2.0], [2.0, 0.5]], [6.0, 1.0, 2.0], 0.01),
        Problem.create([[1, 2], [2, 1], [3, 1]], [3, 3, 4], 0.02, batch_size=2, seed=7),
        Problem.create([[1.0], [-1.0], [2.0]], [1.0, 1.0, 2.0], 0.05, 2, "relu"),
        Problem.create(np.linspace(-1, 1, 180).reshape(60, 3), np.linspace(0, 1, 60), 0.01),
    ],
    ids=["full batch", "mini-batch", "hidden layer", "numpy's path (60 rows)"],
)  # fmt: skip
def test_chunked_advance_equals_single_steps_exactly(problem):
    """2500 steps at once (in chunks, a few of them) give the very numbers of 2500 single
    steps, and the run goes on from the very evaluation that evaluate() makes of its weights."""
    weights = np.linspace(0.3, -0.2, problem.weight_count)
    at_once, one_by_one = Run(problem, weights), Run(problem, weights)
    go_on = {"halt_when_diverging": False, "halt_when_converged": False}
    assert at_once.advance(2500, **go_on).steps == 2500
    for _ in range(2500):
        one_by_one.advance(1, **go_on)
    for name in ("weights", "gradients", "errors", "losses", "batch_losses"):
        np.testing.assert_array_equal(
            getattr(at_once.history, name), getattr(one_by_one.history, name)
        )
    again = engine.evaluate(problem, at_once.history.weights[-1])
    for current in (at_once.current, one_by_one.current):
        for name in ("weights", "predictions", "errors", "loss", "gradient", "hidden_values"):
            np.testing.assert_array_equal(getattr(current, name), getattr(again, name))


def test_trace_goes_on_through_convergence_and_stops_only_at_overflow():
    """trace takes every step asked for after converging; diverged_at is the first bad step."""
    converged = trace(Problem.create([3, 4], [6], 0.02), [1, 2], 6)
    assert len(converged.evaluations) == 7 and not converged.diverged
    blown = trace(Problem.create([3], [10], 1e6), [2], 10_000)
    assert blown.diverged_at == len(blown.evaluations)
    assert not engine.evaluate(
        blown.problem, engine.next_weights(blown.problem, blown.evaluations[-1])
    ).is_finite


def test_fit_weights_keeps_what_still_exists():
    old = Problem.create([3, 4], [6], 0.01)
    new = Problem.create([3, 4, 5], [6], 0.01)
    np.testing.assert_array_equal(fit_weights(old, np.array([1.0, 2.0]), new), [1, 2, 0])
    run = course_two_inputs()
    run.set_problem(new)
    np.testing.assert_array_equal(run.current.weights, [1, 2, 0])
    assert run.iteration == 0 and run.can_undo


@settings(max_examples=60, deadline=None)
@given(
    inputs=st.lists(
        st.lists(st.floats(-5, 5, allow_nan=False), min_size=2, max_size=2),
        min_size=1,
        max_size=4,
    ),
    targets_seed=st.integers(0, 1000),
    fraction=st.floats(0.01, 0.95),
    weights=st.lists(st.floats(-5, 5, allow_nan=False), min_size=2, max_size=2),
)
def test_below_the_critical_rate_a_running_run_never_diverges(
    inputs, targets_seed, fraction, weights
):
    """Full-batch descent below n / λmax(XᵀX) never raises the loss three times in a row."""
    targets = np.random.default_rng(targets_seed).uniform(-5, 5, len(inputs))
    base = Problem.create(inputs, targets, 0.0)
    critical = engine.critical_learning_rate(base)
    if not np.isfinite(critical):
        critical = 1.0
    run = Run(base.with_learning_rate(fraction * critical), weights)
    result = run.advance(400)
    assert result.stopped is not StopReason.DIVERGING


def test_a_small_problem_with_more_rows_than_the_history_keeps_errors_for_steps():
    """106 rows of one input go through the written-out loop (a small problem) and the history
    keeps the first ERROR_ROWS_KEPT errors (the monkey's "(5,106) into (5,16)")."""
    from gd_desktop.core.engine import ERROR_ROWS_KEPT, Problem, evaluate
    from gd_desktop.core.run import Run

    problem = Problem.create(
        inputs=np.arange(106.0).reshape(106, 1) / 100, targets=np.ones(106), learning_rate=0.01
    )
    assert problem.small_data is not None
    run = Run(problem, np.array([0.5]))
    run.advance(5)
    assert run.history.errors.shape == (6, ERROR_ROWS_KEPT)
    by_hand = evaluate(problem, run.history.weights[-1])
    assert run.history.errors[-1].tolist() == by_hand.errors[:ERROR_ROWS_KEPT].tolist()
