"""Comparing optimizers and learning rates: up to six runs on the lesson's problem, stepping
together.

Every run starts from the weights at the start of the session's history and takes its own steps
with its own optimizer, setting and learning rate (a core RunChoice over the lesson's problem).
Each is a core Run, stepped by the same loop and stopped by the same rule as the window's run
(core/comparison.py decides the rest); this view draws their histories.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core import comparison, engine
from gd_desktop.core.comparison import MAX_RUNS, ComparedRun, RunChoice
from gd_desktop.core.engine import Evaluation, ProblemError
from gd_desktop.core.i18n import _, grouped
from gd_desktop.gui.session import Session
from gd_desktop.gui.views.compare_plots import ComparePlots
from gd_desktop.gui.views.compare_rows import RunRow
from gd_desktop.gui.views.contour_plot import ContourPanel

STEPS_PER_SECOND = 30
MAX_STEPS_PER_FRAME = 10  # a slow frame is caught up, but never by a jump a student would miss
MAX_ITERATIONS = 100_000
RATES, OPTIMIZERS, CHOSEN = "rates", "optimizers", "chosen"  # which set of runs is on


class CompareView(QWidget):
    """Up to six runs with their own optimizers and learning rates on the session's problem."""

    #: The runs moved or changed: the contour map draws their paths again.
    runs_changed = Signal()

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.setObjectName("compare_view")
        self._session = session
        self._problem = session.problem
        self._start: Evaluation | None = None
        self._choices: list[RunChoice | None] = [None] * MAX_RUNS
        self._runs: list[ComparedRun | None] = [None] * MAX_RUNS
        self._set = RATES
        self._iteration = 0
        self._defaults_key: tuple | None = None
        self._note = ""
        self._run_started, self._run_steps = 0.0, 0
        self._timer = QTimer(self)
        self._timer.setInterval(round(1000 / STEPS_PER_SECOND))
        self._timer.timeout.connect(self._on_timer)
        self._build()
        self.retranslate()
        session.problem_changed.connect(self.reset)
        session.reset_done.connect(self.reset)
        session.history_replaced.connect(self.reset)
        self.reset()

    # ----------------------------------------------------------------- building
    def _button(self, name: str, slot) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _build(self) -> None:
        self.title = QLabel()
        self.title.setObjectName("compare_title")
        font = QFont(self.title.font())
        font.setPointSizeF(max(font.pointSizeF(), 12.0) * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.intro = QLabel()
        self.intro.setObjectName("compare_intro")
        self.intro.setWordWrap(True)
        self.rows = [RunRow(i, self) for i in range(MAX_RUNS)]
        for row in self.rows:
            row.edited.connect(self._on_choice_edited)
            row.optimizer_chosen.connect(self._on_optimizer_chosen)
            row.removed.connect(self._on_removed)
            row.use_changed.connect(self._on_use_changed)
        self.step_button = self._button("compare_step_button", lambda: self.step())
        self.run_button = self._button("compare_run_button", self.toggle_run)
        self.reset_button = self._button("compare_reset_button", self.reset)
        self.add_button = self._button("compare_add_button", self.add_run)
        self.rates_button = self._button("compare_rates_button", self.compare_rates)
        self.optimizers_button = self._button("compare_optimizers_button", self.compare_optimizers)
        self.status = QLabel()
        self.status.setObjectName("compare_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.runs_heading = QLabel()
        self.plots = ComparePlots()
        self.error_plot, self.path_plot = self.plots.error_plot, self.plots.path_plot
        self.error_curves, self.path_curves = self.plots.error_curves, self.plots.path_curves
        self.loss_curve = self.plots.loss_curve
        self.map = ContourPanel(self._session, legend_runs=False)
        self.map.setObjectName("compare_map")
        self.map.follow(self)
        self.plot_tabs = QTabWidget()
        self.plot_tabs.setObjectName("compare_plot_tabs")
        path_page = QWidget()
        path_page.setObjectName("compare_path_page")
        path_layout = QVBoxLayout(path_page)
        path_layout.setContentsMargins(0, 0, 0, 0)
        path_layout.addWidget(self.path_plot, 1)
        path_layout.addWidget(self.plots.path_legend)
        self.plot_tabs.addTab(self.map, "")
        self.plot_tabs.addTab(path_page, "")
        self.plot_tabs.currentChanged.connect(lambda _index: self._refresh())

        runs = QGridLayout()
        runs.setHorizontalSpacing(6)
        runs.setVerticalSpacing(2)
        runs.addWidget(self.runs_heading, 0, 0, 1, 8)
        for i, row in enumerate(self.rows):
            for column, widget in enumerate(row.widgets):
                runs.addWidget(widget, i + 1, column)
        runs.setColumnStretch(7, 1)
        controls = QHBoxLayout()
        for button in (
            self.step_button, self.run_button, self.reset_button, self.add_button,
            self.rates_button, self.optimizers_button,
        ):  # fmt: skip
            controls.addWidget(button)
        controls.addSpacing(10)
        controls.addWidget(self.status, 1)
        plots = QHBoxLayout()
        plots.addWidget(self.error_plot, 1)
        plots.addWidget(self.plot_tabs, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(runs)
        layout.addLayout(controls)
        layout.addLayout(plots, 1)
        layout.addWidget(self.plots.error_legend)

    def retranslate(self) -> None:
        """Every word again in the language in use (View ▸ Language)."""
        self.setAccessibleName(_("Comparing optimizers and learning rates"))
        self.title.setText(_("Comparing optimizers and learning rates"))
        self.intro.setAccessibleName(_("What this view compares"))
        self.runs_heading.setText(_("Runs: optimizer, setting and learning rate"))
        self.status.setAccessibleName(_("How each run is doing"))
        texts = {
            self.step_button: (
                _("Step"), _("Step every run once"),
                _("Take one step in every run that is shown and still going"),
            ),
            self.reset_button: (
                _("Reset"), _("Reset the comparison"),
                _("Start every run again from the weights at the start of the lesson's history"),
            ),
            self.add_button: (
                _("Add a run"), _("Add a run"),
                _("Add a run (six at most); then choose its optimizer, setting and rate"),
            ),
            self.rates_button: (
                _("Compare rates"), _("Compare learning rates"),
                _("Four runs of the lesson's optimizer: a quarter, once and twice its rate, and "
                  "just above the rate where plain steps diverge"),
            ),
            self.optimizers_button: (
                _("Compare optimizers"), _("Compare the optimizers"),
                _("Six runs: plain steps, momentum, Nesterov, AdaGrad, RMSProp and Adam, each at "
                  "a sensible rate for this problem"),
            ),
        }  # fmt: skip
        for button, (text, name, tip) in texts.items():
            button.setText(text)
            button.setAccessibleName(name)
            button.setToolTip(tip)
        self.run_button.setAccessibleName(_("Run or pause the comparison"))
        self._show_run_button()
        for row in self.rows:
            row.retranslate()
        self.plot_tabs.setTabText(0, _("Contour map"))
        self._name_plots()
        if self._runs and self._start is not None:
            self._describe_problem()
            self._refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.runs_changed.emit()  # the contour map draws the compared runs from now on

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        self.pause()
        self.runs_changed.emit()  # and the session's own path again

    # ----------------------------------------------------------------- public
    def reset(self) -> None:
        """Every run afresh from the session's current problem and the weights it started from.

        A new problem (or a new lesson rate or optimizer) brings the default runs again, of the
        set that is on (rates or optimizers); otherwise the runs chosen here are kept.
        """
        self.pause()
        session = self._session
        problem = session.problem
        key = comparison.problem_key(problem)
        self._note = ""
        self._problem = problem
        self._iteration = 0
        start = engine.evaluate(problem, np.array(session.history.weights[0], dtype=float))
        self._start = start if start.is_finite else None
        if key != self._defaults_key:
            self._defaults_key = key
            self._set = OPTIMIZERS if self._set == OPTIMIZERS else RATES
            self._choose_set()
            # The map needs two weights; a single weight's path is on the loss along it.
            self.plot_tabs.setCurrentIndex(0 if problem.weight_count >= 2 else 1)
        self.map.show_problem()
        self._restart_runs()

    def compare_rates(self) -> None:
        """The lesson's optimizer at four rates around the one where it diverges."""
        self._set = RATES
        self._choose_set()
        self._restart_runs()

    def compare_optimizers(self) -> None:
        """Plain steps, momentum, Nesterov, AdaGrad, RMSProp and Adam, each at its own rate."""
        self._set = OPTIMIZERS
        self._choose_set()
        self._restart_runs()

    def add_run(self) -> None:
        """One more run (the lesson's optimizer and rate), caught up with the others."""
        if None not in self._choices:
            self._note = _("A comparison holds {count} runs at most: remove one first.").format(
                count=MAX_RUNS
            )
            self._refresh()
            return
        index = self._choices.index(None)
        problem = self._problem
        self._set_choice(
            index, comparison.choice(problem.optimizer, problem.learning_rate, problem)
        )
        self._note = _("Run {number} added: choose its optimizer, setting and rate.").format(
            number=index + 1
        )
        self._refresh()

    def step(self, count: int = 1) -> bool:
        """``count`` steps for every shown run that is still going; False when none can step."""
        active = self._active_runs()
        if not active or self._iteration >= MAX_ITERATIONS:
            self._note = self._nothing_to_step()
            self.pause()
            self._refresh()
            return False
        count = min(count, MAX_ITERATIONS - self._iteration)
        self._note = ""
        for run in active:  # a running run halts where it diverges; a Step only warns
            comparison.advance(run, count, halt_when_diverging=self.is_running)
        # The runs going on were all at this iteration: it is now where the farthest got.
        self._iteration = max(run.iteration for run in active)
        self._refresh()
        return True

    def toggle_run(self) -> None:
        """Run (about 30 steps a second) or pause."""
        if self.is_running:
            self.pause()
            self._note = _("Paused at iteration {iteration}.").format(iteration=self._iteration)
            self._refresh()
            return
        if not self._active_runs():
            self._note = self._nothing_to_step()
            self._refresh()
            return
        self._note = ""
        self._run_started, self._run_steps = time.perf_counter(), 0
        self._timer.start()
        self._show_run_button()

    def pause(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
        self._show_run_button()

    @property
    def is_running(self) -> bool:
        return self._timer.isActive()

    @property
    def iteration(self) -> int:
        return self._iteration

    def runs(self) -> list[tuple[float, np.ndarray, np.ndarray]]:
        """(learning rate, losses, weights) of each shown run; one row per iteration."""
        return [
            (run.problem.learning_rate, np.array(run.history.losses), np.array(run.history.weights))
            for _, run in self.shown_runs()
        ]

    def shown_runs(self) -> list[tuple[int, ComparedRun]]:
        """(slot, run) of each run shown; the slot chooses its colour, line and symbol."""
        return [
            (i, run)
            for i, run in enumerate(self._runs)
            if run is not None and self.rows[i].use.isChecked()
        ]

    # ----------------------------------------------------------------- reacting
    def _on_timer(self) -> None:
        """The steps due by the clock (30 a second), however long a frame took to draw."""
        due = int((time.perf_counter() - self._run_started) * STEPS_PER_SECOND)
        count = max(1, min(MAX_STEPS_PER_FRAME, due - self._run_steps))
        self._run_steps += count
        if not self.step(count):
            return
        if not self._active_runs():
            self.pause()
            self._note = _("Every run has stopped (iteration {iteration}).").format(
                iteration=self._iteration
            )
            self._refresh()

    def _on_choice_edited(self, index: int, choice: RunChoice) -> None:
        """A typed rate or setting: that run starts again and catches up with the others."""
        try:
            choice.problem(self._problem)  # checked before anything changes
        except ProblemError as refused:
            self._note = str(refused)
            self.rows[index].show_choice(self._choices[index])
            self._refresh()
            return
        self._set = CHOSEN
        self._set_choice(index, choice)
        self._note = _(
            "Run {number} is now {name}: it started again from the same weights and caught up "
            "to iteration {iteration}."
        ).format(number=index + 1, name=comparison.run_name(choice), iteration=self._iteration)
        self._refresh()

    def _on_optimizer_chosen(self, index: int, optimizer: str) -> None:
        """Another optimizer for a run, at a sensible rate for it (the user may type another)."""
        problem = self._problem
        start = self._start.weights if self._start is not None else np.zeros(problem.weight_count)
        rate = comparison.optimizer_rate(problem, optimizer, start)
        self._on_choice_edited(index, comparison.choice(optimizer, rate, problem))

    def _on_removed(self, index: int) -> None:
        self._set = CHOSEN
        self._set_choice(index, None)
        self._note = _("Run {number} removed.").format(number=index + 1)
        self._refresh()

    def _on_use_changed(self, index: int, checked: bool) -> None:
        run = self._runs[index]
        if checked and run is not None and run.stopped is None:
            # Catch up with the others; it halts where it diverges only while they run.
            comparison.advance(run, self._iteration - run.iteration, self.is_running)
        self.plots.forget_views()
        self._note = ""
        self._refresh()

    # ----------------------------------------------------------------- helpers
    def _show_run_button(self) -> None:
        if self.is_running:
            self.run_button.setText(_("Pause"))
            self.run_button.setToolTip(_("Pause the runs"))
        else:
            self.run_button.setText(_("Run"))
            self.run_button.setToolTip(
                _(
                    "Step every run together, about {count} steps a second; press again to pause"
                ).format(count=STEPS_PER_SECOND)
            )

    def _choose_set(self) -> None:
        problem = self._problem
        if self._set == OPTIMIZERS and self._start is not None:
            chosen = comparison.optimizer_runs(problem, self._start.weights)
        else:
            chosen = comparison.rate_runs(problem)
        self._choices = chosen + [None] * (MAX_RUNS - len(chosen))
        for row, choice in zip(self.rows, self._choices, strict=True):
            row.show_choice(choice)

    def _restart_runs(self) -> None:
        self.pause()
        self._iteration = 0
        for i in range(MAX_RUNS):
            self._runs[i] = self._new_run(i)
        self._describe_problem()
        self.plots.forget_views()
        self._refresh()

    def _set_choice(self, index: int, choice: RunChoice | None) -> None:
        self._choices[index] = choice
        self.rows[index].show_choice(choice)
        self._runs[index] = self._new_run(index)

    def _new_run(self, index: int) -> ComparedRun | None:
        choice = self._choices[index]
        if self._start is None or choice is None:
            return None
        run = ComparedRun(choice, self._problem, self._start.weights)
        if self.rows[index].use.isChecked():
            comparison.advance(run, self._iteration, halt_when_diverging=self.is_running)
        return run

    def _active_runs(self) -> list[ComparedRun]:
        return [run for _, run in self.shown_runs() if run.stopped is None]

    def _nothing_to_step(self) -> str:
        if self._start is None:
            return _("The starting numbers are too large to compute: change the problem.")
        if not self.shown_runs():
            return _("Tick at least one run to compare.")
        if self._iteration >= MAX_ITERATIONS:
            return _("{limit} iterations is the limit here: press Reset.").format(
                limit=grouped(MAX_ITERATIONS)
            )
        return _("Every run shown has stopped: press Reset to start them again.")

    def _weight_name(self) -> str:
        problem = self._problem
        return _("weight 1") if problem.hidden_count == 0 else problem.weight_name(0)

    def _describe_problem(self) -> None:
        start = None if self._start is None else self._start.weights
        self.intro.setText(comparison.introduction(self._problem, start))
        self._name_plots()

    def _name_plots(self) -> None:
        name = self._weight_name()
        self.plots.retranslate(name)
        self.plot_tabs.setTabText(1, _("Loss along {weight}").format(weight=name))

    # ----------------------------------------------------------------- drawing
    def _refresh(self) -> None:
        shown = self.shown_runs()
        self.plots.refresh(shown, self._iteration, self._problem, self._start)
        self.status.setText(
            _("<b>Iteration {iteration}.</b> {note}")
            .format(iteration=self._iteration, note=self._note)
            .rstrip()
        )
        for row, run in zip(self.rows, self._runs, strict=True):
            shown_run = run is not None and row.use.isChecked()
            row.state.setText(comparison.describe(run) if shown_run else "")
        self.runs_changed.emit()
