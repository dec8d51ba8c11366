"""The two live plots. Items are created once and updated with ``setData``.

They draw the session's numbers as they are; the only reduction is the error curve's min/max
envelope when the history has more points than the plot has pixels (every peak stays visible).
What stays in view is the core's choice (``core.plot_view``); the words are set in
``retranslate()``, so View ▸ Language redraws them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from gd_desktop.core import drawing, engine, plot_view
from gd_desktop.core.envelope import GrowingEnvelope, peak_envelope
from gd_desktop.core.i18n import _, ngettext
from gd_desktop.gui.session import Session
from gd_desktop.gui.views.plot_style import (
    BLUE,
    GREY,
    GRID_POINTS,
    MAX_CURVE_POINTS,
    ORANGE,
    VERMILION,
    IntegerAxis,
    LegendOwner,
    Marker,
    PlotMessage,
    legend_html,
    prepare_plot,
    set_axis_label,
    set_title,
    set_view,
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


class ErrorPlot(LegendOwner, pg.PlotWidget):
    """The error (or the loss) over iterations; its first data item is that history."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent, enableMenu=False, axisItems={"bottom": IntegerAxis("bottom")})
        self.setObjectName("error_plot")
        # A click takes the focus out of a box (committing its edit); Tab passes the plot by.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._session = session
        self._show_loss = False
        self._hand_marker_count = -1
        self._values = np.zeros(1)  # the curve's values as the history holds them
        self._envelope = GrowingEnvelope()
        self._batch_envelope = GrowingEnvelope(first_x=1.0)  # the batch losses start at step 1
        self._view: tuple[tuple[float, float], tuple[float, float]] | None = None
        prepare_plot(self, "", "", "")
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
        # The line of no error, named in the legend (a label on it sat on the curve).
        self.zero_line = pg.InfiniteLine(
            pos=0, angle=0, pen=pg.mkPen(GREY, width=2, style=Qt.PenStyle.DashLine)
        )
        self.addItem(self.zero_line)
        self.getPlotItem().vb.disableAutoRange()
        self.retranslate()

    def show_marker(self) -> None:
        """Mark the iteration on view (the newest, or one the user stepped back to)."""
        index = min(self._session.shown_index, self._values.shape[0] - 1)
        self.current_marker.move_to(index, drawing.clipped(self._values[index : index + 1])[0])

    def set_show_loss(self, show_loss: bool) -> None:
        self._show_loss = show_loss
        self.retranslate()
        self.refresh(full=True)

    def _shown(self) -> str:
        """What the curve shows, as an id: "error", "loss" or "batch loss" (mini-batches)."""
        problem = self._session.problem
        if problem.batch_size:
            return "batch loss"
        return "loss" if self._show_loss else "error"

    def _legend_for(self, shown: str) -> str:
        """The legend's words for what the curve shows: the error, the loss, or with
        mini-batches the loss on all rows and on each step's rows."""
        problem = self._session.problem
        several = problem.row_count > 1
        if shown == "batch loss":
            count = problem.batch_size
            curves = [
                ("━━", BLUE, _("loss on all rows")),
                (
                    "──",
                    GREY,
                    ngettext(
                        "the step's {count} row", "the step's {count} rows", count
                    ).format(count=count),
                ),
            ]
        elif shown == "loss":
            curves = [("━━", BLUE, _("loss"))]
        else:
            curves = [
                ("━━", BLUE, _("error of row 1") if several else _("error")),
                ("╌╌", GREY, _("prediction = target")),
            ]
        curves.append(("●", VERMILION, _("on view")))
        if self._hand_marker_count > 0:
            curves.append(("▼", ORANGE, _("moved by hand")))
        return legend_html(curves)

    def retranslate(self) -> None:
        """Say what is plotted (the loss, the error, or with several rows the first row's
        error) in the language in use: title, axis labels and legend."""
        problem = self._session.problem
        shown = self._shown()
        if shown == "batch loss":
            title = ngettext(
                "Loss on all rows and on each step's {count} row",
                "Loss on all rows and on each step's {count} rows",
                problem.batch_size,
            ).format(count=problem.batch_size)
        elif shown == "loss":
            title = _("Loss (mean squared error) over iterations")
        elif problem.row_count > 1:
            title = _("Error of row 1 over iterations")
        else:
            title = _("Error over iterations")
        set_title(self, title, shown=False)  # "Plot: [error]" above it says as much
        set_axis_label(self, "left", _("error") if shown == "error" else _("loss"))
        set_axis_label(self, "bottom", _("iteration"))
        self._set_legend()

    def _set_legend(self) -> None:
        self.show_legend(self._legend_for(self._shown()))

    def refresh(self, full: bool = False) -> None:
        """Draw the history. While the session runs, the envelope grows with it (the buckets
        drawn are kept and only the new iterations read); paused, or after any other change,
        it is computed afresh from the whole history."""
        if full:
            self.retranslate()
        history = self._session.history
        batches = self._session.problem.batch_size > 0
        values = history.losses if self._show_loss or batches else history.errors[:, 0]
        growing = self._session.is_running and not full
        # A low and a high per pixel column: every peak is drawn, nothing more is.
        columns = min(MAX_CURVE_POINTS // 2, max(100, self.viewport().width()))
        if batches and len(history) > 1:
            batch_losses = history.batch_losses[1:]
            if growing:
                bx, by = self._batch_envelope.update(batch_losses, columns)
            else:
                self._batch_envelope.clear()
                bx, by = peak_envelope(
                    np.arange(1, len(history)), drawing.clipped(batch_losses), 2 * columns
                )
            self.batch_curve.setData(bx, by)
        else:
            self.batch_curve.setData([], [])
        if growing:
            xs, ys = self._envelope.update(values, columns)
        else:
            self._envelope.clear()
            clipped = drawing.clipped(values)  # a run that grew huge goes off the top, finitely
            xs, ys = peak_envelope(np.arange(values.shape[0]), clipped, 2 * columns)
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
            self.hand_markers.setData(moved.astype(float), drawing.clipped(values[moved]))
            self.hand_markers.setVisible(moved.shape[0] > 0)  # an empty one still costs a paint
            self._set_legend()
        low, high = float(ys.min()), float(ys.max())
        if batches and len(history) > 1:
            low, high = min(low, float(by.min())), max(high, float(by.max()))
        self._keep_in_view(values.shape[0] - 1, low, high, full)

    def _keep_in_view(self, last: int, low: float, high: float, full: bool) -> None:
        """Set the range ourselves, in steps, instead of auto-ranging at every paint: the
        core's choice (the data and 0 inside with margins for the markers)."""
        box = self.getPlotItem().vb.boundingRect()
        size = self.current_marker.boundingRect().width()
        share = (
            plot_view.marker_share(size, box.width(), least=0.04),  # iterations: room to spare
            plot_view.marker_share(size, box.height()),
        )
        room = plot_view.RUNNING_ROOM if self._session.runs_fast else plot_view.ROOM
        shown = None if full else self._view
        view = plot_view.iteration_view(last, (low, high), shown, share, room)
        if view != self._view:
            self._view = view
            set_view(self, view[0], view[1])


class LossPlot(LegendOwner, pg.PlotWidget):
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
        prepare_plot(self, "", "", "")
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
        self._weight_count = 1
        self.too_large = PlotMessage(self, drawing.LOSS_TOO_LARGE)
        self.getPlotItem().vb.disableAutoRange()
        self.retranslate()

    def retranslate(self) -> None:
        """The title, the axes and the legend in the language in use."""
        problem = self._session.problem
        index = min(self.weight_index, problem.weight_count - 1)
        if problem.hidden_count == 0:
            name = _("weight {number}").format(number=index + 1)
        else:
            name = problem.weight_name(index)
        set_title(self, _("Loss along {weight}").format(weight=name), shown=False)
        set_axis_label(self, "left", _("loss"))
        set_axis_label(self, "bottom", name)
        self._weight_count = problem.weight_count
        self._set_legend()
        self.too_large.retranslate()

    def _set_legend(self) -> None:
        """What each mark is. With several weights the curve is a slice through the others'
        present values and the step moves them all: its marker is the loss after the step,
        off the curve, and named so (on the slice it would hide an overshoot)."""
        if self._weight_count == 1:
            next_words = _("next step")
            self.setToolTip(_("The loss as this weight varies; ○ is where the next step lands."))
        else:
            next_words = _("loss after the step")
            self.setToolTip(
                _(
                    "The loss as this weight varies, the other weights held. ○ is the loss "
                    "after the next step, which moves every weight: off this curve, which is "
                    "drawn again for the weights' new values after the step."
                )
            )
        # The curve is named by its axis and its tab, the point ● by the error plot's legend:
        # two entries fewer, one row.
        legend = legend_html(
            [
                ("╍╍", VERMILION, _("tangent")),
                ("■", GREY, _("earlier")),
                ("○", VERMILION, next_words),
            ]
        )
        self.show_legend(legend)

    def set_weight_index(self, index: int) -> None:
        """Follow another weight; the caller redraws (once, with everything else)."""
        self.weight_index = index
        self._x_view = (0.0, 0.0)  # another weight (or problem): choose the view afresh
        self.retranslate()

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
        # Where the optimizer's next step takes this weight (its state counted: momentum, Adam).
        next_weights = session.next_weights
        landing = float(next_weights[index])
        if not drawing.all_drawable(next_weights) or not self.show_next_step:
            landing = w
        if not current.is_finite or not drawing.is_drawable(w, current.loss):
            self._show_too_large()  # nothing finite, or nothing small enough, to draw
            return
        points = [w, *trail_values, landing]
        bottom = engine.minimum_along_weight(problem, weights, index, current)
        if bottom is not None:
            points.append(bottom)
        share_x, share_y = self._margins()
        window = plot_view.weight_window(points, share_x, float(w))
        if window is None:
            self._show_too_large()
            return
        self.too_large.setVisible(False)
        view_low, view_high = self._kept_x_range(window)
        count = GRID_POINTS
        if not engine.is_quadratic_along(problem, index):  # every row at every point
            count = int(min(GRID_POINTS, max(41, 4_000_000 // problem.row_count)))
        grid = np.linspace(view_low, view_high, count)
        losses = engine.loss_along_weight(problem, weights, index, grid, current)
        with np.errstate(over="ignore", invalid="ignore"):
            trail_losses = engine.loss_along_weight(
                problem, weights, index, trail_values, current
            )
            # The loss after the whole step (every weight moves), which is what the step is
            # judged by: on the drawn curve with one weight; with several, off this slice
            # through the others' present values, and the legend says what it is.
            landing_loss = float(engine.loss_of(problem, session.next_weights))
        if not drawing.all_drawable(losses):
            self._show_too_large()
            return
        if not drawing.is_drawable(landing, landing_loss):
            landing, landing_loss = w, current.loss
        trail_x, trail_y = drawing.drawable_points(
            np.append(trail_values, w), np.append(trail_losses, current.loss)
        )
        view = plot_view.loss_view(
            (view_low, view_high),
            (grid, losses),
            (np.append(trail_x, landing), np.append(trail_y, landing_loss)),
            float(w),
            float(current.loss),
            float(current.gradient[index]),
            (share_x, share_y),
        )
        self.curve.setData(grid, losses)
        if self.show_tangent:
            self.tangent.setData(np.array(view.tangent_x), np.array(view.tangent_y))
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
        if problem.weight_count != self._weight_count:
            self._weight_count = problem.weight_count
            self._set_legend()
        if view.x != self._x_view or not still_fits(self._y_view, view.y):
            y_view = view.y
            if session.runs_fast:  # room to move for a while: each move redraws the axes
                y_view = plot_view.with_headroom(y_view, plot_view.RUNNING_HEADROOM)
            self._x_view, self._y_view = view.x, y_view
            set_view(self, view.x, y_view)

    def _margins(self) -> tuple[float, float]:
        """Each side's free share of the ranges: enough for the largest marker to be whole."""
        box = self.getPlotItem().vb.boundingRect()
        size = self.point.boundingRect().width()
        return (
            plot_view.marker_share(size, box.width()),
            plot_view.marker_share(size, box.height()),
        )

    def _kept_x_range(self, wanted: tuple[float, float]) -> tuple[float, float]:
        """Keep the view still while what must be seen stays well inside it.

        A still frame is easier to watch than one that shifts a little at every step, and
        re-ranging is the dearest part of a refresh.
        """
        if still_fits(self._x_view, wanted):
            return self._x_view
        if self._session.runs_fast:  # room to move for a while: each move redraws the axes
            return plot_view.with_headroom(wanted, plot_view.RUNNING_HEADROOM)
        return wanted

    def _show_too_large(self) -> None:
        for item in (self.curve, self.tangent, self.trail, self.next_step):
            item.setData([], [])
        self.point.setVisible(False)
        self.next_marker.setVisible(False)
        self._x_view = self._y_view = (0.0, 1.0)
        self.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        self.too_large.show()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """A message is wrapped to the plot's width again; the margins follow the new size."""
        super().resizeEvent(event)
        message = self.__dict__.get("too_large")  # None while the plot is being made
        if message is not None and message.isVisible():
            self.too_large.show()
