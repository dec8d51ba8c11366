"""The history as columns of numbers: the table's headers and rows, and its CSV export. No Qt.

The history table and the CSV export show the same columns with the same values; both come from
here, so they can never disagree, and both keep every digit the engine computed.
"""

from __future__ import annotations

import csv
import io

from gd_desktop.core.engine import History, Problem


def history_columns(problem: Problem) -> list[str]:
    """The column names: iteration, each weight, the first row's prediction and error, the loss,
    then each weight's slope and change."""
    names = [problem.weight_name(k) for k in range(problem.weight_count)]
    row = "" if problem.row_count == 1 else " (row 1)"
    return (
        ["iteration"]
        + names
        + [f"prediction{row}", f"error{row}", "loss"]
        + [f"slope {name}" for name in names]
        + [f"change {name}" for name in names]
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
    ]


def history_csv(problem: Problem, history: History) -> str:
    """The whole history as CSV, at full precision, one row per iteration."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*history_columns(problem), "moved by hand"])
    moved = history.moved_by_hand
    for row in range(len(history)):
        values = history_row(problem, history, row)
        writer.writerow(
            ["" if v is None else repr(v) if isinstance(v, float) else v for v in values]
            + [int(moved[row])]
        )
    return out.getvalue()
