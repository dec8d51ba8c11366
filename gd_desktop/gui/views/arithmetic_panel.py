"""The arithmetic panel: the slides' chain rule filled in with the numbers on view, and the quiz.

It reads the iteration on view from the session and writes out what the core's arithmetic makes
of it, when the renderer says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QCursor
from PySide6.QtWidgets import (
    QTextBrowser,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core.arithmetic import Line, StepArithmetic, escape_html, line_html
from gd_desktop.core.iteration_arithmetic import explain_iteration
from gd_desktop.gui.views.quiz import HIDE_SLOPE, QuizBar

if TYPE_CHECKING:
    from gd_desktop.gui.session import Session

HIGHLIGHT_BACKGROUND = "#FFF6BF"


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

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self._session = session
        self.view = ArithmeticView()
        self.view.anchorClicked.connect(self._on_link)
        self.quiz = QuizBar(self.quiz_answer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.quiz)
        self.quiz.changed.connect(self._on_quiz_changed)
        self.quiz_changed = self.quiz.changed
        self._arithmetic: StepArithmetic | None = None
        self._previous: list[Line] = []
        self._selected = 0
        self._heading = ""
        self._show_rows = False
        self._highlight = HIGHLIGHT_BACKGROUND
        self._muted = "#555555"
        self.set_colours("#111111", HIGHLIGHT_BACKGROUND)

    def set_colours(self, ink: str, highlight: str) -> None:
        """Numbers in the theme's ink (they are links, for the exact value on hover) and the
        highlighted weight's block on a ground that the ink reads on."""
        self._highlight = highlight
        # The numeric check, quieter than the ink, on the highlight's ground as on the page's.
        ink_rgb, ground_rgb = QColor(ink).getRgb()[:3], QColor(highlight).getRgb()[:3]
        mixed = (round(0.65 * a + 0.35 * b) for a, b in zip(ink_rgb, ground_rgb))
        self._muted = QColor(*mixed).name()
        self.view.document().setDefaultStyleSheet(f"a {{ color: {ink}; text-decoration: none; }}")
        self._render()

    # ----------------------------------------------------------------- the quiz
    @property
    def quizzing(self) -> bool:
        return self.quiz.quizzing

    @property
    def hides_slope(self) -> bool:
        return self.quiz.hides_slope

    def follow_question(self, selected: int) -> None:
        """The question on view, before any view draws: a new one hides its answer again.

        What determines the answer: the weight asked about, the iteration and its weights, the
        rate, and the problem (its rows and batches).
        """
        session = self._session
        self.quiz.follow(
            (
                int(selected),
                session.shown_index,
                session.shown.weights.tobytes(),
                float(session.shown_problem.learning_rate),
                id(session.problem),
            )
        )

    def quiz_answer(self, hidden: str) -> tuple[float, float] | None:
        """The hidden number of the question on view, and its rounding noise."""
        if self._arithmetic is None:
            return None
        chosen = self._arithmetic.weights[self._selected]
        if hidden == HIDE_SLOPE:
            return chosen.slope, chosen.slope_noise
        return chosen.new_weight, chosen.new_weight_noise

    def _on_quiz_changed(self) -> None:
        self._render()

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
        self.follow_question(selected)
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
            lines.append(
                f"<span style='color: {self._muted}'>" + line_html(weight.check_line) + "</span>"
            )
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
