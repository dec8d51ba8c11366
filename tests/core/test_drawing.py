"""What the views get when numbers overflow: finite points and ranges, bounded widths, words."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from gd_desktop.core import drawing, engine
from gd_desktop.core.diagram import network_picture
from gd_desktop.core.engine import Problem, ProblemError
from gd_desktop.core.numbers import NOT_A_NUMBER_WORDS, TOO_LARGE, UNDEFINED, format_number
from gd_desktop.core.run import START_TOO_LARGE, Run, StopReason

INF, NAN = math.inf, math.nan


@pytest.mark.parametrize(
    ("value", "text"),
    [(INF, TOO_LARGE), (-INF, TOO_LARGE), (NAN, UNDEFINED), (None, UNDEFINED)],
)
def test_format_number_writes_words_for_what_is_no_number(value, text):
    """Never an exception and never "nan" or "inf": a hidden layer's missing critical rate was
    format_number(None), a TypeError."""
    assert format_number(value) == text
    assert text in NOT_A_NUMBER_WORDS


@pytest.mark.parametrize(
    ("low", "high"),
    [(-INF, INF), (NAN, NAN), (1e308, -1e308), (5.0, 5.0), (0.0, 0.0), (1e99, 1e99), (INF, 1)],
)
def test_padded_range_is_always_finite_and_not_empty(low, high):
    """pyqtgraph raised "Cannot set range [-inf, inf]" from the plots' keep-in-view."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bottom, top = drawing.padded_range(low, high, 0.08)
    assert math.isfinite(bottom) and math.isfinite(top)
    assert bottom < top


def test_drawable_points_leave_out_what_cannot_be_drawn():
    xs, ys = drawing.drawable_points([0, 1, 2, 3, 4], [1.0, INF, NAN, 1e300, -2.0])
    assert xs.tolist() == [0.0, 4.0]
    assert ys.tolist() == [1.0, -2.0]


def test_clipped_holds_a_huge_curve_at_the_bound():
    values = drawing.clipped([1.0, 1e300, -INF])
    assert values.tolist() == [1.0, drawing.LARGEST_DRAWN, -drawing.LARGEST_DRAWN]


def test_a_steep_tangent_far_out_is_not_drawn():
    """slope × half-width overflowed into the tangent's setData."""
    xs, ys = drawing.tangent_line(1.0, 1e90, 1e300, 1e10)
    assert xs.size == 0 and ys.size == 0
    xs, ys = drawing.tangent_line(2.0, 4.0, 4.0, 1.0)
    assert ys.tolist() == [0.0, 8.0]


def test_view_around_says_none_for_points_too_large():
    assert drawing.view_around([1e200, 1.0], 0.15, 0.5) is None
    low, high = drawing.view_around([1.0, 1.0], 0.15, 0.5)
    assert low < 1.0 < high


def test_edge_shares_are_bounded_to_0_and_1():
    """A slope of −inf beside finite ones drew a dashed pen of infinite width: the paint of the
    diagram never returned."""
    shares = drawing.edge_shares([-INF, 2.0, -1.0, NAN, 0.0])
    assert shares.tolist() == [1.0, 1.0, 0.5, 0.0, 0.0]
    assert drawing.edge_shares([INF, NAN]).tolist() == [1.0, 0.0]


def test_the_diagram_of_an_infinite_slope_has_finite_widths():
    problem = Problem.create([[1.0, 2.0]], [1.0], 0.01)
    evaluation = engine.evaluate(problem, [1.0, 1.0])
    broken = engine.Evaluation(
        evaluation.weights, evaluation.predictions, evaluation.errors, evaluation.loss,
        np.array([-INF, 3.0]),
    )  # fmt: skip
    shares = network_picture(problem, broken).slope_shares
    assert np.all((shares >= 0) & (shares <= 1))


def test_a_run_refuses_a_problem_whose_start_overflows_and_changes_nothing():
    """Pasting rows of 1e308 then importing put an infinite loss on screen."""
    run = Run(Problem.create([[3.0, 4.0]], [6.0], 0.01), [1.0, 2.0])
    run.advance(3)
    huge = Problem.create([[1e308, 1e308]], [1e308], 0.01)
    with pytest.raises(ProblemError, match="too large to compute"):
        run.set_problem(huge)
    assert run.iteration == 3
    assert run.problem.inputs.tolist() == [[3.0, 4.0]]
    assert run.current.is_finite
    with pytest.raises(ProblemError) as refused:
        Run(huge, [1.0, 1.0])
    assert str(refused.value) == START_TOO_LARGE


def test_a_loaded_run_keeps_its_iterations_up_to_the_last_finite_one():
    run = Run(Problem.create([[3.0]], [6.0], 0.01), [1.0])
    problem = Problem.create([[1e150]], [0.0], 0.01)
    run.load(problem, [1.0], history=[[1.0], [2.0], [1e160]])
    assert run.iteration == 1
    assert run.stopped is StopReason.OVERFLOW
    assert run.current.is_finite


def test_typed_weights_that_would_overflow_give_way_so_reset_stays_finite():
    problem = Problem.create([[1e150, 1.0]], [0.0], 0.01)
    run = Run(problem, [0.0, 1.0])
    run.set_weight(1, 2.0)
    run.reset()
    assert run.current.is_finite


def test_a_diverging_hidden_layer_says_so_without_a_critical_rate():
    """A hidden-layer run that diverges has no critical rate: its sentences name none."""
    problem = Problem.create([[3.0, 4.0]], [6.0], 1.0, hidden_count=2, activation="identity")
    run = Run(problem, np.full(problem.weight_count, 0.5))
    result = run.advance(10_000)
    assert result.stopped in (StopReason.OVERFLOW, StopReason.DIVERGING)
    for reason in StopReason:
        sentence = run.stop_sentence(reason)
        assert "nan" not in sentence and "inf" not in sentence.replace("info", "")
    assert run.current.is_finite
