"""The slides' arithmetic for one step, written out with the current numbers. No Qt.

Each line is a list of pieces: plain text, or a number that keeps its full value (so a view can show
the rounded text and offer the exact value on hover). Plain text and HTML are both made from these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gd_desktop.core import engine
from gd_desktop.core.engine import Evaluation, Problem
from gd_desktop.core.numbers import format_number, format_operand


@dataclass(frozen=True)
class Num:
    """A number in a line: shown rounded, hovered exact."""

    value: float
    in_expression: bool = True

    @property
    def text(self) -> str:
        return format_operand(self.value) if self.in_expression else format_number(self.value)


Piece = str | Num
Line = tuple[Piece, ...]


def result(value: float) -> Num:
    """A number that ends a line (after '='): no parentheses needed."""
    return Num(float(value), in_expression=False)


@dataclass(frozen=True)
class WeightArithmetic:
    """The three factors of the slope rule for one weight, their product, and the update."""

    index: int
    name: str  # w1 …, or with a hidden layer the edge: w(x1→h1)
    loss_slope_line: Line  # slope of the loss w.r.t. the node fed: 2 × error
    feeding_value_line: Line  # the value of the node feeding the weight
    activation_line: Line  # the slope of the activation (1 for a linear node)
    slope_line: Line  # the product
    update_line: Line  # weight − learning rate × slope
    check_line: Line  # the finite-difference slope, and how well it agrees
    row_lines: tuple[Line, ...]  # per-row terms, when there are several data rows
    slope: float
    new_weight: float
    numeric_slope: float | None  # None where the check was not run (a large data set)
    agreeing_digits: float | None


@dataclass(frozen=True)
class StepArithmetic:
    prediction_lines: tuple[Line, ...]
    error_lines: tuple[Line, ...]
    loss_line: Line
    weights: tuple[WeightArithmetic, ...]
    several_rows: bool


def _sum_of_products(left, right) -> list[Piece]:
    pieces: list[Piece] = []
    for i, (a, b) in enumerate(zip(left, right)):
        if i:
            pieces.append(" + ")
        pieces += [Num(float(a)), " × ", Num(float(b))]
    return pieces


def agreeing_digits(exact: float, approximate: float) -> float:
    """How many significant digits two slopes share (16 when they are equal)."""
    if exact == approximate:
        return 16.0
    scale = max(abs(exact), abs(approximate))
    difference = abs(exact - approximate)
    if scale == 0 or difference >= scale:
        return 0.0
    return float(min(16.0, -np.log10(difference / scale)))


def numeric_check_step(loss: float, curvature: float, slope: float, weight: float) -> float:
    """A central-difference step for the numeric check.

    The loss is a parabola in each weight, so a central difference has no truncation error and
    only rounding matters: h = 0.001 (scaled to the weight) unless rounding would then cost digits,
    in which case h = √(loss / curvature), which balances the two.
    """
    h = 1e-3 * max(1.0, abs(weight))
    if not (math.isfinite(curvature) and math.isfinite(loss)):
        return h  # numbers too large for the balance below: the plain step
    if curvature > 0 and loss > 0 and 1e-16 * (loss + curvature * h * h) / h > 1e-9 * abs(slope):
        h = float(np.sqrt(loss / curvature))
    return h


ROWS_WRITTEN_OUT = 3  # per-row lines shown; a data set of 10⁵ rows is summarised after these


def _rows_written(rows: int) -> range:
    return range(min(rows, ROWS_WRITTEN_OUT))


def _more_rows_line(rows: int) -> tuple[Line, ...]:
    hidden = rows - ROWS_WRITTEN_OUT
    return ((f"… and {hidden:,} more row{'s' if hidden > 1 else ''}",),) if hidden > 0 else ()


def _error_and_loss_lines(
    problem: Problem, evaluation: Evaluation
) -> tuple[tuple[Line, ...], Line]:
    """Each written row's error (prediction − target), and the loss they make."""
    rows = problem.row_count
    several = rows > 1
    error_lines = tuple(
        (
            f"error{_row_suffix(r, several)} = prediction − target = ",
            Num(float(evaluation.predictions[r])),
            " − ",
            Num(float(problem.targets[r])),
            " = ",
            result(evaluation.errors[r]),
        )
        for r in _rows_written(rows)
    ) + _more_rows_line(rows)
    if several:
        start: Line = ("loss = mean of error² over ", str(rows), " rows = ")
    else:
        start = ("loss = error² = ", Num(float(evaluation.errors[0])), "² = ")
    return error_lines, (*start, result(evaluation.loss))


def explain(
    problem: Problem, evaluation: Evaluation, check_only: int | None = None
) -> StepArithmetic:
    """Everything the arithmetic panel writes for the step about to be taken from ``evaluation``.

    ``check_only``: run the numeric check for that weight alone (each check evaluates the loss
    twice over every row, too dear for all the weights of a large data set at every step).
    """
    if problem.hidden_count:
        return _explain_hidden(problem, evaluation, check_only)
    x = problem.inputs
    w = evaluation.weights
    rows = problem.row_count
    several = rows > 1
    new_weights = engine.next_weights(problem, evaluation)

    prediction_lines = tuple(
        (
            f"prediction{_row_suffix(r, several)} = ",
            *_sum_of_products(x[r], w),
            " = ",
            result(evaluation.predictions[r]),
        )
        for r in _rows_written(rows)
    ) + _more_rows_line(rows)
    error_lines, loss_line = _error_and_loss_lines(problem, evaluation)

    weights = []
    for i in range(problem.weight_count):
        name = f"w{i + 1}"
        slope = float(evaluation.gradient[i])
        with np.errstate(over="ignore"):  # huge inputs: an infinite curvature, no check step
            curvature = float(np.mean(x[:, i] * x[:, i]))
        h = numeric_check_step(evaluation.loss, curvature, slope, float(w[i]))
        if several:
            mean_two_errors = float(np.mean(2 * evaluation.errors))
            loss_slope_line: Line = (
                "slope of the loss w.r.t. the output node = mean of 2 × error = ",
                result(mean_two_errors),
            )
            feeding_line: Line = (f"value feeding {name} = x{i + 1}, one per row (below)",)
            slope_line: Line = (
                f"slope for {name} = mean over rows of 2 × error × x{i + 1} × 1 = ",
                result(slope),
            )
            row_lines = tuple(
                (
                    f"row {r + 1}: 2 × ",
                    Num(float(evaluation.errors[r])),
                    " × ",
                    Num(float(x[r, i])),
                    " × 1 = ",
                    result(2 * evaluation.errors[r] * x[r, i]),
                )
                for r in _rows_written(rows)
            ) + _more_rows_line(rows)
        else:
            error = float(evaluation.errors[0])
            loss_slope_line = (
                "slope of the loss w.r.t. the output node = 2 × error = 2 × ",
                Num(error),
                " = ",
                result(2 * error),
            )
            feeding_line = (
                f"value of the node feeding {name} = x{i + 1} = ",
                result(float(x[0, i])),
            )
            slope_line = (
                f"slope for {name} = 2 × error × x{i + 1} × 1 = 2 × ",
                Num(error),
                " × ",
                Num(float(x[0, i])),
                " × 1 = ",
                result(slope),
            )
            row_lines = ()
        weights.append(
            _weight_arithmetic(
                problem,
                evaluation,
                i,
                (loss_slope_line, feeding_line, ("slope of the activation = 1 (a linear node)",)),
                slope_line,
                row_lines,
                new_weights,
                h if check_only in (None, i) else None,
            )
        )
    return StepArithmetic(prediction_lines, error_lines, loss_line, tuple(weights), several)


def _weight_arithmetic(
    problem, evaluation, index, factor_lines, slope_line, row_lines, new_weights, h
) -> WeightArithmetic:
    """The update and the numeric check (with step ``h``; None: not run), the same for every
    kind of weight."""
    name = problem.weight_name(index)
    w = evaluation.weights
    slope = float(evaluation.gradient[index])
    if h is None:
        numeric = digits = None
        check_line: Line = ("numeric check: run for the highlighted weight (a large data set)",)
    else:
        numeric = engine.finite_difference_slope(problem, w, index, h)
        digits = agreeing_digits(slope, numeric)
        check_line = (
            f"numeric check: (loss({name} + h) − loss({name} − h)) / 2h = ",
            result(numeric),
            f" with h = {format_number(h)}: agrees to ",
            f"{min(digits, 15):.0f} significant digits",
        )
    return WeightArithmetic(
        index=index,
        name=name,
        loss_slope_line=factor_lines[0],
        feeding_value_line=factor_lines[1],
        activation_line=factor_lines[2],
        slope_line=slope_line,
        update_line=(
            f"new {name} = {name} − learning rate × slope = ",
            Num(float(w[index])),
            " − ",
            Num(problem.learning_rate),
            " × ",
            Num(slope),
            " = ",
            result(new_weights[index]),
        ),
        check_line=check_line,
        row_lines=row_lines,
        slope=slope,
        new_weight=float(new_weights[index]),
        numeric_slope=numeric,
        agreeing_digits=digits,
    )


def _explain_hidden(
    problem: Problem, evaluation: Evaluation, check_only: int | None = None
) -> StepArithmetic:
    """The same three factors through a hidden layer (backpropagation, one edge at a time)."""
    x, w = problem.inputs, evaluation.weights
    rows, count, n = problem.row_count, problem.hidden_count, problem.input_count
    several = rows > 1
    name_of = problem.weight_name
    act = problem.activation
    slope_of_activation = engine.ACTIVATIONS[act][1]
    sums, values, errors = evaluation.hidden_sums, evaluation.hidden_values, evaluation.errors
    hidden = problem.hidden_weights(w)
    new_weights = engine.next_weights(problem, evaluation)

    prediction_lines: list[Line] = []
    for r in _rows_written(rows):
        suffix = _row_suffix(r, several)
        for j in range(count):
            prediction_lines.append(
                (
                    f"h{j + 1}{suffix}: sum = ",
                    *_sum_of_products(x[r], hidden[j]),
                    " = ",
                    result(float(sums[r, j])),
                    f" → {act}(",
                    result(float(sums[r, j])),
                    ") = ",
                    result(values[r, j]),
                )
            )
        prediction_lines.append(
            (
                f"prediction{suffix} = ",
                *_sum_of_products(w[:count], values[r]),
                " = ",
                result(evaluation.predictions[r]),
            )
        )
    error_lines, loss_line = _error_and_loss_lines(problem, evaluation)

    weights = []
    for k in range(problem.weight_count):
        name = name_of(k)
        if k < count:  # output weight of hidden node j
            j = k
            fed, feeder = "the output node", f"h{j + 1}"
            first = 2 * errors
            first_text = "2 × error"
            second = values[:, j]
            third = np.ones(rows)
            third_line: Line = ("③ slope of the activation at the output node = 1 (linear)",)
        else:
            j, i = divmod(k - count, n)
            fed, feeder = f"h{j + 1}", f"x{i + 1}"
            with np.errstate(over="ignore"):  # finite factors, a product too large: written so
                first = 2 * errors * w[j]
            first_text = f"2 × error × w(h{j + 1}→out)"
            second = x[:, i]
            third = slope_of_activation(sums[:, j])
            third_line = (
                f"③ slope of {act} at h{j + 1}'s sum {format_operand(float(sums[0, j]))} = ",
                result(float(third[0])),
            )
            if several:
                third_line = (f"③ slope of {act} at h{j + 1}'s sum, one per row (below)",)
        with np.errstate(over="ignore", invalid="ignore"):
            terms = first * second * third
        terms[(first == 0) | (second == 0) | (third == 0)] = 0.0  # 0 × a huge product is 0
        slope = float(evaluation.gradient[k])
        if several:
            factor_lines = (
                (f"① slope of the loss w.r.t. {fed} = {first_text}, one per row",),
                (f"② value of the node feeding {name} = {feeder}, one per row",),
                third_line,
            )
            slope_line: Line = (f"slope for {name} = mean over rows of ① × ② × ③ = ", result(slope))
            row_lines = tuple(
                (
                    f"row {r + 1}: ",
                    Num(float(first[r])),
                    " × ",
                    Num(float(second[r])),
                    " × ",
                    Num(float(third[r])),
                    " = ",
                    result(float(terms[r])),
                )
                for r in _rows_written(rows)
            ) + _more_rows_line(rows)
        else:
            factor_lines = (
                (f"① slope of the loss w.r.t. {fed} = {first_text} = ", result(float(first[0]))),
                (f"② value of the node feeding {name} = {feeder} = ", result(float(second[0]))),
                third_line,
            )
            slope_line = (
                f"slope for {name} = ① × ② × ③ = ",
                Num(float(first[0])),
                " × ",
                Num(float(second[0])),
                " × ",
                Num(float(third[0])),
                " = ",
                result(slope),
            )
            row_lines = ()
        if k >= count and not np.any(third):
            slope_line = (
                *slope_line,
                f": this weight does not learn: h{j + 1} is switched off ({act} passes no slope)",
            )
        h = 1e-6 * max(1.0, abs(float(w[k])))
        weights.append(
            _weight_arithmetic(
                problem,
                evaluation,
                k,
                factor_lines,
                slope_line,
                row_lines,
                new_weights,
                h if check_only in (None, k) else None,
            )
        )
    return StepArithmetic(
        tuple(prediction_lines) + _more_rows_line(rows),
        error_lines,
        loss_line,
        tuple(weights),
        several,
    )


def _row_suffix(row: int, several: bool) -> str:
    return f" (row {row + 1})" if several else ""


_HTML_SPECIAL = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
)


def escape_html(text: str) -> str:
    """What ``html.escape`` does; that module costs 4 ms of every start for its entity table."""
    return text.translate(_HTML_SPECIAL)


def line_text(line: Line) -> str:
    return "".join(piece if isinstance(piece, str) else piece.text for piece in line)


def line_html(line: Line) -> str:
    """HTML for a line; numbers link to their exact value (shown as a tooltip on hover)."""
    out = []
    for piece in line:
        if isinstance(piece, str):
            out.append(escape_html(piece))
        else:
            out.append(f'<a href="value:{piece.value!r}">{escape_html(piece.text)}</a>')
    return "".join(out)


def judge_guess(guess: float, answer: float) -> str:
    """How close a student's guess is, in words a teacher would use."""
    difference = guess - answer
    scale = max(abs(answer), 1e-12)
    relative = abs(difference) / scale
    said = f"You said {format_number(guess)}; the answer is {format_number(answer)}"
    if format_number(guess) == format_number(answer) or relative < 1e-9:
        return f"{said}. Exactly right!"
    off = f"off by {format_number(abs(difference))} ({100 * relative:.3g} %)"
    if guess * answer < 0:
        return f"{said}: {off}. Check the sign: a positive slope moves the weight down."
    if relative < 0.01:
        return f"{said}: {off}. Very close: only rounding apart."
    if relative < 0.1:
        return f"{said}: {off}. Close: check the last multiplication."
    return f"{said}: {off}. Not quite: multiply the three factors, then the learning rate."
