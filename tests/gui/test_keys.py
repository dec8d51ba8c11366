"""Single keys act only outside a box: real key presses on the widget with the focus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDoubleSpinBox

from gd_desktop.gui.controllers.actions import NUMBER_PAUSE_MS
from tests.gui.helpers import click, find, open_tab, shown

KEYS = {"1": Qt.Key.Key_1, "5": Qt.Key.Key_5, ".": Qt.Key.Key_Period}


@pytest.fixture
def active(qtbot, window):
    """The window, active and focused as in front of a class (shortcuts need an active window)."""
    window.activateWindow()
    qtbot.waitActive(window)
    window.step_button.setFocus()
    return window


def press(qtbot, key) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key)


def type_keys(qtbot, text: str) -> None:
    for character in text:
        press(qtbot, KEYS[character])


def wait_past_the_pause(qtbot, window) -> None:
    qtbot.wait(NUMBER_PAUSE_MS + 100)
    assert not window.key_guard.waiting


def is_the_course_example(window) -> bool:
    problem = window.session.problem
    return problem.weight_count == 2 and problem.targets.tolist() == [6.0]


def test_a_number_typed_outside_a_box_loads_nothing(qtbot, active):
    """ "1.5" with the focus on the Step button: no lesson 1, no lesson 5, and a word why."""
    texts = {box.objectName(): box.text() for box in active.findChildren(QDoubleSpinBox)}
    type_keys(qtbot, "1.5")
    wait_past_the_pause(qtbot, active)
    assert is_the_course_example(active) and active.session.iteration == 0
    assert "Nothing was loaded: “1.5” looks like a number" in shown(active, "status_message")
    assert {box.objectName(): box.text() for box in active.findChildren(QDoubleSpinBox)} == texts


def test_two_digits_load_nothing_either(qtbot, active):
    """ "15" is a number, not lesson 1 then lesson 5."""
    type_keys(qtbot, "15")
    wait_past_the_pause(qtbot, active)
    assert is_the_course_example(active)


def test_a_number_typed_into_a_box_goes_into_the_box(qtbot, active):
    """ "1.5" typed into the target box is the target, and no lesson loads."""
    box = find(active, QDoubleSpinBox, "target")
    box.setFocus()
    box.lineEdit().selectAll()
    type_keys(qtbot, "1.5")
    assert box.text() == "1.5"
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    wait_past_the_pause(qtbot, active)
    assert active.session.problem.targets.tolist() == [1.5]
    assert active.session.problem.weight_count == 2


@pytest.mark.parametrize(
    "key", [Qt.Key.Key_P, Qt.Key.Key_R, Qt.Key.Key_Space, Qt.Key.Key_1, Qt.Key.Key_5]
)
def test_single_keys_in_a_focused_box_type_there_and_do_not_act(qtbot, active, key):
    """P, R, Space and digits in a spin box are the box's: no run, reset, step or lesson."""
    click(qtbot, active, "step_button")  # a Reset would show
    box = find(active, QDoubleSpinBox, "learning_rate")
    box.setFocus()
    line = box.lineEdit()
    line.end(False)
    before = line.text()
    qtbot.keyClick(line, key)
    wait_past_the_pause(qtbot, active)
    assert not active.session.is_running
    assert active.session.iteration == 1
    assert active.session.problem.weight_count == 2
    if key == Qt.Key.Key_Space:
        assert line.text() == before + " "
    elif key in (Qt.Key.Key_1, Qt.Key.Key_5):
        assert line.text() == before + QKeySequence(key).toString()
    else:
        assert line.text() == before  # the box refuses a letter, and nothing else happens


def test_a_key_never_types_into_a_box_without_the_focus(qtbot, active):
    """Digits pressed with the focus on a button change no box's text."""
    texts = {box.objectName(): box.text() for box in active.findChildren(QDoubleSpinBox)}
    type_keys(qtbot, "5")
    assert {box.objectName(): box.text() for box in active.findChildren(QDoubleSpinBox)} == texts
    qtbot.waitUntil(lambda: not active.key_guard.waiting, timeout=3000)


def test_a_digit_in_the_data_table_edits_the_cell(qtbot, active):
    """The Data table types what is pressed: 5 starts editing its cell, lesson 5 stays away."""
    open_tab(qtbot, active, "detail_tabs", "data_page")
    table = active.data_panel.data_table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_5)
    assert table.state() == QAbstractItemView.State.EditingState
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_past_the_pause(qtbot, active)
    assert active.session.problem.inputs[0].tolist() == [5.0, 4.0]


def test_a_lesson_key_then_space_loads_then_steps(qtbot, active):
    """1 then Space at once: lesson 1 loads first, then one step (2 → 2.24)."""
    press(qtbot, Qt.Key.Key_1)
    press(qtbot, Qt.Key.Key_Space)
    assert not active.key_guard.waiting
    assert active.session.problem.weight_count == 1
    assert active.parameters.weight_boxes[0].text() == "2.24"


def test_a_lesson_key_then_a_click_loads_then_clicks(qtbot, active):
    """1 then a click on Step: the lesson first, then the step."""
    press(qtbot, Qt.Key.Key_1)
    click(qtbot, active, "step_button")
    assert active.parameters.weight_boxes[0].text() == "2.24"


def test_clicker_keys_work_even_in_a_box(qtbot, active):
    """A presenter's clicker sends PageDown: it steps wherever the focus is."""
    box = find(active, QDoubleSpinBox, "target")
    box.setFocus()
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_PageDown)
    assert active.session.iteration == 1


def edit_without_enter(qtbot, window, text: str) -> QDoubleSpinBox:
    box = find(window, QDoubleSpinBox, "target")
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    assert window.session.problem.targets.tolist() == [6.0]  # not yet: no Enter
    return box


def test_clicking_the_diagram_commits_the_edit_then_space_steps(qtbot, active):
    """A click on the diagram takes the focus out of the box (its edit counts); Space steps."""
    box = edit_without_enter(qtbot, active, "7")
    view = active.network_view
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))  # not on an edge
    assert not box.hasFocus() and view.hasFocus()
    assert active.session.problem.targets.tolist() == [7.0]
    press(qtbot, Qt.Key.Key_Space)
    assert active.session.iteration == 1


@pytest.mark.parametrize("plot_name", ["error_plot", "loss_plot"])
def test_clicking_a_plot_commits_the_edit_then_space_steps(qtbot, active, plot_name):
    """A click on a plot does the same."""
    box = edit_without_enter(qtbot, active, "8")
    plot = getattr(active, plot_name)
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton)
    assert not box.hasFocus()
    assert active.session.problem.targets.tolist() == [8.0]
    press(qtbot, Qt.Key.Key_Space)
    assert active.session.iteration == 1
