"""Plots, handout and history written to files: whole files or none, and messages on failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from gd_desktop.core import files
from gd_desktop.gui import exports
from tests.gui.helpers import click, shown


def test_plots_export_as_png_and_svg(qtbot, window, tmp_path):
    """Both plots are written as PNG (print width) and as SVG, with nothing else left behind."""
    click(qtbot, window, "step_button")
    assert window.exports.export_plots(tmp_path / "lesson.png")
    image = QImage(str(tmp_path / "lesson-error.png"))
    assert image.width() == exports.PLOT_WIDTH_PIXELS
    assert window.exports.export_plots(tmp_path / "lesson.svg")
    svg = (tmp_path / "lesson-loss.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "lesson-error.png", "lesson-error.svg", "lesson-loss.png", "lesson-loss.svg",
    ]  # fmt: skip


def test_handout_is_the_window_at_print_resolution(qtbot, window, tmp_path):
    """The handout is the whole window drawn three times larger."""
    assert window.exports.export_handout(tmp_path / "handout.png")
    image = QImage(str(tmp_path / "handout.png"))
    central = window.centralWidget()
    assert image.width() == central.width() * exports.HANDOUT_SCALE
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, 900, 37)}
    assert len(colours) > 20  # drawn, not blank


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    """A write that fails half-way leaves the previous file whole and no temporary file."""
    target = tmp_path / "history.csv"
    target.write_text("the old contents")

    def broken(path, text):
        def write(temporary: Path) -> None:
            temporary.write_text(text[:3])
            raise OSError(28, "No space left on device")

        files.replace_atomically(path, write)

    with pytest.raises(OSError):
        broken(target, "new contents")
    assert target.read_text() == "the old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["history.csv"]


def test_unwritable_place_gives_a_message(qtbot, window, tmp_path):
    """Exporting into a folder that does not exist says so and writes nothing."""
    assert not window.exports.export_plots(tmp_path / "missing" / "plot.png")
    assert "was not saved" in shown(window, "status_message")
    assert not window.exports.export_plots(tmp_path / "plot.gif")
    assert "choose a .png or an .svg" in shown(window, "status_message")
