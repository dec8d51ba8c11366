"""What the comparison decides, without Qt: each optimizer's rate on the narrow valley, the runs'
names, when a compared run diverges, and where the map's lowest loss is."""

from __future__ import annotations

import numpy as np
import pytest

from gd_desktop.core import comparison
from gd_desktop.core.comparison import ComparedRun, RunChoice
from gd_desktop.core.engine import Problem, ProblemError
from gd_desktop.core.run import Run, StopReason

VALLEY = Problem.create([[10.0, 1.0], [10.0, -1.0]], [12.0, 8.0], 0.009)  # λ 200 and 2
START = np.array([0.0, 0.0])


def test_the_optimizers_set_on_the_narrow_valley():
    """Plain and momentum keep the lesson's 0.009; Nesterov (which diverges above 0.0068 here)
    gets 0.005; the adaptive ones a share of the distance 2 to the minimum (1, 2)."""
    runs = comparison.optimizer_runs(VALLEY, START)
    assert [(run.optimizer, run.learning_rate, run.setting) for run in runs] == [
        ("gd", 0.009, None),
        ("momentum", 0.009, 0.9),
        ("nesterov", 0.005, 0.9),
        ("adagrad", 0.5, None),
        ("rmsprop", 0.02, 0.99),
        ("adam", 0.1, 0.9),
    ]
    assert comparison.diverging_rate(VALLEY, "nesterov", 0.9) == pytest.approx(0.01 * 1.9 / 2.8)


def test_every_run_of_the_optimizers_set_gets_near_the_minimum_in_500_steps():
    """A sensible rate for each: every run of the set ends within 1e-3 of (1, 2)."""
    for choice in comparison.optimizer_runs(VALLEY, START):
        run = ComparedRun(choice, VALLEY, START)
        comparison.advance(run, 500, halt_when_diverging=True)
        assert run.stopped in (None, StopReason.CONVERGED), choice
        np.testing.assert_allclose(run.current.weights, [1.0, 2.0], atol=1e-3, err_msg=choice)


def test_plain_steps_crawl_where_momentum_and_adam_arrive():
    """After 100 steps plain steps are still far along w2; momentum 0.9 and Adam 0.1 are there."""
    losses = {}
    for choice in (
        RunChoice("gd", 0.009),
        RunChoice("momentum", 0.009, 0.9),
        RunChoice("adam", 0.1, 0.9),
    ):
        run = ComparedRun(choice, VALLEY, START)
        comparison.advance(run, 100, halt_when_diverging=True)
        losses[choice.optimizer] = run.history.losses[-1]
    assert losses["gd"] > 0.1 > 100 * max(losses["momentum"], losses["adam"])


def test_a_compared_run_is_the_cores_run_of_the_same_problem_step_for_step():
    """The choice laid over the lesson is Problem.replaced; its steps are Run.advance's."""
    choice = RunChoice("adam", 0.1, 0.8)
    compared = ComparedRun(choice, VALLEY, START)
    comparison.advance(compared, 40, halt_when_diverging=True)
    plain = Run(VALLEY.replaced(optimizer="adam", learning_rate=0.1, beta1=0.8), START)
    plain.advance(40, halt_when_diverging=False)
    np.testing.assert_array_equal(compared.history.weights, plain.history.weights)
    np.testing.assert_array_equal(compared.history.losses, plain.history.losses)


def test_names_say_the_optimizer_its_setting_and_the_rate():
    assert comparison.run_name(RunChoice("gd", 0.009)) == "Plain steps, lr 0.009"
    assert comparison.run_name(RunChoice("momentum", 0.009, 0.9)) == "Momentum μ 0.9, lr 0.009"
    assert comparison.run_name(RunChoice("rmsprop", 0.02, 0.99)) == "RMSProp α 0.99, lr 0.02"
    assert comparison.run_name(RunChoice("adam", 0.1, 0.9)) == "Adam β₁ 0.9, lr 0.1"
    assert comparison.run_name(RunChoice("adagrad", 0.5)) == "AdaGrad, lr 0.5"


def test_a_choice_takes_the_lessons_setting_and_a_bad_one_is_refused():
    lesson = VALLEY.replaced(momentum=0.5)
    assert comparison.choice("nesterov", 0.01, lesson) == RunChoice("nesterov", 0.01, 0.5)
    with pytest.raises(ProblemError):
        RunChoice("momentum", 0.01, 1.5).problem(lesson)


def test_momentum_climbing_for_a_while_is_no_divergence_but_a_growing_loss_is():
    """Adam at 0.1 on the valley climbs three steps in a row (below its start): it goes on. Plain
    steps above the critical rate climb above the start: stopped at their last finite state."""
    adam = ComparedRun(RunChoice("adam", 0.1, 0.9), VALLEY, START)
    comparison.advance(adam, 60, halt_when_diverging=True)
    assert adam.stopped is None and adam.iteration == 60
    assert not comparison.is_diverging(adam)
    fast = ComparedRun(RunChoice("gd", 0.011), VALLEY, START)
    comparison.advance(fast, 60, halt_when_diverging=True)
    assert fast.stopped is StopReason.DIVERGING and fast.iteration < 60
    assert np.all(np.isfinite(fast.history.losses))
    assert comparison.describe(fast).startswith("diverged: its loss grew from 104 to")
    assert comparison.legend_name(fast) == "Plain steps, lr 0.011 (diverged, stopped)"


def test_an_overflowing_run_stops_at_its_last_finite_state():
    run = ComparedRun(RunChoice("gd", 10.0), VALLEY, START)
    comparison.advance(run, 500, halt_when_diverging=False)
    assert run.stopped is StopReason.OVERFLOW
    assert np.all(np.isfinite(run.history.weights)) and np.all(np.isfinite(run.history.losses))
    assert "too big to compute" in comparison.describe(run)


def test_the_rate_set_is_the_lessons_optimizer_at_four_rates():
    lesson = VALLEY.replaced(optimizer="momentum")
    runs = comparison.rate_runs(lesson)
    assert [run.learning_rate for run in runs] == [0.00225, 0.009, 0.018, 0.011]
    assert {run.optimizer for run in runs} == {"momentum"}


def test_the_lowest_point_of_the_map():
    """The valley's bottom (1, 2); for one data row the nearest point of its floor line."""
    assert comparison.lowest_point(VALLEY, START, 0, 1) == pytest.approx((1.0, 2.0))
    one_row = Problem.create([[3.0, 4.0]], [6.0], 0.01)
    assert comparison.lowest_point(one_row, np.array([1.0, 2.0]), 0, 1) == pytest.approx((0.4, 1.2))
    hidden = Problem.create([[3.0, 4.0]], [6.0], 0.01, hidden_count=2, activation="tanh")
    assert comparison.lowest_point(hidden, np.full(6, 0.5), 2, 3) is None


def test_thinning_keeps_the_last_point_and_an_odd_stride():
    keep = comparison.thinned_indices(10_001, 400)
    assert keep[-1] == 10_000 and len(keep) <= 401
    assert (keep[1] - keep[0]) % 2 == 1
    np.testing.assert_array_equal(comparison.thinned_indices(5, 400), np.arange(5))
