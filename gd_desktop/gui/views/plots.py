"""The two live plots. Items are created once and updated with ``setData``.

They draw the session's numbers as they are; the only reduction is the error curve's min/max
envelope when the history has more points than the plot has pixels (every peak stays visible).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from gd_desktop.core import drawing, engine
from gd_desktop.gui.session import Session
from gd_desktop.gui.views.plot_style import (
    BLUE,
    GREY,
    GRID_POINTS,
    MAX_CURVE_POINTS,
    ORANGE,
    VERMILION,
    IntegerAxis,
    Marker,
    legend_html,
    peak_envelope,
    prepare_plot,
    still_fits,
)

TRAIL_LENGTH = 15  # enough to see a zigzag, few enough to stay readable


def _line(plot: pg.PlotWidget, pen) -> pg.PlotCurveItem:
    """A plain line, added to ``plot``.

    A PlotCurveItem rather than ``plot.plot()``: that makes a PlotDataItem, which wraps a curve
    and a scatter of symbols, and costs three times as much to build, update and paint.
    """
    curve = pg.PlotCurveItem([], [], pen=pen)
    plot.addItem(curve)
    return curve


class ErrorPlot(pg.PlotWidget):
    """The error (or the loss) over iterations; its first data item is that history."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent, enableMenu=False, axisItems={"bottom": IntegerAxis("bottom")})
        self.setObjectName("error_plot")
        # A click takes the focus out of a box (committing its edit); Tab passes the plot by.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._session = session
        self._show_loss = False
        self._hand_marker_count = -1
        self._title = ""
        self._values = np.zeros(1)
        self._x_view = (0.0, 0.0)
        self._y_view = (0.0, 0.0)
        prepare_plot(self, "Error over iterations", "error", "iteration")
        self.history_curve = _line(self, pg.mkPen(BLUE, width=3))  # the first data item
        # With mini-batches: the loss on each step's batch, noisy, behind the full loss.
        self.batch_curve = _line(self, pg.mkPen(150, 150, 150, 170, width=1.5))
        self.batch_curve.setZValue(-1)
        self.current_marker = Marker(
            symbol="o", size=14, brush=pg.mkBrush(VERMILION), pen=pg.mkPen("k", width=1.5)
        )
        self.addItem(self.current_marker, ignoreBounds=True)
        self.hand_markers = pg.ScatterPlotItem(
            [], [], symbol="t", size=16, brush=pg.mkBrush(ORANGE), pen=pg.mkPen("k", width=1)
        )
        self.addItem(self.hand_markers)
        self.legend_html = self._legend_for("error")
        self.legend_label = None  # the window's legend under the plot: its words follow the curve
        self.zero_line = pg.InfiniteLine(
            pos=0,
            angle=0,
            pen=pg.mkPen(GREY, width=2, style=Qt.PenStyle.DashLine),
            label="error 0: prediction = target",
            labelOpts={"position": 0.6, "color": GREY},
        )
        self.addItem(self.zero_line)
        self.getPlotItem().vb.disableAutoRange()

    def show_marker(self) -> None:
        """Mark the iteration on view (the newest, or one the user stepped back to)."""
        index = min(self._session.shown_index, self._values.shape[0] - 1)
        self.current_marker.move_to(index, self._values[index])

    def set_show_loss(self, show_loss: bool) -> None:
        self._show_loss = show_loss
        self._set_title()
        self.refresh(full=True)

    @staticmethod
    def _legend_for(shown: str) -> str:
        """The legend's words for what the curve shows: the error, the loss, or with
        mini-batches the loss on all rows and on each step's rows."""
        curves = {
            "error": [("━━", BLUE, "error")],
            "loss": [("━━", BLUE, "loss")],
            "batch loss": [
                ("━━", BLUE, "loss on all rows"),
                ("──", GREY, "loss on the step's rows"),
            ],
        }[shown]
        return legend_html([*curves, ("●", VERMILION, "on view"), ("▼", ORANGE, "moved by hand")])

    def _set_title(self) -> None:
        """Say what is plotted: the loss, the error, or with several rows the first row's error."""
        problem = self._session.problem
        show_loss = self._show_loss or problem.batch_size > 0
        several = problem.row_count > 1
        if problem.batch_size:
            title = f"Loss: all rows (blue) and each step's {problem.batch_size} row(s) (grey)"
        elif show_loss:
            title = "Loss (mean squared error) over iterations"
        elif several:
            title = "Error of row 1 over iterations"
        else:
            title = "Error over iterations"
        if title == self._title:
            return
        self._title = title
        self.setTitle(title, size="15pt")
        shown = "batch loss" if problem.batch_size else "loss" if show_loss else "error"
        self.legend_html = self._legend_for(shown)
        if self.legend_label is not None:
            self.legend_label.setText(self.legend_html)
        self.getAxis("left").setLabel("loss" if show_loss else "error", **{"font-size": "13pt"})
        self.zero_line.label.setFormat("loss 0" if show_loss else "error 0: prediction = target")

    def refresh(self, full: bool = False) -> None:
        if full:
            self._set_title()
        history = self._session.history
        batches = self._session.problem.batch_size > 0
        values = history.losses if self._show_loss or batches else history.errors[:, 0]
        values = drawing.clipped(values)  # a run that grew huge goes off the top, finitely
        if batches and len(history) > 1:
            steps = np.arange(1, len(history))
            bx, by = peak_envelope(
                steps,
                drawing.clipped(history.batch_losses[1:]),
                2 * max(100, self.viewport().width()),
            )
            self.batch_curve.setData(bx, by)
        else:
            self.batch_curve.setData([], [])
        iterations = np.arange(values.shape[0])
        # A low and a high per pixel column: every peak is drawn, nothing more is.
        columns = min(MAX_CURVE_POINTS // 2, max(100, self.viewport().width()))
        xs, ys = peak_envelope(iterations, values, 2 * columns)
        # A history longer than the plot is wide is drawn as its envelope; when the run
        # oscillates, that is a zigzag from the low to the high of every column, and smoothing
        # its edges cost 50 ms a frame (the window fell to a few frames a second). Without
        # antialiasing it looks the same, a band, and takes a millisecond or two.
        self.history_curve.setData(xs, ys, antialias=values.shape[0] <= 2 * columns)
        self._values = values
        self.show_marker()
        moved = np.flatnonzero(history.moved_by_hand)
        if full or moved.shape[0] != self._hand_marker_count:
            self._hand_marker_count = moved.shape[0]
            self.hand_markers.setData(moved.astype(float), values[moved])
            self.hand_markers.setVisible(moved.shape[0] > 0)  # an empty one still costs a paint
        self._keep_in_view(values.shape[0] - 1, float(ys.min()), float(ys.max()), full)

    def _keep_in_view(self, last: int, low: float, high: float, full: bool) -> None:
        """Set the range ourselves, in steps, instead of auto-ranging at every paint.

        The x-range grows by half again when the run reaches its end, so the view moves now and
        then rather than at every step; ``full`` (a Reset, a new problem) starts it afresh, so data
        that shrank never leaves the old range behind.
        """
        x_high = self._x_view[1]
        if full or last > x_high or last < 0.4 * x_high:
            x_high = max(10.0, 1.5 * last)
        low, high = min(low, 0.0), max(high, 0.0)
        wanted = drawing.padded_range(low, high, 0.08)
        y_view = self._y_view
        if full or not still_fits(y_view, (low, high)):
            y_view = wanted
        if (0.0, x_high) != self._x_view or y_view != self._y_view:
            self._x_view, self._y_view = (0.0, x_high), y_view
            pad = 0.02 * x_high
            # More room on the right: the last tick's number is centred on it, and a number
            # that would stick out of the plot is not drawn at all.
            self.setRange(xRange=(-pad, x_high + 3 * pad), yRange=y_view, padding=0)


class LossPlot(pg.PlotWidget):
    """The loss along one weight: the curve, where the weight is, its tangent and its trail."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent, enableMenu=False)  # no context menu: a third of the cost
        self.setObjectName("loss_plot")
        # A click takes the focus out of a box (committing its edit); Tab passes the plot by.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._session = session
        self.weight_index = 0
        self._x_view = (0.0, 0.0)
        self._y_view = (0.0, 0.0)
        prepare_plot(self, "Loss along weight 1", "loss", "weight 1")
        self.curve = _line(self, pg.mkPen(BLUE, width=3))
        self.tangent = _line(self, pg.mkPen(VERMILION, width=3, style=Qt.PenStyle.DashLine))
        self.trail = self.plot(
            [],
            [],
            pen=pg.mkPen(150, 150, 150, 150, width=1.5),
            symbol="s",
            symbolSize=9,
            symbolBrush=pg.mkBrush(120, 120, 120, 190),
            symbolPen=None,
        )
        self.next_step = _line(self, pg.mkPen(213, 94, 0, 130, width=2, style=Qt.PenStyle.DotLine))
        self.next_marker = Marker(
            symbol="o", size=14, brush=None, pen=pg.mkPen(213, 94, 0, 200, width=2)
        )
        self.addItem(self.next_marker, ignoreBounds=True)
        self.point = Marker(
            symbol="o", size=16, brush=pg.mkBrush(VERMILION), pen=pg.mkPen("k", width=1.5)
        )
        self.addItem(self.point, ignoreBounds=True)
        self.show_next_step = True
        self.show_tangent = True  # a quiz on the slope hides it
        self.legend_html = legend_html(
            [
                ("━━", BLUE, "loss"),
                ("╍╍", VERMILION, "tangent (its slope)"),
                ("■", GREY, "earlier"),
                ("●", VERMILION, "on view"),
                ("○", VERMILION, "next step"),
            ]
        )
        self.too_large = pg.TextItem(
            drawing.LOSS_TOO_LARGE,
            color=VERMILION,
            anchor=(0.5, 0.5),
        )
        self.too_large.setVisible(False)
        self.addItem(self.too_large, ignoreBounds=True)
        self.getPlotItem().vb.disableAutoRange()

    def set_weight_index(self, index: int) -> None:
        """Follow another weight; the caller redraws (once, with everything else)."""
        self.weight_index = index
        self._x_view = (0.0, 0.0)  # another weight (or problem): choose the view afresh
        problem = self._session.problem
        name = f"weight {index + 1}" if problem.hidden_count == 0 else problem.weight_name(index)
        self.setTitle(f"Loss along {name}", size="15pt")
        self.getAxis("bottom").setLabel(name, **{"font-size": "13pt"})

    def refresh(self, details: bool = True) -> None:
        """Redraw for the iteration on view; without ``details`` (a fast run) keep the trail."""
        session = self._session
        problem = session.shown_problem
        current = session.shown
        shown = session.shown_index
        index = min(self.weight_index, problem.weight_count - 1)
        weights = current.weights
        w = weights[index]
        trail_values = session.history.weights[max(0, shown - TRAIL_LENGTH) : shown, index]
        next_weights = session.next_weights
        landing = float(next_weights[index])
        if not drawing.all_drawable(next_weights) or not self.show_next_step:
            landing, next_weights = w, weights
        if not current.is_finite or not drawing.is_drawable(w, current.loss):
            self._show_too_large()  # nothing finite, or nothing small enough, to draw
            return
        window = self._x_range(problem, current, index, [*trail_values, landing])
        if window is None:
            self._show_too_large()
            return
        low, high = window
        self.too_large.setVisible(False)
        view_low, view_high = self._kept_x_range((low, high))
        points = GRID_POINTS
        if not engine.is_quadratic_along(problem, index):  # every row at every point
            points = int(min(GRID_POINTS, max(41, 4_000_000 // problem.row_count)))
        grid = np.linspace(view_low, view_high, points)
        losses = engine.loss_along_weight(problem, weights, index, grid, current)
        if not drawing.all_drawable(losses):
            self._show_too_large()
            return
        tangent_x, tangent_y = drawing.tangent_line(
            w, current.loss, current.gradient[index], (high - low) * 0.22
        )
        trail_losses = engine.loss_along_weight(problem, weights, index, trail_values, current)
        trail_x, trail_y = drawing.drawable_points(
            np.append(trail_values, w), np.append(trail_losses, current.loss)
        )
        # The loss after the whole step (every weight moves), which is what the step is judged by.
        with np.errstate(over="ignore", invalid="ignore"):
            landing_loss = engine.loss_of(problem, next_weights)
        if not drawing.is_drawable(landing, landing_loss):
            landing, landing_loss = w, current.loss
        self.curve.setData(grid, losses)
        if self.show_tangent:
            self.tangent.setData(tangent_x, tangent_y)
        else:
            self.tangent.setData([], [])
        if details:
            self.trail.setData(trail_x, trail_y)
        self.point.move_to(w, current.loss)
        if self.show_next_step and landing != w:
            self.next_step.setData([w, landing], [current.loss, landing_loss])
            self.next_marker.move_to(landing, landing_loss)
        else:
            self.next_step.setData([], [])
            self.next_marker.setVisible(False)
        on_view = np.append(trail_y, landing_loss)
        in_window = losses[(grid >= low) & (grid <= high)]
        bottom = min(float(in_window.min()) if in_window.size else np.inf, float(on_view.min()))
        y_range = drawing.padded_range(bottom, max(float(on_view.max()), bottom), 0.12)
        if (view_low, view_high) != self._x_view or not still_fits(self._y_view, y_range):
            self._x_view, self._y_view = (view_low, view_high), y_range
            self.setRange(xRange=self._x_view, yRange=y_range, padding=0)

    def _kept_x_range(self, wanted: tuple[float, float]) -> tuple[float, float]:
        """Keep the view still while what must be seen stays well inside it.

        A still frame is easier to watch than one that shifts a little at every step, and
        re-ranging is the dearest part of a refresh.
        """
        return self._x_view if still_fits(self._x_view, wanted) else wanted

    def _show_too_large(self) -> None:
        for item in (self.curve, self.tangent, self.trail, self.next_step):
            item.setData([], [])
        self.point.setVisible(False)
        self.next_marker.setVisible(False)
        self._x_view = self._y_view = (0.0, 1.0)
        self.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        self.too_large.setPos(0.5, 0.5)
        self.too_large.setVisible(True)

    @staticmethod
    def _x_range(problem, current, index, trail_values) -> tuple[float, float] | None:
        """A window that holds the weight, its trail, and the bottom of the curve (None: too
        large to draw)."""
        weights = current.weights
        w = weights[index]
        points = [w, *trail_values]
        bottom = engine.minimum_along_weight(problem, weights, index, current)
        if bottom is not None:
            points.append(bottom)
        return drawing.view_around(points, 0.15, max(0.5, abs(w) * 0.25))
