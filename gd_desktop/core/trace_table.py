"""``gd-desktop trace``'s records as arrays, and its CSV and JSON written from them. No Qt.

The plain way (:func:`gd_desktop.core.run.trace`, then one :class:`~engine.Evaluation` per step
and one ``json.dumps``) costs tens of microseconds a step: a minute for 10⁶ steps. Here:

- The steps are the run loop's (:meth:`Run.advance`), so the weights are the same to the bit.
- Full-batch descent at a constant rate is a function of the weights and the optimizer's
  buffers alone (for momentum after its first step; for Adam once 1 − β₁ᵗ and 1 − β₂ᵗ are
  1.0 to the last bit): once they equal, bit for bit, those of a step ``period`` steps back (a
  fixed point is period 1; just below the critical rate the numbers end in a two-step swing),
  every later record repeats the last ``period`` ones, except for its iteration number. They
  are written, not computed again.
- The records' numbers are built from the run's weights with whole-array operations that make
  the same floating-point operations as :func:`engine.evaluate` (for a small problem its Python
  sums, left to right; else the same matrix-vector product per step), and written with the
  same ``repr`` of each float as ``csv`` and ``json`` use, so the output is byte for byte the
  plain one
  (tests/core/test_trace_table.py compares them on random problems).
- Beyond plain steps at a constant rate, each record adds the rate in force and the optimizer's
  buffers, taken from the run's history as they are (so they too are the plain output's bits).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from gd_desktop.core import engine
from gd_desktop.core.engine import Problem, ProblemError
from gd_desktop.core.i18n import _
from gd_desktop.core.optimizers import OPTIMIZERS
from gd_desktop.core.run import Run, StopReason

# Steps between two looks for a repeat; a repeat is looked for up to this many steps back.
LOOK_EVERY = 4096
LONGEST_PERIOD = 64
LINES_PER_PIECE = 10_000  # output is handed on in pieces of this many records


@dataclass(frozen=True)
class TraceTable:
    """The records of a headless run; ``values`` holds those computed, one row each.

    Records ``0 … count − 1`` exist; record ``i ≥ len(values)`` repeats record
    :meth:`source` ``(i)`` (the last ``period`` computed ones, over and over).
    """

    problem: Problem
    weights: np.ndarray  # computed records × weights (all, the hidden ones after the output's)
    predictions: np.ndarray  # computed records × rows
    errors: np.ndarray
    losses: np.ndarray
    gradients: np.ndarray
    hidden_sums: np.ndarray | None  # computed records × rows × nodes, with a hidden layer
    hidden_values: np.ndarray | None
    count: int
    period: int
    diverged_at: int | None
    #: Beyond plain steps at a constant rate: the rate in force at each computed record, and
    #: the optimizer's buffers after it (computed records × state symbols × weights).
    rates: np.ndarray | None = None
    buffers: np.ndarray | None = None
    #: The iteration of computed record 0: not 0 only in a table of the last record alone
    #: (``trace_table(..., last_only=True)``, for the summary).
    offset: int = 0

    @property
    def computed(self) -> int:
        return self.losses.shape[0]

    def source(self, index: int) -> int:
        """The computed record that record ``index`` is a copy of (itself if computed)."""
        if index < self.computed:
            return index
        return self.computed - self.period + (index - self.computed) % self.period


def is_plain(problem: Problem) -> bool:
    """Plain steps at a constant rate: the chapter's descent, whose records say no more."""
    return problem.optimizer == "gd" and problem.schedule == "constant"


def trace_table(problem: Problem, weights, steps: int, last_only: bool = False) -> TraceTable:
    """The same run as :func:`gd_desktop.core.run.trace`, stopped early at a repeat;
    ``last_only``: only the last record is made (its numbers the same)."""
    if steps < 0:
        raise ProblemError(_("The number of steps must be 0 or more."))
    run = Run(problem, weights, history_limit=steps + 1)
    if not run.current.is_finite:
        raise ProblemError(
            _("The starting numbers are too large: the prediction or loss overflows.")
        )
    # The next step is a function of the weights and buffers alone only for full-batch descent
    # at a constant rate: mini-batches draw other rows at every step, a schedule changes the
    # rate; and only from the first record whose step does not depend on t (see _first_free).
    repeats = problem.batch_size == 0 and problem.schedule == "constant"
    first_free = _first_free(problem)
    period = 0
    overflowed = False
    while run.iteration < steps and not period:
        result = run.advance(
            min(LOOK_EVERY, steps - run.iteration),
            halt_when_diverging=False,
            # A step that moved no weight is a fixed point for plain steps only: the others'
            # buffers may still move (they are looked at every LOOK_EVERY steps).
            halt_when_converged=repeats and problem.optimizer == "gd",
        )
        if result.stopped is StopReason.OVERFLOW:
            overflowed = True
            break
        if repeats:
            period = _repeat_period(*_recent_states(run.history, first_free))
    computed = len(run.history)
    count = computed if overflowed or not period else steps + 1
    diverged_at = computed if overflowed else None
    history, offset = run.history, 0
    if last_only:
        offset = count - 1
        index = computed - 1  # the record the last one repeats (itself when computed)
        if count > computed:
            index = computed - period + (count - 1 - computed) % period
        history = _Record(run.history, index)
        count, period = 1, 1
    table = _table(problem, history, count, max(period, 1), diverged_at)
    if not is_plain(problem):
        table = replace(
            table,
            rates=np.array(history.learning_rates),
            buffers=np.array(history.optimizer_buffers),
        )
    return replace(table, offset=offset) if offset else table


class _Record:
    """One record of a history, as a history of one (what :func:`_table` reads of it)."""

    def __init__(self, history, index: int):
        for name in ("weights", "losses", "gradients", "learning_rates", "optimizer_buffers"):
            setattr(self, name, getattr(history, name)[index : index + 1])


def _recent_states(history, first_free: int) -> tuple[np.ndarray, int]:
    """The last records' weights and the optimizer's buffers after each, a record a row (as
    far back as a repeat is looked for), and ``first_free`` counted in those rows."""
    start = max(0, len(history) - 1 - LONGEST_PERIOD)
    weights, buffers = history.weights[start:], history.optimizer_buffers[start:]
    if buffers.shape[1]:
        weights = np.concatenate([weights, buffers.reshape(buffers.shape[0], -1)], axis=1)
    return weights, max(0, first_free - start)


def _first_free(problem: Problem) -> int:
    """The first record whose next step does not depend on the step count t: the step from
    record i is step t = i + 1. Momentum's first step starts its buffer from the slope; Adam's
    bias corrections 1 − βᵗ reach 1.0 exactly (and stay there, βᵗ only shrinking)."""
    if problem.optimizer in ("momentum", "nesterov"):
        return 1
    if problem.optimizer != "adam":
        return 0
    betas = (problem.beta1, problem.beta2)
    low, high = 1, 1 << 40  # corrections of 1.0 at high for any β below 1 - 1e-10

    def exact(t: int) -> bool:
        return all(1.0 - beta**t == 1.0 for beta in betas)

    if not exact(high):
        return high
    while low < high:
        middle = (low + high) // 2
        if exact(middle):
            high = middle
        else:
            low = middle + 1
    return low - 1


def _repeat_period(states: np.ndarray, first_free: int = 0) -> int:
    """How many steps back the newest state occurred before, bit for bit (0: not seen), at a
    record from ``first_free`` on."""
    if states.shape[0] < 2:
        return 0
    bits = states.view(np.uint64)
    start = max(first_free, bits.shape[0] - 1 - LONGEST_PERIOD)
    if start >= bits.shape[0] - 1:
        return 0
    earlier = bits[start:-1]
    same = np.flatnonzero((earlier == bits[-1]).all(axis=1))
    return 0 if same.size == 0 else int(earlier.shape[0] - same[-1])


def _table(problem: Problem, history, count: int, period: int, diverged_at) -> TraceTable:
    weights = np.array(history.weights)
    if problem.hidden_count:
        # Through a hidden layer each step is evaluated anyway; the evaluations are the plain ones.
        evaluations = [engine.evaluate(problem, row) for row in weights]
        stack = lambda name: np.array([getattr(e, name) for e in evaluations])  # noqa: E731
        return TraceTable(
            problem, weights, stack("predictions"), stack("errors"),
            np.array([e.loss for e in evaluations]), stack("gradient"),
            stack("hidden_sums"), stack("hidden_values"), count, period, diverged_at,
        )  # fmt: skip
    if problem.small_data is not None:
        return _small_table(problem, weights, count, period, diverged_at)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        # One matrix-vector product per record, as evaluate's ``inputs @ weights``.
        predictions = np.matmul(problem.inputs, weights[:, :, None])[:, :, 0]
        errors = predictions - problem.targets
    # The history's losses and slopes are the run loop's: evaluate's numbers, to the bit.
    return TraceTable(
        problem, weights, predictions, errors, np.array(history.losses),
        np.array(history.gradients), None, None, count, period, diverged_at,
    )  # fmt: skip


def _left_to_right(terms) -> np.ndarray:
    """``sum(terms)`` as Python adds floats (from the integer 0, left to right), for whole
    columns at once: the same additions in the same order."""
    total = np.zeros_like(terms[0])
    for term in terms:
        total = total + term
    return total


def _small_table(problem: Problem, weights: np.ndarray, count, period, diverged_at) -> TraceTable:
    """evaluate's Python-float sums for a small problem (``engine._evaluate_small``), made for
    every record at once: the same products and additions, in the same order."""
    rows, columns, targets = problem.small_data
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        predictions = np.column_stack(
            [_left_to_right([x * weights[:, j] for j, x in enumerate(row)]) for row in rows]
        )
        errors = predictions - np.array(targets)
        losses = _left_to_right([errors[:, r] * errors[:, r] for r in range(len(rows))])
        losses = losses / len(rows)
        twice = 2.0 * errors
        gradients = np.column_stack(
            [
                _left_to_right([twice[:, r] * x for r, x in enumerate(column)]) / len(rows)
                for column in columns
            ]
        )
    return TraceTable(
        problem, weights, predictions, errors, losses, gradients, None, None, count, period,
        diverged_at,
    )  # fmt: skip


# ------------------------------------------------------------------------------------ output
def _pieces(
    table: TraceTable, head: str, values: np.ndarray, tail: str, between: str
) -> Iterator[str]:
    """Record ``i`` is ``head.format(i)`` then ``tail`` filled with the ``repr`` of each number
    of its row of ``values``; records are joined by ``between``, a block at a time."""
    fill = tail.format

    def tails(start: int, stop: int) -> list[str]:
        return [fill(*map(repr, row)) for row in values[start:stop].tolist()]

    computed, period = table.computed, table.period
    repeated = tails(computed - period, computed)
    for start in range(0, table.count, LINES_PER_PIECE):
        stop = min(table.count, start + LINES_PER_PIECE)
        texts = tails(start, min(stop, computed)) if start < computed else []
        texts += [repeated[(i - computed) % period] for i in range(max(start, computed), stop)]
        text = between.join(head.format(i) + text for i, text in zip(range(start, stop), texts))
        yield text if start == 0 else between + text


def csv_pieces(table: TraceTable, header: list[str]) -> Iterator[str]:
    """The CSV of :func:`gd_desktop.core.trace.as_csv`, byte for byte, in pieces."""
    columns = [table.weights, table.predictions, table.errors, table.losses, table.gradients]
    if table.rates is not None:
        columns += [table.rates, table.buffers.reshape(table.computed, -1)]
    values = np.column_stack(columns)
    tail = "," + ",".join(["{}"] * values.shape[1]) + "\n"
    yield ",".join(header) + "\n"
    yield from _pieces(table, "{}", values, tail, "")


_MARK = "\x01"  # a leaf of the template record; json writes it as "\u0001"


def _record_values(table: TraceTable) -> tuple[dict, np.ndarray]:
    """A record with a mark for each number, and each computed record's numbers in the order
    ``json`` writes them (the keys of :func:`gd_desktop.core.trace.records`)."""
    problem = table.problem
    out = problem.output_weight_count
    marks = lambda n: [_MARK] * n  # noqa: E731
    record = {
        "iteration": _MARK,
        "weights": marks(out),
        "predictions": marks(problem.row_count),
        "errors": marks(problem.row_count),
        "loss": _MARK,
        "gradient": marks(out),
    }
    columns = [table.weights[:, :out], table.predictions, table.errors, table.losses,
               table.gradients[:, :out]]  # fmt: skip
    count = problem.hidden_count
    if count:
        inputs = problem.input_count
        record["hidden_weights"] = [marks(inputs) for _ in range(count)]
        record["hidden"] = [
            {"sum": marks(problem.row_count), "value": marks(problem.row_count)}
            for _ in range(count)
        ]
        record["hidden_gradient"] = [marks(inputs) for _ in range(count)]
        columns.append(table.weights[:, count:])
        for node in range(count):
            columns += [table.hidden_sums[:, :, node], table.hidden_values[:, :, node]]
        columns.append(table.gradients[:, count:])
    if table.rates is not None:
        symbols = OPTIMIZERS[problem.optimizer].state
        record["rate"] = _MARK
        record["state"] = {symbol: marks(problem.weight_count) for symbol in symbols}
        columns += [table.rates, table.buffers.reshape(table.computed, -1)]
    return record, np.column_stack(columns)


def final_record(table: TraceTable) -> dict:
    """The last record as :func:`gd_desktop.core.trace.records` makes it, from the table: only
    its own row of numbers is written out (for ``--format summary``)."""
    record, values = _record_values(table)
    last = table.count - 1
    numbers = iter([table.offset + last, *values[table.source(last)].tolist()])

    def fill(item):
        if isinstance(item, dict):
            return {key: fill(value) for key, value in item.items()}
        if isinstance(item, list):
            return [fill(value) for value in item]
        return next(numbers)

    return fill(record)


def json_pieces(table: TraceTable, document: dict) -> Iterator[str]:
    """The JSON of :func:`gd_desktop.core.trace.as_json`, byte for byte, in pieces.

    ``document`` is everything but the steps, in its order, ``"steps"`` last.
    """
    record, values = _record_values(table)
    if not np.isfinite(values).all():
        raise ValueError("Out of range float values are not JSON compliant")  # as json says
    written = json.dumps(record, indent=2)
    written = "\n".join("    " + line for line in written.split("\n"))
    template = written.replace("{", "{{").replace("}", "}}").replace(json.dumps(_MARK), "{}")
    head, mark, tail = template.partition("{}")
    text = json.dumps({**document, "steps": []}, indent=2, allow_nan=False)
    before, _, after = text.rpartition("[]")
    yield before + "[\n"
    yield from _pieces(table, head + mark, values, tail, ",\n")
    yield "\n  ]" + after + "\n"
