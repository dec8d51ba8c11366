"""Lesson files (.gdlesson): round trips, atomic saving, every bad file named in plain words,
`gd-desktop trace --lesson`, and the course's lessons shipped with the app."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shlex
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_desktop.core import engine, lesson
from gd_desktop.core.lesson import Lesson, LessonError
from gd_desktop.core.presets import PRESETS
from tests.conftest import trace, trace_json

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import make_lessons  # noqa: E402

# Three rows, two inputs, two ReLU hidden nodes, mini-batches of 2: every field in use.
RICH = Lesson(
    title="Três linhas — ReLU",
    notes="Line one\nline two: “quotes” and \\ backslashes",
    inputs=[[1.0, 2.0], [3.0, -1.0], [0.5, 4.0]],
    targets=[1.0, 2.0, 3.0],
    weights=[0.5, -0.25, 0.1, 0.2, 0.3, -0.4],
    learning_rate=0.05,
    hidden_count=2,
    activation="relu",
    batch_size=2,
    seed=7,
    history=[[0.5, -0.25, 0.1, 0.2, 0.3, -0.4], [0.1 + 0.2, 1e-300, 5e-324, -0.0, 1.5e308, 2.0]],
    settings={"selected_weight": 3, "speed_index": 4, "first_plot": "loss"},
)
RICH_ARGS = shlex.split(
    "--weights 0.5 -0.25 --hidden 0.1,0.2 --hidden 0.3,-0.4 --activation relu"
    " --inputs 1 2 --inputs 3 -1 --inputs 0.5 4 --target 1 2 3"
    " --learning-rate 0.05 --batch-size 2 --seed 7"
)


def good_document() -> dict:
    """A valid lesson as parsed JSON: one row, two inputs (the slides' second example)."""
    return {
        "format": "gd-desktop-lesson",
        "version": 1,
        "title": "Slide: two inputs",
        "notes": "",
        "inputs": [[3.0, 4.0]],
        "targets": [6.0],
        "hidden_count": 0,
        "activation": "identity",
        "weights": [1.0, 2.0],
        "learning_rate": 0.01,
        "batch_size": 0,
        "seed": 0,
        "settings": {},
        "history": None,
    }


def write(path: Path, document) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def assert_one_error_line(status: int, out: str, err: str) -> str:
    """Exit 2, nothing on stdout, exactly one stderr line, no traceback; returns the line."""
    assert status == 2
    assert out == ""
    assert err.endswith("\n") and len(err.splitlines()) == 1, err
    assert err.startswith("gd-desktop trace: error: ")
    assert "Traceback" not in err
    return err.strip()


# --- round trip -----------------------------------------------------------------------------


def test_save_then_load_gives_the_same_lesson_bit_for_bit(tmp_path):
    """Every field of a saved lesson, history and awkward floats included, reads back equal."""
    path = tmp_path / "rich.gdlesson"
    lesson.save(RICH, path)
    again = lesson.load(path)
    assert again == RICH
    assert again.title == "Três linhas — ReLU" and again.notes == RICH.notes
    for name in ("inputs", "targets", "weights", "history"):
        assert getattr(again, name).tobytes() == getattr(RICH, name).tobytes(), name
    assert np.signbit(again.history[1, 3])  # -0.0 stays -0.0
    assert again.history[1, 2] == 5e-324
    assert dict(again.settings) == {"selected_weight": 3, "speed_index": 4, "first_plot": "loss"}
    assert (again.hidden_count, again.activation, again.batch_size, again.seed) == (
        2,
        "relu",
        2,
        7,
    )
    assert again.warnings == ()


def test_equality_notices_a_changed_number():
    """Lesson equality is not trivially true: one weight changed makes lessons differ."""
    changed = dataclasses.replace(RICH, weights=[0.5, -0.25, 0.1, 0.2, 0.3, -0.41])
    assert changed != RICH
    assert dataclasses.replace(RICH, history=None) != RICH
    assert dataclasses.replace(RICH, settings={}) != RICH


finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(1, 4),
    inputs=st.integers(1, 3),
    data=st.data(),
    rate=st.floats(0, 10),
    with_history=st.booleans(),
)
def test_any_lesson_survives_to_json_and_back(rows, inputs, data, rate, with_history):
    """For random finite numbers, from_json(to_json(lesson)) equals the lesson exactly."""
    x = data.draw(st.lists(st.lists(finite, min_size=inputs, max_size=inputs), min_size=rows,
                           max_size=rows))  # fmt: skip
    y = data.draw(st.lists(finite, min_size=rows, max_size=rows))
    w = data.draw(st.lists(finite, min_size=inputs, max_size=inputs))
    history = [w, data.draw(st.lists(finite, min_size=inputs, max_size=inputs))]
    original = Lesson(
        "t", "n", w, inputs=x, targets=y, learning_rate=rate,
        history=history if with_history else None,
    )  # fmt: skip
    assert lesson.from_json(lesson.to_json(original)) == original


def test_written_json_is_strict_pretty_and_in_field_order():
    """to_json writes strict JSON (no NaN constants), indented, fields in the documented order."""
    text = lesson.to_json(RICH)

    def refuse(name):
        raise AssertionError(f"non-standard constant {name}")

    document = json.loads(text, parse_constant=refuse)
    # "translations" is written only when the lesson has some (RICH has none), and the
    # optimizer's settings only when its optimizer or schedule reads them (RICH: plain steps).
    assert list(document) == [
        name
        for name in lesson.FIELDS
        if name not in ("translations", "momentum", "alpha", "beta1", "beta2", "epsilon")
        and name not in ("step_size", "gamma")
    ]
    assert document["format"] == "gd-desktop-lesson" and document["version"] == 2
    assert text.startswith('{\n  "format"') and text.endswith("}\n")
    assert "    [1.0, 2.0],\n    [3.0, -1.0],\n" in text  # one data row per line
    assert "Três" in text  # written as UTF-8, not \\u escapes


def test_saved_reopened_lesson_runs_in_trace_exactly_like_the_original(tmp_path, capsys):
    """trace --lesson on a saved file prints the same JSON as trace with the original's numbers,
    which are the engine's numbers for the original lesson."""
    path = tmp_path / "rich.gdlesson"
    lesson.save(RICH, path)
    from_file = trace_json(capsys, "--lesson", str(path), "--steps", "6")
    from_args = trace_json(capsys, *RICH_ARGS, "--steps", "6")
    assert from_file == from_args
    run = RICH.run(6)
    assert [step["loss"] for step in from_file["steps"]] == [e.loss for e in run.evaluations]
    assert (
        from_file["steps"][6]["hidden_weights"]
        == RICH.problem.hidden_weights(run.evaluations[6].weights).tolist()
    )


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_trace_lesson_other_formats_match_explicit_arguments(tmp_path, capsys, fmt):
    """--format csv and table print the same text for a lesson file as for its arguments."""
    path = tmp_path / "rich.gdlesson"
    lesson.save(RICH, path)
    with_file = trace(capsys, "--lesson", str(path), "--steps", "3", "--format", fmt)
    with_args = trace(capsys, *RICH_ARGS, "--steps", "3", "--format", fmt)
    assert with_file == with_args
    assert with_file[0] == 0


# --- the Lesson object ----------------------------------------------------------------------


def test_lesson_is_immutable():
    """A lesson's arrays and settings cannot be changed after it is checked."""
    with pytest.raises(ValueError):
        RICH.weights[0] = 99.0
    with pytest.raises(ValueError):
        RICH.history[0, 0] = 99.0
    with pytest.raises(TypeError):
        RICH.settings["speed_index"] = 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        RICH.title = "x"


def test_constructing_an_invalid_lesson_raises_lesson_error():
    """The constructor checks like the reader: a weight too many is a LessonError."""
    with pytest.raises(LessonError, match=r'"weights" does not fit the network'):
        dataclasses.replace(RICH, weights=[1.0] * 7)
    with pytest.raises(LessonError, match=r'"history" should hold one list of 6 weight'):
        dataclasses.replace(RICH, history=[[1.0, 2.0]])


def test_unknown_fields_and_settings_are_ignored_with_warnings(tmp_path):
    """Unknown top-level fields and settings load, are listed in warnings, and are dropped."""
    document = good_document()
    document["colour"] = "blue"
    document["settings"] = {"speed_index": 2, "zoom": 3}
    loaded = lesson.load(write(tmp_path / "a.gdlesson", document))
    assert loaded.warnings == (
        'ignored the unknown field "colour"',
        'ignored the unknown setting "zoom"',
    )
    assert dict(loaded.settings) == {"speed_index": 2}
    assert "zoom" not in lesson.to_json(loaded) and "colour" not in lesson.to_json(loaded)


def test_optional_fields_take_their_defaults(tmp_path):
    """A minimal file (format, version, inputs, targets, weights, rate) loads with defaults."""
    document = {
        key: good_document()[key]
        for key in ("format", "version", "inputs", "targets", "weights", "learning_rate")
    }
    loaded = lesson.load(write(tmp_path / "min.gdlesson", document))
    assert (loaded.title, loaded.notes, loaded.hidden_count, loaded.activation) == (
        "",
        "",
        0,
        "identity",
    )
    assert (loaded.batch_size, loaded.seed, loaded.history, dict(loaded.settings)) == (
        0,
        0,
        None,
        {},
    )


def test_a_byte_order_mark_is_accepted(tmp_path):
    """A UTF-8 file with a BOM (as Windows Notepad writes) loads."""
    path = tmp_path / "bom.gdlesson"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(good_document()).encode())
    assert lesson.load(path).weights.tolist() == [1.0, 2.0]


# --- saving atomically ----------------------------------------------------------------------


def old_file(tmp_path) -> tuple[Path, bytes]:
    path = tmp_path / "lesson.gdlesson"
    lesson.save(lesson.lesson_from_preset(PRESETS[0]), path)
    return path, path.read_bytes()


def test_failed_rename_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    """If os.replace fails, the previous file is intact and the temporary file is gone."""
    path, before = old_file(tmp_path)

    def fail(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lesson.os, "replace", fail)
    with pytest.raises(
        OSError,
        match="^The disk is full: lesson.gdlesson was not saved; the old file is unchanged.$",
    ):
        lesson.save(RICH, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.gdlesson"]


@pytest.mark.parametrize("error", [OSError(5, "Input/output error"), KeyboardInterrupt()])
def test_failure_while_writing_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, error):
    """A failure (or Ctrl+C) after part of the text is written changes nothing on disk."""
    path, before = old_file(tmp_path)

    def fail(descriptor):
        raise error

    monkeypatch.setattr(lesson.os, "fsync", fail)  # after the write, before the rename
    with pytest.raises(type(error)):
        lesson.save(RICH, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.gdlesson"]


def test_save_writes_the_whole_text_and_replaces_the_old_file(tmp_path):
    """After a successful save the file holds exactly to_json(lesson), and nothing else is left."""
    path, _ = old_file(tmp_path)
    lesson.save(RICH, path)
    assert path.read_text(encoding="utf-8") == lesson.to_json(RICH)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.gdlesson"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_save_permissions_follow_the_umask_or_the_replaced_file(tmp_path):
    """A new file is not private (umask applies, not 0600); a replaced file keeps its mode."""
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "new.gdlesson"
        lesson.save(RICH, fresh)
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        fresh.chmod(0o600)
        lesson.save(RICH, fresh)
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    finally:
        os.umask(umask)


def test_save_into_a_missing_folder_raises_and_creates_nothing(tmp_path):
    """Saving where there is no folder raises OSError and leaves no file behind."""
    with pytest.raises(OSError):
        lesson.save(RICH, tmp_path / "nowhere" / "x.gdlesson")
    assert list(tmp_path.iterdir()) == []


# --- bad files ------------------------------------------------------------------------------


def doc(**changes) -> dict:
    """The good document with fields changed; a value of ... removes the field."""
    document = good_document()
    for key, value in changes.items():
        if value is ...:
            del document[key]
        else:
            document[key] = value
    return document


GOOD_TEXT = json.dumps(good_document(), indent=2)

# id: (the file's content: bytes, text or a document; a piece of the expected message)
BAD_FILES = {
    "empty file": (b"", "not a lesson file: the file is empty"),
    "only whitespace": ("  \n\t\n", "not a lesson file: the file is empty"),
    "not JSON": ("hello", "not a lesson file: the text is not JSON (line 1, column 1)"),
    "not JSON further on": (
        '{\n  "format": gd-desktop-lesson\n}',
        "not a lesson file: the text is not JSON (line 2, column 13)",
    ),
    "truncated JSON": (
        GOOD_TEXT[: GOOD_TEXT.index('"weights"') + 15],
        "the JSON stops before its end (line 18, column 3); the file is cut short",
    ),
    "truncated inside a string": (
        GOOD_TEXT[: GOOD_TEXT.index("Slide") + 3],
        "the JSON stops before its end (line 4, column 12); the file is cut short",
    ),
    "a list, not an object": (
        "[1, 2]",
        'not a lesson file: the JSON is a list, not an object with "format": "gd-desktop-lesson"',
    ),
    "a number, not an object": ("42", "not a lesson file: the JSON is the number 42, not an"),
    "another program's JSON": (
        {"name": "x", "version": "1.0.0"},
        'not a lesson file: it has no "format": "gd-desktop-lesson" field',
    ),
    "wrong format": (
        doc(format="something-else"),
        'not a lesson file: its "format" is the text "something-else", not "gd-desktop-lesson"',
    ),
    "missing version": (
        doc(version=...),
        'the lesson has no "version" field (a whole number: 2 for this gd-desktop)',
    ),
    "version as text": (doc(version="1"), '"version" should be a whole number (2 for this'),
    "version 0": (doc(version=0), '"version" 0 does not exist: versions start at 1'),
    "newer version": (
        doc(version=3),
        "made by a newer gd-desktop (format version 3; this one reads up to 2)",
    ),
    "missing inputs": (doc(inputs=...), 'the lesson has no "inputs" field'),
    "missing targets": (doc(targets=...), 'the lesson has no "targets" field'),
    "missing weights": (doc(weights=...), 'the lesson has no "weights" field'),
    "missing learning rate": (doc(learning_rate=...), 'the lesson has no "learning_rate" field'),
    "inputs a number": (
        doc(inputs=3),
        '"inputs" should be a list of data rows, each a list of numbers, not the number 3',
    ),
    "inputs flat": (doc(inputs=[3, 4]), "each a list of numbers: item 1 is the number 3"),
    "no data rows": (doc(inputs=[], targets=[]), '"inputs" should hold at least one data row'),
    "text in a data row": (
        doc(inputs=[[3, "4"]]),
        '"inputs" row 1, item 2 is the text "4": it should be a number',
    ),
    "rows of different widths": (
        doc(inputs=[[3, 4], [1]], targets=[6, 1]),
        '"inputs" row 2 has 1 number; row 1 has 2',
    ),
    "true as a target": (
        doc(targets=[True]),
        '"targets" should be a list of numbers: item 1 is true',
    ),
    "weights as text": (doc(weights="1 2"), '"weights" should be a list of numbers, not the text'),
    "null weight": (
        doc(weights=[1, None]),
        '"weights" should be a list of numbers: item 2 is null',
    ),
    "learning rate as text": (
        doc(learning_rate="fast"),
        '"learning_rate" should be a number, not the text "fast"',
    ),
    "negative learning rate": (
        doc(learning_rate=-0.1),
        '"learning_rate" should be a number of 0 or more, not -0.1',
    ),
    "fractional hidden count": (
        doc(hidden_count=1.5),
        '"hidden_count" should be a whole number from 0 to 8, not the number 1.5',
    ),
    "unknown activation": (
        doc(activation="softmax"),
        '"activation" should be one of "identity", "relu", "tanh", "sigmoid"',
    ),
    "negative batch size": (
        doc(batch_size=-1),
        '"batch_size" should be a whole number from 0 to 1,000,000, not -1',
    ),
    "seed as text": (doc(seed="x"), '"seed" should be a whole number from 0 to'),
    "title a number": (doc(title=5), '"title" should be text (a string), not the number 5'),
    "notes a list": (doc(notes=["a"]), '"notes" should be text (a string), not a list'),
    "title too long": (doc(title="x" * 201), '"title" is too long: 201 characters (at most 200)'),
    "history as text": (
        doc(history="none"),
        '"history" should be null or a list of weight lists, not the text "none"',
    ),
    "settings a list": (
        doc(settings=[1]),
        '"settings" should be an object (or absent), not a list',
    ),
    "speed index out of range": (
        doc(settings={"speed_index": 99}),
        '"settings.speed_index" should be a whole number from 0 to 8, not 99',
    ),
    "unknown first plot": (
        doc(settings={"first_plot": "contour"}),
        '"settings.first_plot" should be either "error" or "loss", not the text "contour"',
    ),
    "selected weight beyond the weights": (
        doc(settings={"selected_weight": 2}),
        '"settings.selected_weight" should be a whole number from 0 to 1, not 2',
    ),
    "NaN": (
        GOOD_TEXT.replace('"learning_rate": 0.01', '"learning_rate": NaN'),
        "the file contains NaN: every number must be an ordinary number",
    ),
    "Infinity": (
        GOOD_TEXT.replace("4.0", "Infinity"),
        "the file contains Infinity: every number must be an ordinary number",
    ),
    "-Infinity": (
        GOOD_TEXT.replace("6.0", "-Infinity"),
        "the file contains -Infinity: every number must be an ordinary number",
    ),
    "a number too large for a float": (
        GOOD_TEXT.replace("4.0", "1e400"),
        "the number 1e400 is too large",
    ),
    "an integer too large for a float": (
        doc(weights=[1, 10**400]),
        '"weights" holds a number too large for the app',
    ),
    "a field twice": (
        GOOD_TEXT.replace('"seed": 0', '"seed": 0, "seed": 1'),
        'the field "seed" appears twice in one object',
    ),
    "nested too deeply": ("[" * 100_000 + "]" * 100_000, "the JSON is nested too deeply"),
    "weights vs the network": (
        doc(weights=[1, 2, 3]),
        '"weights" does not fit the network: there are 2 inputs, so give 2 weights, not 3.',
    ),
    "weights vs the hidden layer": (
        doc(weights=[1, 2, 3], hidden_count=2, activation="tanh"),
        '"weights" does not fit the network: give 6 weights (2 for the output and 2 for each',
    ),
    "targets vs rows": (
        doc(inputs=[[3, 4], [1, 2]]),
        '"targets" should have one number per data row: "inputs" has 2 rows, "targets" has 1',
    ),
    "history row of the wrong length": (
        doc(history=[[1, 2], [1, 2, 3]]),
        '"history" row 2 has 3 numbers; it should have 2, one per weight in "weights"',
    ),
    "history vs the network": (
        doc(history=[[1, 2, 3]]),
        '"history" row 1 has 3 numbers; it should have 2, one per weight in "weights"',
    ),
    "more than 10 inputs": (
        doc(inputs=[[1] * 11], weights=[1] * 11),
        '"inputs" rows have 11 numbers: at most 10 inputs are supported',
    ),
    "more than 8 hidden nodes": (
        doc(hidden_count=9),
        '"hidden_count" should be a whole number from 0 to 8, not 9',
    ),
    "more than a million rows": (
        '{"format": "gd-desktop-lesson", "version": 1, "targets": [], "weights": [1],'
        ' "learning_rate": 0.1, "inputs": [' + "[1]," * 1_000_000 + "[1]]}",
        '"inputs" has 1,000,001 rows: at most 1,000,000 are supported',
    ),
    "a history longer than a million": (
        GOOD_TEXT.replace('"history": null', '"history": [' + "[1, 2]," * 1_000_000 + "[1, 2]]"),
        '"history" has 1,000,001 iterations: at most 1,000,000 are supported',
    ),
    "not UTF-8": (
        b'{"format": "gd-desktop-lesson", "title": "caf\xe9"}',
        "not a lesson file: it is not UTF-8 text (byte 0xe9 on line 1)",
    ),
    "a binary file": (
        b"\x89PNG\r\n\x1a\n\x00\x00",
        "not a lesson file: it is not UTF-8 text (byte 0x89 on line 1)",
    ),
}


def as_bytes(content) -> bytes:
    if isinstance(content, bytes):
        return content
    if isinstance(content, str):
        return content.encode("utf-8")
    return json.dumps(content).encode("utf-8")


@pytest.mark.parametrize("content, expected", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_with_the_problem_named(tmp_path, content, expected):
    """Each kind of bad file raises LessonError (a ValueError) naming what is wrong."""
    path = tmp_path / "bad.gdlesson"
    path.write_bytes(as_bytes(content))
    with pytest.raises(LessonError) as caught:
        lesson.load(path)
    assert isinstance(caught.value, ValueError)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_newer_version_message_is_exactly_as_documented():
    """A version-3 file says precisely who made it and what this gd-desktop reads."""
    with pytest.raises(LessonError) as caught:
        lesson.from_json(json.dumps(doc(version=3)))
    assert (
        str(caught.value) == "made by a newer gd-desktop (format version 3; this one reads up to 2)"
    )


def test_a_newer_version_is_refused_before_its_fields_are_read():
    """A newer file with fields this version does not know still gets the newer-version message."""
    document = {"format": "gd-desktop-lesson", "version": 3, "network": {"layers": [3, 2, 1]}}
    with pytest.raises(LessonError, match=r"^made by a newer gd-desktop \(format version 3;"):
        lesson.from_json(json.dumps(document))


def test_not_json_message_is_exact():
    """Text that is not JSON gives the documented message with its line and column."""
    with pytest.raises(LessonError) as caught:
        lesson.from_json("a,b,c\n1,2,3\n")
    assert str(caught.value) == "not a lesson file: the text is not JSON (line 1, column 1)"


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    """A 201 MB (sparse) file is refused by its size, without reading a byte of it."""
    path = tmp_path / "huge.gdlesson"
    with open(path, "wb") as stream:
        stream.truncate(201_000_000)
    reads = []

    class Spy:
        """A file that records each read."""

        def __init__(self, *args, **kwargs):
            self.stream = open(*args, **kwargs)  # noqa: SIM115

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def fileno(self):
            return self.stream.fileno()

        def read(self, *args):
            reads.append(args)
            return self.stream.read(*args)

    monkeypatch.setattr(lesson, "open", Spy, raising=False)  # shadows the builtin in lesson.py
    with pytest.raises(LessonError) as caught:
        lesson.load(path)
    assert str(caught.value) == "the file is too big for a lesson: 201 MB (at most 200 MB)"
    assert reads == []


def test_text_over_the_size_limit_is_refused(monkeypatch):
    """from_json refuses text longer than the limit, before parsing it."""
    monkeypatch.setattr(lesson, "MAX_FILE_BYTES", 100)
    with pytest.raises(LessonError, match="too big for a lesson"):
        lesson.from_json(" " * 50 + json.dumps(good_document()))


@pytest.mark.parametrize("kind", ["missing", "a folder"])
def test_a_file_that_cannot_be_read_is_a_lesson_error(tmp_path, kind):
    """A missing path or a folder is a LessonError saying why it cannot be read."""
    path = tmp_path / "x.gdlesson"
    if kind == "a folder":
        path.mkdir()
    with pytest.raises(LessonError, match=r"^cannot read the file: "):
        lesson.load(path)


# --- gd-desktop trace --lesson --------------------------------------------------------------


def shipped(name: str) -> Path:
    (path,) = [p for p in lesson.shipped_lessons() if p.name == name]
    return path


def test_trace_lesson_prints_the_slide_figures(capsys):
    """trace --lesson on the shipped one-weight lesson prints 2 then 2.24."""
    document = trace_json(capsys, "--lesson", str(shipped("slide-one-weight.gdlesson")),
                          "--steps", "1")  # fmt: skip
    assert document["steps"][0]["weights"] == [2.0]
    assert document["steps"][1]["weights"] == [pytest.approx(2.24, rel=1e-12)]


def test_trace_lesson_uses_the_default_steps(capsys):
    """Without --steps a lesson runs the usual 10 steps."""
    document = trace_json(capsys, "--lesson", str(shipped("slide-two-inputs.gdlesson")))
    assert len(document["steps"]) == 11


@pytest.mark.parametrize(
    "content, expected",
    [BAD_FILES["not JSON"], BAD_FILES["newer version"], BAD_FILES["weights vs the network"],
     BAD_FILES["not UTF-8"], BAD_FILES["NaN"], BAD_FILES["empty file"]],
    ids=["not JSON", "newer version", "weights vs the network", "not UTF-8", "NaN", "empty"],
)  # fmt: skip
def test_trace_with_a_bad_lesson_exits_2_with_one_line(tmp_path, capsys, content, expected):
    """A bad lesson file: status 2, one stderr line naming the file and the problem."""
    path = tmp_path / "bad.gdlesson"
    path.write_bytes(as_bytes(content))
    line = assert_one_error_line(*trace(capsys, "--lesson", str(path)))
    assert line == f"gd-desktop trace: error: lesson {path}: {expected}" or (
        line.startswith(f"gd-desktop trace: error: lesson {path}: ") and expected in line
    )


def test_trace_with_a_missing_lesson_exits_2(tmp_path, capsys):
    """A lesson path that does not exist: status 2, one line saying it cannot be read."""
    path = tmp_path / "absent.gdlesson"
    line = assert_one_error_line(*trace(capsys, "--lesson", str(path)))
    assert line == (
        f"gd-desktop trace: error: lesson {path}: cannot read the file: No such file or directory"
    )


@pytest.mark.parametrize(
    "extra, named",
    [
        ("--weights 1 2", "--weights"),
        ("--inputs 3 4 --target 6", "--inputs, --target"),
        ("--learning-rate 0.1", "--learning-rate"),
        ("--hidden 1,2 --activation relu", "--hidden, --activation"),
        ("--batch-size 1 --seed 3", "--batch-size, --seed"),
        ("--data rows.csv", "--data"),
        ("--optimizer adam --gamma 0.5", "--optimizer, --gamma"),
    ],
)
def test_trace_lesson_refuses_problem_options(capsys, extra, named):
    """--lesson with --weights/--inputs/...: status 2 and a line naming the options to leave out."""
    path = str(shipped("slide-two-inputs.gdlesson"))
    line = assert_one_error_line(*trace(capsys, "--lesson", path, *extra.split()))
    assert line == (
        "gd-desktop trace: error: --lesson gives the data, network, weights, rate and optimizer: "
        f"leave out {named}"
    )


def test_trace_without_lesson_still_requires_weights_and_rate(capsys):
    """Without --lesson, leaving out --weights and --learning-rate is still an error."""
    line = assert_one_error_line(*trace(capsys, "--inputs", "3", "--target", "10"))
    assert "required: --weights, --learning-rate" in line


def test_trace_lesson_in_a_real_process(tmp_path):
    """`python -m gd_desktop trace --lesson` works, and a bad file exits 2 with no traceback."""
    command = [sys.executable, "-m", "gd_desktop", "trace", "--format", "json", "--lesson"]
    good = subprocess.run(
        [*command, str(shipped("slide-two-inputs.gdlesson")), "--steps", "1"],
        capture_output=True, text=True, timeout=60, cwd=ROOT, check=False,
    )  # fmt: skip
    assert (good.returncode, good.stderr) == (0, "")
    assert json.loads(good.stdout)["steps"][1]["errors"] == [pytest.approx(2.5, rel=1e-12)]
    bad_path = tmp_path / "bad.gdlesson"
    bad_path.write_text('{"format": "gd-desktop-lesson", "version": 1, "inputs": [[3, 4]]', "utf-8")
    bad = subprocess.run(
        [*command, str(bad_path)], capture_output=True, text=True, timeout=60, cwd=ROOT,
        check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stdout == ""
    assert len(bad.stderr.splitlines()) == 1 and "Traceback" not in bad.stderr
    assert "the JSON stops before its end" in bad.stderr


# --- the shipped lessons --------------------------------------------------------------------


def test_the_course_lessons_are_shipped_in_course_order():
    """shipped_lessons() finds one file per listed preset, the slides' examples first."""
    names = [path.name for path in lesson.shipped_lessons()]
    assert names == [f"{stem}.gdlesson" for stem in lesson.SHIPPED]
    for required in ("slide-one-weight", "slide-two-inputs", "too-big-learning-rate",
                     "relu-fits-abs"):  # fmt: skip
        assert f"{required}.gdlesson" in names
    assert all(path.parent == ROOT / "resources" / "lessons" for path in lesson.shipped_lessons())


def test_every_shipped_lesson_loads_and_equals_its_preset():
    """Each shipped file loads without warnings and holds exactly its preset's numbers."""
    by_id = {preset.id: preset for preset in PRESETS}
    for stem, path in zip(lesson.SHIPPED, lesson.shipped_lessons(), strict=True):
        loaded = lesson.load(path)
        assert path.stem == stem
        assert loaded.warnings == ()
        assert loaded == lesson.lesson_from_preset(by_id[stem])
        assert loaded.title == by_id[stem].name and loaded.notes == by_id[stem].says


def test_shipped_files_are_what_make_lessons_writes():
    """The committed files are up to date with the presets (else run make_lessons.py)."""
    assert make_lessons.stale() == []


def test_make_lessons_check_notices_a_stale_file(tmp_path):
    """make_lessons.stale() reports a changed, a missing and an extra file."""
    make_lessons.write(tmp_path)
    (tmp_path / "oscillates.gdlesson").write_text("{}", encoding="utf-8")
    (tmp_path / "just-right.gdlesson").unlink()
    (tmp_path / "mine.gdlesson").write_text("{}", encoding="utf-8")
    assert make_lessons.stale(tmp_path) == [
        "oscillates.gdlesson is out of date",
        "just-right.gdlesson is missing",
        "mine.gdlesson comes from no preset",
    ]


def test_slide_one_weight_goes_from_2_to_2_24():
    """The one-weight lesson: slope −24 at weight 2, so one step at 0.01 gives 2.24."""
    run = lesson.load(shipped("slide-one-weight.gdlesson")).run(1)
    start, after = run.evaluations
    assert start.weights.tolist() == [2.0] and start.gradient.tolist() == [-24.0]
    assert after.weights[0] == pytest.approx(2.24, rel=1e-12)


def test_slide_two_inputs_error_goes_from_5_to_2_5():
    """The two-input lesson: [1, 2] on (3, 4), target 6: error 5, gradient [30, 40], then 2.5."""
    run = lesson.load(shipped("slide-two-inputs.gdlesson")).run(1)
    start, after = run.evaluations
    assert start.weights.tolist() == [1.0, 2.0]
    assert start.errors.tolist() == [5.0] and start.gradient.tolist() == [30.0, 40.0]
    assert after.weights == pytest.approx([0.7, 1.6], rel=1e-12)
    assert after.errors[0] == pytest.approx(2.5, rel=1e-12)


def test_too_big_learning_rate_grows_and_relu_fits_abs():
    """0.05 > 0.04 makes the loss grow every step; two ReLU nodes fit |x|; one linear node
    stops at a loss of 2."""
    too_big = lesson.load(shipped("too-big-learning-rate.gdlesson"))
    assert too_big.learning_rate > engine.critical_learning_rate(too_big.problem)
    losses = [e.loss for e in too_big.run(10).evaluations]
    assert all(b > a for a, b in zip(losses, losses[1:]))
    relu = lesson.load(shipped("relu-fits-abs.gdlesson"))
    assert (relu.hidden_count, relu.activation) == (2, "relu")
    assert relu.run(200).evaluations[-1].loss < 1e-12
    linear = lesson.load(shipped("linear-cannot-fit-abs.gdlesson"))
    assert linear.run(200).evaluations[-1].loss == pytest.approx(2.0, rel=1e-9)


def test_shipped_lessons_are_found_in_a_pyinstaller_bundle(tmp_path, monkeypatch):
    """With sys._MEIPASS set (a PyInstaller bundle), the bundle's lessons are the ones found."""
    resources = tmp_path / "gd_desktop" / "resources"
    (resources / "lessons").mkdir(parents=True)
    (resources / "gd-desktop.svg").write_text("<svg/>", encoding="utf-8")
    for path in lesson.shipped_lessons():
        (resources / "lessons" / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    found = lesson.shipped_lessons()
    assert [p.parent for p in found] == [resources / "lessons"] * len(lesson.SHIPPED)


def test_shipped_lessons_are_in_the_wheel_and_found_from_it(tmp_path):
    """A pip install (a wheel) carries resources/lessons/*.gdlesson and shipped_lessons() finds
    and loads them."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path),
         str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = tmp_path.glob("gd_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for stem in lesson.SHIPPED:
        assert f"gd_desktop/resources/lessons/{stem}.gdlesson" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    numpy_home = str(Path(np.__file__).resolve().parent.parent)
    script = (
        f"import sys; sys.path.insert(0, {str(site)!r}); sys.path.append({numpy_home!r}); "
        "from gd_desktop.core import lesson; print(lesson.__file__); "
        "print('\\n'.join(f'{p} {lesson.load(p).title}' for p in lesson.shipped_lessons()))"
    )
    found = subprocess.run(
        [sys.executable, "-S", "-c", script], capture_output=True, text=True, check=False
    )
    assert found.returncode == 0, found.stderr
    module, *lines = found.stdout.splitlines()
    assert module == str(site / "gd_desktop" / "core" / "lesson.py")  # the wheel's, not ours
    assert len(lines) == len(lesson.SHIPPED)
    assert all(
        line.startswith(str(site / "gd_desktop" / "resources" / "lessons")) for line in lines
    )


# --- consistency with the rest of the app ---------------------------------------------------


def test_the_lesson_module_imports_no_qt():
    """gd_desktop.core.lesson is pure: importing it (and loading a lesson) loads no Qt module."""
    script = (
        "import sys; from gd_desktop.core import lesson; "
        "[lesson.load(p) for p in lesson.shipped_lessons()]; "
        "print(sorted(m for m in sys.modules if 'PySide' in m or 'pyqtgraph' in m))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr


def test_the_documented_example_loads_and_documents_every_field():
    """docs/LESSON_FORMAT.md: its JSON example is a valid lesson, and every field and setting
    is in its tables."""
    text = (ROOT / "docs" / "LESSON_FORMAT.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)
    loaded = lesson.from_json(example)
    assert loaded.warnings == ()
    assert loaded.history.tolist()[:2] == [[1.0, 2.0], [0.7, 1.6]]
    run = loaded.run(2)
    assert loaded.history == pytest.approx(np.array([e.weights for e in run.evaluations]))
    for name in (*lesson.FIELDS, *lesson.SETTINGS):
        assert f"| `{name}` |" in text, name
    assert lesson.MIME_TYPE in text and lesson.EXTENSION in text
