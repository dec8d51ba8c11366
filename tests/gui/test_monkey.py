"""Random use of the real window never raises, never warns, never hangs, never shows NaN.

Fixed seeds, so a failure can be replayed. CI runs ACTIONS × SEEDS (1,000 × 3: two minutes
on a loaded two-core machine); ``python -m tests.gui.monkey`` runs the long one (10,000 actions
× 5 seeds) through GD_MONKEY_ACTIONS and GD_MONKEY_SEEDS. The first exception (in a slot or an
event handler too), Qt warning or Python warning fails the run at the action that caused it; a
watchdog ends a hang with every thread's traceback.
"""

from __future__ import annotations

import os

import pytest

from tests.gui.monkey import Monkey

ACTIONS = int(os.environ.get("GD_MONKEY_ACTIONS", "1000"))
SEEDS = range(1, 1 + int(os.environ.get("GD_MONKEY_SEEDS", "3")))


@pytest.mark.parametrize("seed", SEEDS)
def test_random_use_breaks_nothing(qtbot, qtlog, window, tmp_path, monkeypatch, seed):
    """Thousands of random clicks, keys, typing, files and pastes: the window stays sound."""
    monkeypatch.chdir(tmp_path)  # anything written relative to the working folder lands here
    monkey = Monkey(window, qtbot, tmp_path, seed)
    monkey.answer_dialogs(monkeypatch)
    monkey.run(ACTIONS, qtlog)
    print(f"seed {seed}: {ACTIONS} actions {dict(sorted(monkey.counts.items()))}")
