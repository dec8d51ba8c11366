"""Random use of the real window never raises, never warns, never hangs, never shows NaN.

Fixed seeds, so a failure can be replayed; each run's size is set by GD_MONKEY_ACTIONS and
GD_MONKEY_SEEDS (``python -m tests.gui.monkey`` runs 10,000 actions × 5 seeds). Not collected
by the suite yet (see tests/gui/monkey.py). Qt warnings fail the test through pytest-qt
(qt_log_level_fail in pyproject.toml), as do exceptions raised in slots and event handlers.
"""

from __future__ import annotations

import os

import pytest

from tests.gui.monkey import Monkey

ACTIONS = int(os.environ.get("GD_MONKEY_ACTIONS", "1500"))
SEEDS = range(1, 1 + int(os.environ.get("GD_MONKEY_SEEDS", "3")))


@pytest.mark.parametrize("seed", SEEDS)
def test_random_use_breaks_nothing(qtbot, window, tmp_path, monkeypatch, seed):
    """Thousands of random clicks, keys, typing, files and pastes: the window stays sound."""
    monkeypatch.chdir(tmp_path)  # anything written relative to the working folder lands here
    monkey = Monkey(window, qtbot, tmp_path, seed)
    monkey.answer_dialogs(monkeypatch)
    monkey.run(ACTIONS)
    print(f"seed {seed}: {ACTIONS} actions {dict(sorted(monkey.counts.items()))}")
