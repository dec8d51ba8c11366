"""The learning-rate comparison view, driven with real clicks and read from what it shows."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QPushButton,
    QWidget,
)

from gd_desktop.core import engine, i18n
from gd_desktop.core.run import Run, StopReason
from gd_desktop.gui.session import Session
from gd_desktop.gui.views.compare_view import CompareView
from tests.gui.helpers import click, find, open_tab, open_window, type_into

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


def state(view, index: int) -> str:
    """What run ``index``'s row says of it."""
    return find(view, QLabel, f"compare_state_{index}").text()


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
    assert state(view, 3).startswith("diverging: its loss grows")
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
    assert state(view, 3).startswith("diverged: its loss grew from 25 to")
    assert "stopped at iteration 3" in state(view, 3)
    np.testing.assert_array_equal(
        weights, expected_weights(session.problem, session.history.weights[0], 0.044, 3)
    )
    assert state(view, 0).startswith("loss") and "still falling" in state(view, 0)


def test_overflowing_runs_are_stopped_and_never_show_nan(qtbot, session, view):
    """Inputs of 10^80 overflow at the first step: every run stops and says so; nothing is NaN."""
    session.set_data([[1e80, 1e80]], [6.0])
    click(qtbot, view, "compare_step_button")
    text = " ".join(state(view, i) for i in range(4))
    assert text.count("the numbers grew too big to compute") == 3
    assert "lr 5.5e−161" in legend(view, "compare_legend")
    assert state(view, 3).startswith("loss")  # just above the critical rate of 5e−161: it steps
    assert "nan" not in text.lower() and "inf" not in text.lower()
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
    assert "lr 0.044" not in legend(view, "compare_legend")
    assert state(view, 3) == ""
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
    open_tab(qtbot, view, "compare_plot_tabs", "compare_path_page")
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
    """The runs' legend names each run by its optimizer and rate (lr 0.0025 … lr 0.044)."""
    text = legend(view, "compare_legend")
    for rate in ("0.0025", "0.01", "0.02", "0.044"):
        assert f"Plain steps, lr {rate}" in text
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
    assert state(view, 2).startswith("converged at iteration 2")


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


# ----------------------------------------------------------------------- comparing optimizers
VALLEY_INPUTS = [[10.0, 1.0], [10.0, -1.0]]  # a long narrow valley: λ 200 and 2
VALLEY_TARGETS = [12.0, 8.0]


def load_valley(session) -> None:
    session.load(VALLEY_INPUTS, VALLEY_TARGETS, [0.0, 0.0], 0.009)


def choose_optimizer(view, index: int, optimizer: str) -> None:
    """Pick an optimizer in run ``index``'s list, as a user's choice does (by its id)."""
    combo = find(view, QComboBox, f"compare_optimizer_{index}")
    assert combo.isVisible()
    combo.setCurrentIndex(combo.findData(optimizer))


def core_run(session, steps: int, **changes) -> Run:
    """The core's own Run of the lesson's problem with these changes, ``steps`` steps on."""
    run = Run(session.problem.replaced(**changes), session.history.weights[0])
    run.advance(steps, halt_when_diverging=False)
    return run


def test_runs_added_by_clicking_are_the_cores_runs_for_their_optimizers(qtbot, session, view):
    """Add a run, choose Adam, type β₁ 0.8 and rate 0.1; add another, choose momentum, type μ 0.5:
    after 30 Steps each run's losses are the core Run's for the same problem, to the last bit."""
    load_valley(session)
    click(qtbot, view, "compare_add_button")
    assert find(view, QComboBox, "compare_optimizer_4").isVisible()
    assert "Run 5 added" in status(view)
    choose_optimizer(view, 4, "adam")
    type_into(qtbot, find(view, QDoubleSpinBox, "compare_setting_4"), "0.8")
    type_into(qtbot, find(view, QDoubleSpinBox, "compare_rate_4"), "0.1")
    click(qtbot, view, "compare_add_button")
    choose_optimizer(view, 5, "momentum")
    type_into(qtbot, find(view, QDoubleSpinBox, "compare_setting_5"), "0.5")
    type_into(qtbot, find(view, QDoubleSpinBox, "compare_rate_5"), "0.009")
    assert find(view, QLabel, "compare_setting_label_5").text() == "μ"
    click_step(qtbot, view, 30)
    runs = dict(view.shown_runs())
    adam = core_run(session, 30, optimizer="adam", learning_rate=0.1, beta1=0.8)
    momentum = core_run(session, 30, optimizer="momentum", learning_rate=0.009, momentum=0.5)
    for slot, expected in ((4, adam), (5, momentum)):
        np.testing.assert_array_equal(runs[slot].history.losses, expected.history.losses)
        np.testing.assert_array_equal(runs[slot].history.weights, expected.history.weights)
    text = legend(view, "compare_legend")
    assert "Adam β₁ 0.8, lr 0.1" in text and "Momentum μ 0.5, lr 0.009" in text
    click(qtbot, view, "compare_add_button")
    assert "6 runs at most" in status(view)


def test_compare_optimizers_runs_all_six_and_plain_steps_crawl(qtbot, session, view):
    """One click gives plain, momentum, Nesterov, AdaGrad, RMSProp and Adam at their rates; after
    100 Steps plain steps still crawl while momentum and Adam have arrived."""
    load_valley(session)
    click(qtbot, view, "compare_optimizers_button")
    chosen = [find(view, QComboBox, f"compare_optimizer_{i}").currentData() for i in range(6)]
    assert chosen == ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
    rates = [find(view, QDoubleSpinBox, f"compare_rate_{i}").text() for i in range(6)]
    assert rates == ["0.009", "0.009", "0.005", "0.5", "0.02", "0.1"]
    assert not find(view, QDoubleSpinBox, "compare_setting_0").isVisible()  # plain: none
    click_step(qtbot, view, 100)
    final = {run.choice.optimizer: run.history.losses[-1] for _, run in view.shown_runs()}
    assert final["gd"] == core_run(session, 100).history.losses[-1]
    adam = core_run(session, 100, optimizer="adam", learning_rate=0.1)
    assert final["adam"] == adam.history.losses[-1]
    assert final["gd"] > 0.1 > 100 * max(final["momentum"], final["adam"])
    for name in ("Plain steps, lr 0.009", "Nesterov μ 0.9, lr 0.005", "AdaGrad, lr 0.5"):
        assert name in legend(view, "compare_legend")
    click(qtbot, view, "compare_rates_button")
    assert [rate for rate, _, _ in view.runs()] == [0.00225, 0.009, 0.018, 0.011]


def test_the_comparisons_map_holds_one_path_per_run_in_its_colour(qtbot, session, view):
    """Each shown run's path over w1 and w2 is on the map, in the colour of its legend entry;
    removing a run takes its path away."""
    load_valley(session)
    click(qtbot, view, "compare_optimizers_button")
    click_step(qtbot, view, 20)
    shown = view.shown_runs()
    assert len(shown) == 6
    for slot, run in shown:
        xs, ys = view.map.run_paths[slot].getData()
        np.testing.assert_array_equal(xs, run.history.weights[:, 0])
        np.testing.assert_array_equal(ys, run.history.weights[:, 1])
        colour = view.map.run_paths[slot].opts["pen"].color().name()
        assert colour == view.error_curves[slot].opts["pen"].color().name()
    x_view, y_view = view.map._x_view, view.map._y_view
    assert x_view[0] < 1.0 < x_view[1] and y_view[0] < 2.0 < y_view[1]  # the minimum in view
    assert view.map.lowest.position() == pytest.approx((1.0, 2.0))
    click(qtbot, view, "compare_remove_3")
    assert len(view.shown_runs()) == 5
    xs, _ = view.map.run_paths[3].getData()
    assert xs is None or len(xs) == 0


def test_a_diverging_run_in_the_comparison_shows_no_nan(qtbot, session, view):
    """Nesterov at 0.009 diverges on the valley: Run stops it at its last finite state while
    Adam goes on; no plot, map or word holds NaN or infinity."""
    load_valley(session)
    click(qtbot, view, "compare_optimizers_button")
    type_into(qtbot, find(view, QDoubleSpinBox, "compare_rate_2"), "0.009")
    type_into(qtbot, find(view, QDoubleSpinBox, "compare_rate_0"), "5")  # plain: overflows
    click(qtbot, view, "compare_run_button")
    qtbot.waitUntil(lambda: view.iteration >= 25, timeout=20000)
    click(qtbot, view, "compare_run_button")
    runs = dict(view.shown_runs())
    assert runs[2].stopped is StopReason.DIVERGING
    assert runs[0].stopped in (StopReason.DIVERGING, StopReason.OVERFLOW)
    assert runs[5].stopped is None and runs[5].iteration == view.iteration
    assert state(view, 2).startswith("diverged") and state(view, 0).startswith("diverged")
    assert "(diverged, stopped)" in legend(view, "compare_legend")
    for _, run in runs.items():
        assert np.all(np.isfinite(run.history.weights)) and np.all(np.isfinite(run.history.losses))
    items = view.error_curves + view.path_curves + view.map.run_paths + view.map.run_ends
    for curve in items:
        for values in curve.getData():
            assert values is None or np.all(np.isfinite(values))
    words = " ".join(label.text() for label in view.findChildren(QLabel)).lower()
    assert "nan" not in words and "inf" not in words


def test_the_windows_contour_map_draws_the_comparison_while_it_is_open(qtbot):
    """With the comparison open the window's map draws one path per run; closed, the session's
    own path again."""
    window = open_window(qtbot)
    load_valley(window.session)
    open_tab(qtbot, window, "plot_tabs", "contour_page")
    window.show_comparison()
    view = window.compare_view
    click(qtbot, view, "compare_optimizers_button")
    click_step(qtbot, view, 5)
    contour = window.contour
    for slot, run in view.shown_runs():
        xs, ys = contour.run_paths[slot].getData()
        np.testing.assert_array_equal(xs, run.history.weights[:, 0])
    assert "the compared runs" in contour.plot.getPlotItem().titleLabel.text
    assert "Adam&nbsp;β₁&nbsp;0.9,&nbsp;lr&nbsp;0.1" in contour.legend.text()
    window.comparison.close()
    xs, _ = contour.run_paths[0].getData()
    assert xs is None or len(xs) == 0
    xs, _ = contour.path.getData()
    np.testing.assert_array_equal(xs, window.session.history.weights[:, 0])


def test_the_comparison_speaks_the_language_chosen(qtbot):
    """View ▸ Language redraws the comparison's buttons, rows and legend (pseudo language)."""
    window = open_window(qtbot)
    window.show_comparison()
    view = window.compare_view
    try:
        window.language.choose(i18n.PSEUDO)
        for name in ("compare_step_button", "compare_add_button", "compare_optimizers_button"):
            button = find(view, QPushButton, name)
            assert button.text().startswith("⟦") and button.toolTip().startswith("⟦"), name
        assert find(view, QComboBox, "compare_optimizer_0").currentText().startswith("⟦")
        assert find(view, QLabel, "compare_title").text().startswith("⟦")
        assert find(view, QLabel, "compare_state_0").text().startswith("⟦")
        assert "⟦" in legend(view, "compare_legend")
    finally:
        window.language.choose("")
    assert find(view, QPushButton, "compare_step_button").text() == "Step"
