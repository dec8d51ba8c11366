"""What the comparison of runs decides: each run's optimizer, setting and rate, its name, the
default sets of runs, when a compared run counts as diverging, and how it is doing. No Qt.

A compared run is a :class:`RunChoice` (an optimizer id, its main setting, a rate) laid over the
lesson's problem with :meth:`Problem.replaced`, and stepped by the core's :class:`Run` like the
window's own run; the comparison view only draws what these give it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gd_desktop.core import engine
from gd_desktop.core.engine import Problem
from gd_desktop.core.i18n import N_, _
from gd_desktop.core.numbers import format_number
from gd_desktop.core.optimizers import OPTIMIZERS
from gd_desktop.core.run import Run, StopReason

#: Runs a comparison holds at most (one colour, line style and symbol each).
MAX_RUNS = 6
RATE_FACTORS = (0.25, 1.0, 2.0)  # the first three default rates, times the lesson's rate
HIGHEST_RATE = 10.0

#: The optimizers' names, translated where shown (optimizers.OPTIMIZERS keeps the English).
OPTIMIZER_TITLES = {
    "gd": N_("Plain steps"),
    "momentum": N_("Momentum"),
    "nesterov": N_("Nesterov"),
    "adagrad": N_("AdaGrad"),
    "rmsprop": N_("RMSProp"),
    "adam": N_("Adam"),
}
#: The one setting a compared run shows beside its rate (the others keep the lesson's values).
MAIN_SETTINGS = {
    "momentum": "momentum",
    "nesterov": "momentum",
    "rmsprop": "alpha",
    "adam": "beta1",
}
SETTING_SYMBOLS = {"momentum": "μ", "alpha": "α", "beta1": "β₁"}
#: For the optimizers' set: each adaptive optimizer's rate as a share of the distance to the
#: minimum (Adam moves each weight about its rate per step; RMSProp's first steps are ten
#: times its rate; AdaGrad's shrink as the squares add up).
ADAPTIVE_SHARES = {"adagrad": 1 / 4, "rmsprop": 1 / 100, "adam": 1 / 20}
#: A rate for plain, momentum or Nesterov steps is kept below this share of where they diverge.
SAFE_SHARE = 0.75


@dataclass(frozen=True)
class RunChoice:
    """One compared run: an optimizer (its id), its main setting (None if it has none) and
    the learning rate."""

    optimizer: str
    learning_rate: float
    setting: float | None = None

    @property
    def setting_field(self) -> str | None:
        return main_setting(self.optimizer)

    def problem(self, lesson: Problem) -> Problem:
        """The lesson's problem stepped this way; raises ProblemError for a bad number."""
        changes = {"optimizer": self.optimizer, "learning_rate": self.learning_rate}
        field = self.setting_field
        if field is not None and self.setting is not None:
            changes[field] = self.setting
        return lesson.replaced(**changes)


def main_setting(optimizer: str) -> str | None:
    """The Problem field a compared run of this optimizer shows (μ, α, β₁), or None."""
    return MAIN_SETTINGS.get(optimizer)


def optimizer_title(optimizer: str) -> str:
    return _(OPTIMIZER_TITLES[optimizer])


def choice(optimizer: str, rate: float, lesson: Problem, setting: float | None = None) -> RunChoice:
    """A run of ``optimizer`` at ``rate``; its setting is the lesson's unless one is given."""
    field = main_setting(optimizer)
    if field is None:
        return RunChoice(optimizer, rate)
    return RunChoice(optimizer, rate, getattr(lesson, field) if setting is None else setting)


def run_name(run: RunChoice) -> str:
    """How the legends name a run: its optimizer, its main setting and its rate."""
    title, rate = optimizer_title(run.optimizer), format_number(run.learning_rate)
    field = run.setting_field
    if field is None or run.setting is None:
        return _("{optimizer}, lr {rate}").format(optimizer=title, rate=rate)
    return _("{optimizer} {symbol} {value}, lr {rate}").format(
        optimizer=title, symbol=SETTING_SYMBOLS[field], value=format_number(run.setting), rate=rate
    )


def problem_key(problem: Problem) -> tuple:
    """Equal for equal problems: a new key brings the default runs again."""
    values = problem.field_values().items()
    return tuple(
        (name, value.tobytes() if isinstance(value, np.ndarray) else value)
        for name, value in values
    ) + (problem.inputs.shape,)


def introduction(problem: Problem, start: np.ndarray | None) -> str:
    """What the comparison says first: the weights every run starts from, and where plain
    steps diverge."""
    if start is None:
        return _("The starting numbers are too large to compute: change the problem.")
    weights = ", ".join(format_number(w) for w in start[:6])
    if problem.weight_count > 6:
        weights += ", …"
    text = _(
        "Every run starts from the same weights ({weights}) and takes its own steps with its "
        "own optimizer and learning rate."
    ).format(weights=weights)
    critical = engine.critical_learning_rate(problem)
    if problem.hidden_count:
        rule = _("With a hidden layer there is no single rate above which plain steps diverge.")
    elif critical is not None and math.isfinite(critical):
        rule = _("Above the critical rate {rate} plain steps diverge.").format(
            rate=format_number(critical)
        )
    else:
        return text
    return f"{text} {rule}"


# ----------------------------------------------------------------------- the default sets
def default_rates(problem: Problem, critical: float | None) -> list[float]:
    """×0.25, ×1 and ×2 the lesson's rate, then just above the critical rate (else ×4)."""
    rate = problem.learning_rate
    rates = [rate * factor for factor in RATE_FACTORS]
    if critical is not None and math.isfinite(critical) and critical > 0:
        above = float(f"{critical * 1.1:.2g}")  # two significant digits, still above it
        rates.append(above if above > critical else critical * 1.1)
    else:
        rates.append(rate * 4)
    return [min(HIGHEST_RATE, max(0.0, r)) for r in rates]


def rate_runs(problem: Problem) -> list[RunChoice]:
    """The comparison of learning rates: the lesson's optimizer at the four default rates."""
    critical = engine.critical_learning_rate(problem)
    return [choice(problem.optimizer, rate, problem) for rate in default_rates(problem, critical)]


def diverging_rate(problem: Problem, optimizer: str, momentum: float) -> float | None:
    """The rate above which plain, momentum or Nesterov steps diverge on this problem (a
    parabola of largest curvature λ: 2/λ, 2(1 + μ)/λ, 2(1 + μ)/((1 + 2μ)λ)); None when there is
    no such rate (a hidden layer, or an adaptive optimizer)."""
    critical = engine.critical_learning_rate(problem)
    if critical is None or not math.isfinite(critical):
        return None
    if optimizer == "gd":
        return critical
    if optimizer == "momentum":
        return critical * (1 + momentum)
    if optimizer == "nesterov":
        return critical * (1 + momentum) / (1 + 2 * momentum)
    return None


def distance_to_minimum(problem: Problem, weights: np.ndarray) -> float:
    """How far the farthest weight must travel to the nearest lowest loss (1 when unknown:
    a hidden layer, or already there)."""
    if problem.hidden_count:
        return 1.0
    with np.errstate(all="ignore"):
        errors = engine.predict(problem.inputs, weights) - problem.targets
        change = np.linalg.lstsq(problem.inputs, -errors, rcond=None)[0]
        far = float(np.max(np.abs(change)))
    return far if math.isfinite(far) and far > 0 else 1.0


def _one_digit(value: float) -> float:
    return float(f"{value:.1g}")


def _two_digits_below(value: float) -> float:
    """``value`` rounded down to two significant digits (0.00509 → 0.005)."""
    unit = 10.0 ** (math.floor(math.log10(value)) - 1)
    return float(f"{math.floor(value / unit) * unit:.2g}")


def optimizer_rate(problem: Problem, optimizer: str, weights: np.ndarray) -> float:
    """A sensible rate for ``optimizer`` on this problem from these weights.

    Plain, momentum and Nesterov steps keep the lesson's rate where it converges for them, else
    take 3/4 of the rate where they would diverge; AdaGrad, RMSProp and Adam, whose steps are
    about their rate in size, take a share of the distance to the minimum (one digit).
    """
    if optimizer in ADAPTIVE_SHARES:
        return min(
            HIGHEST_RATE,
            _one_digit(ADAPTIVE_SHARES[optimizer] * distance_to_minimum(problem, weights)),
        )
    rate = problem.learning_rate
    edge = diverging_rate(problem, optimizer, problem.momentum)
    if edge is None:
        return rate
    if 0 < rate < 0.95 * edge:
        return rate
    return min(HIGHEST_RATE, _two_digits_below(SAFE_SHARE * edge))


def optimizer_runs(problem: Problem, weights) -> list[RunChoice]:
    """The comparison of the optimizers: each of the six at a sensible rate for the problem,
    with its settings as the lesson has them."""
    start = np.asarray(weights, dtype=float)
    return [choice(name, optimizer_rate(problem, name, start), problem) for name in OPTIMIZERS]


# ----------------------------------------------------------------------- a run's progress
class ComparedRun(Run):
    """The core's Run (its loop and its stop rule) of one choice over the lesson's problem."""

    def __init__(self, run_choice: RunChoice, lesson: Problem, weights):
        super().__init__(run_choice.problem(lesson), weights)
        self.choice = run_choice


def is_diverging(run: Run) -> bool:
    """Stopped as diverged, or its loss grew at each of the last three steps to above where it
    started (momentum and Adam climb for a while and come back: that is no divergence)."""
    if run.stopped in (StopReason.OVERFLOW, StopReason.DIVERGING):
        return True
    losses = run.history.losses
    return engine.loss_is_growing(losses) and losses[-1] > losses[0]


def advance(run: Run, steps: int, halt_when_diverging: bool) -> None:
    """Take up to ``steps`` steps; a run that overflows stops at its last finite state, and a
    diverging one (see :func:`is_diverging`) stops there when asked to halt."""
    if not halt_when_diverging:
        run.advance(steps, halt_when_diverging=False)
        return
    for _step in range(steps):
        run.advance(1, halt_when_diverging=False)
        if run.stopped is not None:
            return
        if is_diverging(run):
            run.stopped = StopReason.DIVERGING
            return


def describe(run: Run) -> str:
    """How the run is doing, in plain words."""
    losses = run.history.losses
    first, last, n = format_number(losses[0]), format_number(losses[-1]), run.iteration
    if run.stopped is StopReason.OVERFLOW:
        return _(
            "diverged: after iteration {iteration} the numbers grew too big to compute, "
            "so this run was stopped."
        ).format(iteration=n)
    if run.stopped is StopReason.DIVERGING:
        return _(
            "diverged: its loss grew from {first} to {last}, so this run was stopped at "
            "iteration {iteration}."
        ).format(first=first, last=last, iteration=n)
    if run.stopped is StopReason.CONVERGED:
        if run.problem.learning_rate == 0:
            return _("a rate of 0 never moves the weights.")
        return _(
            "converged at iteration {iteration}: a step no longer changes the weights "
            "(loss {loss})."
        ).format(iteration=n, loss=last)
    if run.stopped is StopReason.HISTORY_FULL:
        return _("stopped at iteration {iteration}: its history is full.").format(iteration=n)
    if n == 0:
        return _("loss {loss} at the start.").format(loss=first)
    if is_diverging(run):
        return _("diverging: its loss grows at every step (now {loss}).").format(loss=last)
    if losses[-1] < losses[-2]:
        return _("loss {loss}, still falling.").format(loss=last)
    return _("loss {loss}.").format(loss=last)


def legend_name(run: ComparedRun) -> str:
    """A run's name in a legend, with diverged, diverging or converged after it."""
    name = run_name(run.choice)
    if run.stopped in (StopReason.OVERFLOW, StopReason.DIVERGING):
        return _("{name} (diverged, stopped)").format(name=name)
    if is_diverging(run):
        return _("{name} (diverging)").format(name=name)
    if run.stopped is StopReason.CONVERGED:
        return _("{name} (converged)").format(name=name)
    return name


# ----------------------------------------------------------------------- the map
def lowest_point(
    problem: Problem, weights: np.ndarray, first: int, second: int
) -> tuple[float, float] | None:
    """Where the loss over two weights (the others held) is lowest, the nearest such point to
    ``weights`` when the valley floor is a line; None where the loss is no quadratic in them
    (hidden weights) or the numbers overflow."""
    with np.errstate(all="ignore"):
        if problem.hidden_count == 0:
            errors = engine.predict(problem.inputs, weights) - problem.targets
            columns = problem.inputs[:, [first, second]]
        elif first < problem.hidden_count and second < problem.hidden_count:
            current = engine.evaluate(problem, weights)
            errors, columns = current.errors, current.hidden_values[:, [first, second]]
        else:
            return None
        if not (np.all(np.isfinite(columns)) and np.all(np.isfinite(errors))):
            return None
        change = np.linalg.lstsq(columns, -errors, rcond=None)[0]
    x, y = float(weights[first] + change[0]), float(weights[second] + change[1])
    return (x, y) if math.isfinite(x) and math.isfinite(y) else None


def thinned_indices(count: int, most: int) -> np.ndarray:
    """At most ``most`` of ``count`` points: every k-th one (k odd, so that a zigzag stays a
    zigzag), the last always kept."""
    if count <= most:
        return np.arange(count)
    stride = -(-count // most)
    stride += 1 - stride % 2
    return np.unique(np.append(np.arange(0, count, stride), count - 1))
