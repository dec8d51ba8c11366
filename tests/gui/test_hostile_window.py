"""Hostile files in the real window: lessons and CSV imports that are special files, huge, or
hold huge numbers or cells are refused in one short sentence, at once, changing nothing; odd but
good files (a lone surrogate, UTF-16, Latin-1) open."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from gd_desktop.core.limits import MAX_CSV_BYTES
from tests.gui.helpers import click, shown

DIGITS_LESSON = (
    '{"format": "gd-desktop-lesson", "version": 1, "inputs": [[3]], "targets": [10],'
    ' "learning_rate": 0.01, "weights": [' + "7" * 5000 + "]}"
)


def hostile_lesson(folder: Path, kind: str) -> Path:
    if kind == "fifo":
        path = folder / "x.gdlesson"
        os.mkfifo(path)
        return path
    if kind == "device":
        return Path("/dev/zero")
    if kind == "folder":
        path = folder / "folder.gdlesson"
        path.mkdir()
        return path
    if kind == "sparse 1 GB":
        path = folder / "huge.gdlesson"
        with open(path, "wb") as stream:
            stream.truncate(1_000_000_000)
        return path
    path = folder / "digits.gdlesson"
    path.write_text(DIGITS_LESSON)
    return path


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "sparse 1 GB", "5,000 digits"])
def test_a_hostile_lesson_is_refused_at_once_and_changes_nothing(qtbot, window, tmp_path, kind):
    click(qtbot, window, "step_button")
    path = hostile_lesson(tmp_path, kind)
    started = time.monotonic()
    assert not window.open_lesson(path)
    assert time.monotonic() - started < 2  # never reads a FIFO or a device, nor 1 GB
    message = shown(window, "status_message")
    assert f"Could not open {path.name}" in message and len(message) < 300
    assert "Traceback" not in message and "7777777777777777777777" not in message
    assert window.session.iteration == 1
    np.testing.assert_allclose(window.session.current.weights, [0.7, 1.6])


def test_a_lesson_with_a_lone_surrogate_opens_and_saves(qtbot, window, tmp_path):
    path = tmp_path / "surrogate.gdlesson"
    path.write_text(
        DIGITS_LESSON.replace("7" * 5000, "2").replace("{", '{"title": "a\\ud800b", ', 1)
    )
    assert window.open_lesson(path)
    assert window.lesson_files.save_lesson(tmp_path / "saved.gdlesson")
    assert "\ufffd" in (tmp_path / "saved.gdlesson").read_text(encoding="utf-8")


def import_into_the_window(qtbot, window, path: Path) -> tuple[str, bool]:
    """The Data tab's import of ``path``, as its file dialog starts it; the message it gives."""
    panel = window.data_panel
    with qtbot.waitSignal(panel.message, timeout=10_000) as blocker:
        panel.import_csv(path)
    qtbot.waitUntil(lambda: panel.import_button.isEnabled(), timeout=10_000)
    return tuple(blocker.args)


def hostile_csv(folder: Path, kind: str) -> Path:
    if kind == "fifo":
        path = folder / "x.csv"
        os.mkfifo(path)
        return path
    if kind == "device":
        return Path("/dev/zero")
    path = folder / f"{kind.replace(' ', '-')}.csv"
    if kind == "sparse 1 GB":
        with open(path, "wb") as stream:
            stream.truncate(10 * MAX_CSV_BYTES)
    elif kind == "5 MB cell":
        path.write_text("x,y\n1," + "9" * 5_000_000 + "\n")
    else:  # a quoted cell over many short lines, past the csv module's own limit
        path.write_text('x,y\n1,"' + ("9" * 900 + "\n") * 200 + '"\n')
    return path


@pytest.mark.parametrize("kind", ["fifo", "device", "sparse 1 GB", "5 MB cell", "quoted cell"])
def test_a_hostile_csv_is_refused_in_a_short_sentence(qtbot, window, tmp_path, kind):
    before = window.session.problem
    started = time.monotonic()
    text, warning = import_into_the_window(qtbot, window, hostile_csv(tmp_path, kind))
    assert time.monotonic() - started < 5
    assert warning and len(text) < 300 and "99999999999999999999999" not in text
    assert window.session.problem is before
    assert len(shown(window, "status_message")) < 300


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_a_utf16_or_latin1_csv_imports(qtbot, window, tmp_path, encoding):
    path = tmp_path / "rows.csv"
    path.write_bytes("größe;y\r\n3;6\r\n1;2\r\n".encode(encoding))
    text, warning = import_into_the_window(qtbot, window, path)
    assert not warning, text
    np.testing.assert_array_equal(window.session.problem.inputs, [[3.0], [1.0]])
    np.testing.assert_array_equal(window.session.problem.targets, [6.0, 2.0])
