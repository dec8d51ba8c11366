"""The history's columns and CSV without Qt: the numbers the table shows and the export writes."""

from __future__ import annotations

import csv

import numpy as np

from gd_desktop.core import engine
from gd_desktop.core.engine import History, Problem
from gd_desktop.core.history_columns import history_columns, history_csv, history_row


def run_history(problem: Problem, weights, steps: int) -> History:
    """A history of ``steps`` steps from ``weights``, the last one moved by hand."""
    history = History(problem.weight_count, problem.row_count)
    current = engine.evaluate(problem, weights)
    history.append(current, problem.learning_rate)
    for step in range(steps):
        current = engine.evaluate(problem, engine.next_weights(problem, current))
        history.append(current, problem.learning_rate, moved_by_hand=step == steps - 1)
    return history


def test_columns_name_every_weight_and_say_row_1_with_several_rows():
    one_row = Problem.create([[1.0, 2.0]], [3.0], 0.1)
    assert history_columns(one_row) == [
        "iteration", "w1", "w2", "prediction", "error", "loss",
        "slope w1", "slope w2", "change w1", "change w2",
    ]  # fmt: skip
    two_rows = Problem.create([[1.0], [2.0]], [3.0, 4.0], 0.1)
    assert history_columns(two_rows)[2:4] == ["prediction (row 1)", "error (row 1)"]


def test_a_row_holds_the_engines_numbers_at_full_precision():
    """The change is the difference of the weights; prediction is error + target of row 1."""
    problem = Problem.create([[0.1, 0.2], [0.3, -0.7]], [0.3, 1.0], 0.05)
    history = run_history(problem, [0.5, -0.25], 3)
    first = history_row(problem, history, 0)
    assert first[0] == 0 and first[-2:] == [None, None]
    row = history_row(problem, history, 2)
    assert row[0] == 2
    assert row[1:3] == history.weights[2].tolist()
    assert row[3] == history.errors[2, 0] + problem.targets[0]
    assert row[4] == history.errors[2, 0]
    assert row[5] == history.losses[2]
    assert row[6:8] == history.gradients[2].tolist()
    assert row[8:10] == (history.weights[2] - history.weights[1]).tolist()


def test_csv_has_a_header_one_line_per_iteration_and_the_moved_by_hand_column():
    problem = Problem.create([[1.5]], [2.0], 0.1)
    history = run_history(problem, [0.1], 4)
    rows = list(csv.reader(history_csv(problem, history).splitlines()))
    assert rows[0] == [*history_columns(problem), "moved by hand"]
    assert len(rows) == 1 + len(history)
    assert [row[-1] for row in rows[1:]] == ["0", "0", "0", "0", "1"]
    assert rows[1][history_columns(problem).index("change w1")] == ""
    assert np.array([float(row[1]) for row in rows[1:]]).tolist() == history.weights[:, 0].tolist()
