"""The quiz, as a student meets it: the hidden number is nowhere on screen until it is guessed or
revealed; a wrong guess says so and lets the student try again; a running score."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
)

from gd_desktop.core import quiz
from gd_desktop.core.i18n import _
from tests.gui.helpers import choose_preset, click, explanation, find, open_tab, type_into

NEW_WEIGHT = "2.48"  # slide one (3, weight 2, target 10) at rate 0.02: 2 − 0.02 × (−24)
SLOPE = "−24"


def everything_on_screen(window) -> str:
    """Every number a student could read: labels, boxes, the arithmetic, the history table's
    cells, the diagram's tooltip, and where the loss curve's markers sit."""
    texts = [label.text() for label in window.findChildren(QLabel) if label.isVisible()]
    texts += [
        box.lineEdit().text() for box in window.findChildren(QAbstractSpinBox) if box.isVisible()
    ]
    texts.append(explanation(window))
    texts.append(window.network_view.toolTip())
    table = window.findChild(QTableView, "history_table")
    if table is not None:
        model = table.model()
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                texts.append(str(model.index(row, column).data()))
    return "\n".join(texts)


def landing_marker_shown(window) -> bool:
    xs, _ = window.loss_plot.next_step.getData()
    return window.loss_plot.next_marker.isVisible() or (xs is not None and len(xs) > 0)


def tangent_shown(window) -> bool:
    xs, _ = window.loss_plot.tangent.getData()
    return xs is not None and len(xs) > 0


@pytest.fixture
def slide(qtbot, window):
    """Slide one at rate 0.02, with the History page opened (its table is made on opening)."""
    choose_preset(qtbot, window, "slide-one-weight")
    type_into(qtbot, find(window, QAbstractSpinBox, "learning_rate"), "0.02")
    open_tab(qtbot, window, "detail_tabs", "history_page")
    open_tab(qtbot, window, "detail_tabs", "arithmetic_page")
    return window


def quiz_on(qtbot, window, hide: str = "new weight") -> None:
    mode = find(window, QComboBox, "quiz_mode")
    mode.setCurrentIndex(mode.findData(hide))
    qtbot.mouseClick(find(window, QCheckBox, "quiz_toggle"), Qt.MouseButton.LeftButton)


def guess(qtbot, window, text: str) -> str:
    box = find(window, QLineEdit, "quiz_guess")
    box.clear()
    qtbot.keyClicks(box, text)
    click(qtbot, window, "quiz_check")
    return find(window, QLabel, "quiz_result").text()


def test_nothing_on_screen_gives_the_new_weight_away(qtbot, slide):
    """Before the quiz the answer is on screen (the test can fail); in the quiz, nowhere."""
    window = slide
    assert NEW_WEIGHT in everything_on_screen(window)
    assert landing_marker_shown(window)
    quiz_on(qtbot, window)
    assert NEW_WEIGHT not in everything_on_screen(window)
    assert not landing_marker_shown(window)
    assert "2 − 0.02 × (−24) = ?" in explanation(window)


def test_a_wrong_guess_says_try_again_and_hides_the_answer(qtbot, slide):
    window = slide
    quiz_on(qtbot, window)
    said = guess(qtbot, window, "2.4")
    assert "Try again" in said
    assert NEW_WEIGHT not in everything_on_screen(window)
    assert not landing_marker_shown(window)
    said = guess(qtbot, window, "2.48")
    assert "exactly right" in said
    assert "= 2.48" in explanation(window)
    assert landing_marker_shown(window)


def test_reveal_shows_the_answer_and_the_next_step_hides_it_again(qtbot, slide):
    """The issue's leak: after one reveal, the next Step showed the landing marker."""
    window = slide
    quiz_on(qtbot, window)
    click(qtbot, window, "quiz_reveal")
    assert find(window, QLabel, "quiz_result").text() == "The answer is 2.48."
    assert landing_marker_shown(window)
    click(qtbot, window, "step_button")
    assert not landing_marker_shown(window)
    assert "= ?" in explanation(window)
    next_answer = window.arithmetic_panel.quiz_answer("new weight")[0]
    assert f"{next_answer:.6g}" not in everything_on_screen(window)


def test_the_score_counts_right_first_time_tried_and_revealed(qtbot, slide):
    window = slide
    quiz_on(qtbot, window)
    score = find(window, QLabel, "quiz_score")
    assert score.text() == "Score: 0 right first time out of 0 tried; 0 revealed."
    guess(qtbot, window, "2.48")
    click(qtbot, window, "step_button")
    guess(qtbot, window, "9")
    click(qtbot, window, "quiz_reveal")
    click(qtbot, window, "step_button")
    click(qtbot, window, "quiz_reveal")
    assert score.text() == "Score: 1 right first time out of 2 tried; 2 revealed."


def test_a_quiz_on_the_slope_hides_it_in_every_view(qtbot, slide):
    """The slope column, the history's slope cells, the diagram, the tangent and the check."""
    window = slide
    assert SLOPE in everything_on_screen(window) and tangent_shown(window)
    quiz_on(qtbot, window, hide="slope")
    on_screen = everything_on_screen(window)
    assert SLOPE not in on_screen and "(−24)" not in on_screen
    assert find(window, QLabel, "slope_0").text() == "?"
    # In the language the test runs in (it is one of the sample run in every language).
    hidden = _("{name} = {weight}, slope hidden (quiz)").rsplit("}", 1)[-1]
    assert hidden in window.network_view.toolTip()
    assert not tangent_shown(window) and not landing_marker_shown(window)
    assert "× 1 = ?" in explanation(window)
    assert _(quiz.SENTENCES[quiz.EXACT]).rsplit("}", 1)[-1] in guess(qtbot, window, "-24")
    assert find(window, QLabel, "slope_0").text() == SLOPE
    assert tangent_shown(window)


def test_looking_back_the_later_rows_are_hidden(qtbot, slide):
    """Stepping back to iteration 0, the history table would show iteration 1's weight."""
    window = slide
    for _step in range(3):
        click(qtbot, window, "step_button")
    click(qtbot, window, "back_button")
    click(qtbot, window, "back_button")
    click(qtbot, window, "back_button")
    assert window.session.shown_index == 0
    quiz_on(qtbot, window)
    assert window.findChild(QTableView, "history_table").model().rowCount() == 1
    assert NEW_WEIGHT not in everything_on_screen(window)
    click(qtbot, window, "quiz_reveal")
    assert window.findChild(QTableView, "history_table").model().rowCount() == 4


def test_a_word_as_a_guess_asks_for_a_number_and_reveals_nothing(qtbot, slide):
    window = slide
    quiz_on(qtbot, window)
    assert "Type a number" in guess(qtbot, window, "two")
    assert "= ?" in explanation(window)
    assert find(window, QLabel, "quiz_score").text().startswith("Score: 0 right first time")


def test_the_guess_box_and_the_buttons_explain_themselves(window):
    for cls, name in ((QLineEdit, "quiz_guess"), (QLabel, "quiz_score")):
        assert find(window, cls, name).toolTip()
    for name in ("quiz_check", "quiz_reveal"):
        button = find(window, QPushButton, name)
        assert button.toolTip() and button.accessibleName()


def test_the_lesson_s_own_words_do_not_give_the_answer_away(qtbot, window):
    """Slide one's status line says "the weight goes to 2.24": the quiz replaces it."""
    choose_preset(qtbot, window, "slide-one-weight")
    status = find(window, QLabel, "status_message")
    assert "2.24" in status.text()
    quiz_on(qtbot, window)
    assert "2.24" not in everything_on_screen(window)
    assert status.text().startswith("Quiz: one number of the next step is hidden")
