"""``gd-desktop trace``: the lesson's numbers without a window, for scripts, handouts and tests.

Imports no Qt, so it runs on a machine without a display.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import numpy as np

from gd_desktop.core import engine
from gd_desktop.core.data import DataError, read_csv_file, read_rows
from gd_desktop.core.engine import PROBLEM_FIELDS, ProblemError, Trace
from gd_desktop.core.limits import MAX_TRACE_VALUES
from gd_desktop.core.trace_table import TraceTable, csv_pieces, json_pieces, trace_table

FORMATS = ("table", "json", "csv")


class TraceArgumentError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line and exit status 2, without usage."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Before Python 3.14 argparse takes "-1e-3" for an option; any negative decimal is a value.
        self._negative_number_matcher = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")

    def error(self, message: str) -> NoReturn:
        raise TraceArgumentError(message)


def finite_number(text: str) -> float:
    try:
        value = float(text.replace("−", "-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not an ordinary number")
    return value


def step_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"the number of steps must be 0 or more, not {value}")
    if value > 10_000_000:
        raise argparse.ArgumentTypeError(f"at most 10,000,000 steps, not {value}")
    return value


def whole_number(low: int, high: int):
    """An option's type: a whole number from ``low`` to ``high`` (a field's limits)."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"a whole number from {low} to {high:,} is needed, not {value}"
            )
        return value

    return convert


def number_list(text: str) -> list[float]:
    return [finite_number(part) for part in text.split(",")]


def _add_field_option(parser: argparse.ArgumentParser, spec: engine.FieldSpec) -> None:
    """The option for one of the problem's fields, made from the field's description.

    Every default is None, to tell an option given from one left out (for --lesson).
    """
    how: dict = {"dest": spec.name, "help": spec.option_help}
    if spec.kind != engine.CHOICE:  # a choice shows its choices
        how["metavar"] = spec.option_metavar or spec.option.lstrip("-").replace("-", "_").upper()
    if spec.option_counts:
        how.update(type=number_list, action="append")
    elif spec.kind in (engine.ROWS, engine.PER_ROW):
        how.update(type=finite_number, nargs="+", action="append")
    elif spec.kind == engine.NUMBER:
        how.update(type=finite_number)
    elif spec.kind == engine.WHOLE:
        how.update(type=whole_number(spec.low, spec.high))
    elif spec.kind == engine.CHOICE:
        how.update(choices=spec.choices)
    parser.add_argument(spec.option, **how)


def _is_data(spec: engine.FieldSpec) -> bool:
    """The data rows and their targets: given by their options or all at once by --data."""
    return spec.kind in (engine.ROWS, engine.PER_ROW)


_DATA_NAMES = {spec.name for spec in PROBLEM_FIELDS if _is_data(spec)}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gd-desktop trace",
        description="Run gradient descent headless and print every step.",
    )
    parser.add_argument(
        "--weights",
        type=finite_number,
        nargs="+",
        help="starting weights: one per input, or with --hidden one per hidden node",
    )
    for spec in PROBLEM_FIELDS:
        if _is_data(spec):
            _add_field_option(parser, spec)
    parser.add_argument(
        "--data", metavar="FILE.csv", help="read the rows (inputs, then the target) from a file"
    )
    for spec in PROBLEM_FIELDS:
        if not _is_data(spec):
            _add_field_option(parser, spec)
    parser.add_argument(
        "--lesson",
        metavar="FILE.gdlesson",
        help="run a lesson file: its data, network, starting weights, rate and batch",
    )
    parser.add_argument(
        "--steps",
        type=step_count,
        default=10,
        help="at most 10,000,000, and steps × (rows + weights) at most 30,000,000",
    )
    parser.add_argument("--format", choices=FORMATS, default="table")
    return parser


_ROWS_FIELD = next(spec for spec in PROBLEM_FIELDS if spec.kind == engine.ROWS)
_TARGETS_FIELD = next(spec for spec in PROBLEM_FIELDS if spec.kind == engine.PER_ROW)


def _rows_and_targets(args) -> tuple[list, list]:
    given_rows, given_targets = getattr(args, _ROWS_FIELD.name), getattr(args, _TARGETS_FIELD.name)
    if args.data is not None:
        if given_rows or given_targets:
            raise TraceArgumentError("give the rows either with --data or with --inputs/--target")
        try:
            # The window's reader: the same encodings, size, line and cell limits.
            inputs, targets = read_rows(read_csv_file(Path(args.data)))
        except OSError as error:
            raise TraceArgumentError(
                f"cannot read {args.data}: {error.strerror or error}"
            ) from None
        except (DataError, csv.Error) as error:
            raise TraceArgumentError(f"{args.data}: {error}") from None
        return inputs.tolist(), targets.tolist()
    if not given_rows or not given_targets:
        raise TraceArgumentError("give the data: --inputs and --target, or --data FILE.csv")
    if len({len(row) for row in given_rows}) != 1:
        raise ProblemError("every --inputs row must have the same number of values")
    return given_rows, [value for group in given_targets for value in group]


def _problem_options() -> list[tuple[str, str]]:
    """(attribute on ``args``, option) of every option that gives a lesson's part: the weights,
    the problem's fields and --data, as --help lists them."""
    data = [(spec.name, spec.option) for spec in PROBLEM_FIELDS if _is_data(spec)]
    rest = [(spec.name, spec.option) for spec in PROBLEM_FIELDS if not _is_data(spec)]
    return [("weights", "--weights"), *data, ("data", "--data"), *rest]


def _lesson_problem(args) -> tuple[engine.Problem, list]:
    from gd_desktop.core.lesson import LessonError, load

    given = [option for name, option in _problem_options() if getattr(args, name) is not None]
    if given:
        raise TraceArgumentError(
            f"--lesson gives the data, network, weights and rate: leave out {', '.join(given)}"
        )
    try:
        lesson = load(args.lesson)
    except LessonError as error:
        raise TraceArgumentError(f"lesson {args.lesson}: {error}") from None
    return lesson.problem, lesson.weights


def _problem_and_weights(args) -> tuple[engine.Problem, list]:
    """The problem the options give, built by field name, and the starting weights."""
    required = [(spec.name, spec.option) for spec in PROBLEM_FIELDS if spec.required]
    required = [(name, option) for name, option in required if name not in _DATA_NAMES]
    missing = [
        option
        for name, option in (("weights", "--weights"), *required)
        if getattr(args, name) is None
    ]
    if missing:
        raise TraceArgumentError(
            f"the following arguments are required: {', '.join(missing)} (or --lesson FILE)"
        )
    rows, targets = _rows_and_targets(args)
    values = {_ROWS_FIELD.name: rows, _TARGETS_FIELD.name: targets}
    hidden = []
    for spec in PROBLEM_FIELDS:
        given = getattr(args, spec.name)
        if spec.option_counts:
            hidden = given or []
            values[spec.name] = len(hidden)
        elif not _is_data(spec):
            values[spec.name] = spec.default if given is None else given
    if hidden and len({len(node) for node in hidden}) != 1:
        raise ProblemError("every --hidden node needs one weight per input")
    if hidden and len(hidden[0]) != len(rows[0]):
        raise ProblemError(
            f"each --hidden node needs one weight per input: {len(rows[0])} input(s) "
            f"but {len(hidden[0])} weight(s)"
        )
    if values["activation"] != engine.problem_field("activation").default and not hidden:
        raise ProblemError("--activation applies to a hidden layer: give --hidden too")
    problem = engine.Problem.create(**values)
    weights = list(args.weights) + [value for node in hidden for value in node]
    return problem, weights


def _check_size(problem, weights, steps: int) -> None:
    """Refuse a run whose printout could not finish in reasonable time."""
    values = steps * (len(problem.targets) + np.size(weights))
    if values > MAX_TRACE_VALUES:
        raise TraceArgumentError(
            f"{steps:,} steps of {len(problem.targets):,} rows would print {values:,} values: "
            f"at most {MAX_TRACE_VALUES:,} (steps × (rows + weights)); take fewer steps"
        )


def trace_main(argv: list[str]) -> int:
    """Run ``trace`` with ``argv`` (the words after ``trace``); returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        if args.lesson is not None:
            problem, weights = _lesson_problem(args)
        else:
            problem, weights = _problem_and_weights(args)
        _check_size(problem, weights, args.steps)
        if args.format == "table":
            pieces = iter([as_table(engine.run(problem, weights, args.steps))])
        else:
            pieces = FAST_FORMATTERS[args.format](trace_table(problem, weights, args.steps))
    except (TraceArgumentError, ProblemError) as error:
        message = str(error)
        print(f"gd-desktop trace: error: {message[:1].lower()}{message[1:]}", file=sys.stderr)
        return 2
    for piece in pieces:
        sys.stdout.write(piece)
    return 0


def fast_csv(table: TraceTable) -> Iterator[str]:
    """The CSV of :func:`as_csv` from the run's arrays (see gd_desktop/core/trace_table.py)."""
    return csv_pieces(table, _columns(table.problem))


def fast_json(table: TraceTable) -> Iterator[str]:
    """The JSON of :func:`as_json` from the run's arrays."""
    return json_pieces(table, _document(table.problem, table.diverged_at))


def records(result: Trace) -> list[dict]:
    problem = result.problem
    count = problem.hidden_count
    out = []
    for iteration, evaluation in enumerate(result.evaluations):
        record = {
            "iteration": iteration,
            "weights": evaluation.weights[: problem.output_weight_count].tolist(),
            "predictions": evaluation.predictions.tolist(),
            "errors": evaluation.errors.tolist(),
            "loss": evaluation.loss,
            "gradient": evaluation.gradient[: problem.output_weight_count].tolist(),
        }
        if count:
            record["hidden_weights"] = problem.hidden_weights(evaluation.weights).tolist()
            record["hidden"] = [
                {
                    "sum": evaluation.hidden_sums[:, node].tolist(),
                    "value": evaluation.hidden_values[:, node].tolist(),
                }
                for node in range(count)
            ]
            record["hidden_gradient"] = problem.hidden_weights(evaluation.gradient).tolist()
        out.append(record)
    return out


def _document(problem: engine.Problem, diverged_at: int | None) -> dict:
    """The JSON document but its steps (which come last)."""
    return {
        "learning_rate": problem.learning_rate,
        "hidden_nodes": problem.hidden_count,
        "activation": problem.activation,
        "inputs": problem.inputs.tolist(),
        "targets": problem.targets.tolist(),
        "critical_learning_rate": _finite_or_none(engine.critical_learning_rate(problem)),
        "diverged": diverged_at is not None,
        "diverged_at": diverged_at,
    }


def as_json(result: Trace) -> str:
    """The plain JSON, one evaluation per step: what :func:`fast_json` is tested against."""
    document = {**_document(result.problem, result.diverged_at), "steps": records(result)}
    return json.dumps(document, indent=2, allow_nan=False) + "\n"


def _finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _weight_labels(problem) -> list[str]:
    """Column names: weight_0 … without a hidden layer; with one, the hidden weights follow as
    hidden_<node>_<input>."""
    labels = [f"{i}" for i in range(problem.output_weight_count)]
    labels += [
        f"hidden_{node}_{source}"
        for node in range(problem.hidden_count)
        for source in range(problem.input_count)
    ]
    return labels


def _columns(problem: engine.Problem) -> list[str]:
    labels = _weight_labels(problem)
    n_rows = problem.row_count
    return (
        ["iteration"]
        + [f"weight_{label}" for label in labels]
        + [f"prediction_{r}" for r in range(n_rows)]
        + [f"error_{r}" for r in range(n_rows)]
        + ["loss"]
        + [f"gradient_{label}" for label in labels]
    )


def _rows(result: Trace):
    for iteration, evaluation in enumerate(result.evaluations):
        yield [
            iteration,
            *evaluation.weights.tolist(),
            *evaluation.predictions.tolist(),
            *evaluation.errors.tolist(),
            evaluation.loss,
            *evaluation.gradient.tolist(),
        ]


def as_csv(result: Trace) -> str:
    """The plain CSV, one evaluation per step: what :func:`fast_csv` is tested against."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_columns(result.problem))
    for row in _rows(result):
        writer.writerow([repr(value) if isinstance(value, float) else value for value in row])
    return out.getvalue()


def as_table(result: Trace) -> str:
    def cell(value) -> str:
        return f"{value:.6g}" if isinstance(value, float) else str(value)

    header = _columns(result.problem)
    body = [[cell(value) for value in row] for row in _rows(result)]
    widths = [max(len(header[i]), *(len(row[i]) for row in body)) for i in range(len(header))]
    lines = ["  ".join(text.rjust(width) for text, width in zip(header, widths))]
    lines += ["  ".join(text.rjust(width) for text, width in zip(row, widths)) for row in body]
    critical = engine.critical_learning_rate(result.problem)
    if critical is None:
        verdict = (
            f"{result.problem.hidden_count} hidden node(s), {result.problem.activation}: "
            "no single critical rate"
        )
    elif math.isfinite(critical):
        verdict = f"every run diverges above {critical:.6g}"
    else:
        verdict = "no learning rate diverges (every input is 0)"
    lines.append("")
    lines.append(f"learning rate {result.problem.learning_rate:g}; {verdict}")
    if result.diverged:
        lines.append(
            f"diverged: the numbers stopped being finite at iteration {result.diverged_at}"
        )
    return "\n".join(lines) + "\n"


FORMATTERS = {"table": as_table, "json": as_json, "csv": as_csv}
FAST_FORMATTERS = {"json": fast_json, "csv": fast_csv}
