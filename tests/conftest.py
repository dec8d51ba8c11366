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
