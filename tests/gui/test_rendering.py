"""The one rendering controller, through the real window: every panel shows the same iteration."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QSlider, QWidget

from gd_desktop.core.numbers import format_number
from tests.gui.helpers import click, explanation, find, open_tab, shown, type_into


def choose_slowest_speed(qtbot, window) -> None:
    slider = find(window, QSlider, "speed_slider")
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Home)
    assert window.speed_label.text() == "0.5 steps/s"


def assert_every_panel_shows_iteration_one(window) -> None:
    """The course's two-input example after one step: weights 0.7 and 1.6, prediction 8.5."""
    assert shown(window, "iteration_value") == "1"
    assert shown(window, "prediction_value") == "8.5"
    assert shown(window, "error_value") == "2.5"
    assert shown(window, "loss_value") == "6.25"
    weights = window.session.current.weights
    for k, (value, slope) in enumerate(zip((0.7, 1.6), ("15", "20"), strict=True)):
        box = find(window, QDoubleSpinBox, f"weight_{k}")
        assert box.value() == pytest.approx(value)
        assert box.toolTip().endswith(repr(float(weights[k])))
        assert find(window, QLabel, f"slope_{k}").text() == slope
    tip = find(window, QWidget, "network_view").toolTip()
    assert "w1 = 0.7, slope 15" in tip
    assert "w2 = 1.6, slope 20" in tip
    text = explanation(window)
    assert text.startswith("Iteration 1")
    assert "w1: 1 − 0.01 × 30 = 0.7" in text
    assert "prediction = 3 × 0.7 + 4 × 1.6 = 8.5" in text
    assert window.error_plot.current_marker.position() == (1.0, 2.5)
    assert window.loss_plot.point.position()[0] == pytest.approx(0.7)
    assert find(window, QSlider, "history_slider").value() == 1


def test_a_step_at_half_a_step_a_second_shows_in_every_panel_at_once(qtbot, window):
    """Clicking Step at the slowest speed redraws the readout, boxes, diagram, text and plots."""
    choose_slowest_speed(qtbot, window)
    click(qtbot, window, "step_button")
    assert_every_panel_shows_iteration_one(window)


def test_a_run_at_half_a_step_a_second_shows_each_step_in_every_panel(qtbot, window):
    """A slow run's step is drawn whole, at once: only a fast run staggers the text panels."""
    choose_slowest_speed(qtbot, window)
    with qtbot.waitSignal(window.session.stepped, timeout=5_000):
        click(qtbot, window, "run_button")
    assert window.session.is_running
    assert_every_panel_shows_iteration_one(window)


def test_a_run_at_ten_steps_a_second_shows_each_step_in_every_panel(qtbot, window):
    """Ten steps a second (the default speed) is still slow enough to draw every step whole."""
    assert window.speed_label.text() == "10 steps/s"
    session = window.session
    with qtbot.waitSignal(session.stepped, timeout=5_000):
        click(qtbot, window, "run_button")
    assert session.is_running
    shown_now = session.current
    assert shown(window, "iteration_value") == str(session.iteration)
    assert shown(window, "prediction_value") == format_number(float(shown_now.predictions[0]))
    tip = find(window, QWidget, "network_view").toolTip()
    assert f"w1 = {format_number(float(shown_now.weights[0]))}," in tip
    assert explanation(window).startswith(f"Iteration {session.iteration}")
    assert window.error_plot.current_marker.position()[0] == session.iteration


def test_a_fast_run_shows_the_text_panels_a_part_a_frame_and_everything_when_paused(qtbot, window):
    """At full speed the readout and the arithmetic lag the plots; a pause catches them up."""
    slider = find(window, QSlider, "speed_slider")
    slider.setValue(slider.maximum())
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "0.000001")
    click(qtbot, window, "run_button")
    session = window.session
    seen_behind = []

    def readout_behind_plot() -> bool:
        marker_at = int(window.error_plot.current_marker.position()[0])
        seen_behind.append(shown(window, "iteration_value") != str(marker_at))
        return any(seen_behind) and session.iteration > 1000

    qtbot.waitUntil(readout_behind_plot, timeout=10_000)
    click(qtbot, window, "run_button")
    assert shown(window, "iteration_value") == str(session.iteration)
    assert explanation(window).startswith(f"Iteration {session.iteration}")
    assert window.error_plot.current_marker.position()[0] == session.iteration


def iterations_on_screen(window) -> dict[str, object]:
    """The iteration each panel shows, read from what it displays."""
    session = window.session
    weights = [float(w) for w in session.current.weights]
    boxes = [find(window, QDoubleSpinBox, f"weight_{k}").value() for k in range(len(weights))]
    tip = find(window, QWidget, "network_view").toolTip()
    table = window.history_table
    selected_rows = {index.row() for index in table.selectionModel().selectedRows()}
    return {
        "readout": shown(window, "iteration_value"),
        "prediction": shown(window, "prediction_value"),
        "weight boxes": boxes,
        "diagram": [f"w{k + 1} = {format_number(w)}," in tip for k, w in enumerate(weights)],
        "arithmetic": explanation(window).split("\n", 1)[0],
        "error plot": window.error_plot.current_marker.position()[0],
        "loss curve": window.loss_plot.point.position()[0],
        "history slider": find(window, QSlider, "history_slider").value(),
        "history table": selected_rows,
    }


def expected_on_screen(window) -> dict[str, object]:
    session = window.session
    k = session.iteration
    weights = [float(w) for w in session.current.weights]
    return {
        "readout": str(k),
        "prediction": format_number(float(session.current.predictions[0])),
        "weight boxes": pytest.approx(weights),
        "diagram": [True] * len(weights),
        "arithmetic": f"Iteration {k}",
        "error plot": k,
        "loss curve": pytest.approx(weights[window.selected_weight]),
        "history slider": k,
        "history table": {k},
    }


def test_at_half_a_step_a_second_every_panel_shows_the_same_iteration_after_each_step(
    qtbot, window
):
    """Plots, readout, boxes, diagram, arithmetic and history agree shortly after each step."""
    open_tab(qtbot, window, "detail_tabs", "history_page")  # the table exists from now on
    open_tab(qtbot, window, "detail_tabs", "arithmetic_page")
    choose_slowest_speed(qtbot, window)
    session = window.session
    click(qtbot, window, "run_button")
    for step in (1, 2, 3):
        qtbot.waitUntil(lambda step=step: session.iteration == step, timeout=5_000)
        qtbot.wait(100)  # shortly after the step: well before the next, two seconds later
        assert session.iteration == step
        assert iterations_on_screen(window) == expected_on_screen(window)
    click(qtbot, window, "run_button")
