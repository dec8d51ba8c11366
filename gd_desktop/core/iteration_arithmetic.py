"""What the arithmetic panel writes for one iteration of a run: the step just taken, the next
one, and a heading saying where in the run it is. No Qt.

The lines themselves come from :mod:`gd_desktop.core.arithmetic`; this picks the iteration's
problem (its learning rate, its mini-batch) and the update that led to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from gd_desktop.core import engine
from gd_desktop.core.arithmetic import Line, Num, StepArithmetic, explain, result
from gd_desktop.core.engine import Evaluation, Problem
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
        heading = f"Iteration {self.index}"
        if self.index != self.latest:
            heading = f"Iteration {self.index} of {self.latest} (looking back)"
        if self.moved_by_hand:
            heading += ": a weight was moved by hand"
        if self.batch is not None:
            named = self.batch[:BATCH_ROWS_NAMED]
            rows = ", ".join(str(r + 1) for r in named)
            if len(self.batch) > len(named):
                rows += " …"
            heading += f" — the next step learns from rows {rows}"
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
    if batch is None:
        step = explain(problem, evaluation, check_only)
    else:
        sub = problem.subset(batch)
        step = explain(sub, engine.evaluate(sub, evaluation.weights), check_only)
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
        just_taken = step_just_taken(
            history.weights[index - 1],
            float(history.learning_rates[index]),
            slopes,
            history.weights[index],
            [problem.weight_name(k) for k in range(problem.weight_count)],
            noise,
        )
    return IterationArithmetic(
        index=index,
        latest=len(history) - 1,
        moved_by_hand=moved,
        batch=None if batch is None else tuple(int(r) for r in batch),
        step=step,
        just_taken=tuple(just_taken),
    )
