"""Numbers that overflow: the core decides once what the views get, always finite or None."""

from __future__ import annotations

import math
import warnings

import numpy as np

from gd_desktop.core import arithmetic, engine
from gd_desktop.core.engine import Problem


def huge_problem() -> Problem:
    return Problem.create(inputs=[[1e308]], targets=[1e308], learning_rate=0.01)


def test_minimum_along_weight_of_huge_inputs_is_none_without_a_warning():
    """1e308 squared overflows: no bottom to show, and no RuntimeWarning on the way."""
    problem = huge_problem()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bottom = engine.minimum_along_weight(problem, np.array([2.0]), 0)
    assert bottom is None


def test_loss_grid_of_huge_inputs_is_inf_without_a_warning():
    """The contour's grid overflows to inf quietly; the view then says it is too large."""
    problem = Problem.create(inputs=[[1e308, 1e308]], targets=[1.0], learning_rate=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = engine.loss_grid(problem, np.array([2.0, 2.0]), 0, 1, np.zeros(3), np.zeros(2))
    assert grid.shape == (2, 3)
    assert not np.isfinite(grid).any()


def test_arithmetic_of_huge_inputs_is_written_without_a_warning():
    """Inputs whose squares overflow: the step is still written out, the check step is finite."""
    problem = engine.Problem.create([[1e200, 3.0]], [1.0], 1e-300)
    evaluation = engine.evaluate(problem, [1e-200, 0.5])
    step = arithmetic.explain(problem, evaluation)
    assert step.weights
    h = arithmetic.numeric_check_step(evaluation.loss, float("inf"), 1.0, 2.0)
    assert math.isfinite(h) and h > 0


def test_per_row_arithmetic_of_huge_inputs_is_written_without_a_warning():
    """Several rows, one input 1e308 (the monkey pasted "1e308,1e308"): a row's 2 × error × x
    overflows; the row is written ("too large"), and nothing warns."""
    problem = Problem.create([[1e308, 1.0], [1.0, 1.0]], [0.0, 0.0], 0.01)
    evaluation = engine.evaluate(problem, [1e-308, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        step = arithmetic.explain(problem, evaluation)
    assert step.weights


def test_hidden_arithmetic_of_finite_slopes_with_huge_factors_warns_nothing():
    """A saturated tanh node: every factor and the slope are finite, but ① × ② overflows (the
    monkey's RuntimeWarning in _explain_hidden); the row's product is written, 0 where a factor
    is 0."""
    problem = Problem.create([[1e300, 2.0], [1.0, 1e300]], [1e150, 1.0], 0.01, 2, "tanh")
    evaluation = engine.evaluate(problem, [1e-300, 1.0, 1e-300, -1e-300, 1.0, 0.5])
    assert evaluation.is_finite
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        step = arithmetic.explain(problem, evaluation)
    assert step.weights


def test_the_sigmoid_of_a_huge_negative_sum_is_0_without_a_warning():
    """The arithmetic panel computes the activation's slope outside the engine's errstate."""
    slope = engine.ACTIVATIONS["sigmoid"][1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert slope(np.array([-1e300, 0.0])).tolist() == [0.0, 0.25]
