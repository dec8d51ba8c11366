"""Fault tests: a full disk or a read-only folder keeps the old file whole, leaves no temporary
file of ours and says so in one sentence."""

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


OLD = b"the old file, whole"


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder holding the old files, then made read-only: as root (who may write anywhere) a
    tmpfs remounted read-only; otherwise the folder's permissions (0555)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    as_root = os.geteuid() == 0
    if as_root and _mount(["-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)]) != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must be able to mount a tmpfs for the read-only tests")
        pytest.skip("mounting a tmpfs failed (a container without the right to mount?)")
    for name in NAMES.values():
        (folder / name).write_bytes(OLD)
    if as_root:
        assert _mount(["-o", "remount,ro", str(folder)]) == 0
    else:
        folder.chmod(0o555)
    try:
        yield folder
    finally:
        if as_root:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        else:
            folder.chmod(0o755)


def _mount(arguments: list[str]) -> int:
    return subprocess.run(["mount", *arguments], capture_output=True).returncode


NAMES = {
    "lesson": "lesson.gdlesson",
    "history": "history.csv",
    "handout": "handout.png",
    "png": "plot-error.png",
    "svg": "plot-error.svg",
}


def _save(window, what: str, folder: Path) -> bool:
    """Save ``what`` into ``folder`` as the menu's actions do, once their dialog is answered."""
    target = folder / NAMES[what]
    if what == "lesson":
        return window.lesson_files.save_lesson(target)
    if what == "history":
        return window.exports.export_history(target)
    if what == "handout":
        return window.exports.export_handout(target)
    return window.exports.export_plots(folder / f"plot{target.suffix}")


@pytest.mark.parametrize("what", NAMES)
def test_a_read_only_folder_refuses_the_save_in_one_sentence(qtbot, window, read_only_folder, what):
    before = sorted(p.name for p in read_only_folder.iterdir())
    assert not _save(window, what, read_only_folder)
    assert sorted(p.name for p in read_only_folder.iterdir()) == before
    assert all((read_only_folder / name).read_bytes() == OLD for name in NAMES.values())
    message = shown(window, "status_message")  # "⚠ " and the sentence
    said = "The disk is read-only:" if os.geteuid() == 0 else "There is no permission to write"
    assert said in message and "was not saved" in message
    assert message.endswith(".") and message.count(". ") == 0 and "Errno" not in message


def _fill(folder: Path) -> None:
    try:
        with open(folder / "filler", "wb", buffering=0) as stream:
            while True:
                stream.write(b"\0" * 4096)
    except OSError:
        pass


@pytest.mark.parametrize("what", NAMES)
def test_a_full_disk_keeps_the_old_file(qtbot, window, full_disk, what):
    name = NAMES[what]
    (full_disk / name).write_bytes(OLD)
    _fill(full_disk)
    assert not _save(window, what, full_disk)
    assert (full_disk / name).read_bytes() == OLD
    assert sorted(p.name for p in full_disk.iterdir()) == sorted(["filler", name])
    assert "was not saved" in shown(window, "status_message")
