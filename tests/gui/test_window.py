"""The main window driven like a user: real clicks, real typing, reading what it shows."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QPushButton,
    QSlider,
    QSpinBox,
)

from gd_desktop import app as app_module
from tests.gui.helpers import all_visible_text, click, find, shown, type_into


def set_up_example_1(qtbot, window) -> None:
    """The slides' one-weight example typed in: input 3, weight 2, target 10."""
    type_into(qtbot, find(window, QSpinBox, "input_count"), "1")
    type_into(qtbot, find(window, QDoubleSpinBox, "input_0"), "3")
    type_into(qtbot, find(window, QDoubleSpinBox, "weight_0"), "2")
    type_into(qtbot, find(window, QDoubleSpinBox, "target"), "10")
    click(qtbot, window, "reset_button")


def test_opens_with_the_two_input_example(window):
    """The window opens on the course's second example, ready to step."""
    assert find(window, QSpinBox, "input_count").value() == 2
    assert find(window, QDoubleSpinBox, "weight_0").text() == "1"
    assert find(window, QDoubleSpinBox, "weight_1").text() == "2"
    assert find(window, QDoubleSpinBox, "input_0").text() == "3"
    assert find(window, QDoubleSpinBox, "input_1").text() == "4"
    assert find(window, QDoubleSpinBox, "target").text() == "6"
    assert find(window, QDoubleSpinBox, "learning_rate").text() == "0.01"
    assert shown(window, "prediction_value") == "11"
    assert shown(window, "error_value") == "5"
    assert "0.04" in shown(window, "critical_rate")


def test_step_reproduces_the_two_input_slide(qtbot, window):
    """One Step gives weights [0.7, 1.6] and error 2.5, with slopes [30, 40] before it."""
    assert shown(window, "slope_0") == "30"
    assert shown(window, "slope_1") == "40"
    click(qtbot, window, "step_button")
    assert find(window, QDoubleSpinBox, "weight_0").text() == "0.7"
    assert find(window, QDoubleSpinBox, "weight_1").text() == "1.6"
    assert shown(window, "error_value") == "2.5"
    assert shown(window, "iteration_value") == "1"
    np.testing.assert_allclose(window.session.current.weights, [0.7, 1.6], rtol=1e-12)


def test_typed_one_weight_example_steps_to_2_24(qtbot, window):
    """Typing the first slide (3, 2, 10) shows slope −24 and one Step gives 2.24."""
    set_up_example_1(qtbot, window)
    assert shown(window, "error_value") == "−4"
    assert shown(window, "slope_0") == "−24"
    assert "0.111111" in shown(window, "critical_rate")
    click(qtbot, window, "step_button")
    assert find(window, QDoubleSpinBox, "weight_0").text() == "2.24"
    assert window.session.current.weights[0] == pytest.approx(2.24, rel=1e-12)
    click(qtbot, window, "step_button")
    assert find(window, QDoubleSpinBox, "weight_0").text() == "2.4368"
    assert shown(window, "error_value") == "−2.6896"


def test_spin_boxes_never_round_the_engine(qtbot, window):
    """A weight with more digits than shown stays exact in the session after steps and redraws."""
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "0.0123456789")
    for _ in range(3):
        click(qtbot, window, "step_button")
    expected = np.array([1.0, 2.0])
    x = np.array([3.0, 4.0])
    for _ in range(3):
        expected = expected - 0.0123456789 * 2 * x * (expected @ x - 6)
    assert np.array_equal(window.session.current.weights, expected)
    box = find(window, QDoubleSpinBox, "weight_0")
    assert len(box.text()) < len(repr(expected[0]))  # the box shows fewer digits ...
    assert repr(float(expected[0])) in box.toolTip()  # ... and the full value on hover


def test_typed_weight_is_taken_exactly(qtbot, window):
    """What the user types into a weight box is the value the engine gets."""
    type_into(qtbot, find(window, QDoubleSpinBox, "weight_0"), "0.123456789")
    assert window.session.current.weights[0] == 0.123456789


def test_moving_a_weight_by_hand_continues_the_history(qtbot, window):
    """After three steps, a typed weight is iteration 4, marked as moved by hand."""
    for _ in range(3):
        click(qtbot, window, "step_button")
    type_into(qtbot, find(window, QDoubleSpinBox, "weight_1"), "3")
    history = window.session.history
    assert len(history) == 5
    assert history.moved_by_hand.tolist() == [False, False, False, False, True]
    assert shown(window, "iteration_value") == "4"
    assert "moved by hand" in shown(window, "status_message")
    hand_markers = window.error_plot.hand_markers
    assert list(hand_markers.getData()[0]) == [4.0]


def test_new_input_starts_a_new_history(qtbot, window):
    """Changing an input is a new problem: the history restarts at iteration 0, and it says so."""
    for _ in range(3):
        click(qtbot, window, "step_button")
    weights_before = window.session.current.weights.copy()
    type_into(qtbot, find(window, QDoubleSpinBox, "input_1"), "5")
    assert shown(window, "iteration_value") == "0"
    assert len(window.session.history) == 1
    np.testing.assert_array_equal(window.session.current.weights, weights_before)
    assert "history starts again" in shown(window, "status_message")
    assert shown(window, "critical_rate").count("0.0294118") == 1  # 1 / (9 + 25)


def test_learning_rate_change_continues_the_history(qtbot, window):
    """A new learning rate keeps the history and applies from the current iteration."""
    click(qtbot, window, "step_button")
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "0.02")
    click(qtbot, window, "step_button")
    assert len(window.session.history) == 3
    assert window.session.history.learning_rates[-1] == 0.02
    assert "this rate is too big" not in shown(window, "critical_rate")


def test_input_count_adds_and_removes_rows(qtbot, window):
    """Choosing 3 inputs shows a third input and weight; choosing 1 hides them again."""
    type_into(qtbot, find(window, QSpinBox, "input_count"), "3")
    assert find(window, QDoubleSpinBox, "weight_2").isVisible()
    assert window.session.problem.weight_count == 3
    combo = find(window, QComboBox, "parabola_weight")
    assert combo.count() == 3
    type_into(qtbot, find(window, QSpinBox, "input_count"), "1")
    assert not find(window, QDoubleSpinBox, "weight_1").isVisible()
    assert combo.count() == 1


def test_reset_returns_to_the_values_typed(qtbot, window):
    """Reset puts back the typed weights and clears the history."""
    for _ in range(5):
        click(qtbot, window, "step_button")
    click(qtbot, window, "reset_button")
    assert find(window, QDoubleSpinBox, "weight_0").text() == "1"
    assert find(window, QDoubleSpinBox, "weight_1").text() == "2"
    assert shown(window, "iteration_value") == "0"
    assert len(window.session.history) == 1


def test_error_plot_first_item_is_the_error_history(qtbot, window):
    """The first data item of error_plot holds the error per iteration, x = iteration."""
    for _ in range(3):
        click(qtbot, window, "step_button")
    plot = find(window, pg.PlotWidget, "error_plot")
    xs, ys = plot.getPlotItem().listDataItems()[0].getData()
    np.testing.assert_array_equal(xs, [0, 1, 2, 3])
    np.testing.assert_allclose(ys, [5, 2.5, 1.25, 0.625], rtol=1e-12)


def test_error_plot_can_show_the_loss(qtbot, window):
    """Choosing the loss makes the first plot show squared errors."""
    click(qtbot, window, "step_button")
    find(window, QComboBox, "error_choice").setCurrentIndex(1)
    ys = window.error_plot.getPlotItem().listDataItems()[0].getData()[1]
    np.testing.assert_allclose(ys, [25, 6.25], rtol=1e-12)


def test_loss_plot_shows_point_tangent_and_trail(qtbot, window):
    """The parabola's marker is at the current weight and the tangent's slope is the gradient."""
    for _ in range(2):
        click(qtbot, window, "step_button")
    find(window, QComboBox, "parabola_weight").setCurrentIndex(1)
    loss_plot = find(window, pg.PlotWidget, "loss_plot")
    current = window.session.current
    px, py = window.loss_plot.point.position()
    assert px == current.weights[1] and py == pytest.approx(current.loss)
    tx, ty = window.loss_plot.tangent.getData()
    assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(current.gradient[1])
    trail_x, _ = window.loss_plot.trail.getData()
    np.testing.assert_allclose(trail_x, window.session.history.weights[:, 1])
    (x_low, x_high), (y_low, y_high) = loss_plot.getPlotItem().vb.viewRange()
    assert x_low < trail_x.min() and trail_x.max() < x_high
    assert "weight 2" in loss_plot.getPlotItem().titleLabel.text


def test_too_big_a_learning_rate_stops_the_run_and_says_why(qtbot, window):
    """Above the critical rate, Run stops by itself, keeps the history and explains in words."""
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "0.05")
    assert "too big" in shown(window, "critical_rate")
    find(window, QSlider, "speed_slider").setValue(find(window, QSlider, "speed_slider").maximum())
    click(qtbot, window, "run_button")
    qtbot.waitUntil(lambda: not window.session.is_running, timeout=5000)
    assert "learning rate is too big" in shown(window, "status_message")
    assert len(window.session.history) > 3
    assert find(window, QPushButton, "run_button").text() == "Run"
    assert "nan" not in all_visible_text(window).lower()


def test_stepping_far_past_divergence_never_shows_nan(qtbot, window):
    """Clicking Step long after the numbers explode stops at the last finite state, no NaN."""
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "5")
    for _ in range(200):
        click(qtbot, window, "step_button")
    assert "too big to compute" in shown(window, "status_message")
    assert np.all(np.isfinite(window.session.history.losses))
    text = all_visible_text(window).lower()
    assert "nan" not in text and "inf" not in text
    click(qtbot, window, "reset_button")
    assert shown(window, "error_value") == "5"


def test_run_and_pause(qtbot, window):
    """Run steps on a timer; pressing again pauses and the button says so."""
    slider = find(window, QSlider, "speed_slider")
    slider.setValue(slider.maximum() - 1)
    assert window.speed_label.text() == "1000 steps/s"
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "0.0001")  # no convergence
    click(qtbot, window, "run_button")
    assert find(window, QPushButton, "run_button").text() == "Pause"
    assert not find(window, QPushButton, "step_button").isEnabled()
    qtbot.waitUntil(lambda: window.session.iteration >= 5, timeout=5000)
    click(qtbot, window, "run_button")
    assert find(window, QPushButton, "run_button").text() == "Run"
    stopped_at = window.session.iteration
    qtbot.wait(100)
    assert window.session.iteration == stopped_at
    assert shown(window, "iteration_value") == str(stopped_at)


def test_full_speed_run_keeps_the_numbers_moving_and_exact_at_pause(qtbot, window):
    """At full speed the numbers follow the run; paused, every panel shows the last step."""
    slider = find(window, QSlider, "speed_slider")
    slider.setValue(slider.maximum())
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "0.000001")
    click(qtbot, window, "run_button")
    seen = set()
    qtbot.waitUntil(
        lambda: seen.add(shown(window, "iteration_value")) or len(seen) >= 3, timeout=10_000
    )
    assert window.session.is_running  # the readout moved while the run went on
    click(qtbot, window, "run_button")
    session = window.session
    assert shown(window, "iteration_value") == str(session.iteration)
    weight_box = find(window, QDoubleSpinBox, "weight_0")
    assert weight_box.toolTip().endswith(repr(float(session.current.weights[0])))
    assert f"Iteration {session.iteration}" in window.explanation.toPlainText()


def test_run_converges_and_stops(qtbot, window):
    """At full speed a good learning rate converges; the run stops and says so."""
    slider = find(window, QSlider, "speed_slider")
    slider.setValue(slider.maximum())
    click(qtbot, window, "run_button")
    qtbot.waitUntil(lambda: not window.session.is_running, timeout=10000)
    assert "Converged" in shown(window, "status_message")
    assert abs(window.session.current.errors[0]) < 1e-12


def test_reset_after_a_long_run_shows_the_short_history(qtbot, window):
    """After thousands of iterations, Reset brings the error plot's x-range back to the start."""
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "0.000001")
    window.session._advance(20_000)
    window.session.stepped.emit()
    qtbot.wait(50)
    view = window.error_plot.getPlotItem().vb
    assert view.viewRange()[0][1] > 10_000
    click(qtbot, window, "reset_button")
    click(qtbot, window, "step_button")
    qtbot.wait(50)
    xs, _ = window.error_plot.getPlotItem().listDataItems()[0].getData()
    assert list(xs) == [0, 1]
    assert view.viewRange()[0][1] < 11  # the first ten iterations, not the old twenty thousand


def test_long_history_is_drawn_as_an_envelope(qtbot, window):
    """A 10⁵-iteration history draws at most a few thousand points and keeps the newest exact."""
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "0.000001")
    window.session._advance(100_000)
    window.session.stepped.emit()
    xs, ys = window.error_plot.getPlotItem().listDataItems()[0].getData()
    assert len(xs) <= 3 * window.error_plot.viewport().width()  # about two per pixel column
    assert xs[-1] == 100_000 and ys[-1] == window.session.current.errors[0]
    assert ys.max() == window.session.history.errors[:, 0].max()


def test_bad_text_in_a_spin_box_changes_nothing(qtbot, window):
    """Letters typed into a number box are refused and the lesson is untouched."""
    box = find(window, QDoubleSpinBox, "target")
    type_into(qtbot, box, "abc")
    assert window.session.problem.targets[0] == 6.0
    assert box.text() == "6"
    assert len(window.session.history) == 1


def test_decimal_comma_and_typographic_minus_are_understood(qtbot, window):
    """A student typing 0,5 or −1 gets the number they meant."""
    type_into(qtbot, find(window, QDoubleSpinBox, "weight_0"), "0,5")
    assert window.session.current.weights[0] == 0.5
    box = find(window, QDoubleSpinBox, "weight_1")
    box.setFocus()
    box.lineEdit().selectAll()
    box.lineEdit().insert("−1")  # pasted: QTest cannot type a non-ASCII character
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert window.session.current.weights[1] == -1.0


def test_main_without_a_display_says_so(monkeypatch, capsys):
    """Without a screen or QT_QPA_PLATFORM, main explains instead of letting Qt abort."""
    monkeypatch.setattr(app_module.sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert app_module.main([]) == 1
    assert "no display" in capsys.readouterr().err


def test_unknown_argument_is_refused(capsys):
    """A mistyped option exits 2 with one line, before any window."""
    assert app_module.main(["--frobnicate"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_building_pauses_the_collector_and_gives_it_back(qtbot, monkeypatch):
    """Start-up runs without the cyclic collector, which is back on (or off) as it was after."""
    import gc

    from gd_desktop.gui import main_window

    seen = []

    class Spy(main_window.MainWindow):
        def __init__(self):
            seen.append(gc.isenabled())
            super().__init__()

    monkeypatch.setattr(main_window, "MainWindow", Spy)
    assert gc.isenabled()
    window = app_module.build_window()
    qtbot.addWidget(window)
    window.confirm_unsaved = lambda: "discard"
    assert seen == [False] and gc.isenabled()

    class Broken(main_window.MainWindow):
        def __init__(self):
            raise RuntimeError("no window")

    monkeypatch.setattr(main_window, "MainWindow", Broken)
    with pytest.raises(RuntimeError):
        app_module.build_window()
    assert gc.isenabled()
    gc.disable()
    try:
        with app_module.collector_paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is kept
    finally:
        gc.enable()


def test_open_window_freezes_what_start_up_made(qtbot):
    """gd-desktop's start (open_window) leaves start-up's objects out of later collections."""
    import gc

    from PySide6.QtWidgets import QApplication

    assert gc.get_freeze_count() == 0
    try:
        app, window = app_module.open_window()
        qtbot.addWidget(window)
        window.confirm_unsaved = lambda: "discard"
        assert app is QApplication.instance()
        assert gc.get_freeze_count() > 10_000 and gc.isenabled()
        assert not window.isVisible()  # shown by the caller, once it is ready for events
    finally:
        gc.unfreeze()  # the rest of the tests collect as usual
