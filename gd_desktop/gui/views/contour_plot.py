"""A contour map of the loss over two chosen weights, with the descent path drawn on it (or,
while the comparison is on, every compared run's path in the comparison's colours).

The surface is the loss with every other weight held at the iteration on view (as the loss curve
is); the engine computes it over the grid at once. It is drawn only while it is on screen.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gd_desktop.core import comparison, drawing, engine
from gd_desktop.core.i18n import _
from gd_desktop.gui.session import Session
from gd_desktop.gui.views.compare_rows import RUN_STYLES
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
FINE_GRID = 120  # without a hidden layer the grid is a quadratic: smooth lines cost little
LEVELS = 7
#: Under the compared runs: dark grey (low loss) to near white (high), no hue of their own.
COMPARED_COLOURS = pg.ColorMap([0.0, 1.0], [(88, 88, 88), (246, 246, 246)])
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
    """Two weight choosers and the map; renders what the session holds, or, while the
    comparison is on, every compared run's path in its colour."""

    def __init__(self, session: Session, parent=None, legend_runs: bool = True):
        super().__init__(parent)
        self._session = session
        self._legend_runs = legend_runs  # False in the comparison: its own legend names them
        self._comparison = None  # the CompareView whose runs to draw while it is shown
        self._comparing = False
        self._map_key = None  # what the map drawn shows (see refresh)
        self.first_choice = QComboBox()
        self.first_choice.setObjectName("contour_first")
        self.second_choice = QComboBox()
        self.second_choice.setObjectName("contour_second")
        for choice in (self.first_choice, self.second_choice):
            choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            choice.currentIndexChanged.connect(self._on_choice)
        self.plot = pg.PlotWidget(enableMenu=False)
        self.plot.setObjectName("contour_plot")
        prepare_plot(self.plot, "", "", "")
        self.plot.showGrid(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("cividis"))
        self.plot.addItem(self.image)
        self.isocurves = [
            pg.IsocurveItem(pen=pg.mkPen(255, 255, 255, 150, width=1.5)) for _ in range(LEVELS)
        ]
        for curve in self.isocurves:
            curve.setParentItem(self.image)
        self.path = self.plot.plot([], [], pen=pg.mkPen(VERMILION, width=2.5))
        # While comparing: per run a light halo under its line (visible on the dark valley and
        # on the bright walls alike), its line, and its symbol where it is now.
        self.run_halos, self.run_paths, self.run_ends = [], [], []
        for slot, style in enumerate(RUN_STYLES):
            self.run_halos.append(self.plot.plot([], [], pen=pg.mkPen(255, 255, 255, 130, width=5)))
            self.run_paths.append(
                self.plot.plot([], [], pen=pg.mkPen(style.colour, width=3, style=style.line))
            )
            self.run_ends.append(
                self.plot.plot(
                    [], [], pen=None, symbol=style.symbol, symbolSize=16,
                    symbolBrush=style.colour, symbolPen=pg.mkPen("w", width=1.5),
                )
            )  # fmt: skip
            # The first run on top: the slowest of the optimizers' set (plain steps) stays in
            # sight where the others pass over the same valley floor.
            depth = 2 * (len(RUN_STYLES) - slot)
            self.run_halos[-1].setZValue(depth)
            self.run_paths[-1].setZValue(depth + 1)
            self.run_ends[-1].setZValue(20 + depth)
        self.lowest = Marker(symbol="o", size=10, brush=pg.mkBrush("w"), pen=pg.mkPen("k", width=2))
        self.start = Marker(symbol="s", size=12, brush=pg.mkBrush(GREY), pen=pg.mkPen("w"))
        self.point = Marker(
            symbol="o", size=15, brush=pg.mkBrush(VERMILION), pen=pg.mkPen("w", width=2)
        )
        for item in (self.lowest, self.start, self.point):
            self.plot.addItem(item, ignoreBounds=True)
        self.plot.getPlotItem().vb.disableAutoRange()
        self._x_view = (0.0, 0.0)
        self._y_view = (0.0, 0.0)
        self.across_label, self.up_label = QLabel(), QLabel()
        row = QHBoxLayout()
        row.addWidget(self.across_label)
        row.addWidget(self.first_choice)
        row.addWidget(self.up_label)
        row.addWidget(self.second_choice)
        row.addStretch(1)
        self.legend = QLabel()
        self.legend.setObjectName("contour_legend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)
        self.retranslate()
        self.show_problem()

    def retranslate(self) -> None:
        """The words in the language in use; the title and legend follow at the next refresh."""
        self.first_choice.setAccessibleName(_("Weight across the map"))
        self.first_choice.setToolTip(_("The weight along the map's horizontal axis"))
        self.second_choice.setAccessibleName(_("Weight up the map"))
        self.second_choice.setToolTip(_("The weight along the map's vertical axis"))
        self.plot.setAccessibleName(_("Contour map of the loss over two weights"))
        self.across_label.setText(_("Across"))
        self.up_label.setText(_("up"))
        self._show_legend([])
        self.refresh()

    def follow(self, comparison) -> None:
        """Draw ``comparison``'s runs (a CompareView) while it is shown."""
        if comparison is self._comparison:
            return
        self._comparison = comparison
        comparison.runs_changed.connect(self.refresh)

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

    def compared_runs(self) -> list:
        """(slot, run) of each compared run to draw: none unless the comparison is shown and
        its runs are of the problem on view."""
        comparison = self._comparison
        if comparison is None or not comparison.isVisible():
            return []
        count = self._session.problem.weight_count
        return [(i, run) for i, run in comparison.shown_runs() if run.problem.weight_count == count]

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
            self.plot.setTitle(_("Choose two different weights (a problem needs two)"), size="13pt")
            self._clear_map()
            return
        compared = self.compared_runs()
        if bool(compared) != self._comparing:  # into or out of the comparison: a fresh view
            self._comparing = bool(compared)
            self._x_view = (0.0, 0.0)
            self._colour_map()
        names = (problem.weight_name(first), problem.weight_name(second))
        if compared:
            title = _("Loss over {first} and {second}: the compared runs")
        else:
            title = _("Loss over {first} and {second}")
        self.plot.setTitle(title.format(first=names[0], second=names[1]), size="13pt")
        self.plot.getAxis("bottom").setLabel(names[0], **{"font-size": "12pt"})
        self.plot.getAxis("left").setLabel(names[1], **{"font-size": "12pt"})
        if compared:
            weights = compared[0][1].history.weights[0]  # the others held at the runs' start
            paths = [
                (run.history.weights[:, first], run.history.weights[:, second])
                for _, run in compared
            ]
        else:
            weights = session.shown.weights
            history = session.history.weights[: session.shown_index + 1]
            paths = [(history[:, first], history[:, second])]
        paths = [_thinned(xs, ys) for xs, ys in paths]
        xs_all = np.concatenate([xs for xs, _ in paths] + [[weights[first]]])
        ys_all = np.concatenate([ys for _, ys in paths] + [[weights[second]]])
        lowest = comparison.lowest_point(problem, weights, first, second)
        if lowest is not None and drawing.is_drawable(*lowest):
            xs_all = np.append(xs_all, lowest[0])
            ys_all = np.append(ys_all, lowest[1])
        x_range = self._kept(self._x_view, xs_all, weights[first])
        y_range = self._kept(self._y_view, ys_all, weights[second])
        if x_range is None or y_range is None:
            self._show_too_large()
            return
        # The map is computed again only when what it shows changed: the data, the two weights,
        # the view, or the weights held (which a map over a problem's only two weights has none
        # of); a step of the runs alone moves their paths.
        held = b"" if problem.hidden_count == 0 and count == 2 else weights.tobytes()
        key = (
            problem.inputs.tobytes(), problem.targets.tobytes(), problem.hidden_count,
            problem.activation, first, second, x_range, y_range, held, self._comparing,
        )  # fmt: skip
        if key != self._map_key and not self._draw_map(
            problem, weights, first, second, x_range, y_range
        ):
            self._show_too_large()
            return
        self._map_key = key
        self._draw_paths(compared, paths, weights, first, second)
        if lowest is not None and drawing.is_drawable(*lowest):
            self.lowest.move_to(*lowest)
        else:
            self.lowest.setVisible(False)
        if (x_range, y_range) != (self._x_view, self._y_view):
            self._x_view, self._y_view = x_range, y_range
            self.plot.setRange(xRange=x_range, yRange=y_range, padding=0)

    def _draw_map(self, problem, weights, first, second, x_range, y_range) -> bool:
        """The loss over the grid, shaded, with its lines of equal loss; False when it is too
        large to draw."""
        cells = GRID if problem.hidden_count else FINE_GRID
        xs = np.linspace(*x_range, cells)
        ys = np.linspace(*y_range, cells)
        grid = engine.loss_grid(problem, weights, first, second, xs, ys)
        if not drawing.all_drawable(grid):  # an image of inf has no levels
            return False
        # Colour by log(loss) so that the valley floor and the far walls both show; a small
        # offset keeps a loss of exactly 0 (one data row's valley) from turning into specks.
        finite = grid[np.isfinite(grid)]
        offset = 1e-4 * float(finite.max()) if finite.size else 1.0
        shade = np.log10(np.maximum(grid, 0.0) + max(offset, 1e-300))
        self.image.setImage(shade, autoLevels=True)
        self.image.setRect(QRectF(xs[0], ys[0], xs[-1] - xs[0], ys[-1] - ys[0]))
        for curve, level in zip(self.isocurves, contour_levels(grid), strict=False):
            curve.setData(grid, level)
        return True

    def _colour_map(self) -> None:
        """Cividis for the one path; greys under the compared runs, so that each of their six
        colours stands out on the valley and on the walls alike."""
        if self._comparing:
            self.image.setColorMap(COMPARED_COLOURS)
            pen = pg.mkPen(70, 70, 70, 150, width=1.5)
        else:
            self.image.setColorMap(pg.colormap.get("cividis"))
            pen = pg.mkPen(255, 255, 255, 150, width=1.5)
        for curve in self.isocurves:
            curve.setPen(pen)

    def _draw_paths(self, compared, paths, weights, first: int, second: int) -> None:
        """The session's path and point, or each compared run's path and where it is now."""
        drawn = dict(zip((slot for slot, _run in compared), paths, strict=False))
        for slot in range(len(RUN_STYLES)):
            xs, ys = drawn.get(slot, ((), ()))
            points = drawing.drawable_points(np.asarray(xs, float), np.asarray(ys, float))
            self.run_halos[slot].setData(*points)
            self.run_paths[slot].setData(*points)
            self.run_ends[slot].setData(points[0][-1:], points[1][-1:])
        if compared:
            self.path.setData([], [])
            self.point.setVisible(False)
            self.start.move_to(weights[first], weights[second])
        else:
            path_x, path_y = paths[0]
            self.path.setData(*drawing.drawable_points(path_x, path_y))
            self.start.move_to(path_x[0], path_y[0])
            self.point.move_to(weights[first], weights[second])
        self._show_legend(compared)

    def _show_legend(self, compared) -> None:
        entries = []
        if compared and self._legend_runs:
            for slot, run in compared:
                style = RUN_STYLES[slot]
                entries.append((style.glyph, style.colour, comparison.run_name(run.choice)))
        elif not compared:
            entries += [("━━", VERMILION, _("descent path")), ("●", VERMILION, _("on view"))]
        entries += [
            ("■", GREY, _("start")),
            ("◯", GREY, _("lowest loss")),
            ("▒", GREY if compared else BLUE, _("darker = lower loss")),
            ("≈", GREY, _("lines of equal loss")),
        ]
        self.legend.setText(legend_html(entries))

    def _clear_map(self) -> None:
        """No map, no lines, no path and no markers: nothing the next map would contradict."""
        self._map_key = None
        self.image.clear()
        for curve in self.isocurves:
            curve.setData(None)
        self.path.setData([], [])
        for item in (*self.run_halos, *self.run_paths, *self.run_ends):
            item.setData([], [])
        for marker in (self.start, self.point, self.lowest):
            marker.setVisible(False)

    def _show_too_large(self) -> None:
        self._clear_map()
        self._x_view = (0.0, 0.0)  # the next drawable map chooses its view afresh
        self.plot.setTitle(_(drawing.MAP_TOO_LARGE), size="13pt")

    @staticmethod
    def _kept(
        current: tuple[float, float], points: np.ndarray, now: float
    ) -> tuple[float, float] | None:
        """A range holding the points (paths, the point on view, the lowest loss), kept still
        while they stay well inside; None when they are too large to draw."""
        wanted = drawing.view_around(points, 0.3, max(0.5, abs(now) * 0.25))
        if wanted is None:
            return None
        if still_fits(current, (float(points.min()), float(points.max()))):
            return current
        return wanted


def _thinned(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = comparison.thinned_indices(xs.shape[0], PATH_POINTS)
    return xs[keep], ys[keep]
