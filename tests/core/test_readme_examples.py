"""The README's `gd-desktop trace` examples run as written (one lacked its learning rate)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import trace

ROOT = Path(__file__).resolve().parents[2]


def readme_trace_commands() -> list[str]:
    """Every `gd-desktop trace …` line of the README's sh blocks, continuation lines joined."""
    text = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        for command in block.replace("\\\n", " ").splitlines():
            if command.startswith("gd-desktop trace "):
                commands.append(command)
    return commands


def test_the_readme_shows_trace_examples():
    assert len(readme_trace_commands()) >= 4


@pytest.mark.parametrize("command", readme_trace_commands())
def test_each_readme_trace_example_runs(command, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # the lesson example names a file of the repository
    arguments = shlex.split(command)[2:]
    if "rows.csv" in arguments:
        rows = tmp_path / "rows.csv"
        rows.write_text("x1,x2,target\n3,4,6\n1,2,1\n-1,0.5,0\n", encoding="utf-8")
        arguments[arguments.index("rows.csv")] = str(rows)
    status, out, err = trace(capsys, *arguments)
    assert (status, err) == (0, ""), err
    assert out.strip()
