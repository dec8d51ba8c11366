"""The arithmetic written out for a step: the slides' figures, signs and parentheses. No Qt."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_desktop.core import arithmetic, engine, iteration_arithmetic
from gd_desktop.core.arithmetic import line_html, line_text


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
    lines = iteration_arithmetic.step_just_taken(
        np.array([2.0]), 0.01, np.array([-24.0]), np.array([2.24])
    )
    assert line_text(lines[0]) == "w1: 2 − 0.01 × (−24) = 2.24"


@given(st.text())
def test_escape_html_matches_the_standard_library(text):
    """The panel's own escaping (kept out of start-up's imports) is html.escape's."""
    import html

    assert arithmetic.escape_html(text) == html.escape(text)


def course_run(steps: int, rate: float = 0.01):
    """The course's two-input example (3, 4 → 6 from weights 1 and 2) after ``steps`` steps."""
    problem = engine.Problem.create([3.0, 4.0], [6.0], rate)
    history = engine.History(problem.weight_count, problem.row_count)
    evaluation = engine.evaluate(problem, np.array([1.0, 2.0]))
    history.append(evaluation, rate)
    for _ in range(steps):
        evaluation = engine.evaluate(problem, engine.next_weights(problem, evaluation))
        history.append(evaluation, rate)
    return problem, history


def iteration(problem, history, index, selected=0):
    evaluation = history.evaluation(index, problem)
    return iteration_arithmetic.explain_iteration(problem, history, index, evaluation, selected)


def test_iteration_one_shows_the_step_just_taken_and_the_next():
    """After one step: 1 − 0.01 × 30 = 0.7 and 2 − 0.01 × 40 = 1.6, then slopes 15 and 20."""
    problem, history = course_run(1)
    explained = iteration(problem, history, 1)
    assert explained.heading == "Iteration 1"
    assert [line_text(line) for line in explained.just_taken] == [
        "w1: 1 − 0.01 × 30 = 0.7",
        "w2: 2 − 0.01 × 40 = 1.6",
    ]
    assert line_text(explained.step.prediction_lines[0]) == "prediction = 3 × 0.7 + 4 × 1.6 = 8.5"
    assert [w.slope for w in explained.step.weights] == pytest.approx([15.0, 20.0], rel=1e-12)


def test_iteration_zero_has_no_step_just_taken_and_looking_back_says_so():
    problem, history = course_run(2)
    explained = iteration(problem, history, 0)
    assert explained.just_taken == ()
    assert explained.heading == "Iteration 0 of 2 (looking back)"
    assert line_text(explained.step.weights[0].update_line).endswith("1 − 0.01 × 30 = 0.7")


def test_a_weight_moved_by_hand_has_no_step_just_taken():
    problem, history = course_run(1)
    history.append(engine.evaluate(problem, np.array([5.0, 2.0])), 0.01, moved_by_hand=True)
    explained = iteration(problem, history, 2)
    assert explained.moved_by_hand
    assert explained.just_taken == ()
    assert explained.heading == "Iteration 2: a weight was moved by hand"


def test_numeric_check_lines_for_every_weight_of_a_small_problem():
    """Each weight's check line gives the finite-difference slope, h and the digits agreeing."""
    problem, history = course_run(1)
    for weight in iteration(problem, history, 1).step.weights:
        text = line_text(weight.check_line)
        name = weight.name
        assert text.startswith(f"numeric check: (loss({name} + h) − loss({name} − h))")
        assert f"/ 2h = {line_text((arithmetic.result(weight.numeric_slope),))}" in text
        assert text.endswith("significant digits")
        assert weight.agreeing_digits >= 6


def test_a_large_data_set_checks_the_selected_weight_only():
    """Above NUMERIC_CHECK_ALL_BELOW rows × weights only the highlighted weight is checked."""
    rows = iteration_arithmetic.NUMERIC_CHECK_ALL_BELOW // 2 + 1
    rng = np.random.default_rng(3)
    problem = engine.Problem.create(rng.uniform(-1, 1, (rows, 2)), rng.uniform(-1, 1, rows), 0.1)
    history = engine.History(problem.weight_count, problem.row_count)
    history.append(engine.evaluate(problem, np.array([0.5, -0.5])), 0.1)
    first, second = iteration(problem, history, 0, selected=1).step.weights
    assert first.numeric_slope is None
    assert line_text(first.check_line) == (
        "numeric check: run for the highlighted weight (a large data set)"
    )
    assert second.numeric_slope is not None and second.agreeing_digits >= 6


def test_a_mini_batch_step_is_written_out_on_its_own_rows():
    """The heading names the rows the next step learns from; the slope is theirs alone."""
    problem = engine.Problem.create(
        [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]], [1.0, 2.0, 3.0, 4.0], 0.01
    ).replaced(batch_size=2, seed=7)
    history = engine.History(problem.weight_count, problem.row_count)
    history.append(engine.evaluate(problem, np.array([0.1, 0.2])), 0.01)
    explained = iteration(problem, history, 0)
    batch = problem.batch_rows(0)
    assert explained.batch == tuple(batch.tolist())
    rows = ", ".join(str(r + 1) for r in batch)
    assert explained.heading == f"Iteration 0 — the next step learns from rows {rows}"
    sub = problem.subset(batch)
    slopes = engine.evaluate(sub, np.array([0.1, 0.2])).gradient
    assert [w.slope for w in explained.step.weights] == slopes.tolist()


def converged(inputs, target, weights, steps):
    """The step about to be taken after ``steps`` steps of rate 0.01."""
    problem = engine.Problem.create(inputs, [target], 0.01)
    evaluation = engine.evaluate(problem, np.array(weights))
    for _ in range(steps):
        evaluation = engine.evaluate(problem, engine.next_weights(problem, evaluation))
    return evaluation, arithmetic.explain(problem, evaluation)


def test_rounding_noise_is_written_as_zero_and_the_hover_keeps_it():
    """Example 1 after 300 steps: the error is −3.5527e−15, ulps of 10: written 10 − 10 = 0."""
    evaluation, step = converged([3.0], 10.0, [2.0], 300)
    assert evaluation.errors[0] != 0 and abs(evaluation.errors[0]) < 1e-14
    assert line_text(step.error_lines[0]).endswith("10 − 10 = 0")
    assert line_text(step.loss_line).endswith("= 0² = 0")
    weight = step.weights[0]
    assert line_text(weight.slope_line).endswith("2 × 0 × 3 × 1 = 0")
    assert line_text(weight.update_line).endswith("− 0.01 × 0 = 3.33333")
    assert f"value:{float(evaluation.errors[0])!r}" in line_html(step.error_lines[0])
    assert "e−15" not in " ".join(line_text(line) for line in step.error_lines)


def test_a_small_real_error_is_not_noise_and_its_operands_show_the_difference():
    """After 100 steps the error is −9.6e−09, far above rounding: the prediction shows the digits
    that make it (9.99999999037 − 10), not 10 − 10 = −9.6e−09."""
    evaluation, step = converged([3.0], 10.0, [2.0], 100)
    text = line_text(step.error_lines[0])
    assert text.endswith("9.99999999037 − 10 = −9.626e−09"), text


@pytest.mark.parametrize("steps", [100, 150, 200, 300])
def test_the_numeric_check_near_convergence_does_not_alarm(steps):
    """Near the bottom of the curve the check never says it agrees to 1 or 2 digits."""
    for inputs, target, weights in (([3.0], 10.0, [2.0]), ([3.0, 4.0], 6.0, [1.0, 2.0])):
        _, step = converged(inputs, target, weights, steps)
        for weight in step.weights:
            text = line_text(weight.check_line)
            digits_said = "significant digits" in text
            assert not digits_said or weight.agreeing_digits >= 6, text
            assert "e−1" not in text.split(" with h")[0] or digits_said, text


def test_a_check_that_really_disagrees_still_says_so():
    """The words for rounding are kept for rounding: a wrong slope is stated in digits."""
    kind = arithmetic.check_kind(slope=1.0, numeric=1.5, tolerance=1e-12, slope_noise=1e-14)
    assert kind == arithmetic.CHECK_IN_DIGITS
    kind = arithmetic.check_kind(slope=3e-15, numeric=-2e-15, tolerance=1e-13, slope_noise=1e-14)
    assert kind == arithmetic.CHECK_BOTH_ZERO
