"""A contour map of the loss over two chosen weights, with the descent path drawn on it.

The surface is the loss with every other weight held at the iteration on view (as the loss curve
is); the engine computes it over the grid at once. It is drawn only while it is on screen.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gd_desktop.core import drawing, engine
from gd_desktop.gui.session import Session
from gd_desktop.gui.views.plot_style import (
    BLUE,
    GREY,
    VERMILION,
    Marker,
    legend_html,
    prepare_plot,
    still_fits,
)

GRID = 48  # cells per side: smooth enough on a projector, cheap enough for a hidden layer
LEVELS = 7
PATH_POINTS = 400  # the path is thinned to this many points; its ends are always kept


def contour_levels(grid: np.ndarray, count: int = LEVELS) -> list[float]:
    """Levels spaced evenly in log(loss) between the lowest and highest values on the map."""
    finite = grid[np.isfinite(grid)]
    if finite.size == 0:
        return []
    low, high = float(finite.min()), float(finite.max())
    if high <= low:
        return []
    floor = max(low, high * 1e-9, 1e-300)
    return [float(v) for v in np.geomspace(floor, high, count + 2)[1:-1]]


class ContourPanel(QWidget):
    """Two weight choosers and the map; renders what the session holds."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self._session = session
        self.first_choice = QComboBox()
        self.first_choice.setObjectName("contour_first")
        self.first_choice.setAccessibleName("Weight across the map")
        self.first_choice.setToolTip("The weight along the map's horizontal axis")
        self.second_choice = QComboBox()
        self.second_choice.setObjectName("contour_second")
        self.second_choice.setAccessibleName("Weight up the map")
        self.second_choice.setToolTip("The weight along the map's vertical axis")
        for choice in (self.first_choice, self.second_choice):
            choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            choice.currentIndexChanged.connect(self._on_choice)
        self.plot = pg.PlotWidget(enableMenu=False)
        self.plot.setObjectName("contour_plot")
        prepare_plot(self.plot, "Loss over two weights", "", "")
        self.plot.showGrid(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("cividis"))
        self.plot.addItem(self.image)
        self.isocurves = [pg.IsocurveItem(pen=pg.mkPen(255, 255, 255, 150, width=1.5))]
        self.isocurves += [
            pg.IsocurveItem(pen=pg.mkPen(255, 255, 255, 150, width=1.5)) for _ in range(LEVELS - 1)
        ]
        for curve in self.isocurves:
            curve.setParentItem(self.image)
        self.path = self.plot.plot([], [], pen=pg.mkPen(VERMILION, width=2.5))
        self.start = Marker(symbol="s", size=12, brush=pg.mkBrush(GREY), pen=pg.mkPen("w"))
        self.point = Marker(
            symbol="o", size=15, brush=pg.mkBrush(VERMILION), pen=pg.mkPen("w", width=2)
        )
        for item in (self.start, self.point):
            self.plot.addItem(item, ignoreBounds=True)
        self.plot.getPlotItem().vb.disableAutoRange()
        self.legend_html = legend_html(
            [
                ("━━", VERMILION, "descent path"),
                ("■", GREY, "start"),
                ("●", VERMILION, "on view"),
                ("▒", BLUE, "darker = lower loss"),
                ("≈", GREY, "lines of equal loss"),
            ]
        )
        self._x_view = (0.0, 0.0)
        self._y_view = (0.0, 0.0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Across"))
        row.addWidget(self.first_choice)
        row.addWidget(QLabel("up"))
        row.addWidget(self.second_choice)
        row.addStretch(1)
        legend = QLabel(self.legend_html)
        legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        layout.addWidget(legend)
        self.show_problem()

    @property
    def weights_shown(self) -> tuple[int, int]:
        return self.first_choice.currentIndex(), self.second_choice.currentIndex()

    def show_problem(self) -> None:
        """Offer the problem's weights; keep the choice when it still exists."""
        problem = self._session.problem
        names = [problem.weight_name(k) for k in range(problem.weight_count)]
        first, second = self.weights_shown
        for choice, keep, default in (
            (self.first_choice, first, 0),
            (self.second_choice, second, 1),
        ):
            choice.blockSignals(True)
            choice.clear()
            choice.addItems(names)
            index = keep if 0 <= keep < len(names) else default
            choice.setCurrentIndex(min(index, len(names) - 1))
            choice.blockSignals(False)
        self._x_view = (0.0, 0.0)
        self.refresh()

    def _on_choice(self, *_) -> None:
        self._x_view = (0.0, 0.0)
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisible():
            return
        session = self._session
        problem = session.shown_problem
        first, second = self.weights_shown
        count = problem.weight_count
        # The choosers follow a new problem when it is announced; a redraw before that (a run
        # paused as the problem changes) may still name weights the problem no longer has.
        if count < 2 or not (0 <= first < count and 0 <= second < count) or first == second:
            self.plot.setTitle("Choose two different weights (a problem needs two)", size="13pt")
            self._clear_map()
            return
        names = (problem.weight_name(first), problem.weight_name(second))
        self.plot.setTitle(f"Loss over {names[0]} and {names[1]}", size="13pt")
        self.plot.getAxis("bottom").setLabel(names[0], **{"font-size": "12pt"})
        self.plot.getAxis("left").setLabel(names[1], **{"font-size": "12pt"})
        shown = session.shown_index
        history = session.history.weights[: shown + 1]
        path_x, path_y = history[:, first], history[:, second]
        if path_x.shape[0] > PATH_POINTS:
            keep = np.unique(np.linspace(0, path_x.shape[0] - 1, PATH_POINTS).astype(int))
            path_x, path_y = path_x[keep], path_y[keep]
        weights = session.shown.weights
        x_range = self._kept(self._x_view, path_x, weights[first])
        y_range = self._kept(self._y_view, path_y, weights[second])
        grid = None
        if x_range is not None and y_range is not None:
            xs = np.linspace(*x_range, GRID)
            ys = np.linspace(*y_range, GRID)
            grid = engine.loss_grid(problem, weights, first, second, xs, ys)
        if grid is None or not drawing.all_drawable(grid):  # an image of inf has no levels
            self._show_too_large()
            return
        # Colour by log(loss) so that the valley floor and the far walls both show; a small
        # offset keeps a loss of exactly 0 (one data row's valley) from turning into specks.
        finite = grid[np.isfinite(grid)]
        offset = 1e-4 * float(finite.max()) if finite.size else 1.0
        shade = np.log10(np.maximum(grid, 0.0) + max(offset, 1e-300))
        self.image.setImage(shade, autoLevels=True)
        self.image.setRect(QRectF(xs[0], ys[0], xs[-1] - xs[0], ys[-1] - ys[0]))
        for curve, level in zip(self.isocurves, contour_levels(grid), strict=False):
            curve.setData(grid, level)
        self.path.setData(*drawing.drawable_points(path_x, path_y))
        self.start.move_to(path_x[0], path_y[0])
        self.point.move_to(weights[first], weights[second])
        if (x_range, y_range) != (self._x_view, self._y_view):
            self._x_view, self._y_view = x_range, y_range
            self.plot.setRange(xRange=x_range, yRange=y_range, padding=0)

    def _clear_map(self) -> None:
        """No map, no lines, no path and no markers: nothing the next map would contradict."""
        self.image.clear()
        for curve in self.isocurves:
            curve.setData(None)
        self.path.setData([], [])
        self.start.setVisible(False)
        self.point.setVisible(False)

    def _show_too_large(self) -> None:
        self._clear_map()
        self._x_view = (0.0, 0.0)  # the next drawable map chooses its view afresh
        self.plot.setTitle(drawing.MAP_TOO_LARGE, size="13pt")

    @staticmethod
    def _kept(
        current: tuple[float, float], path: np.ndarray, now: float
    ) -> tuple[float, float] | None:
        """A range holding the path and the point, kept still while they stay well inside;
        None when they are too large to draw."""
        wanted = drawing.view_around(np.append(path, now), 0.3, max(0.5, abs(now) * 0.25))
        if wanted is None:
            return None
        low, high = float(min(path.min(), now)), float(max(path.max(), now))
        if still_fits(current, (low, high)):
            return current
        return wanted
