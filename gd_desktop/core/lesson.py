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
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np

from gd_desktop.core import engine
from gd_desktop.core.engine import ProblemError
from gd_desktop.core.files import write_bytes_atomically
from gd_desktop.core.limits import (
    LESSON_EXTENSION,
    LESSON_MIME_TYPE,
    MAX_HIDDEN,
    MAX_HISTORY,
    MAX_INPUTS,
    MAX_LESSON_BYTES,
    MAX_NOTES,
    MAX_ROWS,
    MAX_SEED,
    MAX_TITLE,
    SPEEDS,
)

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

#: The lessons shipped with gd-desktop: the preset each comes from (by its name in
#: gd_desktop/presets.py) and its file name, in the course's order.
SHIPPED = (
    ("Slide: one weight (2 → 2.24)", "slide-one-weight"),
    ("Slide: two inputs", "slide-two-inputs"),
    ("Too big a learning rate", "too-big-learning-rate"),
    ("Too small a learning rate", "too-small-learning-rate"),
    ("Oscillates", "oscillates"),
    ("Just right", "just-right"),
    ("|x|: one linear node cannot fit it", "linear-cannot-fit-abs"),
    ("|x|: a ReLU hidden layer fits it", "relu-fits-abs"),
)

# Every field of version 1, in the order to_json writes them.
FIELDS = (
    "format",
    "version",
    "title",
    "notes",
    "inputs",
    "targets",
    "hidden_count",
    "activation",
    "weights",
    "learning_rate",
    "batch_size",
    "seed",
    "settings",
    "history",
)


class LessonError(ValueError):
    """A lesson that cannot be read or made; the message names the problem in plain words."""


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Lesson:
    """One lesson, checked when made: every Lesson is one the engine can run.

    ``inputs`` is rows × inputs, ``targets`` one per row, ``weights`` the flat starting vector
    (output weights first, then the hidden weights node by node, as in the engine). ``history``
    is None or an iterations × weights array: the flat weights of each iteration of a run.
    ``settings`` holds the known view settings only (read-only); ``warnings`` says what was
    ignored when the lesson was read (unknown fields or settings), and is not saved.
    Arrays are read-only copies. Two lessons are equal when every saved field is.
    """

    title: str
    notes: str
    inputs: np.ndarray
    targets: np.ndarray
    weights: np.ndarray
    learning_rate: float
    hidden_count: int = 0
    activation: str = "identity"
    batch_size: int = 0
    seed: int = 0
    history: np.ndarray | None = None
    settings: Mapping = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    _problem: engine.Problem = field(init=False, repr=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "title", _text(self.title, "title", MAX_TITLE))
        set_(self, "notes", _text(self.notes, "notes", MAX_NOTES))
        inputs = _float_array(self.inputs, "inputs")
        if inputs.ndim == 1:
            inputs = inputs.reshape(1, -1)
        if inputs.ndim != 2 or inputs.shape[0] == 0 or inputs.shape[1] == 0:
            raise LessonError(
                '"inputs" should be a list of data rows, each a list of at least one number'
            )
        _check_data_size(inputs.shape[0], inputs.shape[1])
        targets = _float_array(self.targets, "targets").reshape(-1)
        if targets.shape[0] != inputs.shape[0]:
            raise LessonError(
                f'"targets" should have one number per data row: "inputs" has '
                f"{inputs.shape[0]} row(s) but there are {targets.shape[0]} target(s)"
            )
        rate = _number(self.learning_rate, "learning_rate")
        if rate < 0:
            raise LessonError(f'"learning_rate" should be a number of 0 or more, not {rate!r}')
        hidden = _whole(self.hidden_count, "hidden_count", 0, MAX_HIDDEN)
        if not isinstance(self.activation, str):
            raise LessonError(f'"activation" should be {_activation_names()}')
        batch = _whole(self.batch_size, "batch_size", 0, MAX_ROWS)
        seed = _whole(self.seed, "seed", 0, MAX_SEED)
        try:
            problem = engine.Problem.create(
                inputs, targets, rate, hidden, self.activation, batch, seed
            )
            weights = problem.check_weights(_float_array(self.weights, "weights"))
        except ProblemError as error:
            raise LessonError(_engine_message(error)) from None
        set_(self, "_problem", problem)
        set_(self, "inputs", problem.inputs)
        set_(self, "targets", problem.targets)
        set_(self, "weights", _read_only(weights))
        set_(self, "learning_rate", problem.learning_rate)
        set_(self, "hidden_count", problem.hidden_count)
        set_(self, "activation", problem.activation)
        set_(self, "batch_size", problem.batch_size)
        set_(self, "seed", problem.seed)
        set_(self, "history", _check_history(self.history, problem.weight_count))
        settings, ignored = _check_settings(self.settings, problem.weight_count)
        set_(self, "settings", settings)
        set_(self, "warnings", tuple(dict.fromkeys((*self.warnings, *ignored))))

    @property
    def problem(self) -> engine.Problem:
        """The engine's problem: the data, network, rate and batch settings."""
        return self._problem

    def run(self, steps: int) -> engine.Trace:
        """Run ``steps`` steps headless from the starting weights (as ``gd-desktop trace``)."""
        return engine.run(self._problem, self.weights, steps)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lesson):
            return NotImplemented
        scalars = ("title", "notes", "learning_rate", "hidden_count", "activation")
        scalars += ("batch_size", "seed")
        if any(getattr(self, name) != getattr(other, name) for name in scalars):
            return False
        if dict(self.settings) != dict(other.settings):
            return False
        if (self.history is None) != (other.history is None):
            return False
        arrays = ("inputs", "targets", "weights") + (
            ("history",) if self.history is not None else ()
        )
        return all(np.array_equal(getattr(self, name), getattr(other, name)) for name in arrays)

    __hash__ = None  # mutable-looking arrays inside: not hashable


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


def _activation_names() -> str:
    return "one of " + ", ".join(f'"{name}"' for name in engine.ACTIVATIONS)


def _engine_message(error: ProblemError) -> str:
    """The engine's rule, said about the lesson's fields."""
    message = str(error)
    if message.startswith("Unknown activation"):
        return f'"activation" should be {_activation_names()}'
    if message.startswith("Give") and "weight" in message:
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
    inputs = _rows(
        _required(document, "inputs", "the data rows, each a list of numbers"),
        "inputs",
        "a list of data rows, each a list of numbers",
        None,
        MAX_ROWS,
    )
    if not inputs or not inputs[0]:
        raise LessonError('"inputs" should hold at least one data row with at least one number')
    targets = _number_list(
        _required(document, "targets", "a list of numbers, one per data row"), "targets"
    )
    weights = _number_list(
        _required(document, "weights", "the starting weights, a list of numbers"), "weights"
    )
    rate = _required(document, "learning_rate", "a number of 0 or more")
    settings = document.get("settings")
    history = document.get("history")
    if history is not None:
        width = len(weights)
        history = _rows(history, "history", "null or a list of weight lists", width, MAX_HISTORY)
    return Lesson(
        title=document.get("title", ""),
        notes=document.get("notes", ""),
        inputs=inputs,
        targets=targets,
        weights=weights,
        learning_rate=rate,
        hidden_count=document.get("hidden_count", 0),
        activation=document.get("activation", "identity"),
        batch_size=document.get("batch_size", 0),
        seed=document.get("seed", 0),
        history=history,
        settings=settings,
        warnings=tuple(warnings),
    )


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


def to_json(lesson: Lesson) -> str:
    """The lesson as pretty, strict JSON text (UTF-8 when saved), ending with a newline."""
    values = {
        "format": _dumps(FORMAT),
        "version": _dumps(VERSION),
        "title": _dumps(lesson.title),
        "notes": _dumps(lesson.notes),
        "inputs": _matrix(lesson.inputs),
        "targets": _dumps(lesson.targets.tolist()),
        "hidden_count": _dumps(lesson.hidden_count),
        "activation": _dumps(lesson.activation),
        "weights": _dumps(lesson.weights.tolist()),
        "learning_rate": _dumps(lesson.learning_rate),
        "batch_size": _dumps(lesson.batch_size),
        "seed": _dumps(lesson.seed),
        "settings": json.dumps(dict(lesson.settings), ensure_ascii=False, indent=2).replace(
            "\n", "\n  "
        ),
        "history": "null" if lesson.history is None else _matrix(lesson.history),
    }
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
    """A lesson with a preset's data, network, weights and rate; its text as the notes."""
    return Lesson(
        title=preset.name,
        notes=preset.says,
        inputs=preset.inputs,
        targets=preset.targets,
        weights=preset.weights,
        learning_rate=preset.learning_rate,
        hidden_count=preset.hidden_count,
        activation=preset.activation,
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
    order = {f"{stem}{EXTENSION}": index for index, (_name, stem) in enumerate(SHIPPED)}
    files = [path for path in folder.iterdir() if path.suffix == EXTENSION and path.is_file()]
    return sorted(files, key=lambda path: (order.get(path.name, len(order)), path.name))
