"""The learning-rate comparison view, driven with real clicks and read from what it shows."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QDoubleSpinBox, QLabel, QWidget

from gd_desktop.core import engine
from gd_desktop.gui.session import Session
from gd_desktop.gui.views.compare_view import CompareView
from tests.gui.helpers import click, find, type_into

DEFAULT_RATES = [0.0025, 0.01, 0.02, 0.044]  # ×0.25, ×1, ×2 of 0.01; just above 0.04


@pytest.fixture
def session():
    return Session()


@pytest.fixture
def view(qtbot, session):
    widget = CompareView(session)
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.pause()


def status(view) -> str:
    return find(view, QLabel, "compare_status").text()


def legend(view, name: str) -> str:
    return find(view, QLabel, name).text().replace("&nbsp;", " ")


def untick(qtbot, view, index: int) -> None:
    box = find(view, QCheckBox, f"compare_use_{index}")
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def click_step(qtbot, view, times: int) -> None:
    for _ in range(times):
        click(qtbot, view, "compare_step_button")


def expected_weights(problem, start, rate: float, steps: int) -> np.ndarray:
    trace = engine.run(problem.with_learning_rate(rate), start, steps)
    return np.array([evaluation.weights for evaluation in trace.evaluations])


def test_default_rates_are_quarter_one_double_and_just_above_critical(view):
    """The four boxes open at ×0.25, ×1, ×2 the lesson's rate and just above the critical 0.04."""
    texts = [find(view, QDoubleSpinBox, f"compare_rate_{i}").text() for i in range(4)]
    assert texts == ["0.0025", "0.01", "0.02", "0.044"]
    assert [rate for rate, _, _ in view.runs()] == DEFAULT_RATES
    assert all(find(view, QCheckBox, f"compare_use_{i}").isChecked() for i in range(4))
    assert "critical rate 0.04" in find(view, QLabel, "compare_intro").text()


def test_without_a_critical_rate_the_fourth_default_is_four_times(qtbot, session, view):
    """A hidden layer has no single critical rate: the fourth run gets ×4 the lesson's rate."""
    session.set_network(2, "tanh")
    assert [rate for rate, _, _ in view.runs()] == [0.0025, 0.01, 0.02, 0.04]
    assert "no single rate" in find(view, QLabel, "compare_intro").text()


def test_step_button_steps_every_run_together(qtbot, session, view):
    """Five Steps give each run exactly the weights of engine.run at its own rate."""
    click_step(qtbot, view, 5)
    start = session.history.weights[0]
    for rate, losses, weights in view.runs():
        expected = expected_weights(session.problem, start, rate, 5)
        steps = min(5, weights.shape[0] - 1)  # a run that converged stops early
        np.testing.assert_array_equal(weights, expected[: steps + 1])
        assert losses.shape[0] == weights.shape[0]
    assert [w.shape[0] for _, _, w in view.runs()] == [6, 6, 3, 6]  # lr 0.02 is exact at once
    assert view.iteration == 5
    assert "Iteration 5." in status(view)


def test_run_above_critical_rate_is_stopped_while_others_go_on(qtbot, session, view):
    """lr 0.044 diverges: Steps by hand only say so; a Run stops it with a message once its loss
    has grown at each of three steps, while lr 0.0025 keeps stepping."""
    click_step(qtbot, view, 3)
    assert "lr 0.044</b>: diverging" in status(view)
    assert view.runs()[3][1].shape[0] == 4  # a Step warns; it does not stop the run
    click(qtbot, view, "compare_reset_button")
    click(qtbot, view, "compare_run_button")
    qtbot.waitUntil(lambda: view.iteration >= 10, timeout=5000)
    click(qtbot, view, "compare_run_button")
    (slow_rate, slow, _), _, _, (rate, losses, weights) = view.runs()
    assert rate == 0.044 and slow_rate == 0.0025
    assert engine.growth_detected_at(losses) == losses.shape[0] - 1 == 3
    assert np.all(np.diff(losses) > 0)
    assert slow.shape[0] == view.iteration + 1 > losses.shape[0]
    assert "lr 0.044</b>: diverged: its loss grew from 25 to" in status(view)
    assert "stopped at iteration 3" in status(view)
    np.testing.assert_array_equal(
        weights, expected_weights(session.problem, session.history.weights[0], 0.044, 3)
    )
    assert "lr 0.0025</b>: loss" in status(view) and "still falling" in status(view)


def test_overflowing_runs_are_stopped_and_never_show_nan(qtbot, session, view):
    """Inputs of 10^80 overflow at the first step: every run stops and says so; nothing is NaN."""
    session.set_data([[1e80, 1e80]], [6.0])
    click(qtbot, view, "compare_step_button")
    text = status(view)
    assert text.count("the numbers grew too big to compute") == 3
    assert "lr 5.5e−161</b>: loss" in text  # just above the critical rate of 5e−161: it steps
    for _, losses, _ in view.runs()[:3]:
        assert losses.shape[0] == 1
    for _, losses, weights in view.runs():
        assert np.all(np.isfinite(losses)) and np.all(np.isfinite(weights))
    for curve in view.error_curves + view.path_curves + [view.loss_curve]:
        for values in curve.getData():
            assert values is None or np.all(np.isfinite(values))
    untick(qtbot, view, 3)
    click(qtbot, view, "compare_step_button")
    assert "Every run shown has stopped" in status(view)


def test_unticking_a_run_removes_its_curve_and_ticking_catches_it_up(qtbot, view):
    """Unticked, run 4 has no curve, legend entry or status line; ticked again, it catches up."""
    untick(qtbot, view, 3)
    assert not find(view, QCheckBox, "compare_use_3").isChecked()
    assert [rate for rate, _, _ in view.runs()] == DEFAULT_RATES[:3]
    for curve in (view.error_curves[3], view.path_curves[3]):
        assert curve.getData()[0] is None or len(curve.getData()[0]) == 0
    assert "lr 0.044" not in legend(view, "compare_error_legend")
    assert "lr 0.044" not in status(view)
    click_step(qtbot, view, 4)
    untick(qtbot, view, 3)  # tick it again
    rate, losses, _ = view.runs()[3]
    assert rate == 0.044 and losses.shape[0] == 5
    assert len(view.error_curves[3].getData()[0]) == 5


def test_typed_rate_restarts_that_run_and_catches_up(qtbot, session, view):
    """Typing 0.005 into run 1 gives it engine.run's weights at 0.005, at the same iteration."""
    click_step(qtbot, view, 3)
    type_into(qtbot, find(view, QDoubleSpinBox, "compare_rate_0"), "0.005")
    rate, _, weights = view.runs()[0]
    assert rate == 0.005
    np.testing.assert_array_equal(
        weights, expected_weights(session.problem, session.history.weights[0], 0.005, 3)
    )
    assert "Run 1 is now Plain steps, lr 0.005" in status(view)
    assert view.runs()[1][2].shape[0] == 4  # the others kept their progress


def test_reset_follows_a_new_session_problem(qtbot, session, view):
    """A new input in the lesson restarts every run on it, with its own critical rate (0.05)."""
    click_step(qtbot, view, 3)
    session.set_input(0, 2.0)
    assert view.iteration == 0
    assert [rate for rate, _, _ in view.runs()] == [0.0025, 0.01, 0.02, 0.055]
    start = session.history.weights[0]
    for _, losses, weights in view.runs():
        np.testing.assert_array_equal(weights, [start])
        assert losses[0] == engine.evaluate(session.problem, start).loss == 16.0
    click_step(qtbot, view, 2)
    for rate, _, weights in view.runs():
        np.testing.assert_array_equal(weights, expected_weights(session.problem, start, rate, 2))


def test_reset_button_keeps_typed_rates_and_starts_again(qtbot, view):
    """Reset goes back to iteration 0 and keeps a rate the user typed."""
    type_into(qtbot, find(view, QDoubleSpinBox, "compare_rate_2"), "0.03")
    click_step(qtbot, view, 4)
    click(qtbot, view, "compare_reset_button")
    assert view.iteration == 0
    assert [rate for rate, _, _ in view.runs()] == [0.0025, 0.01, 0.03, 0.044]
    assert all(losses.shape[0] == 1 for _, losses, _ in view.runs())


def test_plots_draw_the_runs(qtbot, session, view):
    """Each curve's data are its run's losses and weight-1 path; the grey curve is the engine's
    loss along weight 1 with the other weights held at the start."""
    click_step(qtbot, view, 6)
    for i, (_, losses, weights) in enumerate(view.runs()):
        x, y = view.error_curves[i].getData()
        np.testing.assert_array_equal(x, np.arange(losses.shape[0]))
        np.testing.assert_array_equal(y, losses)
        x, y = view.path_curves[i].getData()
        np.testing.assert_array_equal(x, weights[:, 0])
        np.testing.assert_array_equal(y, losses)
    grid, curve = view.loss_curve.getData()
    start = session.history.weights[0]
    np.testing.assert_allclose(
        curve, engine.loss_along_weight(session.problem, start, 0, grid), rtol=1e-12
    )
    assert grid[0] < engine.minimum_along_weight(session.problem, start, 0) < grid[-1]


def test_log_scale_only_while_every_loss_is_positive(qtbot, session, view):
    """The loss axis is log (and labelled so) while all losses are above 0, else linear."""
    session.set_input(0, 2.0)  # no run reaches a loss of exactly 0 in the first steps
    click_step(qtbot, view, 3)
    axis = view.error_plot.getAxis("left")
    assert view.error_plot.getPlotItem().ctrl.logYCheck.isChecked()
    assert axis.labelText == "loss (log scale)"
    assert "log scale" in view.error_plot.getPlotItem().titleLabel.text
    session.set_input(0, 3.0)  # back to (3, 4): lr 0.02 lands on a loss of exactly 0
    click_step(qtbot, view, 1)
    assert view.runs()[2][1][-1] == 0.0
    assert not view.error_plot.getPlotItem().ctrl.logYCheck.isChecked()
    assert axis.labelText == "loss"


def test_legends_name_every_rate(view):
    """Both legends name each run by its rate (lr 0.0025 … lr 0.044)."""
    for name in ("compare_error_legend", "compare_path_legend"):
        text = legend(view, name)
        for rate in ("0.0025", "0.01", "0.02", "0.044"):
            assert f"lr {rate}" in text
    assert "(others held at the start)" in legend(view, "compare_path_legend")


def test_run_button_runs_and_pauses(qtbot, view):
    """Run steps every run on a timer until Pause; then the iteration stays put."""
    click(qtbot, view, "compare_run_button")
    button = find(view, QAbstractButton, "compare_run_button")
    assert button.text() == "Pause"
    qtbot.waitUntil(lambda: view.iteration >= 5, timeout=3000)
    click(qtbot, view, "compare_run_button")
    assert button.text() == "Run" and not view.is_running
    paused_at = view.iteration
    qtbot.wait(150)
    assert view.iteration == paused_at
    assert f"Paused at iteration {paused_at}." in status(view)
    lengths = {w.shape[0] for rate, _, w in view.runs() if rate not in (0.02, 0.044)}
    assert len(lengths) == 1  # the runs still going (not converged or diverged) moved together


def test_every_control_has_a_name_and_a_tooltip(view):
    """Screen readers and hovering explain each control."""
    names = [f"compare_rate_{i}" for i in range(4)] + [f"compare_use_{i}" for i in range(4)]
    names += ["compare_step_button", "compare_run_button", "compare_reset_button"]
    for name in names:
        widget = find(view, QWidget, name)
        assert widget.accessibleName(), name
        assert widget.toolTip(), name


def test_run_pauses_by_itself_when_every_run_has_stopped(qtbot, view):
    """With only lr 0.02 shown (exact after one step), Run stops at once and says why."""
    for index in (0, 1, 3):
        untick(qtbot, view, index)
    click(qtbot, view, "compare_run_button")
    qtbot.waitUntil(lambda: not view.is_running, timeout=3000)
    assert find(view, QAbstractButton, "compare_run_button").text() == "Run"
    assert "Every run has stopped (iteration 2)." in status(view)
    assert "lr 0.02</b>: converged at iteration 2" in status(view)


def test_runs_differ_by_line_style_and_symbol_not_only_colour(view):
    """Each run has its own colour, its own line style and its own symbol, in both plots."""
    for curves in (view.error_curves, view.path_curves):
        pens = [curve.opts["pen"] for curve in curves]
        looks = {(pen.color().name(), pen.style()) for pen in pens}
        assert len(looks) == len({pen.color().name() for pen in pens}) == 6
    assert len({curve.opts["symbol"] for curve in view.path_curves}) == 6
    assert [end.opts["symbol"] for end in view.plots.error_ends] == [
        curve.opts["symbol"] for curve in view.path_curves
    ]


def test_mini_batch_runs_draw_the_same_rows_as_the_engine(qtbot, session, view):
    """With mini-batches each run learns from the very rows engine.run draws for each step."""
    session.set_data([[1.0, 2.0], [2.0, 1.0], [3.0, 1.0], [1.0, 3.0]], [3.0, 3.0, 4.0, 4.0])
    session.set_batch(2, 7)
    click_step(qtbot, view, 4)
    start = session.history.weights[0]
    for rate, _, weights in view.runs():
        expected = expected_weights(session.problem, start, rate, 4)
        np.testing.assert_array_equal(weights, expected[: weights.shape[0]])
        assert weights.shape[0] == 5 or rate > session.critical_learning_rate
