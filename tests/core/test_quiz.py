"""The quiz's judgement and score: a wrong guess hints, never tells; the score counts questions."""

import pytest

from gd_desktop.core import quiz
from gd_desktop.core.numbers import format_number
from gd_desktop.core.quiz import QuizState, judge_guess


@pytest.mark.parametrize(
    ("guess", "answer", "kind"),
    [
        (2.24, 2.24, quiz.EXACT),
        (2.2399, 2.24, quiz.ROUNDED),
        (2.23, 2.24, quiz.VERY_CLOSE),
        (2.1, 2.24, quiz.CLOSE),
        (-2.24, 2.24, quiz.WRONG_SIGN),
        (9.0, 2.24, quiz.NOT_YET),
    ],
)
def test_a_guess_is_judged_in_words_and_a_wrong_one_hides_the_answer(guess, answer, kind):
    judgement = judge_guess(guess, answer)
    assert judgement.kind == kind
    assert judgement.right == (kind in (quiz.EXACT, quiz.ROUNDED))
    if not judgement.right:
        without_the_guess = judgement.sentence.replace(format_number(guess), "")
        assert "2.24" not in without_the_guess and "Try again" in judgement.sentence


def test_an_answer_of_rounding_noise_is_zero():
    assert judge_guess(0.0, -3.5e-15, noise=1e-13).right


def test_the_score_counts_first_guesses_tries_and_reveals():
    state = QuizState()
    state.ask("q1")
    assert not state.guess(2.0, 2.24).right  # wrong first: tried, not right first time
    assert state.guess(2.24, 2.24).right
    state.ask("q2")
    assert state.guess(30.0, 30.0).right
    state.ask("q3")
    state.reveal()
    state.guess(1.0, 1.0)  # after the reveal: scores nothing
    assert (state.score.tried, state.score.right_first_time, state.score.revealed) == (2, 1, 1)
    assert state.score.sentence == "Score: 1 right first time out of 2 tried; 1 revealed."
    assert not state.ask("q3") and state.ask("q4") and not state.answered
