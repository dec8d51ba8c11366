"""Fault tests: a full disk keeps the old file whole and leaves no temporary file of ours."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.gui.helpers import shown


@pytest.fixture
def full_disk(tmp_path):
    """A 512 KB tmpfs, filled; mounting needs root (and CI runs as root, so there it must work)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = os.geteuid() == 0 and (
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)]).returncode
        == 0
    )
    if not mounted:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must be able to mount a tmpfs for the full-disk tests")
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> None:
    try:
        with open(folder / "filler", "wb", buffering=0) as stream:
            while True:
                stream.write(b"\0" * 4096)
    except OSError:
        pass


@pytest.mark.parametrize(
    "what, name",
    [
        ("lesson", "lesson.gdlesson"),
        ("history", "history.csv"),
        ("handout", "handout.png"),
        ("png", "plot-error.png"),
        ("svg", "plot-error.svg"),
    ],
)
def test_a_full_disk_keeps_the_old_file(qtbot, window, full_disk, what, name):
    old = full_disk / name
    old.write_bytes(b"the old file, whole")
    _fill(full_disk)
    target = full_disk / name
    if what == "lesson":
        assert not window.lesson_files.save_lesson(target)
    elif what == "history":
        assert not window.exports.export_history(target)
    elif what == "handout":
        assert not window.exports.export_handout(target)
    else:
        assert not window.exports.export_plots(full_disk / f"plot{target.suffix}")
    assert old.read_bytes() == b"the old file, whole"
    assert sorted(p.name for p in full_disk.iterdir()) == sorted(["filler", name])
    assert "was not saved" in shown(window, "status_message")
