"""The comparison's two plots and their legends: each run's loss over the iterations, and its
path on the loss along the first weight. They draw the runs they are given, nothing else."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from gd_desktop.core import comparison, drawing, engine
from gd_desktop.core.comparison import ComparedRun
from gd_desktop.core.engine import Evaluation, Problem
from gd_desktop.core.envelope import peak_envelope
from gd_desktop.core.i18n import _
from gd_desktop.gui.views.compare_rows import RUN_STYLES
from gd_desktop.gui.views.plot_style import (
    GREY,
    GRID_POINTS,
    MAX_CURVE_POINTS,
    VERMILION,
    IntegerAxis,
    legend_html,
    still_fits,
)

PATH_POINTS_DRAWN = 2001  # symbols per path at most; longer paths are thinned (ends kept)
Shown = list[tuple[int, ComparedRun]]  # (slot, run) of each run shown


class ComparePlots:
    """The loss plot and the path plot, with a legend under each."""

    def __init__(self) -> None:
        self.error_plot = pg.PlotWidget(
            enableMenu=False, axisItems={"bottom": IntegerAxis("bottom")}
        )
        self.error_plot.setObjectName("compare_error_plot")
        self.error_plot.getPlotItem().vb.disableAutoRange()
        self.path_plot = pg.PlotWidget(enableMenu=False)
        self.path_plot.setObjectName("compare_path_plot")
        self.path_plot.getPlotItem().vb.disableAutoRange()
        for plot in (self.error_plot, self.path_plot):
            plot.setMinimumHeight(160)
        self.loss_curve = self.path_plot.plot([], [], pen=pg.mkPen(GREY, width=4))
        self.loss_curve.setZValue(-1)
        self.error_curves: list[pg.PlotDataItem] = []
        self.error_ends: list[pg.PlotDataItem] = []
        self.path_curves: list[pg.PlotDataItem] = []
        for style in RUN_STYLES:
            pen = pg.mkPen(style.colour, width=3, style=style.line)
            self.error_curves.append(self.error_plot.plot([], [], pen=pen))
            self.error_ends.append(
                self.error_plot.plot(
                    [], [], pen=None, symbol=style.symbol, symbolSize=13,
                    symbolBrush=style.colour, symbolPen=pg.mkPen("k", width=1),
                )
            )  # fmt: skip
            self.path_curves.append(
                self.path_plot.plot(
                    [], [], pen=pg.mkPen(style.colour, width=2.5, style=style.line),
                    symbol=style.symbol, symbolSize=11, symbolBrush=style.colour,
                    symbolPen=pg.mkPen("k", width=1),
                )
            )  # fmt: skip
        self.start_marker = self.path_plot.plot(
            [], [], pen=None, symbol="o", symbolSize=22, symbolBrush=None,
            symbolPen=pg.mkPen(GREY, width=3),
        )  # fmt: skip
        self.too_large = pg.TextItem("", color=VERMILION, anchor=(0.5, 0.5))
        self.too_large.setVisible(False)
        self.path_plot.addItem(self.too_large, ignoreBounds=True)
        self.error_legend = QLabel()
        self.error_legend.setObjectName("compare_legend")  # the runs', under both plots
        self.path_legend = QLabel()
        self.path_legend.setObjectName("compare_path_legend")
        for legend in (self.error_legend, self.path_legend):
            legend.setWordWrap(True)
            legend.setTextFormat(Qt.TextFormat.RichText)
            legend.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._log_scale = False
        self._weight_name = ""
        self.forget_views()

    def forget_views(self) -> None:
        """The next drawing chooses both plots' ranges afresh."""
        self._path_x_view = (0.0, 0.0)
        self._path_y_view = (0.0, 0.0)
        self._error_x_high = 0.0
        self._error_y_view = (0.0, 0.0)

    def retranslate(self, weight_name: str) -> None:
        self._weight_name = weight_name
        self.error_plot.setAccessibleName(_("Loss over iterations, one curve per run"))
        self._title_error_plot()
        self.path_plot.setTitle(_("Loss along {weight}").format(weight=weight_name))
        self.path_plot.getAxis("bottom").setLabel(weight_name)
        self.path_plot.getAxis("left").setLabel(_("loss"))
        self.path_plot.setAccessibleName(
            _("Each run's path on the loss along {weight}").format(weight=weight_name)
        )
        self.too_large.setText(_(drawing.CURVE_TOO_LARGE))
        self.error_legend.setAccessibleName(_("Legend of the runs"))
        self.path_legend.setAccessibleName(_("Legend of the path plot"))

    def _title_error_plot(self) -> None:
        if self._log_scale:
            self.error_plot.setTitle(_("Loss over iterations (log scale)"))
            self.error_plot.getAxis("left").setLabel(_("loss (log scale)"))
        else:
            self.error_plot.setTitle(_("Loss over iterations"))
            self.error_plot.getAxis("left").setLabel(_("loss"))
        self.error_plot.getAxis("bottom").setLabel(_("iteration"))

    def refresh(
        self, shown: Shown, iteration: int, problem: Problem, start: Evaluation | None
    ) -> None:
        self._refresh_error_plot(shown, iteration)
        if self.path_plot.isVisible():  # its tab is open (drawn when it opens)
            self._refresh_path_plot(shown, problem, start)
        self._refresh_legends(shown, problem)

    # ----------------------------------------------------------------- the loss plot
    def _refresh_error_plot(self, shown: Shown, iteration: int) -> None:
        log_scale = bool(shown) and all(bool(np.all(run.history.losses > 0)) for _, run in shown)
        switch = log_scale != self._log_scale
        if switch and not log_scale:  # to linear before any zero reaches the plot
            self._set_log_scale(False)
        visible = dict(shown)
        columns = min(MAX_CURVE_POINTS // 2, max(100, self.error_plot.width()))
        for i in range(len(RUN_STYLES)):
            run = visible.get(i)
            if run is None:
                self.error_curves[i].setData([], [])
                self.error_ends[i].setData([], [])
                continue
            losses = drawing.clipped(run.history.losses)
            xs, ys = peak_envelope(np.arange(losses.shape[0]), losses, 2 * columns)
            self.error_curves[i].setData(xs, ys)
            self.error_ends[i].setData([float(run.iteration)], [float(losses[-1])])
        if switch and log_scale:  # to log once every curve is positive
            self._set_log_scale(True)
        self._keep_error_in_view(shown, iteration)

    def _keep_error_in_view(self, shown: Shown, last: int) -> None:
        """Set the range ourselves: the x-range grows by half again when the runs reach its end;
        on a linear scale a diverging run may leave through the top (its legend says so)."""
        x_high = self._error_x_high
        if last >= 0.97 * x_high or last < 0.4 * x_high:  # the newest point never on the edge
            x_high = max(10.0, 1.5 * last)
        runs = [run for _, run in shown]
        if not self._log_scale:
            runs = [run for run in runs if not comparison.is_diverging(run)] or runs
        y_view = self._error_y_view
        if runs:
            values = drawing.clipped(np.concatenate([run.history.losses for run in runs]))
            if self._log_scale:
                values = np.log10(values)
                low, high, least = float(values.min()), float(values.max()), 0.5
            else:
                low, high = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
                least = 1.0
            if not still_fits(y_view, (low, high)):
                y_view = drawing.padded_range(low, high, 0.08, least)
        if x_high != self._error_x_high or y_view != self._error_y_view:
            self._error_x_high, self._error_y_view = x_high, y_view
            pad = 0.02 * x_high
            self.error_plot.setRange(xRange=(-pad, x_high + pad), yRange=y_view, padding=0)

    def _set_log_scale(self, log_scale: bool) -> None:
        self._log_scale = log_scale
        self._error_y_view = (0.0, 0.0)
        self.error_plot.setLogMode(x=False, y=log_scale)
        self._title_error_plot()

    # ----------------------------------------------------------------- the path plot
    def _refresh_path_plot(self, shown: Shown, problem: Problem, start: Evaluation | None):
        visible = dict(shown)
        for i in range(len(RUN_STYLES)):
            run = visible.get(i)
            if run is None:
                self.path_curves[i].setData([], [])
                continue
            keep = comparison.thinned_indices(run.history.losses.shape[0], PATH_POINTS_DRAWN)
            xs, ys = run.history.weights[keep, 0], run.history.losses[keep]
            self.path_curves[i].setData(*drawing.drawable_points(xs, ys))
        if start is None:
            self.loss_curve.setData([], [])
            self.start_marker.setData([], [])
            return
        w = float(start.weights[0])
        if not drawing.is_drawable(w, start.loss):
            self.start_marker.setData([], [])
            self._show_too_large()
            return
        self.start_marker.setData([w], [start.loss])
        # The view holds the start, the bottom of the curve and every run not flying off.
        runs = [run for _, run in shown]
        steady = [run for run in runs if not comparison.is_diverging(run)] or runs
        xs = [np.array([w])] + [run.history.weights[:, 0] for run in steady]
        ys = [np.array([start.loss])] + [run.history.losses for run in steady]
        bottom = engine.minimum_along_weight(problem, start.weights, 0)
        if bottom is not None:
            xs.append(np.array([bottom]))
        x_extent = drawing.finite_extent(np.concatenate(xs))  # the start is in: never None
        y_extent = drawing.finite_extent(np.concatenate(ys))
        wanted = drawing.view_around(x_extent, 0.15, max(0.5, abs(w) * 0.25))
        if wanted is None:
            self._show_too_large()
            return
        low, high = x_extent
        x_view = self._path_x_view if still_fits(self._path_x_view, wanted) else wanted
        grid = np.linspace(x_view[0], x_view[1], GRID_POINTS)
        curve = engine.loss_along_weight(problem, start.weights, 0, grid)
        if not drawing.all_drawable(curve):
            self._show_too_large()
            return
        self.too_large.setVisible(False)
        self.loss_curve.setData(grid, curve)
        in_view = curve[(grid >= low) & (grid <= high)]
        y_low = min(y_extent[0], float(in_view.min()) if in_view.size else math.inf)
        y_wanted = drawing.padded_range(y_low, max(y_extent[1], y_low), 0.12)
        if x_view != self._path_x_view or not still_fits(self._path_y_view, y_wanted):
            self._path_x_view, self._path_y_view = x_view, y_wanted
            self.path_plot.setRange(xRange=x_view, yRange=y_wanted, padding=0)

    def _show_too_large(self) -> None:
        self.loss_curve.setData([], [])
        self._path_x_view = self._path_y_view = (0.0, 1.0)
        self.path_plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        self.too_large.setPos(0.5, 0.5)
        self.too_large.setVisible(True)

    # ----------------------------------------------------------------- the legends
    def _refresh_legends(self, shown: Shown, problem: Problem) -> None:
        entries = []
        for i, run in shown:
            style = RUN_STYLES[i]
            entries.append((style.glyph, style.colour, comparison.legend_name(run)))
        if not entries:
            entries = [("", GREY, _("no run shown: tick one above"))]
        self.error_legend.setText(legend_html(entries))
        name = self._weight_name
        if problem.weight_count == 1:
            along = _("loss along {weight}").format(weight=name)
        else:
            along = _("loss along {weight} (others held at the start)").format(weight=name)
        path_entries = [("━━", GREY, along), ("◯", GREY, _("start"))]
        points = _("Points: each run's {weight} and its loss, per step.").format(weight=name)
        self.path_legend.setText(legend_html(path_entries) + "<br>" + points)
