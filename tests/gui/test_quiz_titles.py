"""The quiz gives nothing away outside the arithmetic either: the lesson list, the window's title,
the menus and the tooltips never carry the hidden number (slide one's title once said "2 → 2.24",
its answer)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from gd_desktop.core.number_fit import shown_value
from gd_desktop.core.numbers import format_number
from gd_desktop.core.presets import PRESETS
from tests.gui.helpers import choose_preset, find
from tests.gui.test_quiz import everything_on_screen, quiz_on


def menu_texts(menu) -> list[str]:
    """Every entry's text and tooltip in a menu and its submenus (filled as opening them does)."""
    menu.aboutToShow.emit()
    texts = [menu.title()]
    for action in menu.actions():
        texts += [action.text(), action.toolTip(), action.statusTip()]
        if action.menu() is not None:
            texts += menu_texts(action.menu())
    return texts


def around_the_work(window) -> str:
    """What a student reads besides the step: the lesson list (its entries and their tooltips),
    the window's title, the menus, every visible widget's tooltip, and the status line."""
    presets = find(window, QComboBox, "preset_combo")
    texts = [window.windowTitle(), presets.currentText()]
    for index in range(presets.count()):
        texts += [presets.itemText(index), presets.itemData(index, Qt.ItemDataRole.ToolTipRole)]
    for action in window.menuBar().actions():
        texts += menu_texts(action.menu())
    texts += [w.toolTip() for w in window.findChildren(QWidget) if w.isVisible()]
    return "\n".join(str(text) for text in texts if text)


def written(number: float, noise: float) -> re.Pattern:
    """The hidden number as the window writes it, not as part of a longer number or a name
    (w2), nor an entry's number in a menu ("2. Slide: two inputs")."""
    text = re.escape(format_number(shown_value(number, noise)))
    return re.compile(rf"(?<![\w.,]){text}(?!\w|[.,]\d|\. \w)")


def test_slide_ones_answer_was_in_its_title_and_is_no_longer(qtbot, window):
    """The answer of slide one (2.24) is what the quiz hides; no title says it."""
    choose_preset(qtbot, window, "slide-one-weight")
    assert window.arithmetic_panel.quiz_answer("new weight")[0] == pytest.approx(2.24)
    quiz_on(qtbot, window)
    assert not written(2.24, 0).search(around_the_work(window))


@pytest.mark.parametrize("hidden", ["new weight", "slope"])
@pytest.mark.parametrize("preset", [preset.id for preset in PRESETS])
def test_no_title_menu_or_tooltip_gives_the_hidden_number_away(qtbot, window, preset, hidden):
    """Each course lesson with the quiz on: the number it hides is in no title, menu or tooltip
    (the views are tests/gui/test_quiz.py's; before the quiz the number is on screen, so the
    pattern finds it: the test can fail)."""
    choose_preset(qtbot, window, preset)
    answer = window.arithmetic_panel.quiz_answer(hidden)
    pattern = written(*answer)
    assert pattern.search(everything_on_screen(window)), "shown before the quiz"
    quiz_on(qtbot, window, hide=hidden)
    found = pattern.search(around_the_work(window))
    assert found is None, around_the_work(window)[max(0, found.start() - 80) : found.end() + 20]
