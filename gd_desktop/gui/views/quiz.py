"""The quiz's controls under the arithmetic: on/off, what it hides, the guess, Check, Reveal and
the running score.

What a guess is worth and when the answer may show is the core's (:mod:`gd_desktop.core.quiz`);
this holds the question on view and says when what the other views hide has changed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core.i18n import N_, _
from gd_desktop.core.number_fit import shown_value
from gd_desktop.core.numbers import format_number
from gd_desktop.core.quiz import QuizState
from gd_desktop.gui.views.widgets import parse_number

HIDE_NEW_WEIGHT = "new weight"  # the quiz modes, by id (the list's item data)
HIDE_SLOPE = "slope"
# The quiz's sentences, in English (translated where shown).
QUIZ_PROMPT = N_("Quiz: work out the hidden number for the highlighted weight, then press Check.")
TYPE_A_NUMBER = N_("Type a number, e.g. {example}, then press Check.")
REVEALED = N_("The answer is {answer}.")
QUIZ_ON = N_(
    "Quiz: one number of the next step is hidden until you have it right or press Reveal."
)
QUIZ_OFF = N_("Quiz off: every number of the step is shown.")
# The numbers a hint gives as examples: no course lesson's answer (2.24 and −24 were slide one's).
EXAMPLE, NEGATIVE_EXAMPLE = 1.23, -4.5

#: What the answer is for the question on view: (value, its rounding noise), or None.
AnswerSource = Callable[[str], "tuple[float, float] | None"]


class QuizBar(QWidget):
    """Hides one number of the step until the student has it right or asks for it."""

    #: The quiz was turned on or off, or its answer shown or hidden: what views hide changed.
    changed = Signal()
    #: A sentence for the status line (the lesson's own words may name the answer: replaced).
    status = Signal(str, bool)

    def __init__(self, answer: AnswerSource, parent=None):
        super().__init__(parent)
        self.setObjectName("quiz_bar")
        self._answer = answer
        self.state = QuizState()
        self._result_said = ""  # the English sentence the result shows, if one of ours
        self.toggle = QCheckBox()
        self.toggle.setObjectName("quiz_toggle")
        self.mode = QComboBox()
        self.mode.setObjectName("quiz_mode")
        self.mode.addItem("", HIDE_NEW_WEIGHT)
        self.mode.addItem("", HIDE_SLOPE)
        self.guess_box = QLineEdit()
        self.guess_box.setObjectName("quiz_guess")
        self.check_button = QPushButton()
        self.check_button.setObjectName("quiz_check")
        self.reveal_button = QPushButton()
        self.reveal_button.setObjectName("quiz_reveal")
        self.result = QLabel()
        self.result.setObjectName("quiz_result")
        self.result.setWordWrap(True)
        self.score_label = QLabel()
        self.score_label.setObjectName("quiz_score")
        self.retranslate()
        first_row = QHBoxLayout()
        first_row.addWidget(self.toggle)
        first_row.addWidget(self.mode, 1)
        second_row = QHBoxLayout()
        second_row.addWidget(self.guess_box, 1)
        second_row.addWidget(self.check_button)
        second_row.addWidget(self.reveal_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(first_row)
        layout.addLayout(second_row)
        layout.addWidget(self.result)
        layout.addWidget(self.score_label)
        self.toggle.toggled.connect(self._on_toggled)
        self.mode.currentIndexChanged.connect(self._on_mode_changed)
        self.check_button.clicked.connect(self.check)
        self.guess_box.returnPressed.connect(self.check)
        self.reveal_button.clicked.connect(self.reveal)
        self._show_controls()

    def retranslate(self) -> None:
        """The quiz's words in the language in use (the mode list keys on its item data)."""
        self.toggle.setText(_("Quiz me"))
        self.toggle.setToolTip(_("Hide the answer for the highlighted weight; guess it first"))
        self.toggle.setAccessibleName(_("Quiz me"))
        self.mode.setAccessibleName(_("What the quiz hides"))
        self.mode.setToolTip(_("Hide the new weight, or the slope, of the highlighted weight"))
        self.mode.setItemText(self.mode.findData(HIDE_NEW_WEIGHT), _("hide the new weight"))
        self.mode.setItemText(self.mode.findData(HIDE_SLOPE), _("hide the slope"))
        self.guess_box.setAccessibleName(_("Your guess"))
        self.guess_box.setToolTip(
            _("Type the hidden number (e.g. {example} or {negative}), then press Enter").format(
                example=format_number(EXAMPLE), negative=format_number(NEGATIVE_EXAMPLE)
            )
        )
        self.guess_box.setPlaceholderText(_("your guess"))
        self.check_button.setText(_("Check"))
        self.check_button.setAccessibleName(_("Check my guess"))
        self.check_button.setToolTip(_("Check your guess; a wrong one can be tried again"))
        self.reveal_button.setText(_("Reveal"))
        self.reveal_button.setAccessibleName(_("Reveal the answer"))
        self.reveal_button.setToolTip(_("Show the hidden number (it counts as revealed)"))
        self.score_label.setToolTip(
            _("Questions right at the first guess, guessed at, and revealed")
        )
        if self._result_said in (QUIZ_PROMPT, TYPE_A_NUMBER):
            self._say(self._result_said)
        if self.toggle.isChecked():
            self.score_label.setText(self.state.score.sentence)

    def _say(self, sentence: str, **names: str) -> None:
        """The result line says one of the quiz's sentences, in the language in use."""
        self._result_said = sentence
        self.result.setText(_(sentence).format(example=format_number(EXAMPLE), **names))

    # ----------------------------------------------------------------- what is hidden
    @property
    def hidden_kind(self) -> str:
        return self.mode.currentData()

    @property
    def quizzing(self) -> bool:
        """Whether an answer is hidden now (on, and not yet answered or revealed)."""
        return self.toggle.isChecked() and not self.state.answered

    @property
    def hides_slope(self) -> bool:
        return self.quizzing and self.hidden_kind == HIDE_SLOPE

    def follow(self, question: object) -> None:
        """The question on view (what determines its answer); a new one hides the answer."""
        key = (self.hidden_kind, question)
        if self.state.ask(key) and self.toggle.isChecked():
            self.guess_box.clear()
            self._say(QUIZ_PROMPT)
            self._show_controls()

    # ----------------------------------------------------------------- actions
    def _on_toggled(self, on: bool) -> None:
        if on:
            self.state.restart()
        self.status.emit(_(QUIZ_ON if on else QUIZ_OFF), False)
        self._show_controls()
        self.changed.emit()

    def _on_mode_changed(self, *_) -> None:
        self.changed.emit()  # another number hidden: the panel follows the new question

    def check(self) -> None:
        answer = self._answer(self.hidden_kind)
        if not self.toggle.isChecked() or answer is None:
            return
        guess = parse_number(self.guess_box.text())
        if guess is None:
            self._say(TYPE_A_NUMBER)
            return
        was_hidden = not self.state.answered
        judgement = self.state.guess(guess, *answer)
        self._result_said = ""
        self.result.setText(judgement.sentence)
        self._show_controls()
        if was_hidden and self.state.answered:
            self.changed.emit()

    def reveal(self) -> None:
        answer = self._answer(self.hidden_kind)
        if not self.toggle.isChecked() or answer is None or self.state.answered:
            return
        self.state.reveal()
        value, noise = answer
        self._say(REVEALED, answer=format_number(shown_value(value, noise)))
        self._show_controls()
        self.changed.emit()

    def _show_controls(self) -> None:
        on = self.toggle.isChecked()
        # Off, the quiz's controls leave the room to the arithmetic (only "Quiz me" stays).
        for widget in (self.mode, self.guess_box, self.check_button, self.reveal_button):
            widget.setVisible(on)
        for widget in (self.mode, self.guess_box, self.check_button):
            widget.setEnabled(on)
        self.reveal_button.setEnabled(on and not self.state.answered)
        self.result.setVisible(on)
        if not on:
            self._result_said = ""
            self.result.setText("")
        elif not self.result.text():
            self._say(QUIZ_PROMPT)
        self.score_label.setVisible(on)
        self.score_label.setText(self.state.score.sentence)
