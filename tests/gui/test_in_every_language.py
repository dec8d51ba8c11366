"""The window's main flows in whatever language the suite runs in: scripts/test.sh runs them (and
the other tests marked ``languages``) with LANGUAGE set to each shipped language. Widgets are
found by objectName, numbers are read as the language writes them (0,7 in German, 0.7 in
Chinese), and no English word is compared: a flow that only works in English fails here."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
)

from gd_desktop.core import i18n
from gd_desktop.core.i18n import _
from gd_desktop.core.iteration_arithmetic import DiagramPart
from gd_desktop.gui.themes import GOOD_NEWS, WARNING
from tests.gui.helpers import (
    all_visible_text,
    choose_preset,
    click,
    explanation,
    find,
    shown,
    type_into,
)

pytestmark = pytest.mark.languages


def num(text: str) -> str:
    """A number as the language in use writes it ("0.7" → "0,7" in German)."""
    return i18n.localized_number(text)


def status_kind(window) -> str:
    return find(window, QLabel, "status_message").property("kind")


def test_the_window_speaks_the_language_the_suite_runs_in(window):
    """LANGUAGE=xx chooses the words: the controls and the menus are in that language."""
    code = i18n.current_language()
    assert code == i18n.language_from_environment()
    step = find(window, QPushButton, "step_button")
    assert step.text() == _("Step") and step.accessibleName() == _("Step")
    assert window.actions_by_id.menus["file"].title() == _("&File")
    if code != i18n.SOURCE_LANGUAGE:  # a shipped language: its catalog has the words
        assert step.text() != "Step"
        assert window.actions_by_id.menus["file"].title() != "&File"


def test_a_step_reproduces_the_two_input_slide(qtbot, window):
    """Slopes 30 and 40; one Step gives weights 0.7 and 1.6 and an error of 2.5."""
    assert (shown(window, "slope_0"), shown(window, "slope_1")) == ("30", "40")
    assert find(window, QDoubleSpinBox, "learning_rate").text() == num("0.01")
    click(qtbot, window, "step_button")
    assert find(window, QDoubleSpinBox, "weight_0").text() == num("0.7")
    assert find(window, QDoubleSpinBox, "weight_1").text() == num("1.6")
    assert shown(window, "error_value") == num("2.5")
    assert f"= {num('0.7')}" in explanation(window)
    np.testing.assert_allclose(window.session.current.weights, [0.7, 1.6], rtol=1e-12)


def test_the_one_weight_slide_typed_in_the_languages_way_steps_to_2_24(qtbot, window):
    """Typed as a student of the language types (a comma where it writes one): 2 → 2.24."""
    type_into(qtbot, find(window, QSpinBox, "input_count"), "1")
    type_into(qtbot, find(window, QDoubleSpinBox, "input_0"), "3")
    type_into(qtbot, find(window, QDoubleSpinBox, "weight_0"), "2")
    type_into(qtbot, find(window, QDoubleSpinBox, "target"), "10")
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), num("0.01"))
    click(qtbot, window, "reset_button")
    assert shown(window, "slope_0") == "−24"
    click(qtbot, window, "step_button")
    assert find(window, QDoubleSpinBox, "weight_0").text() == num("2.24")
    click(qtbot, window, "step_button")
    assert find(window, QDoubleSpinBox, "weight_0").text() == num("2.4368")
    assert window.session.problem.learning_rate == 0.01


def test_run_and_pause(qtbot, window):
    """Run steps on a timer and says Pause; pressing again stops it where it is."""
    slider = find(window, QSlider, "speed_slider")
    slider.setValue(slider.maximum() - 1)
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), num("0.0001"))
    run = find(window, QPushButton, "run_button")
    click(qtbot, window, "run_button")
    assert run.text() == _("Pause") and not find(window, QPushButton, "step_button").isEnabled()
    qtbot.waitUntil(lambda: window.session.iteration >= 5, timeout=5000)
    click(qtbot, window, "run_button")
    assert run.text() == _("Run")
    stopped_at = window.session.iteration
    qtbot.wait(100)
    assert window.session.iteration == stopped_at
    assert shown(window, "iteration_value") == str(stopped_at)


def test_too_big_a_rate_stops_the_run_with_a_warning_and_no_nan(qtbot, window):
    choose_preset(qtbot, window, "too-big-learning-rate")
    slider = find(window, QSlider, "speed_slider")
    slider.setValue(slider.maximum())
    click(qtbot, window, "run_button")
    qtbot.waitUntil(lambda: not window.session.is_running, timeout=5000)
    assert status_kind(window) == WARNING
    assert len(window.session.history) > 3
    text = all_visible_text(window).lower()
    assert "nan" not in text and "inf" not in text


def test_a_converging_run_says_good_news(qtbot, window):
    choose_preset(qtbot, window, "just-right")
    slider = find(window, QSlider, "speed_slider")
    slider.setValue(slider.maximum())
    click(qtbot, window, "run_button")
    qtbot.waitUntil(lambda: not window.session.is_running, timeout=5000)
    assert status_kind(window) == GOOD_NEWS


def test_letters_in_a_number_box_change_nothing(qtbot, window):
    box = find(window, QDoubleSpinBox, "target")
    type_into(qtbot, box, "abc")
    assert window.session.problem.targets[0] == 6.0 and box.text() == "6"
    assert len(window.session.history) == 1


def test_the_quiz_hides_the_new_weight_until_guessed(qtbot, window):
    """A wrong guess keeps it hidden; the right one, typed the language's way, shows it."""
    choose_preset(qtbot, window, "slide-one-weight")
    qtbot.mouseClick(find(window, QCheckBox, "quiz_toggle"), Qt.MouseButton.LeftButton)
    assert num("2.24") not in explanation(window)
    box = find(window, QLineEdit, "quiz_guess")
    for guess in ("9", num("2.24")):
        box.clear()
        qtbot.keyClicks(box, guess)
        click(qtbot, window, "quiz_check")
        if guess == "9":
            assert num("2.24") not in explanation(window)
    assert f"= {num('2.24')}" in explanation(window)
    assert window.arithmetic_panel.quiz.state.answered


def test_presentation_reveals_the_factors_then_steps(qtbot, window):
    """F5, then five Page Downs ring the output, the input, the output and the edge twice;
    the sixth takes the step."""
    with qtbot.waitActive(window):
        window.activateWindow()
    window.step_button.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F5)
    assert window.presentation.presenting and not window.editing_panel.isVisible()
    parts = []
    for _press in range(5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown)
        parts.append(window.network_view.highlighted_part)
    assert parts == [
        DiagramPart("output"), DiagramPart("input", 0), DiagramPart("output"),
        DiagramPart("edge", 0), DiagramPart("edge", 0),
    ]  # fmt: skip
    assert f"= {num('0.7')}" in explanation(window)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown)
    assert window.session.iteration == 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not window.presentation.presenting


def test_a_lesson_saved_and_opened_again_keeps_its_numbers(qtbot, window, tmp_path):
    """Saving writes the language-neutral format; opening it back gives the same numbers."""
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), num("0.02"))
    path = tmp_path / "lesson.gdlesson"
    assert window.save_lesson(path)
    assert '"learning_rate": 0.02' in path.read_text(encoding="utf-8")  # a dot, always
    type_into(qtbot, find(window, QDoubleSpinBox, "target"), "9")
    assert window.open_lesson(path)
    assert window.session.problem.learning_rate == 0.02
    assert window.session.problem.targets.tolist() == [6.0]
    assert find(window, QDoubleSpinBox, "learning_rate").text() == num("0.02")


def test_a_bad_lesson_file_changes_nothing_and_says_so(qtbot, window, tmp_path):
    path = tmp_path / "empty.gdlesson"
    path.write_text("", encoding="utf-8")
    before = window.session.problem
    assert not window.open_lesson(path)
    assert window.session.problem == before
    assert status_kind(window) == WARNING
    assert "empty.gdlesson" in shown(window, "status_message")
    assert "Traceback" not in shown(window, "status_message")


def test_the_lesson_list_shows_the_chosen_lesson(qtbot, window):
    """Keys on the preset's id: the list shows that lesson's title in the language in use."""
    choose_preset(qtbot, window, "oscillates")
    combo = find(window, QComboBox, "preset_combo")
    assert combo.currentData() == "oscillates"
    assert combo.currentText() == _("Oscillates")
    assert window.session.problem.learning_rate == 0.035
