"""The keyboard and a presenter's clicker drive the real window; every action is in a menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gd_desktop.core.presets import PRESETS
from gd_desktop.gui.controllers.actions import preset_action_id
from tests.gui.helpers import shown


@pytest.fixture
def active(qtbot, window):
    """The window, focused as in front of a class (shortcuts need an active window)."""
    window.activateWindow()
    qtbot.waitActive(window)
    window.step_button.setFocus()
    return window


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)


@pytest.mark.parametrize("key", [Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_PageDown])
def test_space_right_and_clicker_next_step(qtbot, active, key):
    """Space, → and a clicker's PageDown each take one step."""
    press(qtbot, active, key)
    assert active.session.iteration == 1
    assert shown(active, "iteration_value") == "1"


@pytest.mark.parametrize("key", [Qt.Key.Key_Left, Qt.Key.Key_PageUp])
def test_left_and_clicker_back_step_back(qtbot, active, key):
    """← and a clicker's PageUp look at the previous iteration."""
    for _ in range(3):
        press(qtbot, active, Qt.Key.Key_Space)
    press(qtbot, active, key)
    assert shown(active, "iteration_value") == "2 of 3"


def test_p_runs_and_pauses_and_r_resets(qtbot, active):
    """P starts and pauses the run; R resets to the values typed."""
    active.session.set_learning_rate(0.0001)
    press(qtbot, active, Qt.Key.Key_P)
    assert active.session.is_running
    qtbot.waitUntil(lambda: active.session.iteration >= 2, timeout=5000)
    press(qtbot, active, Qt.Key.Key_P)
    assert not active.session.is_running
    press(qtbot, active, Qt.Key.Key_R)
    assert active.session.iteration == 0


def test_number_keys_choose_presets(qtbot, active):
    """1 loads the first lesson (one weight, 2 → 2.24), once no other number key follows."""
    press(qtbot, active, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: active.session.problem.weight_count == 1, timeout=2000)
    press(qtbot, active, Qt.Key.Key_Space)
    assert active.parameters.weight_boxes[0].text() == "2.24"


def test_keys_typed_into_a_box_stay_in_the_box(qtbot, active):
    """R and arrows typed while editing a number edit it; they do not reset or step."""
    box = active.parameters.target
    box.setFocus()
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Left)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_R)
    assert active.session.iteration == 0
    assert box.text() == "6"  # the letter was refused by the box, and nothing else happened
    assert active.session.problem.targets[0] == 6.0


def test_every_action_shows_its_keys_in_a_menu(active):
    """Menus list Step, Step back, Run / Pause, Reset, Undo, the lessons and the view actions."""
    actions = active.actions_by_id
    for action_id in ("step", "back", "run", "reset", "undo", "full_screen", "larger_text"):
        assert action_id in actions and not actions[action_id].shortcut().isEmpty(), action_id
    first = actions[preset_action_id(PRESETS[0].id)]
    assert first.text().startswith("1. Slide")
    assert first in actions.menus["lessons"].actions()


def test_f11_goes_full_screen_and_back(qtbot, active):
    """F11 toggles full screen for the projector."""
    press(qtbot, active, Qt.Key.Key_F11)
    assert active.isFullScreen()
    press(qtbot, active, Qt.Key.Key_F11)
    assert not active.isFullScreen()


def test_ctrl_plus_scales_every_text_and_the_plots(qtbot, active):
    """Ctrl++ makes the whole window's text larger, plot labels included; Ctrl+0 restores it."""
    before = QApplication.instance().font().pointSizeF()
    step_before = active.step_button.font().pointSizeF()
    press(qtbot, active, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.instance().font().pointSizeF() == pytest.approx(before * 1.15)
    assert active.step_button.font().pointSizeF() == pytest.approx(step_before * 1.15)
    assert "17pt" in active.error_plot.getPlotItem().titleLabel.opts.get("size", "")
    press(qtbot, active, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.instance().font().pointSizeF() == pytest.approx(before)
