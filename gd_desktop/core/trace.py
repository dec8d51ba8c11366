"""``gd-desktop trace``: the lesson's numbers without a window, for scripts, handouts and tests.

Imports no Qt, so it runs on a machine without a display. Its words for people (help, messages,
the table's headings) go through the translation function; the machine formats (JSON, CSV,
the summary) keep English keys and a decimal point, whatever the language.

Beyond plain steps at a constant rate each JSON record adds ``"rate"`` (the rate in force at
the step that made it; the first record: the starting rate) and ``"state"`` (the optimizer's
buffers after it, by symbol: ``{"b": [...]}``, ``{"m": [...], "v": [...]}``, one number per
weight in the engine's order; its step count t is the iteration), and the CSV the matching
columns ``rate``, ``b_0`` …; plain output stays as it always was.
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
from gd_desktop.core.i18n import _, after_colon, ngettext
from gd_desktop.core.limits import MAX_TRACE_VALUES
from gd_desktop.core.optimizers import OPTIMIZERS, SCHEDULE_SETTINGS
from gd_desktop.core.trace_table import (
    TraceTable,
    csv_pieces,
    final_record,
    is_plain,
    json_pieces,
    trace_table,
)

#: summary: only the last record, as one JSON object on one line (for scripts).
FORMATS = ("table", "json", "csv", "summary")


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
        raise argparse.ArgumentTypeError(_("{text!r} is not a number").format(text=text)) from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(_("{text!r} is not an ordinary number").format(text=text))
    return value


def step_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a whole number").format(text=text)
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(
            _("the number of steps must be 0 or more, not {value}").format(value=value)
        )
    if value > 10_000_000:
        raise argparse.ArgumentTypeError(
            _("at most {limit:,} steps, not {value}").format(limit=10_000_000, value=value)
        )
    return value


def whole_number(low: int, high: int):
    """An option's type: a whole number from ``low`` to ``high`` (a field's limits)."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                _("{text!r} is not a whole number").format(text=text)
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                _("a whole number from {low} to {high:,} is needed, not {value}").format(
                    low=low, high=high, value=value
                )
            )
        return value

    return convert


def number_list(text: str) -> list[float]:
    return [finite_number(part) for part in text.split(",")]


def _add_field_option(parser: argparse.ArgumentParser, spec: engine.FieldSpec) -> None:
    """The option for one of the problem's fields, made from the field's description.

    Every default is None, to tell an option given from one left out (for --lesson).
    """
    how: dict = {"dest": spec.name, "help": spec.option_help and _(spec.option_help)}
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
        description=_("Run gradient descent headless and print every step."),
    )
    parser.add_argument(
        "--weights",
        type=finite_number,
        nargs="+",
        help=_("starting weights: one per input, or with --hidden one per hidden node"),
    )
    for spec in PROBLEM_FIELDS:
        if _is_data(spec):
            _add_field_option(parser, spec)
    parser.add_argument(
        "--data",
        metavar="FILE.csv",
        help=_("read the rows (inputs, then the target) from a file"),
    )
    for spec in PROBLEM_FIELDS:
        if not _is_data(spec):
            _add_field_option(parser, spec)
    parser.add_argument(
        "--lesson",
        metavar="FILE.gdlesson",
        help=_("run a lesson file: its data, network, starting weights, rate, batch and optimizer"),
    )
    parser.add_argument(
        "--steps",
        type=step_count,
        default=10,
        help=_("at most 10,000,000, and steps × (rows + weights) at most 30,000,000"),
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help=_(
            "table (the default), json, csv, or summary: only the last record, as one JSON "
            "object on one line"
        ),
    )
    return parser


_ROWS_FIELD = next(spec for spec in PROBLEM_FIELDS if spec.kind == engine.ROWS)
_TARGETS_FIELD = next(spec for spec in PROBLEM_FIELDS if spec.kind == engine.PER_ROW)


def _rows_and_targets(args) -> tuple[list, list]:
    given_rows, given_targets = getattr(args, _ROWS_FIELD.name), getattr(args, _TARGETS_FIELD.name)
    if args.data is not None:
        if given_rows or given_targets:
            raise TraceArgumentError(
                _("give the rows either with --data or with --inputs/--target")
            )
        try:
            # The window's reader: the same encodings, size, line and cell limits.
            inputs, targets = read_rows(read_csv_file(Path(args.data)))
        except OSError as error:
            raise TraceArgumentError(
                _("cannot read {name}: {reason}").format(
                    name=args.data, reason=error.strerror or error
                )
            ) from None
        except (DataError, csv.Error) as error:
            raise TraceArgumentError(
                _("{name}: {reason}").format(name=args.data, reason=error)
            ) from None
        return inputs.tolist(), targets.tolist()
    if not given_rows or not given_targets:
        raise TraceArgumentError(_("give the data: --inputs and --target, or --data FILE.csv"))
    if len({len(row) for row in given_rows}) != 1:
        raise ProblemError(_("every --inputs row must have the same number of values"))
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
            _(
                "--lesson gives the data, network, weights, rate and optimizer: leave out {options}"
            ).format(options=", ".join(given))
        )
    try:
        lesson = load(args.lesson)
    except LessonError as error:
        raise TraceArgumentError(
            _("lesson {name}: {reason}").format(name=args.lesson, reason=error)
        ) from None
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
            _("the following arguments are required: {options} (or --lesson FILE)").format(
                options=", ".join(missing)
            )
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
        raise ProblemError(_("every --hidden node needs one weight per input"))
    if hidden and len(hidden[0]) != len(rows[0]):
        raise ProblemError(
            ngettext(
                "each --hidden node needs one weight per input: there is {inputs} input, "
                "not {weights}",
                "each --hidden node needs one weight per input: there are {inputs} inputs, "
                "not {weights}",
                len(rows[0]),
            ).format(inputs=len(rows[0]), weights=len(hidden[0]))
        )
    if values["activation"] != engine.problem_field("activation").default and not hidden:
        raise ProblemError(_("--activation applies to a hidden layer: give --hidden too"))
    problem = engine.Problem.create(**values)
    weights = list(args.weights) + [value for node in hidden for value in node]
    return problem, weights


def _check_size(problem, weights, steps: int) -> None:
    """Refuse a run whose printout could not finish in reasonable time."""
    values = steps * (len(problem.targets) + np.size(weights))
    if values > MAX_TRACE_VALUES:
        raise TraceArgumentError(
            _(
                "{steps:,} steps of {rows:,} rows would print {values:,} values: "
                "at most {limit:,} (steps × (rows + weights)); take fewer steps"
            ).format(steps=steps, rows=len(problem.targets), values=values, limit=MAX_TRACE_VALUES)
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
        elif args.format == "summary":
            pieces = fast_summary(trace_table(problem, weights, args.steps, last_only=True))
        else:
            pieces = FAST_FORMATTERS[args.format](trace_table(problem, weights, args.steps))
    except (TraceArgumentError, ProblemError) as error:
        print(
            _("gd-desktop trace: error: {message}").format(message=after_colon(str(error))),
            file=sys.stderr,
        )
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


def fast_summary(table: TraceTable) -> Iterator[str]:
    """The text of :func:`as_summary` from the run's arrays: only the last record is made."""
    return iter([_one_line(final_record(table))])


def as_summary(result: Trace) -> str:
    """The last record of :func:`as_json`, as one JSON object on one line."""
    return _one_line(records(result)[-1])


def _one_line(record: dict) -> str:
    return json.dumps(record, allow_nan=False) + "\n"


def _state_rows(problem: engine.Problem, history, index: int) -> tuple[float, dict]:
    """The rate in force at record ``index`` and the optimizer's buffers then, by symbol."""
    symbols = OPTIMIZERS[problem.optimizer].state
    buffers = history.optimizer_buffers[index]
    rate = float(history.learning_rates[index])
    return rate, {symbol: buffers[k].tolist() for k, symbol in enumerate(symbols)}


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
        if not is_plain(problem):
            record["rate"], record["state"] = _state_rows(problem, result.history, iteration)
        out.append(record)
    return out


def _document(problem: engine.Problem, diverged_at: int | None) -> dict:
    """The JSON document but its steps (which come last); the optimizer, the schedule and the
    settings they read beyond plain steps at a constant rate."""
    optimization = {}
    if not is_plain(problem):
        optimization = {"optimizer": problem.optimizer, "schedule": problem.schedule}
        used = (*OPTIMIZERS[problem.optimizer].settings, *SCHEDULE_SETTINGS[problem.schedule])
        optimization.update((name, getattr(problem, name)) for name in used)
    return {
        "learning_rate": problem.learning_rate,
        **optimization,
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
    """The CSV's column names (English always: a machine format)."""
    labels = _weight_labels(problem)
    n_rows = problem.row_count
    columns = (
        ["iteration"]
        + [f"weight_{label}" for label in labels]
        + [f"prediction_{r}" for r in range(n_rows)]
        + [f"error_{r}" for r in range(n_rows)]
        + ["loss"]
        + [f"gradient_{label}" for label in labels]
    )
    if not is_plain(problem):
        symbols = OPTIMIZERS[problem.optimizer].state
        columns += ["rate", *(f"{symbol}_{label}" for symbol in symbols for label in labels)]
    return columns


def _headings(problem: engine.Problem) -> list[str]:
    """The table's headings: the CSV's columns in the language in use."""
    labels = _weight_labels(problem)
    rows = range(problem.row_count)
    headings = (
        [_("iteration")]
        + [_("weight_{label}").format(label=label) for label in labels]
        + [_("prediction_{row}").format(row=r) for r in rows]
        + [_("error_{row}").format(row=r) for r in rows]
        + [_("loss")]
        + [_("gradient_{label}").format(label=label) for label in labels]
    )
    if not is_plain(problem):
        symbols = OPTIMIZERS[problem.optimizer].state
        headings += [_("rate"), *(f"{symbol}_{label}" for symbol in symbols for label in labels)]
    return headings


def _rows(result: Trace):
    plain = is_plain(result.problem)
    for iteration, evaluation in enumerate(result.evaluations):
        row = [
            iteration,
            *evaluation.weights.tolist(),
            *evaluation.predictions.tolist(),
            *evaluation.errors.tolist(),
            evaluation.loss,
            *evaluation.gradient.tolist(),
        ]
        if not plain:
            rate, state = _state_rows(result.problem, result.history, iteration)
            row += [rate, *(value for values in state.values() for value in values)]
        yield row


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

    header = _headings(result.problem)
    body = [[cell(value) for value in row] for row in _rows(result)]
    widths = [max(len(header[i]), *(len(row[i]) for row in body)) for i in range(len(header))]
    lines = ["  ".join(text.rjust(width) for text, width in zip(header, widths))]
    lines += ["  ".join(text.rjust(width) for text, width in zip(row, widths)) for row in body]
    problem = result.problem
    critical = engine.critical_learning_rate(problem)
    rate = f"{problem.learning_rate:g}"
    if critical is None:
        verdict = ngettext(
            "learning rate {rate}; {count} hidden node, {activation}: no single critical rate",
            "learning rate {rate}; {count} hidden nodes, {activation}: no single critical rate",
            problem.hidden_count,
        ).format(
            rate=rate,
            count=problem.hidden_count,
            activation=_(engine.ACTIVATION_TITLES[problem.activation]),
        )
    elif math.isfinite(critical):
        verdict = _("learning rate {rate}; every run diverges above {critical}").format(
            rate=rate, critical=f"{critical:.6g}"
        )
    else:
        verdict = _("learning rate {rate}; no learning rate diverges (every input is 0)").format(
            rate=rate
        )
    lines.append("")
    lines.append(verdict)
    if not is_plain(problem):
        lines.append(
            _("optimizer {optimizer}, schedule {schedule}").format(
                optimizer=problem.optimizer, schedule=problem.schedule
            )
        )
    if result.diverged:
        lines.append(
            _("diverged: the numbers stopped being finite at iteration {iteration}").format(
                iteration=result.diverged_at
            )
        )
    return "\n".join(lines) + "\n"


FORMATTERS = {"table": as_table, "json": as_json, "csv": as_csv, "summary": as_summary}
FAST_FORMATTERS = {"json": fast_json, "csv": fast_csv, "summary": fast_summary}
