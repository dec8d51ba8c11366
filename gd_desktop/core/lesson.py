"""Lesson files (``*.gdlesson``): a teacher's example saved, shared and reopened. No Qt.

A lesson is the data, the network, the starting weights the teacher typed, the learning rate and
the mini-batch settings; optionally the run so far (one flat weight vector per iteration) and a few
view settings. On disk it is UTF-8 JSON, described field by field in docs/LESSON_FORMAT.md.

Everything read is checked, and checked again by :meth:`engine.Problem.create`, so a lesson that
loads is one the engine can run. Whatever is wrong with a file is reported as a
:class:`LessonError` whose message names the problem in plain words.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

from gd_desktop.core import engine
from gd_desktop.core.engine import (
    CHOICE,
    DESCENT,
    NETWORK,
    NUMBER,
    PER_ROW,
    PROBLEM_FIELDS,
    ROWS,
    WHOLE,
    FieldSpec,
    ProblemError,
)
from gd_desktop.core.files import write_bytes_atomically
from gd_desktop.core.limits import (
    LESSON_EXTENSION,
    LESSON_MIME_TYPE,
    MAX_HISTORY,
    MAX_INPUTS,
    MAX_LESSON_BYTES,
    MAX_NOTES,
    MAX_ROWS,
    MAX_TITLE,
    SPEEDS,
)
from gd_desktop.core.presets import PRESETS

FORMAT = "gd-desktop-lesson"
VERSION = 1
EXTENSION = LESSON_EXTENSION
MIME_TYPE = LESSON_MIME_TYPE
MAX_FILE_BYTES = MAX_LESSON_BYTES
SPEED_COUNT = len(SPEEDS)
FIRST_PLOTS = ("error", "loss")

#: The view settings a lesson may carry, and what each must be (see :func:`_check_settings`).
SETTINGS = {
    "selected_weight": "the index of a weight (0 for the first)",
    "speed_index": f"a whole number from 0 to {SPEED_COUNT - 1}",
    "first_plot": 'either "error" or "loss"',
}

#: The lessons shipped with gd-desktop, in the course's order: the ids of the presets they come
#: from (gd_desktop/core/presets.py), which are also their file names.
SHIPPED = tuple(preset.id for preset in PRESETS)

# Every field of version 1, in the order to_json writes them: the data and the network, the
# starting weights, then how the weights move (each problem field's ``part``).
FIELDS = (
    "format",
    "version",
    "title",
    "notes",
    *(spec.lesson_key for spec in PROBLEM_FIELDS if spec.part == NETWORK),
    "weights",
    *(spec.lesson_key for spec in PROBLEM_FIELDS if spec.part == DESCENT),
    "settings",
    "history",
)


class LessonError(ValueError):
    """A lesson that cannot be read or made; the message names the problem in plain words."""


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False, init=False)
class Lesson:
    """One lesson, checked when made: every Lesson is one the engine can run.

    Its ``problem`` holds the data, network, rate and batch settings; each of the problem's fields
    reads as an attribute too (``lesson.inputs``, ``lesson.learning_rate`` …) and is given to the
    constructor by name, or all at once as ``problem=`` (names given then override it).
    ``weights`` is the flat starting vector (output weights first, then the hidden weights node by
    node, as in the engine). ``history`` is None or an iterations × weights array: the flat
    weights of each iteration of a run. ``settings`` holds the known view settings only
    (read-only); ``warnings`` says what was ignored when the lesson was read (unknown fields or
    settings), and is not saved. Arrays are read-only copies. Two lessons are equal when every
    saved field is.
    """

    title: str
    notes: str
    weights: np.ndarray
    problem: engine.Problem
    history: np.ndarray | None
    settings: Mapping
    warnings: tuple[str, ...]

    def __init__(
        self,
        title: str,
        notes: str,
        weights,
        problem: engine.Problem | None = None,
        history=None,
        settings: Mapping | None = None,
        warnings: tuple[str, ...] = (),
        **problem_values,
    ) -> None:
        unknown = [name for name in problem_values if name not in _PROBLEM_NAMES]
        if unknown:
            raise TypeError(f"Lesson() got unexpected keyword arguments: {', '.join(unknown)}")
        values = {} if problem is None else problem.field_values()
        values.update(problem_values)
        set_ = object.__setattr__
        set_(self, "title", _text(title, "title", MAX_TITLE))
        set_(self, "notes", _text(notes, "notes", MAX_NOTES))
        checked = {}
        for spec in PROBLEM_FIELDS:
            if spec.name in values:
                checked[spec.name] = _checked_value(spec, values[spec.name], checked)
        try:
            problem = engine.Problem.create(**checked)
            weights = problem.check_weights(_float_array(weights, "weights"))
        except ProblemError as error:
            raise LessonError(_engine_message(error)) from None
        set_(self, "problem", problem)
        set_(self, "weights", _read_only(weights))
        set_(self, "history", _check_history(history, problem.weight_count))
        settings, ignored = _check_settings(settings, problem.weight_count)
        set_(self, "settings", settings)
        set_(self, "warnings", tuple(dict.fromkeys((*warnings, *ignored))))

    def __getattr__(self, name: str):
        # Only reached for names that are not attributes: the problem's fields.
        problem = self.__dict__.get("problem")
        if problem is None or name not in _PROBLEM_NAMES:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(problem, name)

    def run(self, steps: int) -> engine.Trace:
        """Run ``steps`` steps headless from the starting weights (as ``gd-desktop trace``)."""
        return engine.run(self.problem, self.weights, steps)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lesson):
            return NotImplemented
        if (self.title, self.notes) != (other.title, other.notes):
            return False
        if dict(self.settings) != dict(other.settings):
            return False
        if (self.history is None) != (other.history is None):
            return False
        mine, theirs = self.problem.field_values(), other.problem.field_values()
        if not all(_same(mine[name], theirs[name]) for name in mine):
            return False
        return _same(self.weights, other.weights) and (
            self.history is None or _same(self.history, other.history)
        )

    __hash__ = None  # mutable-looking arrays inside: not hashable


_PROBLEM_NAMES = frozenset(spec.name for spec in PROBLEM_FIELDS)


def _same(mine, theirs) -> bool:
    if isinstance(mine, np.ndarray):
        return np.array_equal(mine, theirs)
    return mine == theirs


def _checked_value(spec: FieldSpec, value, earlier: dict):
    """A problem field's value checked as a lesson says it; the engine checks it again."""
    key = spec.lesson_key
    if spec.kind == ROWS:
        rows = _float_array(value, key)
        if rows.ndim == 1:
            rows = rows.reshape(1, -1)
        if rows.ndim != 2 or rows.shape[0] == 0 or rows.shape[1] == 0:
            raise LessonError(
                f'"{key}" should be a list of data rows, each a list of at least one number'
            )
        _check_data_size(rows.shape[0], rows.shape[1])
        return rows
    if spec.kind == PER_ROW:
        column = _float_array(value, key).reshape(-1)
        row_count = _row_count(earlier)
        if column.shape[0] != row_count:
            raise LessonError(
                f'"{key}" should have one number per data row: "inputs" has '
                f"{row_count} row(s) but there are {column.shape[0]} target(s)"
            )
        return column
    if spec.kind == NUMBER:
        number = _number(value, key)
        too_low = spec.low is not None and number < spec.low
        too_high = spec.high is not None and number > spec.high
        if too_low or too_high:
            raise LessonError(f'"{key}" should be {spec.expected}, not {number!r}')
        return number
    if spec.kind == WHOLE:
        return _whole(value, key, spec.low, spec.high)
    if spec.kind == CHOICE:
        if not isinstance(value, str):
            raise LessonError(f'"{key}" should be {_choice_names(spec)}')
        return value
    raise AssertionError(f"a field of unknown kind {spec.kind!r}")


def _row_count(earlier: dict) -> int:
    """How many data rows the fields checked so far have (from the data rows' field)."""
    rows = next(spec.name for spec in PROBLEM_FIELDS if spec.kind == ROWS)
    return earlier[rows].shape[0]


# --- checks shared by the constructor and the reader ---------------------------------------------


def _text(value, name: str, limit: int) -> str:
    if not isinstance(value, str):
        raise LessonError(f'"{name}" should be text (a string), not {_kind(value)}')
    if len(value) > limit:
        raise LessonError(f'"{name}" is too long: {len(value):,} characters (at most {limit:,})')
    return value


def _float_array(value, name: str) -> np.ndarray:
    try:
        array = np.array(value, dtype=float)
    except OverflowError:
        raise LessonError(f'"{name}" holds a number too large for the app') from None
    except (TypeError, ValueError):
        raise LessonError(f'"{name}" should hold numbers only, in rows of equal length') from None
    if not np.all(np.isfinite(array)):
        raise LessonError(f'"{name}" must hold ordinary numbers (not NaN or infinity)')
    return array


def _check_data_size(rows: int, columns: int) -> None:
    if rows > MAX_ROWS:
        raise LessonError(f'"inputs" has {rows:,} rows: at most {MAX_ROWS:,} are supported')
    if columns > MAX_INPUTS:
        raise LessonError(
            f'"inputs" rows have {columns} numbers: at most {MAX_INPUTS} inputs are supported'
        )


def _number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise LessonError(f'"{name}" should be a number, not {_kind(value)}')
    try:
        number = float(value)
    except OverflowError:
        raise LessonError(f'"{name}" is too large a number') from None
    if not math.isfinite(number):
        raise LessonError(f'"{name}" should be an ordinary number (not NaN or infinity)')
    return number


def _whole(value, name: str, low: int, high: int) -> int:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise LessonError(
            f'"{name}" should be a whole number from {low} to {high:,}, not {_kind(value)}'
        )
    if not low <= value <= high:
        raise LessonError(f'"{name}" should be a whole number from {low} to {high:,}, not {value}')
    return int(value)


def _choice_names(spec: FieldSpec) -> str:
    return "one of " + ", ".join(f'"{name}"' for name in spec.choices)


def _engine_message(error: ProblemError) -> str:
    """The engine's rule, said about the lesson's field at fault."""
    message = str(error)
    spec = next((spec for spec in PROBLEM_FIELDS if spec.name == error.field), None)
    if spec is not None and spec.kind == CHOICE:
        return f'"{spec.lesson_key}" should be {_choice_names(spec)}'
    if error.field == "weights":
        return f'"weights" does not fit the network: {message[:1].lower()}{message[1:]}'
    return f"{message[:1].lower()}{message[1:]}"


def _check_history(value, weight_count: int) -> np.ndarray | None:
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        count = value.shape[0] if value.ndim else 0
    elif isinstance(value, list | tuple):
        count = len(value)
    else:
        raise LessonError(f'"history" should be null or a list of weight lists, not {_kind(value)}')
    if count > MAX_HISTORY:
        raise LessonError(
            f'"history" has {count:,} iterations: at most {MAX_HISTORY:,} are supported'
        )
    if count == 0:
        return None
    history = _float_array(value, "history")
    if history.ndim != 2 or history.shape[1] != weight_count:
        raise LessonError(
            f'"history" should hold one list of {weight_count} weight(s) per iteration '
            '(as many as "weights")'
        )
    return _read_only(history)


def _check_settings(value, weight_count: int) -> tuple[Mapping, list[str]]:
    """The known settings, checked (read-only), and a warning for each unknown one (dropped)."""
    if value is None:
        return MappingProxyType({}), []
    if not isinstance(value, Mapping):
        raise LessonError(f'"settings" should be an object (or absent), not {_kind(value)}')
    settings = {}
    ignored = []
    for key, item in value.items():
        if key not in SETTINGS:
            ignored.append(f'ignored the unknown setting "{key}"')
            continue
        if key == "selected_weight":
            settings[key] = _whole(item, "settings.selected_weight", 0, weight_count - 1)
        elif key == "speed_index":
            settings[key] = _whole(item, "settings.speed_index", 0, SPEED_COUNT - 1)
        elif key == "first_plot":
            if item not in FIRST_PLOTS:
                raise LessonError(
                    f'"settings.first_plot" should be {SETTINGS[key]}, not {_kind(item)}'
                )
            settings[key] = item
    return MappingProxyType(settings), ignored


def _kind(value) -> str:
    """What a JSON value is, for a message: 'text "abc"', 'a list', 'true', 'the number 2.5'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | np.integer | np.floating):
        return f"the number {value!r}" if not isinstance(value, np.generic) else f"{value}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"the text {json.dumps(shown, ensure_ascii=False)}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


# --- reading --------------------------------------------------------------------------------


def _no_constants(name: str):
    raise LessonError(
        f"the file contains {name}: every number must be an ordinary number "
        "(JSON has no NaN or Infinity)"
    )


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise LessonError(f"the number {text} is too large (at most about 1.8e308)")
    return value


def _unique_object(pairs: list) -> dict:
    result = {}
    for key, value in pairs:
        if key in result:
            raise LessonError(f'the field "{key}" appears twice in one object')
        result[key] = value
    return result


def _parse(text: str):
    if not text.strip():
        raise LessonError("not a lesson file: the file is empty")
    try:
        return json.loads(
            text,
            parse_constant=_no_constants,
            parse_float=_finite_float,
            object_pairs_hook=_unique_object,
        )
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise LessonError(
                f"not a lesson file: the JSON stops before its end ({where}); the file is cut short"
            ) from None
        raise LessonError(f"not a lesson file: the text is not JSON ({where})") from None
    except RecursionError:
        raise LessonError("not a lesson file: the JSON is nested too deeply") from None


def _required(document: dict, name: str, what: str):
    if name not in document:
        raise LessonError(f'the lesson has no "{name}" field ({what})')
    return document[name]


def _is_number(item) -> bool:
    kind = type(item)
    return kind is float or kind is int  # not bool, text, null, list or object


def _number_list(value, name: str) -> list:
    """A JSON list of numbers (not true/false, not text), as is."""
    if not isinstance(value, list):
        raise LessonError(f'"{name}" should be a list of numbers, not {_kind(value)}')
    if not all(map(_is_number, value)):
        position, item = next((i, v) for i, v in enumerate(value, 1) if not _is_number(v))
        raise LessonError(f'"{name}" should be a list of numbers: item {position} is {_kind(item)}')
    return value


def _rows(value, name: str, what: str, width: int | None, limit: int) -> list:
    """A JSON list of rows of numbers, all rows as long (``width`` when given)."""
    if not isinstance(value, list):
        raise LessonError(f'"{name}" should be {what}, not {_kind(value)}')
    if len(value) > limit:
        noun = "rows" if name == "inputs" else "iterations"
        raise LessonError(f'"{name}" has {len(value):,} {noun}: at most {limit:,} are supported')
    for position, row in enumerate(value, start=1):
        if not isinstance(row, list):
            raise LessonError(f'"{name}" should be {what}: item {position} is {_kind(row)}')
        if width is None:
            width = len(row)
            if name == "inputs":
                _check_data_size(len(value), width)
        if len(row) != width:
            should = (
                f'it should have {width}, one per weight in "weights"'
                if name == "history"
                else f"row 1 has {width}"
            )
            raise LessonError(f'"{name}" row {position} has {len(row)} number(s); {should}')
        if not all(map(_is_number, row)):
            column, item = next((i, v) for i, v in enumerate(row, 1) if not _is_number(v))
            raise LessonError(
                f'"{name}" row {position}, item {column} is {_kind(item)}: it should be a number'
            )
    return value


def from_json(text: str) -> Lesson:
    """The lesson in ``text`` (a .gdlesson file's content), checked; else :class:`LessonError`."""
    if len(text) > MAX_FILE_BYTES:
        raise LessonError(_too_big(len(text)))
    document = _parse(text.removeprefix("\ufeff"))
    if not isinstance(document, dict):
        raise LessonError(
            f"not a lesson file: the JSON is {_kind(document)}, not an object "
            f'with "format": "{FORMAT}"'
        )
    if "format" not in document:
        raise LessonError(f'not a lesson file: it has no "format": "{FORMAT}" field')
    if document["format"] != FORMAT:
        raise LessonError(
            f'not a lesson file: its "format" is {_kind(document["format"])}, not "{FORMAT}"'
        )
    version = _required(document, "version", f"a whole number: {VERSION} for this gd-desktop")
    if isinstance(version, bool) or not isinstance(version, int):
        raise LessonError(
            f'"version" should be a whole number ({VERSION} for this gd-desktop), '
            f"not {_kind(version)}"
        )
    if version > VERSION:
        raise LessonError(
            f"made by a newer gd-desktop (format version {version}; this one reads up to {VERSION})"
        )
    if version < 1:
        raise LessonError(f'"version" {version} does not exist: versions start at 1')

    warnings = [f'ignored the unknown field "{key}"' for key in document if key not in FIELDS]
    problem_values = {}
    weights = None
    for key in FIELDS:  # in the file's order, so the first field missing is the one named
        if key == "weights":
            weights = _number_list(
                _required(document, "weights", "the starting weights, a list of numbers"),
                "weights",
            )
        elif key in _PROBLEM_KEYS:
            spec = _PROBLEM_KEYS[key]
            problem_values[spec.name] = _read_field(spec, document)
    history = document.get("history")
    if history is not None:
        width = len(weights)
        history = _rows(history, "history", "null or a list of weight lists", width, MAX_HISTORY)
    return Lesson(
        title=document.get("title", ""),
        notes=document.get("notes", ""),
        weights=weights,
        history=history,
        settings=document.get("settings"),
        warnings=tuple(warnings),
        **problem_values,
    )


_PROBLEM_KEYS = {spec.lesson_key: spec for spec in PROBLEM_FIELDS}


def _read_field(spec: FieldSpec, document: dict):
    """A problem field as the file has it: required or defaulted, its lists' shapes checked."""
    key = spec.lesson_key
    if not spec.required:
        value = document.get(key, spec.default)
    else:
        value = _required(document, key, spec.expected)
    if spec.kind == ROWS:
        what = "a list of data rows, each a list of numbers"
        value = _rows(value, key, what, None, MAX_ROWS)
        if not value or not value[0]:
            raise LessonError(f'"{key}" should hold at least one data row with at least one number')
    elif spec.kind == PER_ROW:
        value = _number_list(value, key)
    return value


def _too_big(size: int) -> str:
    return (
        f"the file is too big for a lesson: {size / 1e6:,.0f} MB "
        f"(at most {MAX_FILE_BYTES / 1e6:,.0f} MB)"
    )


def load(path: str | os.PathLike) -> Lesson:
    """Read and check the lesson file at ``path``; any problem is a :class:`LessonError`.

    The size is checked before anything is read.
    """
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise LessonError(_too_big(size))
            data = stream.read(MAX_FILE_BYTES + 1)  # a pipe or device may not know its size
    except OSError as error:
        raise LessonError(f"cannot read the file: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise LessonError(_too_big(len(data)))
    if not data:
        raise LessonError("not a lesson file: the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LessonError(
            f"not a lesson file: it is not UTF-8 text (byte 0x{data[error.start]:02x} "
            f"on line {line})"
        ) from None
    return from_json(text)


# --- writing --------------------------------------------------------------------------------


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _matrix(rows: np.ndarray) -> str:
    """One row per line: readable, and compact for large data sets and long histories."""
    lines = ",\n    ".join(_dumps(row) for row in rows.tolist())
    return f"[\n    {lines}\n  ]"


def _plain(value):
    return value.tolist() if isinstance(value, np.ndarray) else value


def to_json(lesson: Lesson) -> str:
    """The lesson as pretty, strict JSON text (UTF-8 when saved), ending with a newline."""
    values = {
        "format": _dumps(FORMAT),
        "version": _dumps(VERSION),
        "title": _dumps(lesson.title),
        "notes": _dumps(lesson.notes),
        "weights": _dumps(lesson.weights.tolist()),
        "settings": json.dumps(dict(lesson.settings), ensure_ascii=False, indent=2).replace(
            "\n", "\n  "
        ),
        "history": "null" if lesson.history is None else _matrix(lesson.history),
    }
    for spec in PROBLEM_FIELDS:
        value = getattr(lesson.problem, spec.name)
        values[spec.lesson_key] = _matrix(value) if spec.kind == ROWS else _dumps(_plain(value))
    body = ",\n".join(f"  {_dumps(name)}: {values[name]}" for name in FIELDS)
    return "{\n" + body + "\n}\n"


def save(lesson: Lesson, path: str | os.PathLike) -> None:
    """Write ``lesson`` to ``path`` atomically: all of it or nothing.

    The text goes to a temporary file in the same folder, is flushed to disk, then replaces
    ``path`` in one step; on any failure the temporary file is removed and a previous file at
    ``path`` is left as it was. OSError is raised as is.
    """
    write_bytes_atomically(path, to_json(lesson).encode("utf-8"))


# --- the course's lessons -------------------------------------------------------------------


def lesson_from_preset(preset) -> Lesson:
    """A lesson with a preset's problem and weights; its text as the notes."""
    return Lesson(
        title=preset.name, notes=preset.says, weights=preset.weights, **preset.problem_values
    )


def shipped_lessons() -> list[Path]:
    """The lesson files shipped with gd-desktop, in the course's order (others after, by name).

    Found in ``resources/lessons`` wherever :func:`~gd_desktop.core.resources.resources_dir`
    finds the resources: a source checkout, a pip install or the PyInstaller bundle. Empty if
    missing.
    """
    from gd_desktop.core.resources import resources_dir

    try:
        folder = resources_dir() / "lessons"
    except FileNotFoundError:
        return []
    if not folder.is_dir():
        return []
    order = {f"{stem}{EXTENSION}": index for index, stem in enumerate(SHIPPED)}
    files = [path for path in folder.iterdir() if path.suffix == EXTENSION and path.is_file()]
    return sorted(files, key=lambda path: (order.get(path.name, len(order)), path.name))
