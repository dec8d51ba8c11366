"""The slides' arithmetic for one step, written out with the current numbers. No Qt.

Each line is a list of pieces: plain text, or a number that keeps its full value (so a view can show
the rounded text and offer the exact value on hover). Plain text and HTML are both made from these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gd_desktop.core import engine, optimizers
from gd_desktop.core.arithmetic_lines import (
    Line,
    Math,
    Num,
    Piece,
    escape_html,
    fill,
    line_html,
    line_text,
    result,
)
from gd_desktop.core.engine import Evaluation, OptimizerState, Problem
from gd_desktop.core.i18n import _, ngettext, pgettext
from gd_desktop.core.number_fit import RELATIVE_NOISE, digits_to_show_difference, error_noise
from gd_desktop.core.numbers import format_number, format_operand
from gd_desktop.core.numeric_check import (
    CHECK_BOTH_ZERO,
    CHECK_DIGITS_TRUSTED,
    CHECK_IN_DIGITS,
    CHECK_WITHIN_ROUNDING,
    agreeing_digits,
    check_kind,
    check_tolerance,
    check_words,
    numeric_check_step,
)

# The names other modules take from here (the lines' pieces and the check live beside it).
__all__ = [
    "CHECK_BOTH_ZERO",
    "CHECK_DIGITS_TRUSTED",
    "CHECK_IN_DIGITS",
    "CHECK_WITHIN_ROUNDING",
    "RATE_LINE",
    "STATE_LINE",
    "Line",
    "Math",
    "Num",
    "OptimizerStep",
    "Piece",
    "StepArithmetic",
    "WeightArithmetic",
    "agreeing_digits",
    "check_kind",
    "escape_html",
    "explain",
    "line_html",
    "line_text",
    "numeric_check_step",
    "optimizer_step",
    "result",
]


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
    slope_noise: float = 0.0  # a slope no larger is rounding alone (written 0)
    new_weight_noise: float = 0.0
    #: Between the slope and the update: the rate in force (a schedule), then the optimizer's
    #: state for this weight (b1; s1; m1, v1, m̂1, v̂1), each with its numbers in.
    optimizer_lines: tuple[Line, ...] = ()
    #: What each of ``optimizer_lines`` is: RATE_LINE or STATE_LINE (the reveal's hints).
    optimizer_kinds: tuple[str, ...] = ()


RATE_LINE = "rate"  # the learning rate in force, worked out by the schedule
STATE_LINE = "state"  # one of the optimizer's numbers for a weight


@dataclass(frozen=True)
class OptimizerStep:
    """The optimizer's part of the next step, from ``engine.step_arithmetic``: the rate in
    force (None for a constant rate), then per weight its state lines and its update."""

    rate_line: Line | None
    rate: float
    state_lines: tuple[tuple[Line, ...], ...]
    update_lines: tuple[Line | None, ...]  # None: plain steps, written the chapter's way


def _arithmetic_line(label: str, line: optimizers.ArithmeticLine) -> Line:
    """``label = expression = result``: the core's line, its label in the language in use."""
    return (f"{label} = ", Math(line.expression), " = ", result(line.value))


def optimizer_step(
    problem: Problem, evaluation: Evaluation, state: OptimizerState | None
) -> OptimizerStep:
    """The rate and the optimizer's lines of the step from ``evaluation`` (``state``: the
    optimizer's there; None before its first step)."""
    state = state or OptimizerState.fresh(problem)
    count = problem.weight_count
    rate = float(problem.rate_at(state.step))
    if problem.optimizer == "gd" and problem.schedule == "constant":
        return OptimizerStep(None, rate, ((),) * count, (None,) * count)
    lines = engine.step_arithmetic(problem, evaluation, state)
    rate_line = None
    if problem.schedule != "constant":
        rate_line = _arithmetic_line(pgettext("arithmetic", "learning rate at this step"), lines[0])
        lines = lines[1:]
    per_weight = len(lines) // count
    states, updates = [], []
    for k in range(count):
        own = lines[k * per_weight : (k + 1) * per_weight]
        states.append(tuple(_arithmetic_line(line.label, line) for line in own[:-1]))
        if problem.optimizer == "gd":
            updates.append(None)
        else:
            names = [line.label for line in own[:-1]]  # b1; s1; m1, v1, m̂1, v̂1
            label = _update_words(problem.optimizer, problem.weight_name(k), names)
            updates.append(_arithmetic_line(label, own[-1]))
    return OptimizerStep(rate_line, rate, tuple(states), tuple(updates))


def _update_words(optimizer: str, name: str, state: list[str]) -> str:
    """The optimizer's rule for the new weight in words, before its numbers
    ("new w1 = w1 − learning rate × b1"); ``state``: the names of its state lines."""
    if optimizer == "momentum":
        words = pgettext("arithmetic", "new {name} = {name} − learning rate × {b}")
    elif optimizer == "nesterov":
        words = pgettext("arithmetic", "new {name} = {name} − learning rate × (slope + μ × {b})")
    elif optimizer in ("adagrad", "rmsprop"):
        words = pgettext("arithmetic", "new {name} = {name} − learning rate × slope / (√{s} + ε)")
    else:
        words = pgettext("arithmetic", "new {name} = {name} − learning rate × {m} / (√{v} + ε)")
    if optimizer == "adam":  # m, v, then the corrected m̂ and v̂ the step divides
        return words.format(name=name, m=state[2], v=state[3])
    return words.format(name=name, b=state[0], s=state[0])


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


def _sum_noise(left, right) -> float:
    """The rounding noise of a sum of products (a prediction or a hidden node's sum)."""
    with np.errstate(over="ignore", invalid="ignore"):
        scale = float(np.sum(np.abs(np.asarray(left) * np.asarray(right))))
    return RELATIVE_NOISE * scale if math.isfinite(scale) else 0.0


ROWS_WRITTEN_OUT = 3  # per-row lines shown; a data set of 10⁵ rows is summarised after these


def _rows_written(rows: int) -> range:
    return range(min(rows, ROWS_WRITTEN_OUT))


def _more_rows_line(rows: int) -> tuple[Line, ...]:
    hidden = rows - ROWS_WRITTEN_OUT
    if hidden <= 0:
        return ()
    said = ngettext("… and {count:,} more row", "… and {count:,} more rows", hidden)
    return ((said.format(count=hidden),),)


def _error_line(
    row: int, several: bool, prediction: float, target: float, error: float, noise: float
) -> Line:
    """prediction − target = error, the operands with the digits that make the difference show
    (9.99999999037 − 10 = −9.63e−09, not 10 − 10 = −9.63e−09)."""
    digits = None if abs(error) <= noise else digits_to_show_difference(prediction, target, error)
    return (
        _("error (row {row}) = prediction − target = ").format(row=row + 1)
        if several
        else _("error = prediction − target = "),
        Num(prediction, noise=noise, digits=digits),
        " − ",
        Num(target, digits=digits),
        " = ",
        result(error, noise),
    )


def _error_and_loss_lines(
    problem: Problem, evaluation: Evaluation, noise: np.ndarray
) -> tuple[tuple[Line, ...], Line]:
    """Each written row's error (prediction − target), and the loss they make; ``noise`` is
    each row's error noise (:func:`error_noise`)."""
    rows = problem.row_count
    several = rows > 1
    error_lines = tuple(
        _error_line(
            r,
            several,
            float(evaluation.predictions[r]),
            float(problem.targets[r]),
            float(evaluation.errors[r]),
            float(noise[r]),
        )
        for r in _rows_written(rows)
    ) + _more_rows_line(rows)
    with np.errstate(over="ignore", under="ignore"):
        loss_noise = float(np.mean(noise * noise))
    if several:
        said = ngettext(
            "loss = mean of error² over {rows} row = ", "loss = mean of error² over {rows} rows = ",
            rows,
        )  # fmt: skip
        start: Line = (said.format(rows=rows),)
    else:
        error = Num(float(evaluation.errors[0]), noise=float(noise[0]))
        start = (_("loss = error² = "), error, "² = ")
    return error_lines, (*start, result(evaluation.loss, loss_noise))


def explain(
    problem: Problem,
    evaluation: Evaluation,
    check_only: int | None = None,
    state: OptimizerState | None = None,
) -> StepArithmetic:
    """Everything the arithmetic panel writes for the step about to be taken from ``evaluation``.

    ``check_only``: run the numeric check for that weight alone (each check evaluates the loss
    twice over every row, too dear for all the weights of a large data set at every step).
    ``state``: the optimizer's at ``evaluation`` (None: before its first step).
    """
    if problem.hidden_count:
        return _explain_hidden(problem, evaluation, check_only, state)
    x = problem.inputs
    w = evaluation.weights
    rows = problem.row_count
    several = rows > 1
    new_weights = engine.next_weights(problem, evaluation, state)
    stepping = optimizer_step(problem, evaluation, state)

    prediction_lines = tuple(
        (
            _prediction_words(r, several),
            *_sum_of_products(x[r], w),
            " = ",
            result(evaluation.predictions[r], _sum_noise(x[r], w)),
        )
        for r in _rows_written(rows)
    ) + _more_rows_line(rows)
    with np.errstate(over="ignore", invalid="ignore"):
        noise = error_noise(x * w, problem.targets)
    error_lines, loss_line = _error_and_loss_lines(problem, evaluation, noise)

    weights = []
    for i in range(problem.weight_count):
        name = f"w{i + 1}"
        slope = float(evaluation.gradient[i])
        with np.errstate(over="ignore"):  # huge inputs: an infinite curvature, no check step
            curvature = float(np.mean(x[:, i] * x[:, i]))
        h = numeric_check_step(evaluation.loss, curvature, slope, float(w[i]))
        with np.errstate(over="ignore", invalid="ignore"):
            slope_noise = float(np.mean(2 * noise * np.abs(x[:, i])))
        if several:
            mean_two_errors = float(np.mean(2 * evaluation.errors))
            loss_slope_line: Line = (
                _("slope of the loss w.r.t. the output node = mean of 2 × error = "),
                result(mean_two_errors, float(np.mean(2 * noise))),
            )
            feeding_line: Line = (
                _("value feeding {name} = {input}, one per row (below)").format(
                    name=name, input=f"x{i + 1}"
                ),
            )
            slope_line: Line = (
                _("slope for {name} = mean over rows of 2 × error × {input} × 1 = ").format(
                    name=name, input=f"x{i + 1}"
                ),
                result(slope, slope_noise),
            )
            with np.errstate(over="ignore", invalid="ignore"):  # 1e308 × 2: "too large"
                row_lines = tuple(
                    (
                        _("row {row}: 2 × ").format(row=r + 1),
                        Num(float(evaluation.errors[r]), noise=float(noise[r])),
                        " × ",
                        Num(float(x[r, i])),
                        " × 1 = ",
                        result(2 * evaluation.errors[r] * x[r, i], 2 * noise[r] * abs(x[r, i])),
                    )
                    for r in _rows_written(rows)
                ) + _more_rows_line(rows)
        else:
            error = float(evaluation.errors[0])
            error_num = Num(error, noise=float(noise[0]))
            loss_slope_line = (
                _("slope of the loss w.r.t. the output node = 2 × error = 2 × "),
                error_num,
                " = ",
                result(2 * error, 2 * noise[0]),
            )
            feeding_line = (
                _("value of the node feeding {name} = {input} = ").format(
                    name=name, input=f"x{i + 1}"
                ),
                result(float(x[0, i])),
            )
            slope_line = (
                _("slope for {name} = 2 × error × {input} × 1 = 2 × ").format(
                    name=name, input=f"x{i + 1}"
                ),
                error_num,
                " × ",
                Num(float(x[0, i])),
                " × 1 = ",
                result(slope, slope_noise),
            )
            row_lines = ()
        weights.append(
            _weight_arithmetic(
                problem,
                evaluation,
                i,
                (
                    loss_slope_line,
                    feeding_line,
                    (_("slope of the activation = 1 (a linear node)"),),
                ),
                slope_line,
                row_lines,
                new_weights,
                h if check_only in (None, i) else None,
                slope_noise,
                stepping,
            )
        )
    return StepArithmetic(prediction_lines, error_lines, loss_line, tuple(weights), several)


def _weight_arithmetic(
    problem,
    evaluation,
    index,
    factor_lines,
    slope_line,
    row_lines,
    new_weights,
    h,
    slope_noise,
    stepping: OptimizerStep,
) -> WeightArithmetic:
    """The update and the numeric check (with step ``h``; None: not run), the same for every
    kind of weight; ``slope_noise`` is how large the slope can be from rounding alone."""
    name = problem.weight_name(index)
    w = evaluation.weights
    slope = float(evaluation.gradient[index])
    rate = stepping.rate
    new_weight = float(new_weights[index])
    new_weight_noise = max(RELATIVE_NOISE * abs(float(w[index])), rate * slope_noise)
    optimizer_lines = stepping.state_lines[index]
    kinds = (STATE_LINE,) * len(optimizer_lines)
    if stepping.rate_line is not None:
        optimizer_lines = (stepping.rate_line, *optimizer_lines)
        kinds = (RATE_LINE, *kinds)
    update_line = stepping.update_lines[index]
    if update_line is None:  # plain steps: the chapter's rule, its words and numbers
        update_line = (
            pgettext("arithmetic", "new {name} = {name} − learning rate × slope = ").format(
                name=name
            ),
            Num(float(w[index])),
            " − ",
            Num(rate),
            " × ",
            Num(slope, noise=slope_noise),
            " = ",
            result(new_weight, new_weight_noise),
        )
    if h is None:
        numeric = digits = None
        check_line: Line = (_("numeric check: run for the highlighted weight (a large data set)"),)
    else:
        numeric = engine.finite_difference_slope(problem, w, index, h)
        digits = agreeing_digits(slope, numeric)
        tolerance = check_tolerance(evaluation.loss, slope, h, slope_noise)
        kind = check_kind(slope, numeric, tolerance, slope_noise)
        check_line = fill(
            _(
                "numeric check: (loss({name} + h) − loss({name} − h)) / 2h = {numeric} "
                "with h = {h}: {verdict}"
            ),
            name=name,
            numeric=result(numeric, tolerance if kind == CHECK_BOTH_ZERO else slope_noise),
            h=format_number(h),
            verdict=check_words(kind, digits),
        )
    return WeightArithmetic(
        index=index,
        name=name,
        loss_slope_line=factor_lines[0],
        feeding_value_line=factor_lines[1],
        activation_line=factor_lines[2],
        slope_line=slope_line,
        update_line=update_line,
        check_line=check_line,
        row_lines=row_lines,
        slope=slope,
        new_weight=new_weight,
        numeric_slope=numeric,
        agreeing_digits=digits,
        slope_noise=slope_noise,
        new_weight_noise=new_weight_noise,
        optimizer_lines=optimizer_lines,
        optimizer_kinds=kinds,
    )


def _explain_hidden(
    problem: Problem,
    evaluation: Evaluation,
    check_only: int | None = None,
    state: OptimizerState | None = None,
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
    new_weights = engine.next_weights(problem, evaluation, state)
    stepping = optimizer_step(problem, evaluation, state)

    prediction_lines: list[Line] = []
    for r in _rows_written(rows):
        for j in range(count):
            prediction_lines.append(
                (
                    _node_sum_words(j, r, several),
                    *_sum_of_products(x[r], hidden[j]),
                    " = ",
                    result(float(sums[r, j]), _sum_noise(x[r], hidden[j])),
                    f" → {act}(",
                    result(float(sums[r, j]), _sum_noise(x[r], hidden[j])),
                    ") = ",
                    result(values[r, j]),
                )
            )
        prediction_lines.append(
            (
                _prediction_words(r, several),
                *_sum_of_products(w[:count], values[r]),
                " = ",
                result(evaluation.predictions[r], _sum_noise(w[:count], values[r])),
            )
        )
    with np.errstate(over="ignore", invalid="ignore"):
        # The output's terms, and each hidden sum's terms carried through its weight out.
        terms = np.abs(values * w[:count]) + np.abs(w[:count]) * (np.abs(x) @ np.abs(hidden).T)
    noise = error_noise(terms, problem.targets)
    error_lines, loss_line = _error_and_loss_lines(problem, evaluation, noise)

    weights = []
    for k in range(problem.weight_count):
        name = name_of(k)
        if k < count:  # output weight of hidden node j
            j = k
            feeder = f"h{j + 1}"
            first = 2 * errors
            first_noise = 2 * noise
            first_words = (
                _("① slope of the loss w.r.t. the output node = 2 × error, one per row")
                if several
                else _("① slope of the loss w.r.t. the output node = 2 × error = ")
            )
            second = values[:, j]
            third = np.ones(rows)
            third_line: Line = (_("③ slope of the activation at the output node = 1 (linear)"),)
        else:
            j, i = divmod(k - count, n)
            fed, feeder = f"h{j + 1}", f"x{i + 1}"
            names = {"node": fed, "weight": f"w(h{j + 1}→out)"}
            first_words = (
                _("① slope of the loss w.r.t. {node} = 2 × error × {weight}, one per row")
                if several
                else _("① slope of the loss w.r.t. {node} = 2 × error × {weight} = ")
            ).format(**names)
            with np.errstate(over="ignore"):  # finite factors, a product too large: written so
                first = 2 * errors * w[j]
                first_noise = 2 * noise * abs(float(w[j]))
            second = x[:, i]
            third = slope_of_activation(sums[:, j])
            third_line = (
                _("③ slope of {activation} at {node}'s sum {sum} = ").format(
                    activation=act, node=fed, sum=format_operand(float(sums[0, j]))
                ),
                result(float(third[0])),
            )
            if several:
                third_line = (
                    _("③ slope of {activation} at {node}'s sum, one per row (below)").format(
                        activation=act, node=fed
                    ),
                )
        with np.errstate(over="ignore", invalid="ignore"):
            terms = first * second * third
            term_noise = first_noise * np.abs(second) * np.abs(third)
            slope_noise = float(np.mean(term_noise))
        terms[(first == 0) | (second == 0) | (third == 0)] = 0.0  # 0 × a huge product is 0
        slope = float(evaluation.gradient[k])
        if several:
            factor_lines = (
                (first_words,),
                (
                    _("② value of the node feeding {name} = {feeder}, one per row").format(
                        name=name, feeder=feeder
                    ),
                ),
                third_line,
            )
            slope_line: Line = (
                _("slope for {name} = mean over rows of ① × ② × ③ = ").format(name=name),
                result(slope, slope_noise),
            )
            row_lines = tuple(
                (
                    _("row {row}: ").format(row=r + 1),
                    Num(float(first[r]), noise=float(first_noise[r])),
                    " × ",
                    Num(float(second[r])),
                    " × ",
                    Num(float(third[r])),
                    " = ",
                    result(float(terms[r]), float(term_noise[r])),
                )
                for r in _rows_written(rows)
            ) + _more_rows_line(rows)
        else:
            factor_lines = (
                (
                    first_words,
                    result(float(first[0]), float(first_noise[0])),
                ),
                (
                    _("② value of the node feeding {name} = {feeder} = ").format(
                        name=name, feeder=feeder
                    ),
                    result(float(second[0])),
                ),
                third_line,
            )
            slope_line = (
                _("slope for {name} = ① × ② × ③ = ").format(name=name),
                Num(float(first[0]), noise=float(first_noise[0])),
                " × ",
                Num(float(second[0])),
                " × ",
                Num(float(third[0])),
                " = ",
                result(slope, slope_noise),
            )
            row_lines = ()
        if k >= count and not np.any(third):
            slope_line = (
                *slope_line,
                _(
                    ": this weight does not learn: {node} is switched off "
                    "({activation} passes no slope)"
                ).format(node=f"h{j + 1}", activation=act),
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
                slope_noise,
                stepping,
            )
        )
    return StepArithmetic(
        tuple(prediction_lines) + _more_rows_line(rows),
        error_lines,
        loss_line,
        tuple(weights),
        several,
    )


def _prediction_words(row: int, several: bool) -> str:
    """The words before a prediction's sum: one data row, or which of several."""
    if several:
        return _("prediction (row {row}) = ").format(row=row + 1)
    return _("prediction = ")


def _node_sum_words(node: int, row: int, several: bool) -> str:
    """The words before a hidden node's sum: one data row, or which of several."""
    if several:
        return _("{node} (row {row}): sum = ").format(node=f"h{node + 1}", row=row + 1)
    return _("{node}: sum = ").format(node=f"h{node + 1}")
