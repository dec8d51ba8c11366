"""What every test shares, Qt or not: a clear failure when a system tool is missing, and running
the ``trace`` command in-process."""

import json
import os
import shutil

# The suite speaks English unless LANGUAGE asks otherwise: a machine whose LANG is, say,
# de_DE.UTF-8 still runs the English suite (LANGUAGE=de python -m pytest runs it in German).
os.environ.setdefault("LANGUAGE", "en")

import pytest

from gd_desktop.app import main

#: Window tests of other files that read no English word, run in every shipped language with
#: ``-m languages`` besides tests/gui/test_in_every_language.py (scripts/test.sh does, once per
#: language): by file, the tests' names.
LANGUAGE_SAMPLE = {
    "test_window.py": (
        "test_spin_boxes_never_round_the_engine",
        "test_decimal_comma_and_typographic_minus_are_understood",
    ),
    "test_quiz.py": (
        "test_a_quiz_on_the_slope_hides_it_in_every_view",
    ),
    "test_presentation.py": (
        "test_a_hidden_weight_rings_its_hidden_node_and_its_input",
    ),
    "test_lesson_window.py": (
        "test_lesson_saved_with_its_run_reopens_at_the_same_iteration",
    ),
}


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers",
        "languages: run in every shipped language too (LANGUAGE=de python -m pytest -m languages)",
    )


def pytest_collection_modifyitems(config, items) -> None:
    """The sample above gets the ``languages`` mark (its files stay as their owners wrote them)."""
    for item in items:
        names = LANGUAGE_SAMPLE.get(item.path.name, ())
        if item.originalname in names:
            item.add_marker(pytest.mark.languages)


def need_tool(name: str, package: str) -> str:
    """The path of a system tool the test needs; a clear failure (not a skip) without it."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: apt-get install {package} (scripts/_setup.sh does this "
            "when run as root)"
        )
    return path


def trace(capsys, *args: str) -> tuple[int, str, str]:
    """Run `gd-desktop trace ARGS` in-process; return (status, stdout, stderr)."""
    status = main(["trace", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _refuse_constant(name: str):
    raise AssertionError(f"non-standard JSON constant {name}")


def strict_json(text: str):
    """json.loads that fails on NaN, Infinity and -Infinity."""
    return json.loads(text, parse_constant=_refuse_constant)


def trace_json(capsys, *args: str) -> dict:
    """`gd-desktop trace ARGS --format json`: it must succeed, silently, with strict JSON."""
    status, out, err = trace(capsys, *args, "--format", "json")
    assert (status, err) == (0, "")
    return strict_json(out)
