"""The arithmetic panel: the slides' chain rule filled in with the numbers on view, and the quiz.

It reads the iteration on view from the session and writes out what the core's arithmetic makes
of it, when the renderer says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core import arithmetic
from gd_desktop.core.arithmetic import Line, StepArithmetic, escape_html, line_html, line_text
from gd_desktop.core.iteration_arithmetic import explain_iteration
from gd_desktop.gui.views.widgets import parse_number

if TYPE_CHECKING:
    from gd_desktop.gui.session import Session

HIGHLIGHT_BACKGROUND = "#FFF6BF"
QUIZ_NEW_WEIGHT = 0
QUIZ_SLOPE = 1
QUIZ_PROMPT = "Quiz: work out the hidden number for the highlighted weight, then press Check."


def _hide_result(line: Line) -> Line:
    """The line with its final number replaced by a question mark."""
    return (*line[:-1], "?")


class ArithmeticView(QTextBrowser):
    """Read-only rich text; hovering a number shows its exact value."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("explanation")
        self.setAccessibleName("The arithmetic of the step")
        self.setOpenLinks(False)
        # A scroll bar that comes and goes with each new text would re-lay the panel per step.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setOpenExternalLinks(False)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.highlighted.connect(self._on_hover)

    def _on_hover(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("value:"):
            QToolTip.showText(QCursor.pos(), f"exact value: {text[6:]}", self)
        else:
            QToolTip.hideText()

    def text(self) -> str:
        return self.toPlainText()


class ArithmeticPanel(QWidget):
    """Writes out the step on view; the quiz hides one answer until the student guesses."""

    #: The quiz was turned on or off, or a guess was checked: what the other views hide changes.
    quiz_changed = Signal()

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self._session = session
        self.view = ArithmeticView()
        self.view.anchorClicked.connect(self._on_link)
        self.quiz_toggle = QCheckBox("Quiz me")
        self.quiz_toggle.setObjectName("quiz_toggle")
        self.quiz_toggle.setToolTip("Hide the answer for the highlighted weight; guess it first")
        self.quiz_mode = QComboBox()
        self.quiz_mode.setObjectName("quiz_mode")
        self.quiz_mode.setAccessibleName("What the quiz hides")
        self.quiz_mode.setToolTip("Hide the new weight, or the slope, of the highlighted weight")
        self.quiz_mode.addItems(["hide the new weight", "hide the slope"])
        self.guess_box = QLineEdit()
        self.guess_box.setObjectName("quiz_guess")
        self.guess_box.setAccessibleName("Your guess")
        self.guess_box.setPlaceholderText("your guess")
        self.check_button = QPushButton("Check")
        self.check_button.setObjectName("quiz_check")
        self.quiz_result = QLabel()
        self.quiz_result.setObjectName("quiz_result")
        self.quiz_result.setWordWrap(True)
        first_row = QHBoxLayout()
        first_row.addWidget(self.quiz_toggle)
        first_row.addWidget(self.quiz_mode, 1)
        second_row = QHBoxLayout()
        second_row.addWidget(self.guess_box, 1)
        second_row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(first_row)
        layout.addLayout(second_row)
        layout.addWidget(self.quiz_result)
        self.quiz_toggle.toggled.connect(self._on_quiz_toggled)
        self.quiz_mode.currentIndexChanged.connect(self._on_quiz_toggled)
        self.check_button.clicked.connect(self._on_check)
        self.guess_box.returnPressed.connect(self._on_check)
        self._arithmetic: StepArithmetic | None = None
        self._question: tuple | None = None
        self._previous: list[Line] = []
        self._selected = 0
        self._heading = ""
        self._revealed = False
        self._show_rows = False
        self._highlight = HIGHLIGHT_BACKGROUND
        self.set_colours("#111111", HIGHLIGHT_BACKGROUND)
        self._on_quiz_toggled()

    def set_colours(self, ink: str, highlight: str) -> None:
        """Numbers in the theme's ink (they are links, for the exact value on hover) and the
        highlighted weight's block on a ground that the ink reads on."""
        self._highlight = highlight
        self.view.document().setDefaultStyleSheet(f"a {{ color: {ink}; text-decoration: none; }}")
        self._render()

    # ----------------------------------------------------------------- the quiz
    @property
    def quizzing(self) -> bool:
        return self.quiz_toggle.isChecked() and not self._revealed

    @property
    def hides_slope(self) -> bool:
        return self.quizzing and self.quiz_mode.currentIndex() == QUIZ_SLOPE

    def quiz_answer(self) -> float | None:
        if self._arithmetic is None:
            return None
        chosen = self._arithmetic.weights[self._selected]
        return chosen.slope if self.quiz_mode.currentIndex() == QUIZ_SLOPE else chosen.new_weight

    def _on_quiz_toggled(self, *_):
        on = self.quiz_toggle.isChecked()
        for widget in (self.quiz_mode, self.guess_box, self.check_button):
            widget.setEnabled(on)
        self._revealed = False
        self.quiz_result.setText(QUIZ_PROMPT if on else "")
        self._render()
        self.quiz_changed.emit()

    def _on_check(self) -> None:
        answer = self.quiz_answer()
        if not self.quiz_toggle.isChecked() or answer is None:
            return
        guess = parse_number(self.guess_box.text())
        if guess is None:
            self.quiz_result.setText("Type a number, e.g. 2.24, then press Check.")
            return
        self._revealed = True
        self.quiz_result.setText(arithmetic.judge_guess(guess, answer))
        self._render()
        self.quiz_changed.emit()

    # ----------------------------------------------------------------- rendering
    def refresh(self, selected: int) -> None:
        """Show the step about to be taken from the iteration on view, and the step just taken,
        ``selected`` weight highlighted.

        A different question (other numbers, or another weight) hides the quiz answer again.
        """
        session = self._session
        explained = explain_iteration(
            session.shown_problem, session.history, session.shown_index, session.shown, selected
        )
        step, previous, heading = explained.step, list(explained.just_taken), explained.heading
        question = (selected, tuple(line_text(w.update_line) for w in step.weights))
        if question != self._question and self.quiz_toggle.isChecked():
            self._revealed = False
            self.guess_box.clear()
            self.quiz_result.setText(QUIZ_PROMPT)
        self._question = question
        self._arithmetic = step
        self._previous = previous
        self._selected = selected
        self._heading = heading
        self._render()

    def _on_link(self, url: QUrl) -> None:
        if url.toString() == "toggle:rows":
            self._show_rows = not self._show_rows
            self._render()

    def _render(self) -> None:
        step = self._arithmetic
        if step is None:
            return
        parts = [f"<h3 style='margin: 2px 0'>{escape_html(self._heading)}</h3>"]
        if self._previous:
            parts.append("<p style='margin: 2px 0'><b>The step just taken:</b><br>")
            parts.append("<br>".join(line_html(line) for line in self._previous))
            parts.append("</p>")
        parts.append("<p style='margin: 6px 0 2px 0'><b>The next step:</b><br>")
        parts.append("<br>".join(line_html(line) for line in step.prediction_lines))
        parts.append("<br>")
        parts.append("<br>".join(line_html(line) for line in step.error_lines))
        parts.append("<br>" + line_html(step.loss_line) + "</p>")
        for weight in step.weights:
            parts.append(self._weight_html(weight, step.several_rows))
        if step.several_rows:
            label = "hide the per-row terms" if self._show_rows else "show the per-row terms"
            parts.append(
                f"<p><a href='toggle:rows'>{'▾' if self._show_rows else '▸'} {label}</a></p>"
            )
        scroll = self.view.verticalScrollBar().value()
        self.view.setHtml("".join(parts))
        self.view.verticalScrollBar().setValue(scroll)

    def _weight_html(self, weight, several_rows: bool) -> str:
        selected = weight.index == self._selected
        hide_slope = selected and self.hides_slope
        hide_weight = selected and self.quizzing
        slope_line = _hide_result(weight.slope_line) if hide_slope else weight.slope_line
        update_line = _hide_result(weight.update_line) if hide_weight else weight.update_line
        if hide_slope:
            update_line = (*update_line[:-3], "?", " = ?")
        lines = [
            "① " + line_html(weight.loss_slope_line),
            "② " + line_html(weight.feeding_value_line),
            "③ " + line_html(weight.activation_line),
            "<b>" + line_html(slope_line) + "</b>",
            "<b>" + line_html(update_line) + "</b>",
        ]
        if not hide_slope:
            lines.append("<span style='color: #555555'>" + line_html(weight.check_line) + "</span>")
        if several_rows and self._show_rows:
            lines += ["&nbsp;&nbsp;" + line_html(line) for line in weight.row_lines]
        style = (
            f"background-color: {self._highlight}; border: 2px solid #B8A000" if selected else ""
        )
        label = (
            f"Weight {weight.index + 1}"
            if weight.name.startswith("w") and weight.name[1:].isdigit()
            else f"Weight {weight.name}"
        )
        title = label + (" (on the loss curve)" if selected else "")
        return (
            f"<table width='100%' cellpadding='6' style='{style}'><tr><td>"
            f"<b>{escape_html(title)}</b><br>" + "<br>".join(lines) + "</td></tr></table>"
        )
