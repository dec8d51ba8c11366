"""A save killed at any moment: the file is the old one or the new one, whole, and the next save
leaves no temporary file of ours behind (issue 11's kill-during-save test).

A child process saves a lesson and a history CSV over and over through the app's own code
(``lesson.save``, and ``history_csv`` with ``write_text_atomically`` as the export does),
alternating two versions of each; it is killed with SIGKILL at a random moment, twenty times.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from gd_desktop.core import files, lesson

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20

# Two versions of each file, big enough that a save takes a while (most kills land in one).
CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import numpy as np

    from gd_desktop.core import engine, files, lesson
    from gd_desktop.core.history_columns import history_csv
    from gd_desktop.core.run import Run

    folder = Path(sys.argv[1])

    def versions(number):
        problem = engine.Problem.create([[3.0, 4.0]], [6.0], 0.001 * (number + 1))
        run = Run(problem, [1.0, 2.0])
        run.advance(3_000, halt_when_diverging=False, halt_when_converged=False)
        saved = lesson.Lesson(
            title=f"version {number}", notes="n" * 90_000, weights=[1.0, 2.0], problem=problem,
            history=np.array(run.history.weights),
        )
        return saved, history_csv(problem, run.history)

    both = [versions(0), versions(1)]
    for number, (saved, text) in enumerate(both):
        (folder / f"expected-{number}.csv").write_text(text)
    turn = 0
    while True:
        saved, text = both[turn % 2]
        lesson.save(saved, folder / "work" / "lesson.gdlesson")
        files.write_text_atomically(folder / "work" / "history.csv", text)
        if turn == 1:
            print("ready", flush=True)
        turn += 1
    """
)


def start_saving(folder: Path) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout.readline() == "ready\n"  # both files saved whole, both versions once
    return child


def ours(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir() if files.is_our_temporary(path.name)]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is a POSIX signal")
def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_file_whole(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    moments = random.Random(20261202)
    left_temporaries = 0
    seen_titles = set()
    child = start_saving(tmp_path)
    expected_csv = {(tmp_path / f"expected-{n}.csv").read_text() for n in (0, 1)}
    for kill in range(KILLS):
        if kill:
            child = start_saving(tmp_path)
        time.sleep(moments.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        opened = lesson.load(work / "lesson.gdlesson")  # parses back: whole
        assert opened.title in ("version 0", "version 1")
        assert len(opened.history) == 3_001
        seen_titles.add(opened.title)
        assert (work / "history.csv").read_text() in expected_csv
        left_temporaries += bool(ours(work))
        # The next save in that folder removes what the killed one left.
        lesson.save(opened, work / "lesson.gdlesson")
        assert sorted(path.name for path in work.iterdir()) == ["history.csv", "lesson.gdlesson"]
    # The kills did land inside saves (else this test would prove nothing), and both versions
    # were found whole at some kill.
    assert left_temporaries >= 3
    assert seen_titles == {"version 0", "version 1"}
