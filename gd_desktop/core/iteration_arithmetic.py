"""What the arithmetic panel writes for one iteration of a run: the step just taken, the next
one, and a heading saying where in the run it is. No Qt.

The lines themselves come from :mod:`gd_desktop.core.arithmetic`; this picks the iteration's
problem (its learning rate, its mini-batch) and the update that led to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from gd_desktop.core import engine, optimizers
from gd_desktop.core.arithmetic import (
    RATE_LINE,
    STATE_LINE,
    Line,
    Math,
    Num,
    StepArithmetic,
    WeightArithmetic,
    explain,
    result,
)
from gd_desktop.core.engine import Evaluation, Problem
from gd_desktop.core.i18n import _
from gd_desktop.core.number_fit import evaluation_noise


def step_just_taken(
    before_weights,
    rate: float,
    slopes,
    after_weights,
    names: list[str] | None = None,
    slope_noise=None,
) -> list[Line]:
    """The update lines of the step that led to the iteration on view (``slope_noise``: each
    slope's rounding noise, written 0 as the step's own arithmetic wrote it)."""
    names = names or [f"w{i + 1}" for i in range(len(after_weights))]
    noise = [0.0] * len(after_weights) if slope_noise is None else [float(n) for n in slope_noise]
    return [
        (
            f"{names[i]}: ",
            Num(float(before_weights[i])),
            " − ",
            Num(float(rate)),
            " × ",
            Num(float(slopes[i]), noise=noise[i]),
            " = ",
            result(float(after_weights[i])),
        )
        for i in range(len(after_weights))
    ]


def optimizer_step_taken(
    problem: Problem, history: engine.History, index: int, slopes, names: list[str]
) -> list[Line]:
    """The update lines of the optimizer's step that led to iteration ``index``: the core's
    own lines from the state before it, at the rate that was in force (the history's)."""
    state = history.state(index - 1)
    lines = optimizers.step_lines(
        problem.optimizer,
        names,
        history.weights[index - 1],
        slopes,
        state.buffers,
        state.step,
        float(history.learning_rates[index]),
        problem.optimizer_settings,
    )
    per_weight = len(lines) // len(names)
    after = history.weights[index]
    return [
        (f"{name}: ", Math(lines[(k + 1) * per_weight - 1].expression), " = ", result(after[k]))
        for k, name in enumerate(names)
    ]


# Above this many rows × weights the numeric check runs for the highlighted weight only.
NUMERIC_CHECK_ALL_BELOW = 200_000
BATCH_ROWS_NAMED = 12  # rows of a mini-batch named in the heading; more are shown as "…"


@dataclass(frozen=True)
class IterationArithmetic:
    """The arithmetic panel's content for one iteration of a run."""

    index: int
    latest: int  # the newest iteration of the run
    moved_by_hand: bool  # this iteration's weights were set by hand, not by a step
    batch: tuple[int, ...] | None  # the rows the next step learns from (None: every row)
    step: StepArithmetic  # the step about to be taken from this iteration
    just_taken: tuple[Line, ...]  # the update that led here (none after a hand move)

    @property
    def heading(self) -> str:
        """Where in the run this is, in the language in use."""
        heading = _("Iteration {index}").format(index=self.index)
        if self.index != self.latest:
            heading = _("Iteration {index} of {latest} (looking back)").format(
                index=self.index, latest=self.latest
            )
        if self.moved_by_hand:
            heading = _("{heading}: a weight was moved by hand").format(heading=heading)
        if self.batch is not None:
            named = self.batch[:BATCH_ROWS_NAMED]
            rows = ", ".join(str(r + 1) for r in named)
            if len(self.batch) > len(named):
                rows += " …"
            heading = _("{heading} — the next step learns from rows {rows}").format(
                heading=heading, rows=rows
            )
        return heading


def explain_iteration(
    problem: Problem,
    history: engine.History,
    index: int,
    evaluation: Evaluation,
    selected: int = 0,
) -> IterationArithmetic:
    """What the arithmetic panel writes for iteration ``index`` of ``history`` (``evaluation``).

    ``problem`` has the learning rate of the step taken from that iteration (the session's
    ``shown_problem``); a mini-batch step is written out on its own rows. A large data set runs
    the numeric check for the ``selected`` weight only.
    """
    batch = problem.batch_rows(index)
    large = problem.row_count * problem.weight_count > NUMERIC_CHECK_ALL_BELOW
    check_only = selected if large else None
    state = history.state(index)
    if batch is None:
        step = explain(problem, evaluation, check_only, state)
    else:
        sub = problem.subset(batch)
        step = explain(sub, engine.evaluate(sub, evaluation.weights), check_only, state)
    moved = index > 0 and bool(history.moved_by_hand[index])
    just_taken: list[Line] = []
    if index > 0 and not moved:
        slopes = history.gradients[index - 1]
        rows_then = problem.batch_rows(index - 1)
        learnt_from = problem if rows_then is None else problem.subset(rows_then)
        before_weights = history.weights[index - 1]
        hidden_values = None
        if rows_then is not None or problem.hidden_count:
            before = engine.evaluate(learnt_from, before_weights)
            hidden_values = before.hidden_values
            if rows_then is not None:  # that step learnt from its batch: its slope, not the full
                slopes = before.gradient
        noise = evaluation_noise(learnt_from, before_weights, hidden_values).slopes
        names = [problem.weight_name(k) for k in range(problem.weight_count)]
        if problem.optimizer == "gd":
            just_taken = step_just_taken(
                history.weights[index - 1],
                float(history.learning_rates[index]),
                slopes,
                history.weights[index],
                names,
                noise,
            )
        else:
            just_taken = optimizer_step_taken(problem, history, index, slopes, names)
    return IterationArithmetic(
        index=index,
        latest=len(history) - 1,
        moved_by_hand=moved,
        batch=None if batch is None else tuple(int(r) for r in batch),
        step=step,
        just_taken=tuple(just_taken),
    )


# ----------------------------------------------------------------- the reveal, factor by factor
FACTOR_NUMBERS = ("①", "②", "③")


@dataclass(frozen=True)
class DiagramPart:
    """A node or an edge of the network diagram: where a factor of the slope comes from.

    ``kind`` is "input", "hidden", "output" or "edge"; ``index`` counts inputs, hidden nodes
    or weights (the engine's flat order) from 0.
    """

    kind: str
    index: int = 0


# What a reveal step shows (its hint in presentation mode keys on these).
REVEAL_FACTOR = "factor"
REVEAL_SLOPE = "slope"
REVEAL_RATE = RATE_LINE  # the rate in force (a schedule)
REVEAL_STATE = STATE_LINE  # a line of the optimizer's state
REVEAL_UPDATE = "update"


@dataclass(frozen=True)
class RevealStep:
    """One line of a weight's slope as the slides build it, and the part of the diagram it
    reads from. ``number`` is ①, ② or ③ for the three factors, empty for the product, the
    optimizer's lines and the update; ``kind`` says which it is."""

    number: str
    line: Line
    part: DiagramPart
    kind: str = REVEAL_FACTOR


def _without_number(line: Line) -> Line:
    """The line without a circled number of its own at its start (the reveal numbers it)."""
    first = line[0] if line else ""
    if isinstance(first, str):
        for number in FACTOR_NUMBERS:
            if first.startswith(number):
                return (first[len(number) :].lstrip(), *line[1:])
    return line


def optimizer_line_count(problem: Problem) -> int:
    """How many lines the rate in force and the optimizer's state add to a weight's step,
    counted on the core's own lines for one weight (0 for plain steps at a constant rate)."""
    scheduled = problem.schedule != "constant"
    if problem.optimizer == "gd":
        return int(scheduled)
    slots = [[0.0] for _slot in range(problem.state_slots)]
    settings = problem.optimizer_settings
    lines = optimizers.step_lines(problem.optimizer, ["w1"], [0.0], [1.0], slots, 0, 1.0, settings)
    return len(lines) - 1 + int(scheduled)


def reveal_count(problem: Problem) -> int:
    """How many presses reveal a weight's step: ① ② ③, the product, the optimizer's lines,
    the update."""
    return REVEAL_STEPS + optimizer_line_count(problem)


def factor_parts(problem: Problem, index: int) -> tuple[DiagramPart, ...]:
    """Where each of weight ``index``'s reveal steps reads from: the node fed (①), the
    node feeding the weight (②), the node fed again (its activation, ③), then the edge (the
    product, the optimizer's lines and the update)."""
    count, inputs = problem.hidden_count, problem.input_count
    edge = DiagramPart("edge", index)
    if count == 0:
        fed, feeder = DiagramPart("output"), DiagramPart("input", index)
    elif index < count:  # from hidden node j to the output
        fed, feeder = DiagramPart("output"), DiagramPart("hidden", index)
    else:  # from input i to hidden node j
        j, i = divmod(index - count, inputs)
        fed, feeder = DiagramPart("hidden", j), DiagramPart("input", i)
    return (fed, feeder, fed, edge, *(edge,) * optimizer_line_count(problem), edge)


def reveal_steps(problem: Problem, weight: WeightArithmetic) -> tuple[RevealStep, ...]:
    """The lines of ``weight``'s step in the slides' order: ① the slope of the loss w.r.t.
    the node fed, ② the value of the node feeding the weight, ③ the slope of the activation,
    then their product, then the optimizer's lines (the rate in force, its state), then the
    update; each with the diagram part it reads."""
    lines = (
        weight.loss_slope_line,
        weight.feeding_value_line,
        weight.activation_line,
        weight.slope_line,
        *weight.optimizer_lines,
        weight.update_line,
    )
    extra = len(weight.optimizer_lines)
    numbers = (*FACTOR_NUMBERS, "", *("",) * extra, "")
    kinds = (
        *(REVEAL_FACTOR,) * 3,
        REVEAL_SLOPE,
        *weight.optimizer_kinds,  # REVEAL_RATE or REVEAL_STATE
        REVEAL_UPDATE,
    )
    edge = DiagramPart("edge", weight.index)  # the optimizer's lines and the update
    parts = (*factor_parts(problem, weight.index)[:4], *(edge,) * (extra + 1))
    return tuple(
        RevealStep(number, _without_number(line) if number else line, part, kind)
        for number, line, part, kind in zip(numbers, lines, parts, kinds)
    )


REVEAL_STEPS = 5  # the three factors, the product, the update (plain steps, a constant rate)
