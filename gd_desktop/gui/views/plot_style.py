"""What every plot of the app shares: colours, markers, axes, titles, legends and themes.

The main plots, the contour map and the comparison draw with these, so they look alike and a
change of style or theme reaches them all.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QBrush, QFont, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from gd_desktop.core.i18n import _

if TYPE_CHECKING:
    from gd_desktop.gui.themes import Theme

# Colour-blind-safe (Okabe–Ito) colours; every item also differs in shape or line style.
BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILION = "#D55E00"
GREEN = "#009E73"
GREY = "#777777"

MAX_CURVE_POINTS = 4000  # a low and a high for each pixel column of the widest screen
GRID_POINTS = 401
TITLE_POINTS, LABEL_POINTS, TICK_POINTS, MESSAGE_POINTS = 15, 13, 12, 12

pg.setConfigOptions(antialias=True, background="w", foreground="k")


class Marker(QGraphicsPathItem):
    """A symbol of a fixed size on screen that moves: made once, then only its position changes.

    A plain Qt item, drawn by Qt itself: a one-point ScatterPlotItem costs several times as
    much to paint, and the plots repaint at every frame of a run.
    """

    def __init__(self, symbol: str = "o", size: float = 12, brush=None, pen=None):
        super().__init__()
        path = QPainterPath()
        half = size / 2
        if symbol == "s":
            path.addRect(-half, -half, size, size)
        else:
            path.addEllipse(QPointF(0.0, 0.0), half, half)
        self.setPath(path)
        # Its size in pixels, whatever the zoom: the position alone follows the data.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setPen(pen if pen is not None else QPen(Qt.PenStyle.NoPen))
        self.setBrush(brush if brush is not None else QBrush(Qt.BrushStyle.NoBrush))
        self._position = (0.0, 0.0)
        self.setVisible(False)

    def move_to(self, x: float, y: float) -> None:
        self._position = (float(x), float(y))
        self.setPos(*self._position)
        self.setVisible(True)

    def position(self) -> tuple[float, float]:
        return self._position

    def setExportMode(self, export: bool, options=None) -> None:  # noqa: N802 (pyqtgraph hook)
        """Drawn to a file at ``resolutionScale`` times the screen's pixels, the marker grows
        with everything else (it stayed tiny under the trail's squares, which grow)."""
        scale = float((options or {}).get("resolutionScale", 1.0)) if export else 1.0
        self.setScale(scale)


class IntegerAxis(pg.AxisItem):
    """An iteration axis: iterations are whole numbers, so ticks at 0.5 would mislead."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph override)
        levels = []
        for spacing, values in super().tickValues(minVal, maxVal, size):
            if spacing >= 1:
                levels.append((spacing, values))
        return levels or [(1.0, [float(v) for v in range(int(minVal), int(maxVal) + 1)])]


def legend_html(entries: list[tuple[str, str, str]]) -> str:
    """A legend as rich text for a label under the plot: (glyph, colour, name) per entry.

    Outside the plot it can never hide a point, and it is not repainted with every frame.
    Each entry differs by its glyph as well as its colour.
    """
    return "&nbsp; ".join(
        f"<span style='color:{colour}; font-weight: bold'>{glyph}</span>&nbsp;"
        + name.replace(" ", "&nbsp;")  # an entry never breaks across lines
        for glyph, colour, name in entries
    )


class FittedLegend(QObject):
    """A legend label that keeps to one row: at the label's own size when that fits its width,
    else a size smaller (it took two rows under the narrow plots of 1024 × 768, and every row
    it takes is a row the plot loses). Still too long (a longer language), it wraps."""

    def __init__(self, label) -> None:
        super().__init__(label)
        self._label = label
        self._html = label.text()
        label.installEventFilter(self)
        self.set_html(self._html)

    def set_html(self, html: str) -> None:
        self._html = html
        self._fit()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            self._fit()
        return False

    def _fit(self) -> None:
        label = self._label
        line = label.fontMetrics().lineSpacing()
        label.setText(self._html)
        if label.width() > 0 and label.heightForWidth(label.width()) > 1.5 * line:
            label.setText(f"<span style='font-size: small'>{self._html}</span>")


class LegendOwner:
    """A plot with a legend label under it (the window places the label): the plot sets its
    words, and the label keeps to one row."""

    legend_html = ""
    _legend_fitter: FittedLegend | None = None

    @property
    def legend_label(self):
        return None if self._legend_fitter is None else self._legend_fitter._label

    @legend_label.setter
    def legend_label(self, label) -> None:
        self._legend_fitter = None if label is None else FittedLegend(label)
        if label is not None and self.legend_html:
            self._legend_fitter.set_html(self.legend_html)

    def show_legend(self, html: str) -> None:
        """The legend's words (rich text from :func:`legend_html`)."""
        if html == self.legend_html:
            return
        self.legend_html = html
        if self._legend_fitter is not None:
            self._legend_fitter.set_html(html)


def _font(points: float) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    return font


def text_scale(plot) -> float:
    """The plot's text size, as a share of the normal one (View ▸ Larger text)."""
    return getattr(plot, "_gd_text_scale", 1.0)


def scale_plot_fonts(plot: pg.PlotWidget, scale: float) -> None:
    """Title, axis labels, tick numbers and messages at ``scale`` times their normal size."""
    plot._gd_text_scale = scale
    item = plot.getPlotItem()
    item.titleLabel.setText(item.titleLabel.text, size=f"{TITLE_POINTS * scale:.0f}pt")
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.label.setFont(_font(LABEL_POINTS * scale))
        axis.setTickFont(_font(TICK_POINTS * scale))
        axis.setLabel(axis.labelText, **{"font-size": f"{LABEL_POINTS * scale:.0f}pt"})
    for message in item.vb.addedItems:
        if isinstance(message, PlotMessage) and message.isVisible():
            message.show()  # in the new size, wrapped again


def set_title(plot: pg.PlotWidget, text: str, shown: bool = True) -> None:
    """The plot's title, in the plot's text size (a change of words keeps a larger text).

    Not ``shown``: kept as the plot's accessible name and tooltip only, its row given to the
    data (the window's plots have a chooser above them and axis labels that say as much).
    """
    item = plot.getPlotItem()
    size = f"{TITLE_POINTS * text_scale(plot):.0f}pt"
    plot.setAccessibleName(text)
    if shown:
        item.setTitle(text, size=size)
        return
    item.titleLabel.setText(text, size=size)
    item.setTitle(None)  # hidden, its row at no height; the text is kept


def set_axis_label(plot: pg.PlotWidget, side: str, text: str) -> None:
    """An axis's label, in the plot's text size."""
    axis = plot.getAxis(side)
    if text != axis.labelText:
        axis.setLabel(text, **{"font-size": f"{LABEL_POINTS * text_scale(plot):.0f}pt"})


class PlotMessage(pg.TextItem):
    """A sentence across the middle of a plot (why nothing is drawn): wrapped to the plot's
    width so it is whole (it was cut at both ends), in the plot's text size, in the language
    in use. ``message`` is the English sentence, translated where shown."""

    def __init__(self, plot: pg.PlotWidget, message: str, colour: str = VERMILION):
        super().__init__("", color=colour, anchor=(0.5, 0.5))
        self._plot = plot
        self._message = message
        self.setVisible(False)
        plot.addItem(self, ignoreBounds=True)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHtml(f"<div style='text-align: center'>{escape(_(self._message))}</div>")
        if self.isVisible():
            self.show()

    def show(self) -> None:
        """In the middle of the view, as wide as the view less a margin."""
        view = self._plot.getPlotItem().vb
        self.setFont(_font(MESSAGE_POINTS * text_scale(self._plot)))
        self.setTextWidth(max(80.0, view.boundingRect().width() - 16))
        (x_low, x_high), (y_low, y_high) = view.viewRange()
        self.setPos((x_low + x_high) / 2, (y_low + y_high) / 2)
        self.setVisible(True)


def prepare_plot(plot: pg.PlotWidget, title: str, left: str, bottom: str) -> None:
    """Title, axis labels, fonts and grid: every plot of the app looks and reads the same.

    The words are the caller's, already translated (a view sets them again in retranslate()).
    """
    plot.setTitle(title, size=f"{TITLE_POINTS}pt")
    for side, text in (("left", left), ("bottom", bottom)):
        axis = plot.getAxis(side)
        axis.setLabel(text, **{"font-size": f"{LABEL_POINTS}pt"})
        font = axis.label.font()
        font.setPointSizeF(TICK_POINTS)
        axis.setTickFont(font)
    for side in ("left", "bottom"):
        # "error (x0.001)" with ticks at −800 reads as a different number to a student.
        plot.getAxis(side).enableAutoSIPrefix(False)
    plot.showGrid(x=True, y=True, alpha=0.25)
    for side in ("left", "bottom"):
        # Grid lines at the labelled ticks only: as readable, and far fewer lines per repaint.
        plot.getAxis(side).setStyle(maxTickLevel=0)
    plot.setMenuEnabled(False)
    plot.getPlotItem().hideButtons()


def set_view(plot: pg.PlotWidget, x: tuple[float, float], y: tuple[float, float]) -> None:
    """Show the ranges ``x`` and ``y`` exactly. The view's new transform is applied at once,
    not when the plot is next painted (pyqtgraph's way): its items then move within that
    paint, which would otherwise have to be followed by a second one."""
    plot.setRange(xRange=x, yRange=y, padding=0)
    plot.getPlotItem().vb.updateMatrix()


def still_fits(shown: tuple[float, float], wanted: tuple[float, float]) -> bool:
    """True when ``wanted`` lies inside ``shown`` and fills at least 40 % of it."""
    shown_span = shown[1] - shown[0]
    wanted_span = wanted[1] - wanted[0]
    return shown[0] <= wanted[0] and wanted[1] <= shown[1] and wanted_span >= 0.4 * shown_span


def style_plot(plot: pg.PlotWidget, theme: Theme) -> None:
    """Ground, axes and labels of one pyqtgraph plot in the theme's colours."""
    plot.setBackground(theme.base)
    item = plot.getPlotItem()
    item.titleLabel.setText(item.titleLabel.text, color=theme.ink)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(theme.ink)
        axis.setTextPen(theme.ink)
        axis.setLabel(axis.labelText, color=theme.ink)
