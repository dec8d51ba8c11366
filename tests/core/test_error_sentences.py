"""Every sentence the core raises to the user goes through the translation function.

Two checks: the source (no user-facing error is raised with a literal English sentence), and the
errors themselves, each raised in the pseudo language, where every word of a translated sentence
is accented and bracketed (⟦…⟧), so an English word left outside the brackets is one that would
stay English in every language.
"""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from gd_desktop.core import data, engine, files, i18n, lesson, run
from gd_desktop.core.presets import PRESETS

PACKAGE = Path(__file__).resolve().parents[2] / "gd_desktop"

#: The errors whose text the user reads. Programmer errors (TypeError, AssertionError, …) are not
#: shown and stay English; FileReadError and FileWriteError take a reason code, not a sentence.
USER_FACING = {"DataError", "ProblemError", "LessonError", "OSError", "TraceArgumentError"}
#: A reason code, the first argument of FileReadError and FileWriteError.
REASON_CODE = re.compile(r"^[a-z_]+$")


def literal_messages() -> list[str]:
    """``file:line`` of each raise of a user-facing error with a literal or f-string sentence."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            name = ast.unparse(node.exc.func).rsplit(".", 1)[-1]
            first = node.exc.args[0] if node.exc.args else None
            if isinstance(first, ast.JoinedStr):
                literal = True
            elif isinstance(first, ast.Constant) and isinstance(first.value, str):
                literal = not (name.startswith("File") and REASON_CODE.match(first.value))
            else:
                literal = False
            if literal and (name in USER_FACING or name.startswith("File")):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


def test_no_user_facing_error_is_raised_with_an_english_sentence():
    assert literal_messages() == []


def test_the_source_check_finds_a_literal_sentence(tmp_path, monkeypatch):
    """The check above can fail: a module that raises an English sentence is found."""
    folder = tmp_path / "gd_desktop"
    folder.mkdir()
    (folder / "bad.py").write_text(
        'def f(n):\n    raise DataError(f"Line {n} is bad.")\n'
        'def g():\n    raise FileWriteError("check", "a.csv", True, "x")\n', encoding="utf-8"
    )
    monkeypatch.setattr(f"{__name__}.PACKAGE", folder)
    assert literal_messages() == ["gd_desktop/bad.py:2"]


# --- the errors themselves, in the pseudo language ----------------------------------------------


@pytest.fixture
def pseudo():
    chosen = i18n.chosen_language()
    i18n.set_language(i18n.PSEUDO)
    yield
    i18n.set_language(chosen)


def english_left(message: str) -> str:
    """What of ``message`` is outside every pseudo-translated sentence (innermost first)."""
    previous = None
    while previous != message:
        previous, message = message, re.sub(r"⟦[^⟦⟧]*⟧", "", message)
    return message


SHOWN_ERRORS = (data.DataError, engine.ProblemError, lesson.LessonError, OSError)


def raised(action) -> str:
    with pytest.raises(SHOWN_ERRORS) as caught:
        action()
    return str(caught.value)


PROBLEM = engine.Problem.create(inputs=[[3.0, 4.0]], targets=[6.0], learning_rate=0.01)
HIDDEN = engine.Problem.create(
    inputs=[[3.0, 4.0]], targets=[6.0], learning_rate=0.01, hidden_count=2, activation="tanh"
)


def too_big_file(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_text("1,2\n" * 100)
    monkeypatch.setattr(data, "MAX_CSV_BYTES", 10)
    return data.read_csv_file(path)


def lesson_with_3_weights() -> str:
    document = json.loads(lesson.to_json(lesson.lesson_from_preset(PRESETS[0])))
    document["weights"] = [1, 2, 3]
    return json.dumps(document)


def empty_write(tmp_path):
    files.replace_atomically(tmp_path / "empty.csv", lambda temporary: None)


def differing_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(Path, "read_bytes", lambda self: b"other")
    files.write_bytes_atomically(tmp_path / "a.csv", b"data")


CASES = {
    "a cell that is no number": lambda tmp, mp: data.read_rows("1,2\n3,x\n"),
    "columns that differ": lambda tmp, mp: data.read_rows("1,2,3\n4,5\n"),
    "no rows": lambda tmp, mp: data.read_rows("a,b\n"),
    "one column": lambda tmp, mp: data.read_rows("1\n2\n"),
    "too many inputs": lambda tmp, mp: data.read_rows(",".join(["1"] * 40) + "\n"),
    "too many rows": lambda tmp, mp: (
        mp.setattr(data, "MAX_ROWS", 2), data.read_rows("1,2\n" * 3)
    ),
    "columns that differ, in blocks": lambda tmp, mp: data.parse_rows_chunked("1,2,3\n4,5\n"),
    "no rows, in blocks": lambda tmp, mp: data.parse_rows_chunked("\n\n"),
    "a line too long": lambda tmp, mp: data.check_line_lengths("1" * (data.MAX_CSV_LINE + 1)),
    "a cell too long": lambda tmp, mp: data.check_line_lengths(
        ",".join(["1" * (data.MAX_CSV_CELL + 1)] * 2)
    ),
    "a folder for a CSV file": lambda tmp, mp: data.read_csv_file(tmp),
    "a CSV file too big": too_big_file,
    "weights that do not fit": lambda tmp, mp: PROBLEM.check_weights([1.0, 2.0, 3.0]),
    "weights that do not fit the hidden layer": lambda tmp, mp: HIDDEN.check_weights([1.0]),
    "a weight that is no number": lambda tmp, mp: PROBLEM.check_weights([math.nan, 1.0]),
    "inputs that are no numbers": lambda tmp, mp: engine.Problem.create(
        inputs=[[math.inf, 1.0]], targets=[6.0], learning_rate=0.01
    ),
    "a weight typed that is no number": lambda tmp, mp: run.Run(PROBLEM, [1, 2]).set_weight(
        0, math.nan
    ),
    "a weight typed too large": lambda tmp, mp: run.Run(PROBLEM, [1, 2]).set_weight(0, 1e300),
    "fewer than no steps": lambda tmp, mp: run.trace(PROBLEM, np.array([1.0, 2.0]), -1),
    "a lesson whose weights do not fit": lambda tmp, mp: lesson.from_json(lesson_with_3_weights()),
    "a write that leaves the file empty": lambda tmp, mp: empty_write(tmp),
    "a write that reads back different bytes": lambda tmp, mp: differing_bytes(tmp, mp),
}


@pytest.mark.parametrize("case", CASES)
def test_every_core_error_is_translated(case, pseudo, tmp_path, monkeypatch):
    message = raised(lambda: CASES[case](tmp_path, monkeypatch))
    assert "⟦" in message, message
    assert not re.search("[A-Za-z]{3,}", english_left(message)), message


def test_the_english_left_check_can_fail():
    assert english_left("⟦Šàvéð ⟦x⟧ ·⟧ but this stays") == " but this stays"
