"""The status line says the present state, good news looks unlike a warning, and a number typed
out of range is refused in words with the previous value kept."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractSpinBox, QLabel, QSlider, QSpinBox

from gd_desktop.gui.themes import GOOD_NEWS, INFO, WARNING
from tests.gui.helpers import choose_preset, click, find, shown, type_into


def status(window) -> tuple[str, str]:
    label = find(window, QLabel, "status_message")
    return label.text(), label.property("kind")


def test_a_new_problem_message_gives_way_to_the_present_state_after_a_step(qtbot, window):
    """ "New problem…" stayed after steps; a step now says where the run is."""
    type_into(qtbot, find(window, QAbstractSpinBox, "target"), "7")
    assert "New problem" in status(window)[0]
    click(qtbot, window, "step_button")
    text, kind = status(window)
    assert "New problem" not in text
    assert text == "Iteration 1: the loss went down from 16 to 4." and kind == INFO


def test_undone_gives_way_to_the_present_state_after_moving_on(qtbot, window):
    for _ in range(3):
        click(qtbot, window, "step_button")
    click(qtbot, window, "reset_button")
    click(qtbot, window, "undo_button")
    assert status(window)[0] == "The run before the last change is back, at iteration 3."
    click(qtbot, window, "step_button")
    assert status(window)[0].startswith("Iteration 4: the loss went down from ")


def test_looking_back_says_so_and_the_newest_says_so(qtbot, window):
    for _ in range(2):
        click(qtbot, window, "step_button")
    click(qtbot, window, "back_button")
    assert status(window)[0].startswith("Looking back at iteration 1 of 2:")
    click(qtbot, window, "forward_button")
    assert status(window)[0] == "Iteration 2, the newest: press Step for the next update."


def test_converging_is_good_news_and_diverging_a_warning(qtbot, window):
    """Good news has a tick and a look of its own; the warning keeps its ⚠."""
    slider = find(window, QSlider, "speed_slider")
    slider.setValue(slider.maximum())
    click(qtbot, window, "run_button")
    qtbot.waitUntil(lambda: not window.session.is_running, timeout=10_000)
    good, kind = status(window)
    assert kind == GOOD_NEWS and good.startswith("✔ Converged") and "⚠" not in good
    good_style = find(window, QLabel, "status_message").styleSheet()
    choose_preset(qtbot, window, "too-big-learning-rate")
    for _ in range(4):
        click(qtbot, window, "step_button")
    bad, kind = status(window)
    assert kind == WARNING and bad.startswith("⚠ ") and "learning rate is too big" in bad
    assert find(window, QLabel, "status_message").styleSheet() != good_style


def test_a_learning_rate_out_of_range_says_why_and_keeps_the_old_one(qtbot, window):
    """1000000 left a blank box and no message."""
    box = find(window, QAbstractSpinBox, "learning_rate")
    type_into(qtbot, box, "1000000")
    text, kind = status(window)
    assert kind == WARNING
    assert text == "⚠ Learning rate can be from 0 to 10: 1000000 is too big, so it stays 0.01."
    assert box.lineEdit().text() == "0.01"
    assert window.session.problem.learning_rate == 0.01


def test_a_target_out_of_range_says_why_and_keeps_the_old_one(qtbot, window):
    box = find(window, QAbstractSpinBox, "target")
    type_into(qtbot, box, "-5e7")
    assert (
        "Target can be from −1000000 to 1000000: −5e+07 is too small, so it stays 6."
        in (status(window)[0])
    )
    assert window.session.problem.targets[0] == 6.0


def test_the_mini_batch_plot_legend_says_loss(qtbot, window):
    """With mini-batches the first plot shows the loss: its legend must not say error."""
    label = find(window, QLabel, "error_plot_legend")

    def legend() -> str:
        return label.text().replace("&nbsp;", " ")

    assert "error" in legend()
    assert window.session.load([[3.0, 4.0], [1.0, 2.0], [2.0, 1.0]], [6.0, 1.0, 2.0], [1, 2], 0.01)
    type_into(qtbot, find(window, QSpinBox, "batch_size"), "1")
    assert window.session.problem.batch_size == 1
    assert "loss on all rows" in legend() and "error" not in legend()
    assert "Loss" in window.error_plot.getPlotItem().titleLabel.text


def test_a_plain_step_is_neither_good_news_nor_a_warning(qtbot, window):
    """Step on the course's example: an info sentence, neither a tick nor a ⚠."""
    click(qtbot, window, "step_button")
    text, kind = status(window)
    assert kind == INFO and not text.startswith(("⚠", "✔"))
    assert shown(window, "status_message") == text
