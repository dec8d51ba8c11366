"""Lesson files through the real window: open, save, reopen, bad files, unsaved changes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtWidgets import QDoubleSpinBox

from gd_desktop.app import main
from gd_desktop.core import lesson as lesson_file
from gd_desktop.core.presets import PRESETS
from tests.gui.helpers import click, find, shown, type_into


def test_saved_lesson_reopens_with_the_same_numbers(qtbot, window, tmp_path):
    """Save the two-input lesson with a new rate, change things, reopen: all comes back."""
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "0.02")
    assert window.isWindowModified()
    path = tmp_path / "my lesson.gdlesson"
    assert window.save_lesson(path)
    assert not window.isWindowModified()
    assert "my lesson" in window.windowTitle()
    type_into(qtbot, find(window, QDoubleSpinBox, "target"), "9")
    assert window.isWindowModified()
    assert window.open_lesson(path)
    problem = window.session.problem
    assert problem.targets.tolist() == [6.0] and problem.learning_rate == 0.02
    np.testing.assert_array_equal(window.session.current.weights, [1.0, 2.0])
    assert not window.isWindowModified()


def test_lesson_saved_with_its_run_reopens_at_the_same_iteration(qtbot, window, tmp_path):
    """A lesson saved with its run comes back with every iteration, a hand move marked."""
    for _ in range(3):
        click(qtbot, window, "step_button")
    type_into(qtbot, window.parameters.weight_boxes[0], "0.5")
    click(qtbot, window, "step_button")
    weights = window.session.history.weights.copy()
    path = tmp_path / "run.gdlesson"
    assert window.save_lesson(path, with_run=True)
    click(qtbot, window, "reset_button")
    assert window.open_lesson(path)
    np.testing.assert_array_equal(window.session.history.weights, weights)
    assert window.session.history.moved_by_hand.tolist() == [
        False,
        False,
        False,
        False,
        True,
        False,
    ]
    assert shown(window, "iteration_value") == "5"


def test_saved_lesson_runs_headless_to_the_same_numbers(qtbot, window, tmp_path, capsys):
    """The window's lesson and `gd-desktop trace --lesson` give the same weights."""
    path = tmp_path / "l.gdlesson"
    window.save_lesson(path)
    for _ in range(4):
        click(qtbot, window, "step_button")
    assert main(["trace", "--lesson", str(path), "--steps", "4", "--format", "json"]) == 0
    steps = json.loads(capsys.readouterr().out)["steps"]
    assert steps[-1]["weights"] == window.session.current.weights.tolist()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("{not json", "not JSON"),
        ('{"format": "gd-desktop-lesson", "version": 99}', "newer"),
        ('{"format": "something-else", "version": 1}', "format"),
    ],
)
def test_bad_lesson_file_changes_nothing_and_says_why(qtbot, window, tmp_path, text, words):
    """A bad file gets a message naming the problem; the lesson on screen stays as it was."""
    click(qtbot, window, "step_button")
    path = tmp_path / "bad.gdlesson"
    path.write_text(text)
    assert not window.open_lesson(path)
    message = shown(window, "status_message")
    assert "Could not open bad.gdlesson" in message and words.lower() in message.lower()
    assert window.session.iteration == 1
    np.testing.assert_allclose(window.session.current.weights, [0.7, 1.6])


def test_course_lessons_are_in_the_file_menu(qtbot, window):
    """The shipped lessons are listed by title and open from the menu."""
    window.lesson_files.course_menu.aboutToShow.emit()  # what opening the menu does
    titles = [action.text() for action in window.lesson_files.course_menu.actions()]
    assert "Slide: one weight" in titles
    action = window.lesson_files.course_menu.actions()[titles.index("Slide: one weight")]
    action.trigger()
    click(qtbot, window, "step_button")
    assert window.parameters.weight_boxes[0].text() == "2.24"
    assert window.preferences.recent_files[0].endswith("slide-one-weight.gdlesson")


def test_closing_with_unsaved_changes_asks_and_can_cancel(qtbot, window, tmp_path):
    """Cancel keeps the window open; Save writes the lesson first."""
    type_into(qtbot, find(window, QDoubleSpinBox, "target"), "7")
    window.confirm_unsaved = lambda: "cancel"
    assert not window.close()
    assert window.isVisible()
    window.lesson_files.path = tmp_path / "kept.gdlesson"
    window.confirm_unsaved = lambda: "save"
    assert window.close()
    assert lesson_file.load(tmp_path / "kept.gdlesson").targets.tolist() == [7.0]


def test_opening_a_lesson_from_the_command_line(qtbot, tmp_path, monkeypatch):
    """`gd-desktop FILE.gdlesson` opens it in the window."""
    path = tmp_path / "cli.gdlesson"
    lesson_file.save(lesson_file.lesson_from_preset(PRESETS[0]), path)
    from gd_desktop import app as app_module

    opened = []
    monkeypatch.setattr(
        app_module, "_run_window", lambda lesson_path: opened.append(lesson_path) or 0
    )
    assert main([str(path)]) == 0
    assert opened == [path]


def test_a_run_with_adam_and_a_new_rate_reopens_and_steps_on_exactly(qtbot, window, tmp_path):
    """Adam with a rate changed part way, saved with its run and reopened: the optimizer's
    state is back bit for bit, and the next Step lands where it would have landed."""
    assert window.session.set_fields(optimizer="adam", schedule="inverse-time")
    for _ in range(3):
        click(qtbot, window, "step_button")
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "0.02")
    for _ in range(2):
        click(qtbot, window, "step_button")
    history = window.session.history
    before = (history.weights.copy(), history.optimizer_buffers.copy(), history.base_rates.copy())
    landing = window.session.next_weights.copy()
    path = tmp_path / "adam.gdlesson"
    assert window.save_lesson(path, with_run=True)
    saved = json.loads(path.read_text("utf-8"))
    assert saved["optimizer"] == "adam" and saved["history_rates"][-1] == 0.02
    click(qtbot, window, "reset_button")
    assert window.open_lesson(path)
    history = window.session.history
    assert window.session.problem.optimizer == "adam"
    assert history.weights.tobytes() == before[0].tobytes()
    assert history.optimizer_buffers.tobytes() == before[1].tobytes()
    assert history.base_rates.tobytes() == before[2].tobytes()
    click(qtbot, window, "step_button")
    assert window.session.current.weights.tobytes() == landing.tobytes()
