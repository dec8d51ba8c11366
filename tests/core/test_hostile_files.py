"""Hostile files: special files, huge files, huge cells and numbers, lone surrogates."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gd_desktop.core import files, lesson
from gd_desktop.core.data import DataError, read_csv_file
from gd_desktop.core.limits import MAX_CSV_BYTES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "x.gdlesson"
    os.mkfifo(path)
    return path


def test_a_fifo_or_device_is_not_read_as_a_lesson(fifo):
    for path in (fifo, Path("/dev/zero"), fifo.parent):
        with pytest.raises(lesson.LessonError, match="not a regular file"):
            lesson.load(path)


def test_a_fifo_or_device_is_not_read_as_csv(fifo):
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(DataError, match="not a regular file"):
            read_csv_file(path)


def test_a_huge_csv_is_refused_at_once_without_reading_it(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as stream:
        stream.truncate(10 * MAX_CSV_BYTES)  # 1 GB, sparse
    started = time.monotonic()
    with pytest.raises(DataError, match="too big"):
        read_csv_file(path)
    assert time.monotonic() - started < 1


def test_a_huge_cell_is_quoted_only_in_part(tmp_path):
    path = tmp_path / "cell.csv"
    path.write_text("x,y\n1," + "9" * 5_000_000 + "\n")
    with pytest.raises(DataError) as caught:
        read_csv_file(path)
    assert len(str(caught.value)) < 200


def test_a_5000_digit_integer_is_a_lesson_error():
    text = '{"format": "gd-desktop-lesson", "version": 1, "weights": [' + "7" * 5000 + "]}"
    with pytest.raises(lesson.LessonError, match="5,000 digits"):
        lesson.from_json(text)


def test_a_lone_surrogate_is_replaced_and_the_lesson_saves(tmp_path):
    original = lesson.lesson_from_preset(lesson.PRESETS[0])
    saved = lesson.to_json(original)
    title = lesson._dumps(original.title)
    text = saved.replace(f'"title": {title}', '"title": "a\\ud800b"', 1)
    assert text != saved
    opened = lesson.from_json(text)
    assert opened.title == "a\ufffdb"
    lesson.save(opened, tmp_path / "s.gdlesson")
    assert lesson.load(tmp_path / "s.gdlesson").title == "a\ufffdb"


def test_a_special_file_is_never_replaced(fifo):
    with pytest.raises(files.FileWriteError, match="not a regular file"):
        files.write_bytes_atomically(fifo, b"data")
    assert fifo.is_fifo()
    assert [p.name for p in fifo.parent.iterdir()] == ["x.gdlesson"]


def test_a_stale_temporary_is_removed_at_the_next_save(tmp_path):
    stale = tmp_path / ".a.csv.gd-desktop-0123abcd.tmp"
    stale.write_text("left by a killed save")
    files.write_text_atomically(tmp_path / "b.csv", "x\n")
    assert [p.name for p in tmp_path.iterdir()] == ["b.csv"]


@pytest.mark.parametrize("option", ["--data", "--lesson"])
@pytest.mark.parametrize("target", ["fifo", "/dev/zero", "folder"])
def test_trace_refuses_special_files_with_one_line(tmp_path, option, target):
    path = {"fifo": tmp_path / "f", "folder": tmp_path}.get(target, Path(target))
    if target == "fifo":
        os.mkfifo(path)
    words = [option, str(path)] + (
        ["--weights", "1", "--learning-rate", "0.1"] * (option == "--data")
    )
    done = subprocess.run(
        [sys.executable, "-m", "gd_desktop", "trace", *words],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1


def run_trace(*words: str) -> subprocess.CompletedProcess:
    """`gd-desktop trace WORDS` in its own process (a hang would fail by the timeout)."""
    return subprocess.run(
        [sys.executable, "-m", "gd_desktop", "trace", *words],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


LONG_QUOTED_CELLS = {
    "on one line": '"' + "9" * 200_000 + '"',
    # Each line is short, but the quotes make one cell of them all.
    "over many lines": '"' + ("9" * 5_000 + "\n") * 40 + '"',
    # Each line is shorter than a cell may be: only the csv module sees the 180,000 characters.
    "over many short lines": '"' + ("9" * 900 + "\n") * 200 + '"',
}


@pytest.mark.parametrize("cell", LONG_QUOTED_CELLS.values(), ids=LONG_QUOTED_CELLS)
def test_a_quoted_cell_too_long_for_the_csv_module_is_a_data_error(tmp_path, cell):
    """Both readers (the pasted text's and the file import's) say it in words."""
    from gd_desktop.core.data import parse_rows_chunked, read_rows

    path = tmp_path / "cell.csv"
    path.write_text("x,y\n1," + cell + "\n")
    for read in (
        lambda: read_rows(read_csv_file(path)),
        lambda: parse_rows_chunked(read_csv_file(path)),
    ):
        with pytest.raises(DataError, match="characters") as caught:
            read()
        assert len(str(caught.value)) < 200


@pytest.mark.parametrize("cell", LONG_QUOTED_CELLS.values(), ids=LONG_QUOTED_CELLS)
def test_trace_refuses_a_cell_longer_than_the_csv_modules_limit_in_one_line(tmp_path, cell):
    """Python's csv module stops with an error at 131,072 characters; trace says it in a line."""
    path = tmp_path / "cell.csv"
    path.write_text("x,y\n1," + cell + "\n")
    done = run_trace("--data", str(path), "--weights", "1", "--learning-rate", "0.1")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "characters" in line and len(line) < 300


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1", "utf-8-sig"])
def test_trace_reads_the_encodings_the_window_reads(tmp_path, encoding):
    path = tmp_path / "rows.csv"
    path.write_bytes("größe;y\r\n3;6\r\n".encode(encoding))
    done = run_trace("--data", str(path), "--weights", "1", "--learning-rate", "0.01",
                     "--steps", "1", "--format", "csv")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == "0,1.0,3.0,-3.0,9.0,-18.0"


def test_trace_refuses_a_lesson_with_a_5000_digit_integer_in_one_line(tmp_path):
    path = tmp_path / "digits.gdlesson"
    path.write_text(
        '{"format": "gd-desktop-lesson", "version": 1, "weights": [' + "7" * 5000 + "]}"
    )
    done = run_trace("--lesson", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "5,000 digits" in line and len(line) < 300


def test_a_sparse_1_gb_file_is_refused_as_a_lesson_at_once(tmp_path):
    path = tmp_path / "huge.gdlesson"
    with open(path, "wb") as stream:
        stream.truncate(1_000_000_000)
    started = time.monotonic()
    with pytest.raises(lesson.LessonError, match="too big"):
        lesson.load(path)
    assert time.monotonic() - started < 1
