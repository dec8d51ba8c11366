"""The arithmetic written out for a step: the slides' figures, signs and parentheses. No Qt."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_desktop.core import arithmetic, engine
from gd_desktop.core.arithmetic import judge_guess, line_html, line_text


def explained(inputs, targets, weights, rate=0.01):
    problem = engine.Problem.create(inputs, targets, rate)
    return arithmetic.explain(problem, engine.evaluate(problem, weights))


def test_one_weight_slide_reads_as_the_teacher_writes_it():
    """Example 1: 3 × 2 = 6; 6 − 10 = −4; 2 × (−4) × 3 = −24; 2 − 0.01 × (−24) = 2.24."""
    step = explained([3.0], [10.0], [2.0])
    assert line_text(step.prediction_lines[0]) == "prediction = 3 × 2 = 6"
    assert line_text(step.error_lines[0]).endswith("6 − 10 = −4")
    weight = step.weights[0]
    assert line_text(weight.loss_slope_line).endswith("2 × (−4) = −8")
    assert line_text(weight.feeding_value_line).endswith("= 3")
    assert "= 1" in line_text(weight.activation_line)
    assert line_text(weight.slope_line).endswith("2 × (−4) × 3 × 1 = −24")
    assert line_text(weight.update_line).endswith("2 − 0.01 × (−24) = 2.24")
    assert weight.new_weight == pytest.approx(2.24, rel=1e-12)


def test_two_input_slide_has_a_line_per_weight():
    """Example 2: slopes 30 and 40, updates to 0.7 and 1.6."""
    step = explained([3.0, 4.0], [6.0], [1.0, 2.0])
    assert line_text(step.prediction_lines[0]) == "prediction = 3 × 1 + 4 × 2 = 11"
    assert [w.slope for w in step.weights] == [30.0, 40.0]
    assert line_text(step.weights[0].update_line).endswith("1 − 0.01 × 30 = 0.7")
    assert line_text(step.weights[1].update_line).endswith("2 − 0.01 × 40 = 1.6")


def test_numeric_check_agrees_to_six_digits_and_says_so():
    """The finite-difference slope agrees with the formula to at least 6 significant digits."""
    step = explained([3.0, 4.0], [6.0], [1.0, 2.0])
    for weight in step.weights:
        assert weight.agreeing_digits >= 6
        assert "numeric check" in line_text(weight.check_line)
        assert "significant digits" in line_text(weight.check_line)


def classroom_numbers(bound):
    """Numbers a student types: zero, or not vanishingly small (no 1e-300 underflow games)."""
    return st.floats(-bound, bound).filter(lambda v: v == 0 or abs(v) > 1e-3)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(classroom_numbers(10), min_size=1, max_size=4).flatmap(
        lambda x: st.tuples(
            st.just(x),
            st.lists(classroom_numbers(5), min_size=len(x), max_size=len(x)),
            classroom_numbers(20),
        )
    )
)
def test_numeric_check_agrees_for_any_small_problem(case):
    """For any modest problem the numeric and the exact slope share six digits (or are ~0)."""
    inputs, weights, target = case
    step = explained(inputs, [target], weights)
    loss = engine.loss_of(engine.Problem.create(inputs, [target], 0.01), np.array(weights))
    for weight, x in zip(step.weights, inputs, strict=True):
        # Only a slope that is not flat next to the loss's own size can be checked to 6 digits.
        if abs(weight.slope) > 1e-7 * np.sqrt(loss * x * x):
            assert weight.agreeing_digits >= 6, (weight.slope, weight.numeric_slope)


def test_several_rows_show_the_mean_and_per_row_terms():
    """With two rows the slope line says 'mean over rows' and each row has its own term."""
    step = explained([[3.0, 4.0], [1.0, 2.0]], [6.0, 1.0], [1.0, 2.0])
    assert step.several_rows
    weight = step.weights[0]
    assert "mean over rows" in line_text(weight.slope_line)
    assert weight.slope == pytest.approx((2 * 5 * 3 + 2 * 4 * 1) / 2)
    assert [line_text(line) for line in weight.row_lines] == [
        "row 1: 2 × 5 × 3 × 1 = 30",
        "row 2: 2 × 4 × 1 × 1 = 8",
    ]


def test_html_keeps_the_exact_value_of_each_number():
    """Each number in the HTML links to its full value, for the hover tooltip."""
    step = explained([3.0], [10.0], [2.0])
    html = line_html(step.weights[0].update_line)
    assert "value:2.24" in html or f"value:{step.weights[0].new_weight!r}" in html


def test_step_just_taken_lines():
    """The lines of the previous step show old − rate × slope = new."""
    lines = arithmetic.step_just_taken(np.array([2.0]), 0.01, np.array([-24.0]), np.array([2.24]))
    assert line_text(lines[0]) == "w1: 2 − 0.01 × (−24) = 2.24"


@pytest.mark.parametrize(
    ("guess", "answer", "words"),
    [
        (2.24, 2.24, "Exactly right"),
        (2.239, 2.24, "Very close"),
        (2.2, 2.24, "Close"),
        (-2.24, 2.24, "Check the sign"),
        (9.0, 2.24, "Not quite"),
    ],
)
def test_judge_guess_says_how_close(guess, answer, words):
    """A guess is judged in words, from exact to wrong sign."""
    assert words in judge_guess(guess, answer)


@given(st.text())
def test_escape_html_matches_the_standard_library(text):
    """The panel's own escaping (kept out of start-up's imports) is html.escape's."""
    import html

    assert arithmetic.escape_html(text) == html.escape(text)
