"""Presentation mode, driven by the keys a clicker sends: the slope built factor by factor.

The course's two-input example, weight 1 highlighted: ① 2 × error = 10 (from the output node),
② x1 = 3 (the input node feeding w1), ③ the activation's slope 1 (the output node again), then
their product 30 and the update 1 − 0.01 × 30 = 0.7 (both on the edge of w1).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QWidget

from gd_desktop.core.iteration_arithmetic import DiagramPart
from tests.gui.helpers import explanation, find, shown

FACTORS = (
    ("① slope of the loss w.r.t. the output node = 2 × error = 2 × 5 = 10", DiagramPart("output")),
    ("② value of the node feeding w1 = x1 = 3", DiagramPart("input", 0)),
    ("③ slope of the activation = 1 (a linear node)", DiagramPart("output")),
    ("slope for w1 = 2 × error × x1 × 1 = 2 × 5 × 3 × 1 = 30", DiagramPart("edge", 0)),
    ("new w1 = w1 − learning rate × slope = 1 − 0.01 × 30 = 0.7", DiagramPart("edge", 0)),
)


@pytest.fixture
def presenting(qtbot, window):
    """The window, active, in presentation mode entered with F5 (as a teacher would)."""
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_F5)
    assert window.presentation.presenting
    return window


def activate(qtbot, window) -> None:
    """Active and focused, as in front of a class (shortcuts need an active window)."""
    with qtbot.waitActive(window):
        window.activateWindow()
    window.step_button.setFocus()


def press(qtbot, key) -> None:
    """A key pressed where the focus is (the window's Step button unless a box has it)."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "no window has the focus"
    qtbot.keyClick(target, key)


def diagram_ring(window):
    return find(window, QWidget, "network_view").highlighted_part


def revealed_lines(window) -> list[str]:
    text = explanation(window)
    return [line for line, _ in FACTORS if line in text]


def test_f5_hides_the_editing_panel_and_shows_no_factor_yet(presenting):
    """Entering: the panel is hidden, the menu item checked, the slope not yet written."""
    assert not presenting.editing_panel.isVisible()
    assert presenting.actions_by_id["presentation"].isChecked()
    assert revealed_lines(presenting) == []
    assert "Next (Page Down): ① the slope of the loss" in explanation(presenting)
    assert diagram_ring(presenting) is None


def test_each_page_down_reveals_one_factor_and_rings_where_it_comes_from(qtbot, presenting):
    """Five presses: ①, ②, ③, the product, the update, each with its node or edge ringed."""
    for count, (line, part) in enumerate(FACTORS, start=1):
        press(qtbot, Qt.Key.Key_PageDown)
        assert revealed_lines(presenting) == [line for line, _ in FACTORS[:count]]
        assert diagram_ring(presenting) == part
        assert presenting.session.iteration == 0
    assert "Next (Page Down): take the step." in explanation(presenting)


def test_the_press_after_the_update_takes_the_step_and_starts_the_next_hidden(qtbot, presenting):
    """The sixth press steps: weights 0.7 and 1.6 everywhere, the next slope hidden again."""
    for _ in FACTORS:
        press(qtbot, Qt.Key.Key_PageDown)
    press(qtbot, Qt.Key.Key_PageDown)
    assert presenting.session.iteration == 1
    assert shown(presenting, "prediction_value") == "8.5"
    assert find(presenting, QDoubleSpinBox, "weight_0").value() == pytest.approx(0.7)
    text = explanation(presenting)
    assert text.startswith("Iteration 1")
    assert "w1: 1 − 0.01 × 30 = 0.7" in text
    assert "① slope of the loss" not in text
    assert diagram_ring(presenting) is None


def test_right_and_space_reveal_like_page_down(qtbot, presenting):
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Space)
    assert revealed_lines(presenting) == [FACTORS[0][0], FACTORS[1][0]]


def test_page_up_hides_a_factor_then_goes_back_a_step_shown_whole(qtbot, presenting):
    """Back undoes a reveal; with nothing revealed it goes back a step, every line shown."""
    for _ in range(len(FACTORS) + 1):
        press(qtbot, Qt.Key.Key_PageDown)
    assert presenting.session.shown_index == 1
    press(qtbot, Qt.Key.Key_PageDown)
    press(qtbot, Qt.Key.Key_PageUp)
    assert revealed_lines(presenting) == []
    press(qtbot, Qt.Key.Key_PageUp)  # back to iteration 0, its step shown whole
    assert presenting.session.shown_index == 0
    assert revealed_lines(presenting) == [line for line, _ in FACTORS]
    assert diagram_ring(presenting) == DiagramPart("edge", 0)
    press(qtbot, Qt.Key.Key_Left)
    assert revealed_lines(presenting) == [line for line, _ in FACTORS[:4]]


def test_a_hidden_weight_rings_its_hidden_node_and_its_input(qtbot, presenting):
    """With a hidden layer, the factors of w(x1→h1) come from h1, from x1, then h1 again."""
    presenting.choose_preset("relu-fits-abs")
    presenting.on_weight_chosen(2)  # w(x1→h1)
    rings = []
    for _ in FACTORS:
        press(qtbot, Qt.Key.Key_PageDown)
        rings.append(diagram_ring(presenting))
    assert rings == [
        DiagramPart("hidden", 0),
        DiagramPart("input", 0),
        DiagramPart("hidden", 0),
        DiagramPart("edge", 2),
        DiagramPart("edge", 2),
    ]
    assert "① ①" not in explanation(presenting)


def test_escape_leaves_and_shows_every_line_and_the_panel_again(qtbot, presenting):
    press(qtbot, Qt.Key.Key_PageDown)
    press(qtbot, Qt.Key.Key_Escape)
    assert not presenting.presentation.presenting
    assert presenting.editing_panel.isVisible()
    assert not presenting.actions_by_id["presentation"].isChecked()
    assert revealed_lines(presenting) == [line for line, _ in FACTORS]
    assert diagram_ring(presenting) is None


def test_escape_outside_presentation_changes_nothing(qtbot, window):
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_Escape)
    assert not window.presentation.presenting
    assert window.editing_panel.isVisible()


def test_f9_hides_the_editing_panel_and_the_choice_is_remembered(qtbot, window):
    """The View menu's Editing panel (F9): the arithmetic gets the width; a new window too."""
    activate(qtbot, window)
    before = window.tabs.width()
    press(qtbot, Qt.Key.Key_F9)
    assert not window.editing_panel.isVisible()
    assert not window.actions_by_id["editing_panel"].isChecked()
    qtbot.waitUntil(lambda: window.tabs.width() > before)
    from tests.gui.helpers import open_window

    second = open_window(qtbot)
    assert not second.editing_panel.isVisible()
    second.preferences.restore_defaults()  # the choice stays with this test
