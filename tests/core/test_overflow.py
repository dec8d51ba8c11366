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
