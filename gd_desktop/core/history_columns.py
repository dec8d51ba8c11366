"""The history as columns of numbers: the table's headers and rows, and its CSV export. No Qt.

The history table and the CSV export show the same columns with the same values; both come from
here, so they can never disagree, and both keep every digit the engine computed.
"""

from __future__ import annotations

import csv
import io

from gd_desktop.core.engine import History, Problem
from gd_desktop.core.i18n import N_, _
from gd_desktop.core.optimizers import OPTIMIZERS

# The columns' names in English: the CSV export keeps them (a machine format, like its numbers);
# the table shows them in the language in use.
ITERATION = N_("iteration")
PREDICTION = N_("prediction")
PREDICTION_ROW_1 = N_("prediction (row 1)")
ERROR = N_("error")
ERROR_ROW_1 = N_("error (row 1)")
LOSS = N_("loss")
SLOPE = N_("slope {weight}")
CHANGE = N_("change {weight}")
MOVED_BY_HAND = N_("moved by hand")
#: The learning rate in force at the step that made the row (only with a schedule).
RATE = N_("rate")


def _state_columns(problem: Problem) -> list[str]:
    """The optimizer's numbers per weight, named as its arithmetic names them: b1 …; s1 …;
    m1 …, v1 … (the symbol in the place of the weight's w)."""
    names = [problem.weight_name(k) for k in range(problem.weight_count)]
    symbols = OPTIMIZERS[problem.optimizer].state
    return [symbol + name[1:] for symbol in symbols for name in names]


def history_columns(problem: Problem, translate: bool = True) -> list[str]:
    """The column names: iteration, each weight, the first row's prediction and error, the loss,
    then each weight's slope and change, then the rate in force (with a schedule) and the
    optimizer's state; in the language in use unless ``translate`` is False (the CSV's
    header)."""
    say = _ if translate else str
    names = [problem.weight_name(k) for k in range(problem.weight_count)]
    one_row = problem.row_count == 1
    return (
        [say(ITERATION)]
        + names
        + [say(PREDICTION if one_row else PREDICTION_ROW_1), say(ERROR if one_row else ERROR_ROW_1)]
        + [say(LOSS)]
        + [say(SLOPE).format(weight=name) for name in names]
        + [say(CHANGE).format(weight=name) for name in names]
        + ([say(RATE)] if problem.schedule != "constant" else [])
        + _state_columns(problem)
    )


def history_row(problem: Problem, history: History, row: int) -> list[float | int | None]:
    """The full-precision values of one history row (``None`` where nothing applies)."""
    weights = history.weights[row]
    targets = problem.targets
    errors = history.errors[row]
    if row == 0:
        change = [None] * weights.shape[0]
    else:
        change = (weights - history.weights[row - 1]).tolist()
    return [
        row,
        *weights.tolist(),
        float(errors[0] + targets[0]),
        float(errors[0]),
        float(history.losses[row]),
        *history.gradients[row].tolist(),
        *change,
        *_rate_and_state(problem, history, row),
    ]


def _rate_and_state(problem: Problem, history: History, row: int) -> list[float | None]:
    """The rate in force at the step that made the row (None for the start and a weight moved
    by hand: no step), then the optimizer's state after it, as the history keeps them."""
    values: list[float | None] = []
    if problem.schedule != "constant":
        stepped = row > 0 and not bool(history.moved_by_hand[row])
        values.append(float(history.learning_rates[row]) if stepped else None)
    if OPTIMIZERS[problem.optimizer].state:
        values += history.optimizer_buffers[row].reshape(-1).tolist()
    return values


def history_csv(problem: Problem, history: History) -> str:
    """The whole history as CSV, at full precision, one row per iteration: a machine format, the
    same in every language (English headers, a decimal point)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*history_columns(problem, translate=False), MOVED_BY_HAND])
    moved = history.moved_by_hand
    for row in range(len(history)):
        values = history_row(problem, history, row)
        writer.writerow(
            ["" if v is None else repr(v) if isinstance(v, float) else v for v in values]
            + [int(moved[row])]
        )
    return out.getvalue()
