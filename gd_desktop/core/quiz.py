"""The quiz: how a guess is judged, when the answer may be shown, and the running score. No Qt.

A wrong guess gets a hint and another try, never the answer; the answer shows only once the
student has it right or asks for it (Reveal). The score counts questions, not presses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gd_desktop.core.i18n import N_, _
from gd_desktop.core.number_fit import shown_value
from gd_desktop.core.numbers import format_number

#: A guess this close (relative) is right: the student rounded, as the panel does.
RIGHT_WITHIN = 1e-3

# What a judgement is, by id (views key on these, never on the words).
EXACT = "exact"
ROUNDED = "rounded"
WRONG_SIGN = "wrong sign"
VERY_CLOSE = "very close"
CLOSE = "close"
NOT_YET = "not yet"


@dataclass(frozen=True)
class Judgement:
    kind: str
    sentence: str

    @property
    def right(self) -> bool:
        return self.kind in (EXACT, ROUNDED)


SENTENCES = {
    EXACT: N_("{guess}: exactly right!"),
    ROUNDED: N_("{guess}: right, to rounding (the answer is {answer})."),
    WRONG_SIGN: N_("{guess} is not it: check the sign (a positive slope moves the weight down). "
    "Try again."),
    VERY_CLOSE: N_("{guess} is very close but not it: keep more digits. Try again."),
    CLOSE: N_("{guess} is close but not it: check the last multiplication. Try again."),
    NOT_YET: N_("{guess} is not it yet: multiply the three factors, then the learning rate. "
    "Try again."),
}
SCORE = N_("Score: {right} right first time out of {tried} tried; {revealed} revealed.")


def _kind(guess: float, answer: float, noise: float) -> str:
    difference = abs(guess - answer)
    relative = difference / max(abs(answer), 1e-12)
    if format_number(guess) == format_number(answer) or relative < 1e-9 or difference <= noise:
        return EXACT
    if relative < RIGHT_WITHIN:
        return ROUNDED
    if guess * answer < 0:
        return WRONG_SIGN
    if relative < 0.01:
        return VERY_CLOSE
    return CLOSE if relative < 0.1 else NOT_YET


def judge_guess(guess: float, answer: float, noise: float = 0.0) -> Judgement:
    """How close a guess is, in words a teacher would use; a wrong one never gives the answer.

    ``noise``: the answer's own rounding noise (an answer that is only noise is 0).
    """
    answer = shown_value(answer, noise)
    kind = _kind(float(guess), answer, noise)
    names = {"guess": format_number(guess), "answer": format_number(answer)}
    return Judgement(kind, _(SENTENCES[kind]).format(**names))


@dataclass
class QuizScore:
    """Questions the student guessed at, got right at the first guess, and had revealed."""

    tried: int = 0
    right_first_time: int = 0
    revealed: int = 0

    @property
    def sentence(self) -> str:
        names = {"right": self.right_first_time, "tried": self.tried, "revealed": self.revealed}
        return _(SCORE).format(**names)


@dataclass
class QuizState:
    """One question at a time (keyed by what determines its answer) and the score so far."""

    score: QuizScore = field(default_factory=QuizScore)
    question: object = None
    guesses: int = 0  # guesses at this question so far
    answered: bool = False  # right, or revealed: the answer may show

    def ask(self, question: object) -> bool:
        """Move on to ``question``; True if it is a new one (the answer hides again)."""
        if question == self.question:
            return False
        self.question, self.guesses, self.answered = question, 0, False
        return True

    def guess(self, guess: float, answer: float, noise: float = 0.0) -> Judgement:
        judgement = judge_guess(guess, answer, noise)
        if self.answered:
            return judgement  # the answer is out: guessing again scores nothing
        self.guesses += 1
        if self.guesses == 1:
            self.score.tried += 1
            if judgement.right:
                self.score.right_first_time += 1
        self.answered = judgement.right
        return judgement

    def reveal(self) -> None:
        if not self.answered:
            self.score.revealed += 1
            self.answered = True

    def restart(self) -> None:
        """The quiz was turned on afresh: a new score, no question yet."""
        self.score, self.question, self.guesses, self.answered = QuizScore(), None, 0, False
