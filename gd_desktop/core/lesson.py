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
    OPTIMIZATION,
    PER_ROW,
    PROBLEM_FIELDS,
    ROWS,
    WHOLE,
    FieldSpec,
    ProblemError,
)
from gd_desktop.core.files import FileReadError, read_regular_file, write_bytes_atomically
from gd_desktop.core.i18n import SHIPPED as SHIPPED_LANGUAGES
from gd_desktop.core.i18n import _, after_colon, current_language, ngettext, translation_in
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
from gd_desktop.core.optimizers import OPTIMIZERS, SCHEDULE_SETTINGS
from gd_desktop.core.presets import PRESETS

FORMAT = "gd-desktop-lesson"
#: Version 2 added the optimizer, its settings and the schedule, and a run's rates and moves by
#: hand (docs/LESSON_FORMAT.md): a version-1 reader would have run such a lesson with plain steps.
VERSION = 2
EXTENSION = LESSON_EXTENSION
MIME_TYPE = LESSON_MIME_TYPE
MAX_FILE_BYTES = MAX_LESSON_BYTES
SPEED_COUNT = len(SPEEDS)
FIRST_PLOTS = ("error", "loss")

#: The view settings a lesson may carry, and what each must be (see :func:`_check_settings`).
SETTINGS = ("selected_weight", "speed_index", "first_plot")

#: The lessons shipped with gd-desktop, in the course's order: the ids of the presets they come
#: from (gd_desktop/core/presets.py), which are also their file names.
SHIPPED = tuple(preset.id for preset in PRESETS)

# Every field of version 1, in the order to_json writes them: the data and the network, the
# starting weights, then how the weights move (each problem field's ``part``).
FIELDS_1 = (
    "format",
    "version",
    "title",
    "notes",
    "translations",
    *(spec.lesson_key for spec in PROBLEM_FIELDS if spec.part == NETWORK),
    "weights",
    *(spec.lesson_key for spec in PROBLEM_FIELDS if spec.part == DESCENT),
    "settings",
    "history",
)
# Version 2 adds the optimizer's fields after the descent's, and with a run the problem's rate
# at each iteration and the iterations moved by hand: what replay needs to go on exactly.
FIELDS = (
    *FIELDS_1[: FIELDS_1.index("settings")],
    *(spec.lesson_key for spec in PROBLEM_FIELDS if spec.part == OPTIMIZATION),
    "settings",
    "history",
    "history_rates",
    "history_moved",
)
#: The fields each version knows: a key another version knows is still an unknown field here.
FIELDS_BY_VERSION = {1: FIELDS_1, 2: FIELDS}


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
    weights of each iteration of a run; with it, ``history_rates`` holds the problem's learning
    rate when each iteration was made (before the schedule; the lesson's rate when not given) and
    ``history_moved`` the iterations whose weights were moved by hand (in increasing order), so
    that a reopened run takes the optimizer up exactly where it was. ``settings`` holds the
    known view settings only (read-only); ``warnings`` says what was ignored when the lesson was
    read (unknown fields or settings), and is not saved. Arrays are read-only copies. Two
    lessons are equal when every saved field is.
    """

    title: str
    notes: str
    #: Language code → {"title": …, "notes": …}: the title and notes in other languages
    #: (docs/LESSON_FORMAT.md); either may be missing. Read-only.
    translations: Mapping[str, Mapping[str, str]]
    weights: np.ndarray
    problem: engine.Problem
    history: np.ndarray | None
    history_rates: np.ndarray | None
    history_moved: tuple[int, ...]
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
        translations: Mapping | None = None,
        history_rates=None,
        history_moved=(),
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
        set_(self, "translations", _check_translations(translations))
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
        history = _check_history(history, problem.weight_count)
        set_(self, "history", history)
        set_(self, "history_rates", _check_history_rates(history_rates, history, problem))
        set_(self, "history_moved", _check_history_moved(history_moved, history))
        settings, ignored = _check_settings(settings, problem.weight_count)
        set_(self, "settings", settings)
        set_(self, "warnings", tuple(dict.fromkeys((*warnings, *ignored))))

    def __getattr__(self, name: str):
        # Only reached for names that are not attributes: the problem's fields.
        problem = self.__dict__.get("problem")
        if problem is None or name not in _PROBLEM_NAMES:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(problem, name)

    def shown_title(self, code: str | None = None) -> str:
        """The title in the language in use (or ``code``) when the lesson has it, else its own."""
        return self._shown("title", self.title, code)

    def shown_notes(self, code: str | None = None) -> str:
        """The notes in the language in use (or ``code``) when the lesson has them."""
        return self._shown("notes", self.notes, code)

    def _shown(self, key: str, own: str, code: str | None) -> str:
        code = current_language() if code is None else code
        for candidate in (code, code.split("_")[0]):
            text = self.translations.get(candidate, {}).get(key)
            if text:
                return text
        return own

    def run(self, steps: int) -> engine.Trace:
        """Run ``steps`` steps headless from the starting weights (as ``gd-desktop trace``)."""
        return engine.run(self.problem, self.weights, steps)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lesson):
            return NotImplemented
        if (self.title, self.notes) != (other.title, other.notes):
            return False
        if _plain_translations(self.translations) != _plain_translations(other.translations):
            return False
        if dict(self.settings) != dict(other.settings):
            return False
        if (self.history is None) != (other.history is None):
            return False
        if self.history_moved != other.history_moved:
            return False
        if self.history is not None and not _same(self.history_rates, other.history_rates):
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
                _(
                    '"{key}" should be a list of data rows, each a list of at least one number'
                ).format(key=key)
            )
        _check_data_size(rows.shape[0], rows.shape[1])
        return rows
    if spec.kind == PER_ROW:
        column = _float_array(value, key).reshape(-1)
        row_count = _row_count(earlier)
        if column.shape[0] != row_count:
            raise LessonError(
                ngettext(
                    '"{key}" should have one number per data row: "inputs" has {rows} row, '
                    '"{key}" has {count}',
                    '"{key}" should have one number per data row: "inputs" has {rows} rows, '
                    '"{key}" has {count}',
                    row_count,
                ).format(key=key, rows=row_count, count=column.shape[0])
            )
        return column
    if spec.kind == NUMBER:
        number = _number(value, key)
        too_low = spec.low is not None and (
            number < spec.low or (spec.low_open and number == spec.low)
        )
        too_high = spec.high is not None and (
            number > spec.high or (spec.high_open and number == spec.high)
        )
        if too_low or too_high:
            raise LessonError(
                _('"{key}" should be {expected}, not {value}').format(
                    key=key, expected=spec.expectation(), value=repr(number)
                )
            )
        return number
    if spec.kind == WHOLE:
        return _whole(value, key, spec.low, spec.high)
    if spec.kind == CHOICE:
        if not isinstance(value, str):
            raise LessonError(_choice_message(spec))
        return value
    raise AssertionError(f"a field of unknown kind {spec.kind!r}")


def _row_count(earlier: dict) -> int:
    """How many data rows the fields checked so far have (from the data rows' field)."""
    rows = next(spec.name for spec in PROBLEM_FIELDS if spec.kind == ROWS)
    return earlier[rows].shape[0]


# --- checks shared by the constructor and the reader ---------------------------------------------


def _text(value, name: str, limit: int) -> str:
    if not isinstance(value, str):
        raise LessonError(
            _('"{name}" should be text (a string), not {kind}').format(name=name, kind=_kind(value))
        )
    if len(value) > limit:
        raise LessonError(
            _('"{name}" is too long: {count:,} characters (at most {limit:,})').format(
                name=name, count=len(value), limit=limit
            )
        )
    # A lone surrogate (JSON allows "\\ud800") cannot be saved as UTF-8: it becomes U+FFFD, so a
    # lesson that opens can always be saved again.
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


MAX_TRANSLATIONS = 100  # languages in one lesson
TRANSLATED_KEYS = {"title": MAX_TITLE, "notes": MAX_NOTES}


def _check_translations(value) -> Mapping[str, Mapping[str, str]]:
    """Language code → {"title", "notes"}, each checked as the lesson's own; read-only."""
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise LessonError(
            _('"translations" should be an object (or absent), not {kind}').format(
                kind=_kind(value)
            )
        )
    if len(value) > MAX_TRANSLATIONS:
        raise LessonError(
            _('"translations" has {count:,} languages: at most {limit} are supported').format(
                count=len(value), limit=MAX_TRANSLATIONS
            )
        )
    checked = {}
    for code, texts in value.items():
        where = f"translations.{code}"
        if not isinstance(code, str) or not 2 <= len(code) <= 20:
            raise LessonError(
                _(
                    '"translations" has the language code {code}: a code is like "de" or "pt_BR"'
                ).format(code=_kind(code))
            )
        if not isinstance(texts, Mapping):
            raise LessonError(
                _('"{name}" should be an object with "title" and "notes", not {kind}').format(
                    name=where, kind=_kind(texts)
                )
            )
        unknown = sorted(set(texts) - set(TRANSLATED_KEYS))
        if unknown:
            raise LessonError(
                _('"{name}" may hold only "title" and "notes", not "{key}"').format(
                    name=where, key=unknown[0]
                )
            )
        checked[code] = MappingProxyType(
            {
                key: _text(texts[key], f"{where}.{key}", limit)
                for key, limit in TRANSLATED_KEYS.items()
                if key in texts
            }
        )
    return MappingProxyType(checked)


def _plain_translations(translations: Mapping) -> dict:
    return {code: dict(texts) for code, texts in translations.items()}


def _float_array(value, name: str) -> np.ndarray:
    try:
        array = np.array(value, dtype=float)
    except OverflowError:
        raise LessonError(
            _('"{name}" holds a number too large for the app').format(name=name)
        ) from None
    except (TypeError, ValueError):
        raise LessonError(
            _('"{name}" should hold numbers only, in rows of equal length').format(name=name)
        ) from None
    if not np.all(np.isfinite(array)):
        raise LessonError(
            _('"{name}" must hold ordinary numbers (not NaN or infinity)').format(name=name)
        )
    return array


def _check_data_size(rows: int, columns: int) -> None:
    if rows > MAX_ROWS:
        raise LessonError(
            _('"inputs" has {count:,} rows: at most {limit:,} are supported').format(
                count=rows, limit=MAX_ROWS
            )
        )
    if columns > MAX_INPUTS:
        raise LessonError(
            _('"inputs" rows have {count} numbers: at most {limit} inputs are supported').format(
                count=columns, limit=MAX_INPUTS
            )
        )


def _number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise LessonError(
            _('"{name}" should be a number, not {kind}').format(name=name, kind=_kind(value))
        )
    try:
        number = float(value)
    except OverflowError:
        raise LessonError(_('"{name}" is too large a number').format(name=name)) from None
    if not math.isfinite(number):
        raise LessonError(
            _('"{name}" should be an ordinary number (not NaN or infinity)').format(name=name)
        )
    return number


def _whole(value, name: str, low: int, high: int) -> int:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        shown = _kind(value)
    elif not low <= value <= high:
        shown = str(value)
    else:
        return int(value)
    raise LessonError(
        _('"{name}" should be a whole number from {low} to {high:,}, not {value}').format(
            name=name, low=low, high=high, value=shown
        )
    )


def _choice_message(spec: FieldSpec) -> str:
    """The field's choices, each as the file writes it: '"activation" should be one of …'."""
    names = ", ".join(f'"{name}"' for name in spec.choices)
    return _('"{key}" should be one of {choices}').format(key=spec.lesson_key, choices=names)


def _engine_message(error: ProblemError) -> str:
    """The engine's rule, said about the lesson's field at fault."""
    message = str(error)
    spec = next((spec for spec in PROBLEM_FIELDS if spec.name == error.field), None)
    if spec is not None and spec.kind == CHOICE:
        return _choice_message(spec)
    if error.field == "weights":
        return _('"weights" does not fit the network: {reason}').format(reason=after_colon(message))
    return after_colon(message)


def _check_history(value, weight_count: int) -> np.ndarray | None:
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        count = value.shape[0] if value.ndim else 0
    elif isinstance(value, list | tuple):
        count = len(value)
    else:
        raise LessonError(
            _('"history" should be null or a list of weight lists, not {kind}').format(
                kind=_kind(value)
            )
        )
    if count > MAX_HISTORY:
        raise LessonError(
            _('"history" has {count:,} iterations: at most {limit:,} are supported').format(
                count=count, limit=MAX_HISTORY
            )
        )
    if count == 0:
        return None
    history = _float_array(value, "history")
    if history.ndim != 2 or history.shape[1] != weight_count:
        raise LessonError(
            ngettext(
                '"history" should hold one list of {count} weight per iteration '
                '(as many as "weights")',
                '"history" should hold one list of {count} weights per iteration '
                '(as many as "weights")',
                weight_count,
            ).format(count=weight_count)
        )
    return _read_only(history)


def _check_history_rates(value, history: np.ndarray | None, problem: engine.Problem):
    """One learning rate per iteration of the run (the lesson's own when not given); without a
    run there are none."""
    if history is None:
        return None
    if value is None:
        return _read_only(np.full(history.shape[0], problem.learning_rate))
    rates = _float_array(value, "history_rates")
    if rates.ndim != 1 or rates.shape[0] != history.shape[0]:
        raise LessonError(
            ngettext(
                '"history_rates" should have one number per iteration of "history": it has '
                "{rows} iteration",
                '"history_rates" should have one number per iteration of "history": it has '
                "{rows} iterations",
                history.shape[0],
            ).format(rows=history.shape[0])
        )
    if (rates < 0).any():
        raise LessonError(
            _('"history_rates" should hold learning rates of 0 or more, not {value}').format(
                value=repr(float(rates[rates < 0][0]))
            )
        )
    return _read_only(rates.copy())


def _check_history_moved(value, history: np.ndarray | None) -> tuple[int, ...]:
    """The iterations moved by hand: whole numbers from 1 to the last, in increasing order."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple | np.ndarray):
        raise LessonError(
            _('"history_moved" should be a list of iteration numbers, not {kind}').format(
                kind=_kind(value)
            )
        )
    if history is None:  # without a run, nothing was moved in it
        return ()
    last = history.shape[0] - 1
    moved = []
    for item in value:
        number = _whole(item, "history_moved", 1, max(last, 1))
        if number > last or (moved and number <= moved[-1]):
            raise LessonError(
                _(
                    '"history_moved" should list iterations from 1 to {last} in increasing '
                    "order, not {value}"
                ).format(last=last, value=number)
            )
        moved.append(number)
    return tuple(moved)


def _check_settings(value, weight_count: int) -> tuple[Mapping, list[str]]:
    """The known settings, checked (read-only), and a warning for each unknown one (dropped)."""
    if value is None:
        return MappingProxyType({}), []
    if not isinstance(value, Mapping):
        raise LessonError(
            _('"settings" should be an object (or absent), not {kind}').format(kind=_kind(value))
        )
    settings = {}
    ignored = []
    for key, item in value.items():
        if key not in SETTINGS:
            ignored.append(_('ignored the unknown setting "{key}"').format(key=key))
            continue
        if key == "selected_weight":
            settings[key] = _whole(item, "settings.selected_weight", 0, weight_count - 1)
        elif key == "speed_index":
            settings[key] = _whole(item, "settings.speed_index", 0, SPEED_COUNT - 1)
        elif key == "first_plot":
            if item not in FIRST_PLOTS:
                raise LessonError(
                    _(
                        '"settings.first_plot" should be either "error" or "loss", not {kind}'
                    ).format(kind=_kind(item))
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
        if isinstance(value, np.generic):
            return f"{value}"
        return _("the number {value}").format(value=repr(value))
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return _("the text {text}").format(text=json.dumps(shown, ensure_ascii=False))
    if isinstance(value, Mapping):
        return _("an object")
    if isinstance(value, list | tuple):
        return _("a list")
    return type(value).__name__


# --- reading --------------------------------------------------------------------------------


def _no_constants(name: str):
    raise LessonError(
        _(
            "the file contains {name}: every number must be an ordinary number "
            "(JSON has no NaN or Infinity)"
        ).format(name=name)
    )


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise LessonError(
            _("the number {text} is too large (at most about {limit})").format(
                text=text, limit="1.8e308"
            )
        )
    return value


MAX_INTEGER_DIGITS = 4_000  # Python itself refuses int() of a string of over 4,300 digits


def _whole_number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise LessonError(
            _(
                "a whole number in the file has {count:,} digits "
                "(at most {limit} are supported): {start}…"
            ).format(count=len(text.lstrip("-")), limit=MAX_INTEGER_DIGITS, start=text[:20])
        )
    return int(text)


def _unique_object(pairs: list) -> dict:
    result = {}
    for key, value in pairs:
        if key in result:
            raise LessonError(_('the field "{key}" appears twice in one object').format(key=key))
        result[key] = value
    return result


def _parse(text: str):
    if not text.strip():
        raise LessonError(_("not a lesson file: the file is empty"))
    try:
        return json.loads(
            text,
            parse_constant=_no_constants,
            parse_float=_finite_float,
            parse_int=_whole_number,
            object_pairs_hook=_unique_object,
        )
    except json.JSONDecodeError as error:
        where = {"line": error.lineno, "column": error.colno}
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise LessonError(
                _(
                    "not a lesson file: the JSON stops before its end (line {line}, column "
                    "{column}); the file is cut short"
                ).format(**where)
            ) from None
        raise LessonError(
            _("not a lesson file: the text is not JSON (line {line}, column {column})").format(
                **where
            )
        ) from None
    except RecursionError:
        raise LessonError(_("not a lesson file: the JSON is nested too deeply")) from None


def _required(document: dict, name: str, what: str):
    if name not in document:
        raise LessonError(
            _('the lesson has no "{name}" field ({what})').format(name=name, what=what)
        )
    return document[name]


def _is_number(item) -> bool:
    kind = type(item)
    return kind is float or kind is int  # not bool, text, null, list or object


def _number_list(value, name: str) -> list:
    """A JSON list of numbers (not true/false, not text), as is."""
    if not isinstance(value, list):
        raise LessonError(
            _('"{name}" should be a list of numbers, not {kind}').format(
                name=name, kind=_kind(value)
            )
        )
    if not all(map(_is_number, value)):
        position, item = next((i, v) for i, v in enumerate(value, 1) if not _is_number(v))
        raise LessonError(
            _('"{name}" should be a list of numbers: item {position} is {kind}').format(
                name=name, position=position, kind=_kind(item)
            )
        )
    return value


def _rows(value, name: str, what: str, width: int | None, limit: int) -> list:
    """A JSON list of rows of numbers, all rows as long (``width`` when given)."""
    if not isinstance(value, list):
        raise LessonError(
            _('"{name}" should be {what}, not {kind}').format(
                name=name, what=what, kind=_kind(value)
            )
        )
    if len(value) > limit:
        if name == "inputs":
            too_many = _('"{name}" has {count:,} rows: at most {limit:,} are supported')
        else:
            too_many = _('"{name}" has {count:,} iterations: at most {limit:,} are supported')
        raise LessonError(too_many.format(name=name, count=len(value), limit=limit))
    for position, row in enumerate(value, start=1):
        if not isinstance(row, list):
            raise LessonError(
                _('"{name}" should be {what}: item {position} is {kind}').format(
                    name=name, what=what, position=position, kind=_kind(row)
                )
            )
        if width is None:
            width = len(row)
            if name == "inputs":
                _check_data_size(len(value), width)
        if len(row) != width:
            if name == "history":
                wrong = ngettext(
                    '"{name}" row {position} has {count} number; it should have {width}, '
                    'one per weight in "weights"',
                    '"{name}" row {position} has {count} numbers; it should have {width}, '
                    'one per weight in "weights"',
                    len(row),
                )
            else:
                wrong = ngettext(
                    '"{name}" row {position} has {count} number; row 1 has {width}',
                    '"{name}" row {position} has {count} numbers; row 1 has {width}',
                    len(row),
                )
            raise LessonError(
                wrong.format(name=name, position=position, count=len(row), width=width)
            )
        if not all(map(_is_number, row)):
            column, item = next((i, v) for i, v in enumerate(row, 1) if not _is_number(v))
            raise LessonError(
                _('"{name}" row {position}, item {column} is {kind}: it should be a number').format(
                    name=name, position=position, column=column, kind=_kind(item)
                )
            )
    return value


def from_json(text: str) -> Lesson:
    """The lesson in ``text`` (a .gdlesson file's content), checked; else :class:`LessonError`."""
    if len(text) > MAX_FILE_BYTES:
        raise LessonError(_too_big(len(text)))
    document = _parse(text.removeprefix("\ufeff"))
    if not isinstance(document, dict):
        raise LessonError(
            _(
                'not a lesson file: the JSON is {kind}, not an object with "format": "{format}"'
            ).format(kind=_kind(document), format=FORMAT)
        )
    if "format" not in document:
        raise LessonError(
            _('not a lesson file: it has no "format": "{format}" field').format(format=FORMAT)
        )
    if document["format"] != FORMAT:
        raise LessonError(
            _('not a lesson file: its "format" is {kind}, not "{format}"').format(
                kind=_kind(document["format"]), format=FORMAT
            )
        )
    version = _required(
        document,
        "version",
        _("a whole number: {version} for this gd-desktop").format(version=VERSION),
    )
    if isinstance(version, bool) or not isinstance(version, int):
        raise LessonError(
            _(
                '"version" should be a whole number ({version} for this gd-desktop), not {kind}'
            ).format(version=VERSION, kind=_kind(version))
        )
    if version > VERSION:
        raise LessonError(
            _(
                "made by a newer gd-desktop (format version {version}; this one reads up to "
                "{newest})"
            ).format(version=version, newest=VERSION)
        )
    if version < 1:
        raise LessonError(
            _('"version" {version} does not exist: versions start at 1').format(version=version)
        )

    known = FIELDS_BY_VERSION[version]  # an older version's document gets the defaults
    warnings = [
        _('ignored the unknown field "{key}"').format(key=key)
        for key in document
        if key not in known
    ]
    problem_values = {}
    weights = None
    for key in known:  # in the file's order, so the first field missing is the one named
        if key == "weights":
            weights = _number_list(
                _required(document, "weights", _("the starting weights, a list of numbers")),
                "weights",
            )
        elif key in _PROBLEM_KEYS:
            spec = _PROBLEM_KEYS[key]
            problem_values[spec.name] = _read_field(spec, document)
    history = document.get("history")
    if history is not None:
        width = len(weights)
        what = _("null or a list of weight lists")
        history = _rows(history, "history", what, width, MAX_HISTORY)
    rates = document.get("history_rates") if "history_rates" in known else None
    if rates is not None:
        rates = _number_list(rates, "history_rates")
    moved = document.get("history_moved") if "history_moved" in known else None
    return Lesson(
        title=document.get("title", ""),
        notes=document.get("notes", ""),
        weights=weights,
        history=history,
        settings=document.get("settings"),
        warnings=tuple(warnings),
        translations=document.get("translations"),
        history_rates=rates,
        history_moved=moved,
        **problem_values,
    )


_PROBLEM_KEYS = {spec.lesson_key: spec for spec in PROBLEM_FIELDS}


def _read_field(spec: FieldSpec, document: dict):
    """A problem field as the file has it: required or defaulted, its lists' shapes checked."""
    key = spec.lesson_key
    if not spec.required:
        value = document.get(key, spec.default)
    else:
        value = _required(document, key, spec.expectation())
    if spec.kind == ROWS:
        what = _("a list of data rows, each a list of numbers")
        value = _rows(value, key, what, None, MAX_ROWS)
        if not value or not value[0]:
            raise LessonError(
                _('"{key}" should hold at least one data row with at least one number').format(
                    key=key
                )
            )
    elif spec.kind == PER_ROW:
        value = _number_list(value, key)
    return value


def _too_big(size: int) -> str:
    return _("the file is too big for a lesson: {size:,.0f} MB (at most {limit:,.0f} MB)").format(
        size=size / 1e6, limit=MAX_FILE_BYTES / 1e6
    )


def load(path: str | os.PathLike) -> Lesson:
    """Read and check the lesson file at ``path``; any problem is a :class:`LessonError`.

    The size is checked before anything is read.
    """
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileReadError as error:
        if error.reason == "too_big":
            raise LessonError(_too_big(error.size)) from None
        raise LessonError(_("cannot read the file: {reason}").format(reason=error)) from None
    except OSError as error:
        raise LessonError(
            _("cannot read the file: {reason}").format(reason=error.strerror or error)
        ) from None
    if not data:
        raise LessonError(_("not a lesson file: the file is empty"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LessonError(
            _("not a lesson file: it is not UTF-8 text (byte {byte} on line {line})").format(
                byte=f"0x{data[error.start]:02x}", line=line
            )
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
        "translations": json.dumps(
            _plain_translations(lesson.translations), ensure_ascii=False, indent=2
        ).replace("\n", "\n  "),
        "weights": _dumps(lesson.weights.tolist()),
        "settings": json.dumps(dict(lesson.settings), ensure_ascii=False, indent=2).replace(
            "\n", "\n  "
        ),
        "history": "null" if lesson.history is None else _matrix(lesson.history),
    }
    if lesson.history is not None:
        values["history_rates"] = _dumps(lesson.history_rates.tolist())
        values["history_moved"] = _dumps(list(lesson.history_moved))
    for spec in PROBLEM_FIELDS:
        value = getattr(lesson.problem, spec.name)
        values[spec.lesson_key] = _matrix(value) if spec.kind == ROWS else _dumps(_plain(value))
    skipped = _unused_optimization_keys(lesson.problem)
    if not lesson.translations:  # a lesson without translations stays as version 1 wrote it
        skipped.add("translations")
    written = [name for name in FIELDS if name in values and name not in skipped]
    body = ",\n".join(f"  {_dumps(name)}: {values[name]}" for name in written)
    return "{\n" + body + "\n}\n"


def _unused_optimization_keys(problem: engine.Problem) -> set[str]:
    """The optimizer's settings a lesson need not write: neither its optimizer nor its schedule
    reads them, and they are at their defaults (so nothing is lost by leaving them out)."""
    used = {*OPTIMIZERS[problem.optimizer].settings, *SCHEDULE_SETTINGS[problem.schedule]}
    return {
        spec.lesson_key
        for spec in PROBLEM_FIELDS
        if spec.part == OPTIMIZATION
        and spec.kind != CHOICE
        and spec.name not in used
        and getattr(problem, spec.name) == spec.default
    }


def save(lesson: Lesson, path: str | os.PathLike) -> None:
    """Write ``lesson`` to ``path`` atomically: all of it or nothing.

    The text goes to a temporary file in the same folder, is flushed to disk, then replaces
    ``path`` in one step; on any failure the temporary file is removed and a previous file at
    ``path`` is left as it was. The file is read back and must equal ``lesson``. A failure is a
    :class:`files.FileWriteError` whose text is the sentence to show.
    """
    expected = lesson

    def parses_back(data: bytes) -> None:
        if from_json(data.decode("utf-8")) != expected:
            raise LessonError(_("the lesson read back differs from the one saved"))

    write_bytes_atomically(path, to_json(lesson).encode("utf-8"), parses_back)


# --- the course's lessons -------------------------------------------------------------------


def lesson_from_preset(preset) -> Lesson:
    """A lesson with a preset's problem and weights; its text as the notes, in English and in
    every shipped language that translates it (from the catalogs)."""
    translations = {}
    for code in SHIPPED_LANGUAGES:
        texts = {
            key: translation_in(code, english) or preset.own_translation(code, key)
            for key, english in (("title", preset.english_name), ("notes", preset.english_says))
        }
        texts = {key: text for key, text in texts.items() if text is not None}
        if texts:
            translations[code] = texts
    return Lesson(
        title=preset.english_name,
        notes=preset.english_says,
        weights=preset.weights,
        translations=translations,
        **preset.problem_values,
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
