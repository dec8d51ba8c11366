"""Files the window writes for a teacher: the history as CSV, plots as PNG or SVG, a handout.

Every file is written beside its destination under a temporary name and then renamed, so a crash
or a full disk never leaves half a file or destroys the previous one.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pyqtgraph.exporters
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from gd_desktop.core.files import replace_atomically
from gd_desktop.core.i18n import _

PLOT_WIDTH_PIXELS = 2400  # a plot as wide as an A4 page at 200 dpi
HANDOUT_SCALE = 3  # the window drawn at three times its size: print resolution


def export_plot(plot, path: Path) -> None:
    """A pyqtgraph plot as PNG (wide enough to print) or SVG (scalable), by the file's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        # Qt's own SVG painter: pyqtgraph 0.14's SVG exporter fails on Qt 6.11's path data.
        def write(temporary: Path) -> None:
            generator = QSvgGenerator()
            generator.setFileName(str(temporary))
            generator.setSize(plot.size())
            generator.setViewBox(plot.rect())
            generator.setTitle(plot.getPlotItem().titleLabel.text)
            painter = QPainter(generator)
            plot.render(painter)  # QGraphicsView.render: the scene as drawn in the view
            painter.end()

    elif suffix == ".png":
        exporter = pyqtgraph.exporters.ImageExporter(plot.getPlotItem())
        exporter.parameters()["width"] = PLOT_WIDTH_PIXELS

        def write(temporary: Path) -> None:
            image = exporter.export(toBytes=True)  # a QImage: saved here, not by the suffix
            if image is None or not image.save(str(temporary), "PNG"):
                raise OSError(_("the picture could not be written"))

    else:
        raise OSError(
            _("choose a .png or an .svg file name, not {name}").format(name=repr(Path(path).name))
        )
    replace_atomically(path, write, _svg_parses if suffix == ".svg" else _png_loads)


def _png_loads(temporary: Path) -> None:
    """pyqtgraph's exporter fails silently on a full disk: the picture must load back."""
    if QImage(str(temporary), "PNG").isNull():
        raise OSError(_("the picture does not load back"))


def _svg_parses(temporary: Path) -> None:
    """QSvgGenerator fails silently on a full disk: the drawing must parse, an <svg> root."""
    root = ElementTree.parse(temporary).getroot()
    if not root.tag.endswith("svg"):
        raise OSError(_("the drawing has no <svg> root"))


def render_handout(widget: QWidget, scale: int = HANDOUT_SCALE) -> QImage:
    """The widget as it is on screen, drawn ``scale`` times larger (text stays sharp)."""
    size = widget.size() * scale
    image = QImage(size, QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(96 * scale / 0.0254))
    image.setDotsPerMeterY(round(96 * scale / 0.0254))
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    widget.render(painter, QPoint())
    painter.end()
    return image


def export_handout(widget: QWidget, path: Path) -> None:
    image = render_handout(widget)

    def write(temporary: Path) -> None:
        if not image.save(str(temporary), "PNG"):
            raise OSError(_("the image could not be written"))

    replace_atomically(path, write, lambda temporary: _same_size(temporary, image))


def _same_size(temporary: Path, image: QImage) -> None:
    if QImage(str(temporary), "PNG").size() != image.size():
        raise OSError(_("the picture does not load back at its size"))
