"""Comparing learning rates: up to four runs on the lesson's problem, stepping together.

Every run starts from the weights at the start of the session's history and takes its own steps
with its own learning rate. Each is a core :class:`Run`, stepped by the same loop and stopped by
the same rule as the window's run; this view draws their histories.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core import drawing, engine
from gd_desktop.core.engine import Evaluation, Problem
from gd_desktop.core.numbers import format_number
from gd_desktop.core.run import Run, StopReason
from gd_desktop.gui.session import Session
from gd_desktop.gui.views.plot_style import (
    BLUE,
    GREEN,
    GREY,
    GRID_POINTS,
    MAX_CURVE_POINTS,
    ORANGE,
    VERMILION,
    IntegerAxis,
    legend_html,
    peak_envelope,
    prepare_plot,
    still_fits,
)
from gd_desktop.gui.views.widgets import NumberBox

RUN_COUNT = 4
PURPLE = "#CC79A7"  # Okabe–Ito reddish purple
# Per run: colour, line style, pyqtgraph symbol, and the same look in text for the legends.
RUN_STYLES = (
    (BLUE, Qt.PenStyle.SolidLine, "o", "━●━"),
    (ORANGE, Qt.PenStyle.DashLine, "s", "╍■╍"),
    (GREEN, Qt.PenStyle.DotLine, "t", "┉▼┉"),
    (PURPLE, Qt.PenStyle.DashDotLine, "d", "━·◆"),
)
RATE_FACTORS = (0.25, 1.0, 2.0)  # the first three default rates, times the lesson's rate
STEPS_PER_SECOND = 30
MAX_ITERATIONS = 100_000
PATH_POINTS_DRAWN = 2001  # symbols per path at most; longer paths are thinned (ends kept)


def default_rates(problem: Problem, critical: float | None) -> list[float]:
    """×0.25, ×1 and ×2 the lesson's rate, then just above the critical rate (else ×4)."""
    rate = problem.learning_rate
    rates = [rate * factor for factor in RATE_FACTORS]
    if critical is not None and math.isfinite(critical) and critical > 0:
        above = float(f"{critical * 1.1:.2g}")  # two significant digits, still above it
        rates.append(above if above > critical else critical * 1.1)
    else:
        rates.append(rate * 4)
    return [min(10.0, max(0.0, r)) for r in rates]


class _Run(Run):
    """One learning rate's run: the core's Run (its loop and its stop rule), and how this view
    words its state."""

    @property
    def rate(self) -> float:
        return self.problem.learning_rate

    @property
    def diverging(self) -> bool:
        """Stopped as diverged, or its loss has grown at each of the last three steps."""
        if self.stopped in (StopReason.OVERFLOW, StopReason.DIVERGING):
            return True
        losses = self.history.losses
        return engine.loss_is_growing(losses) and losses[-1] > losses[0]

    def describe(self) -> str:
        """How the run is doing, in plain words."""
        losses = self.history.losses
        first, last, n = format_number(losses[0]), format_number(losses[-1]), self.iteration
        if self.stopped is StopReason.OVERFLOW:
            return (
                f"diverged: after iteration {n} the numbers grew too big to compute, "
                "so this run was stopped."
            )
        if self.stopped is StopReason.DIVERGING:
            return (
                f"diverged: its loss grew from {first} to {last}, "
                f"so this run was stopped at iteration {n}."
            )
        if self.stopped is StopReason.CONVERGED:
            if self.rate == 0:
                return "a rate of 0 never moves the weights."
            return (
                f"converged at iteration {n}: a step no longer changes the weights (loss {last})."
            )
        if self.stopped is StopReason.HISTORY_FULL:
            return f"stopped at iteration {n}: its history is full."
        if n == 0:
            return f"loss {first} at the start."
        if self.diverging:
            return f"diverging: its loss grows at every step (now {last})."
        if losses[-1] < losses[-2]:
            return f"loss {last}, still falling."
        return f"loss {last}."


class CompareView(QWidget):
    """Up to four runs with their own learning rates on the session's problem, side by side."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.setObjectName("compare_view")
        self.setAccessibleName("Comparing learning rates")
        self._session = session
        self._problem = session.problem
        self._start: Evaluation | None = None
        self._runs: list[_Run | None] = [None] * RUN_COUNT
        self._rates = [0.0] * RUN_COUNT
        self._iteration = 0
        self._defaults_key: tuple | None = None
        self._log_scale = False
        self._note = ""
        self._path_x_view = (0.0, 0.0)
        self._path_y_view = (0.0, 0.0)
        self._error_x_high = 0.0
        self._error_y_view = (0.0, 0.0)
        self._timer = QTimer(self)
        self._timer.setInterval(round(1000 / STEPS_PER_SECOND))
        self._timer.timeout.connect(self._on_timer)
        self._build_controls()
        self._build_plots()
        self._build_layout()
        session.problem_changed.connect(self.reset)
        session.reset_done.connect(self.reset)
        session.history_replaced.connect(self.reset)
        self.reset()

    # ----------------------------------------------------------------- building
    def _build_controls(self) -> None:
        self.title = QLabel("Comparing learning rates")
        self.title.setObjectName("compare_title")
        font = QFont(self.title.font())
        font.setPointSizeF(max(font.pointSizeF(), 12.0) * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.intro = QLabel()
        self.intro.setObjectName("compare_intro")
        self.intro.setWordWrap(True)
        self.intro.setAccessibleName("What this view compares")
        self.use_boxes: list[QCheckBox] = []
        self.rate_boxes: list[NumberBox] = []
        self.run_glyphs: list[QLabel] = []
        for i, (colour, _, _, glyph) in enumerate(RUN_STYLES):
            use = QCheckBox(f"Run {i + 1}")
            use.setObjectName(f"compare_use_{i}")
            use.setChecked(True)
            use.setAccessibleName(f"Show run {i + 1}")
            use.setToolTip(
                f"Tick to show run {i + 1} and step it with the others; untick to hide it."
            )
            use.toggled.connect(lambda checked, i=i: self._on_use_changed(i, checked))
            box = NumberBox(0.0, 10.0, 0.001)
            box.setObjectName(f"compare_rate_{i}")
            box.setAccessibleName(f"Learning rate of run {i + 1}")
            box.setMinimumWidth(110)
            box.valueChanged.connect(lambda value, i=i: self._on_rate_typed(i, value))
            mark = QLabel(f"<span style='color:{colour}; font-weight: bold'>{glyph}</span>")
            mark.setObjectName(f"compare_glyph_{i}")
            mark.setAccessibleName(f"Run {i + 1} is drawn {_style_words(i)}")
            mark.setToolTip(f"Run {i + 1} is drawn {_style_words(i)}.")
            self.use_boxes.append(use)
            self.rate_boxes.append(box)
            self.run_glyphs.append(mark)
        self.step_button = QPushButton("Step")
        self.step_button.setObjectName("compare_step_button")
        self.step_button.setAccessibleName("Step every run once")
        self.step_button.setToolTip("Take one step in every run that is shown and still going")
        self.step_button.clicked.connect(self.step)
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("compare_run_button")
        self.run_button.setAccessibleName("Run or pause the comparison")
        self.run_button.setToolTip(
            f"Step every run together, about {STEPS_PER_SECOND} steps a second; press again to "
            "pause"
        )
        self.run_button.clicked.connect(self.toggle_run)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setObjectName("compare_reset_button")
        self.reset_button.setAccessibleName("Reset the comparison")
        self.reset_button.setToolTip(
            "Start every run again from the weights at the start of the lesson's history"
        )
        self.reset_button.clicked.connect(self.reset)
        self.status = QLabel()
        self.status.setObjectName("compare_status")
        self.status.setAccessibleName("How each run is doing")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

    def _build_plots(self) -> None:
        self.error_plot = pg.PlotWidget(
            enableMenu=False, axisItems={"bottom": IntegerAxis("bottom")}
        )
        self.error_plot.setObjectName("compare_error_plot")
        self.error_plot.setAccessibleName("Loss over iterations, one curve per learning rate")
        prepare_plot(self.error_plot, "Loss over iterations", "loss", "iteration")
        self.error_plot.getPlotItem().vb.disableAutoRange()
        self.path_plot = pg.PlotWidget(enableMenu=False)
        for plot in (self.error_plot, self.path_plot):
            plot.setMinimumHeight(160)
        self.path_plot.setObjectName("compare_path_plot")
        self.path_plot.setAccessibleName("Each run's path on the loss along weight 1")
        prepare_plot(self.path_plot, "Loss along weight 1", "loss", "weight 1")
        self.path_plot.getPlotItem().vb.disableAutoRange()
        self.loss_curve = self.path_plot.plot([], [], pen=pg.mkPen(GREY, width=4))
        self.loss_curve.setZValue(-1)
        self.error_curves: list[pg.PlotDataItem] = []
        self.error_ends: list[pg.PlotDataItem] = []
        self.path_curves: list[pg.PlotDataItem] = []
        for colour, line, symbol, _ in RUN_STYLES:
            self.error_curves.append(
                self.error_plot.plot([], [], pen=pg.mkPen(colour, width=3, style=line))
            )
            self.error_ends.append(
                self.error_plot.plot(
                    [],
                    [],
                    pen=None,
                    symbol=symbol,
                    symbolSize=13,
                    symbolBrush=colour,
                    symbolPen=pg.mkPen("k", width=1),
                )
            )
            self.path_curves.append(
                self.path_plot.plot(
                    [],
                    [],
                    pen=pg.mkPen(colour, width=2.5, style=line),
                    symbol=symbol,
                    symbolSize=11,
                    symbolBrush=colour,
                    symbolPen=pg.mkPen("k", width=1),
                )
            )
        self.start_marker = self.path_plot.plot(
            [], [], pen=None, symbol="o", symbolSize=22, symbolBrush=None,
            symbolPen=pg.mkPen(GREY, width=3),
        )  # fmt: skip
        self.too_large = pg.TextItem(drawing.CURVE_TOO_LARGE, color=VERMILION, anchor=(0.5, 0.5))
        self.too_large.setVisible(False)
        self.path_plot.addItem(self.too_large, ignoreBounds=True)
        self.error_legend = QLabel()
        self.error_legend.setObjectName("compare_error_legend")
        self.path_legend = QLabel()
        self.path_legend.setObjectName("compare_path_legend")
        for legend, what in ((self.error_legend, "loss"), (self.path_legend, "path")):
            legend.setWordWrap(True)
            legend.setTextFormat(Qt.TextFormat.RichText)
            legend.setAccessibleName(f"Legend of the {what} plot")

    def _build_layout(self) -> None:
        runs = QGridLayout()
        runs.setHorizontalSpacing(8)
        runs.setVerticalSpacing(4)
        runs.addWidget(QLabel("Learning rates"), 0, 0, 1, 3)
        for i in range(RUN_COUNT):
            runs.addWidget(self.use_boxes[i], i + 1, 0)
            runs.addWidget(self.rate_boxes[i], i + 1, 1)
            runs.addWidget(self.run_glyphs[i], i + 1, 2)
        buttons = QVBoxLayout()
        for button in (self.step_button, self.run_button, self.reset_button):
            button.setMinimumWidth(110)
            buttons.addWidget(button)
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(runs)
        top.addSpacing(12)
        top.addLayout(buttons)
        top.addSpacing(12)
        top.addWidget(self.status, 1)
        plots = QGridLayout()  # one grid, so that both plots get the same height
        for column, (plot, legend) in enumerate(
            ((self.error_plot, self.error_legend), (self.path_plot, self.path_legend))
        ):
            legend.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            plots.addWidget(plot, 0, column)
            plots.addWidget(legend, 1, column)
            plots.setColumnStretch(column, 1)
        plots.setRowStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addLayout(plots, 1)

    # ----------------------------------------------------------------- public
    def reset(self) -> None:
        """Every run afresh from the session's current problem and the weights it started from.

        A new problem (or a new lesson rate) also brings new default rates; otherwise the rates
        typed here are kept.
        """
        self.pause()
        session = self._session
        problem = session.problem
        key = (
            problem.inputs.shape, problem.inputs.tobytes(), problem.targets.tobytes(),
            problem.hidden_count, problem.activation, problem.batch_size, problem.seed,
            problem.learning_rate,
        )  # fmt: skip
        critical = engine.critical_learning_rate(problem)
        self._note = ""
        if key != self._defaults_key:
            self._defaults_key = key
            self._rates = default_rates(problem, critical)
            for i, rate in enumerate(self._rates):
                self._show_rate(i, rate)
        self._problem = problem
        self._iteration = 0
        start = engine.evaluate(problem, np.array(session.history.weights[0], dtype=float))
        self._start = start if start.is_finite else None
        for i in range(RUN_COUNT):
            self._runs[i] = self._new_run(i)
        self._describe_problem(critical)
        self._path_x_view = (0.0, 0.0)
        self._path_y_view = (0.0, 0.0)
        self._error_x_high = 0.0
        self._error_y_view = (0.0, 0.0)
        self._refresh()

    def step(self) -> bool:
        """One step for every shown run that is still going; False when none can step."""
        active = self._active_runs()
        if not active or self._iteration >= MAX_ITERATIONS:
            self._note = self._nothing_to_step()
            self.pause()
            self._refresh()
            return False
        self._iteration += 1
        self._note = ""
        for run in active:  # a running run halts where it diverges; a Step only warns
            run.advance(1, halt_when_diverging=self.is_running)
        self._refresh()
        return True

    def toggle_run(self) -> None:
        """Run (about 30 steps a second) or pause."""
        if self.is_running:
            self.pause()
            self._note = f"Paused at iteration {self._iteration}."
            self._refresh()
            return
        if not self._active_runs():
            self._note = self._nothing_to_step()
            self._refresh()
            return
        self._note = ""
        self._timer.start()
        self.run_button.setText("Pause")
        self.run_button.setToolTip("Pause the runs")

    def pause(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
        self.run_button.setText("Run")
        self.run_button.setToolTip(
            f"Step every run together, about {STEPS_PER_SECOND} steps a second; press again to "
            "pause"
        )

    @property
    def is_running(self) -> bool:
        return self._timer.isActive()

    @property
    def iteration(self) -> int:
        return self._iteration

    def runs(self) -> list[tuple[float, np.ndarray, np.ndarray]]:
        """(learning rate, losses, weights) of each shown run; one row per iteration."""
        return [
            (run.rate, np.array(run.history.losses), np.array(run.history.weights))
            for _, run in self._shown_runs()
        ]

    # ----------------------------------------------------------------- reacting
    def _on_timer(self) -> None:
        if not self.step():
            return
        if not self._active_runs():
            self.pause()
            self._note = f"Every run has stopped (iteration {self._iteration})."
            self._refresh()

    def _on_rate_typed(self, index: int, value: float) -> None:
        """A typed rate: that run starts again and catches up with the others."""
        self._rates[index] = float(value)
        self._show_rate(index, value)
        self._runs[index] = self._new_run(index)
        self._note = (
            f"Run {index + 1} now has learning rate {format_number(value)}: it started again "
            f"from the same weights and caught up to iteration {self._iteration}."
        )
        self._refresh()

    def _on_use_changed(self, index: int, checked: bool) -> None:
        run = self._runs[index]
        if checked and run is not None and run.stopped is None:
            # Catch up with the others; it halts where it diverges only while they run.
            run.advance(self._iteration - run.iteration, halt_when_diverging=self.is_running)
        self._path_x_view = (0.0, 0.0)
        self._note = ""
        self._refresh()

    # ----------------------------------------------------------------- helpers
    def _show_rate(self, index: int, rate: float) -> None:
        box = self.rate_boxes[index]
        box.show_value(rate)
        box.setToolTip(
            f"Learning rate of run {index + 1}: {format_number(rate)}. Type another and press "
            "Enter: this run starts again and catches up with the others."
        )

    def _new_run(self, index: int) -> _Run | None:
        if self._start is None:
            return None
        run = _Run(self._problem.with_learning_rate(self._rates[index]), self._start.weights)
        if self.use_boxes[index].isChecked():
            run.advance(self._iteration, halt_when_diverging=self.is_running)
        return run

    def _shown_runs(self) -> list[tuple[int, _Run]]:
        return [
            (i, run)
            for i, run in enumerate(self._runs)
            if run is not None and self.use_boxes[i].isChecked()
        ]

    def _active_runs(self) -> list[_Run]:
        return [run for _, run in self._shown_runs() if run.stopped is None]

    def _nothing_to_step(self) -> str:
        if self._start is None:
            return "The starting numbers are too large to compute: change the problem."
        if not self._shown_runs():
            return "Tick at least one run to compare."
        if self._iteration >= MAX_ITERATIONS:
            return f"{MAX_ITERATIONS:,} iterations is the limit here: press Reset."
        return "Every run shown has stopped: press Reset to start them again."

    def _weight_name(self) -> str:
        problem = self._problem
        return "weight 1" if problem.hidden_count == 0 else problem.weight_name(0)

    def _describe_problem(self, critical: float | None) -> None:
        problem = self._problem
        if self._start is None:
            self.intro.setText("The starting numbers are too large to compute: change the problem.")
            return
        weights = ", ".join(format_number(w) for w in self._start.weights[:6])
        if problem.weight_count > 6:
            weights += ", …"
        text = (
            f"Every run starts from the same weights ({weights}) and takes its own steps with "
            "its own learning rate."
        )
        if problem.hidden_count:
            text += " With a hidden layer there is no single rate above which every run diverges."
        elif critical is not None and math.isfinite(critical):
            text += f" Above the critical rate {format_number(critical)} every run diverges."
        self.intro.setText(text)
        name = self._weight_name()
        self.path_plot.setTitle(f"Loss along {name}")
        self.path_plot.getAxis("bottom").setLabel(name)
        self.path_plot.setAccessibleName(f"Each run's path on the loss along {name}")

    # ----------------------------------------------------------------- drawing
    def _refresh(self) -> None:
        shown = self._shown_runs()
        self._refresh_error_plot(shown)
        self._refresh_path_plot(shown)
        self._refresh_legends(shown)
        self._refresh_status(shown)

    def _refresh_error_plot(self, shown: list[tuple[int, _Run]]) -> None:
        log_scale = bool(shown) and all(bool(np.all(run.history.losses > 0)) for _, run in shown)
        switch = log_scale != self._log_scale
        if switch and not log_scale:  # to linear before any zero reaches the plot
            self._set_log_scale(False)
        visible = dict(shown)
        columns = min(MAX_CURVE_POINTS // 2, max(100, self.error_plot.width()))
        for i in range(RUN_COUNT):
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
        self._keep_error_in_view(shown)

    def _keep_error_in_view(self, shown: list[tuple[int, _Run]]) -> None:
        """Set the range ourselves: the x-range grows by half again when the runs reach its end;
        on a linear scale a diverging run may leave through the top (its legend says so)."""
        last = self._iteration
        x_high = self._error_x_high
        if last >= 0.97 * x_high or last < 0.4 * x_high:  # the newest point never on the edge
            x_high = max(10.0, 1.5 * last)
        runs = [run for _, run in shown]
        if not self._log_scale:
            runs = [run for run in runs if not run.diverging] or runs
        y_view = self._error_y_view
        if runs:
            values = drawing.clipped(np.concatenate([run.history.losses for run in runs]))
            if self._log_scale:
                values = np.log10(values)
                low, high = float(values.min()), float(values.max())
                least = 0.5
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
        suffix = " (log scale)" if log_scale else ""
        self.error_plot.setTitle(f"Loss over iterations{suffix}")
        self.error_plot.getAxis("left").setLabel("loss (log scale)" if log_scale else "loss")

    def _refresh_path_plot(self, shown: list[tuple[int, _Run]]) -> None:
        visible = dict(shown)
        for i in range(RUN_COUNT):
            run = visible.get(i)
            if run is None:
                self.path_curves[i].setData([], [])
                continue
            xs, ys = _thinned(run.history.weights[:, 0], run.history.losses)
            self.path_curves[i].setData(*drawing.drawable_points(xs, ys))
        if self._start is None:
            self.loss_curve.setData([], [])
            self.start_marker.setData([], [])
            return
        problem, start = self._problem, self._start
        w = float(start.weights[0])
        if not drawing.is_drawable(w, start.loss):
            self.start_marker.setData([], [])
            self._show_too_large()
            return
        self.start_marker.setData([w], [start.loss])
        # The view holds the start, the bottom of the curve and every run not flying off.
        steady = [run for _, run in shown if not run.diverging] or [run for _, run in shown]
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

    def _refresh_legends(self, shown: list[tuple[int, _Run]]) -> None:
        entries, plain = [], []
        for i, run in shown:
            colour, _, _, glyph = RUN_STYLES[i]
            name = f"lr {format_number(run.rate)}"
            plain.append((glyph, colour, name))
            if run.stopped in (StopReason.OVERFLOW, StopReason.DIVERGING):
                name += " (diverged, stopped)"
            elif run.diverging:
                name += " (diverging)"
            elif run.stopped is StopReason.CONVERGED:
                name += " (converged)"
            entries.append((glyph, colour, name))
        if not entries:
            entries.append(("", GREY, "no run shown: tick one above"))
            plain = entries
        self.error_legend.setText(legend_html(entries))
        name = self._weight_name()
        held = "" if self._problem.weight_count == 1 else " (others held at the start)"
        path_entries = [
            ("━━", GREY, f"loss along {name}{held}"),
            ("◯", GREY, "start"),
            *plain,
        ]
        self.path_legend.setText(
            legend_html(path_entries) + f"<br>Points: each run's {name} and its loss, per step."
        )

    def _refresh_status(self, shown: list[tuple[int, _Run]]) -> None:
        lines = [f"<b>Iteration {self._iteration}.</b> {self._note}".rstrip()]
        for i, run in shown:
            colour, _, _, glyph = RUN_STYLES[i]
            lines.append(
                f"<span style='color:{colour}; font-weight: bold'>{glyph}</span> "
                f"<b>lr {format_number(run.rate)}</b> {run.describe()}"
            )
        self.status.setText("<br>".join(lines))


def _style_words(index: int) -> str:
    colour = ("blue", "orange", "green", "purple")[index]
    line = ("solid", "dashed", "dotted", "dash-dotted")[index]
    symbol = ("circles", "squares", "triangles", "diamonds")[index]
    return f"in {colour}, a {line} line with {symbol}"


def _thinned(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """At most PATH_POINTS_DRAWN points: every k-th one (k odd, so a zigzag stays a zigzag)."""
    n = xs.shape[0]
    if n <= PATH_POINTS_DRAWN:
        return np.array(xs), np.array(ys)
    stride = -(-n // PATH_POINTS_DRAWN)
    stride += 1 - stride % 2
    keep = np.unique(np.append(np.arange(0, n, stride), n - 1))
    return xs[keep], ys[keep]
