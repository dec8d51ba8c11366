"""The main window: composes the panels and plots, makes the controllers and wires them.

Data flows one way: a widget calls a session slot; the session changes its state and emits a
signal; the handlers here ask every view to render what the session now holds. Lesson files,
exports, the look of the window and the menus each have a controller (gui/controllers/).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core import arithmetic, engine
from gd_desktop.core.limits import SPEEDS
from gd_desktop.core.numbers import format_number
from gd_desktop.core.presets import PRESETS
from gd_desktop.gui.controllers.actions import Actions, action_table, theme_action_id
from gd_desktop.gui.controllers.appearance import Appearance
from gd_desktop.gui.controllers.exports import Exports
from gd_desktop.gui.controllers.lesson_files import LessonFiles
from gd_desktop.gui.controllers.pages import Pages
from gd_desktop.gui.session import Session
from gd_desktop.gui.settings import Preferences
from gd_desktop.gui.themes import style_plot
from gd_desktop.gui.views.arithmetic_panel import ArithmeticPanel
from gd_desktop.gui.views.network_view import NetworkPicture, NetworkView
from gd_desktop.gui.views.panels import ParameterPanel, PresetChooser, Readout
from gd_desktop.gui.views.plots import ErrorPlot, LossPlot
from gd_desktop.gui.views.widgets import signals_blocked

if TYPE_CHECKING:  # made when first needed: imported then
    from gd_desktop.gui.themes import Theme
    from gd_desktop.gui.views.contour_plot import ContourPanel
    from gd_desktop.gui.views.data_panel import DataPanel
    from gd_desktop.gui.views.history_table import HistoryTable

# Above this many rows × weights the numeric check runs for the highlighted weight only.
NUMERIC_CHECK_ALL_BELOW = 200_000
DETAILS_PERIOD = 0.1  # seconds between text-panel updates during a fast run
# What a fast run updates at that lower rate: one part per frame, so that no frame is late.
DETAIL_PARTS = ("numbers", "arithmetic", "diagram")
WARNING_STYLE = "background: #FDE8D7; color: #7A2E00; border: 2px solid #D55E00;"
INFO_STYLE = "background: #E8F1F8; color: #123A55; border: 2px solid #0072B2;"
PRESETS_BY_ID = {preset.id: preset for preset in PRESETS}


def speed_text(speed: float | None) -> str:
    if speed is None:
        return "full speed"
    return f"{format_number(speed)} step{'s' if speed != 1 else ''}/s"


def _big_button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setAccessibleName(text)
    button.setMinimumHeight(44)
    font = button.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    button.setFont(font)
    return button


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button


def _slider(name: str, accessible_name: str, tip: str) -> QSlider:
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setObjectName(name)
    slider.setAccessibleName(accessible_name)
    slider.setToolTip(tip)
    return slider


def _choice(name: str, accessible_name: str, tip: str) -> QComboBox:
    choice = QComboBox()
    choice.setObjectName(name)
    choice.setAccessibleName(accessible_name)
    choice.setToolTip(tip)
    return choice


def _with_choice(label: str, choice: QComboBox, plot, name: str) -> QWidget:
    """A plot under the list that chooses what it shows, with its legend below."""
    box = QWidget()
    box.setObjectName(name)
    row = QHBoxLayout()
    row.addWidget(QLabel(label))
    row.addWidget(choice)
    row.addStretch(1)
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.addLayout(row)
    column.addWidget(plot, 1)
    legend = QLabel(plot.legend_html)
    legend.setObjectName(f"{plot.objectName()}_legend")
    legend.setWordWrap(True)
    column.addWidget(legend)
    return box


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None):
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle("gd-desktop — gradient descent, step by step")
        self.session = session or Session(self)
        self.preferences = Preferences()
        self.comparison: QDialog | None = None
        self.compare_view = None  # a CompareView, made on first use
        self._details_due = 0.0
        self._details_pending: list[str] = []  # parts still to show in this round of a run
        self._details_round = (0.0, 0.0)  # when the round began, and what it has cost so far
        self._build_widgets()
        self._build_layout()

        self.lesson_files = LessonFiles(
            self, self.session, self.preferences, self.view_settings, self.apply_view_settings
        )
        self.exports = Exports(
            self,
            self.session,
            {"error": self.error_plot, "loss": self.loss_plot},
            self.centralWidget,
        )
        self.appearance = Appearance(self, self.preferences, self._plots)
        self.actions_by_id = Actions(self, self.menuBar(), action_table(self))
        self.lesson_files.attach_menus(
            self.actions_by_id.menus["course_lessons"], self.actions_by_id.menus["recent_lessons"]
        )

        self._connect()
        self.on_history_replaced()
        self.on_speed_changed(self.session.speed_index)
        self.undo_button.setEnabled(False)
        self.show_message("The course's two-input example: press Step to take one update.", False)
        self.appearance.fit_to_screen()
        self.appearance.restore_preferences()
        self.step_button.setFocus()

    # ----------------------------------------------------------------- building
    def _build_widgets(self) -> None:
        self.preset_combo = PresetChooser()
        self.parameters = ParameterPanel(self.session)
        self.step_button = _big_button("Step", "step_button", "Take one gradient-descent update")
        self.run_button = _big_button("Run", "run_button", "Step on a timer; press again to pause")
        self.reset_button = _big_button(
            "Reset", "reset_button", "Back to the values typed; the history is cleared"
        )
        self.speed_slider = _slider(
            "speed_slider", "Run speed", "Steps per second when running: from slow to full speed"
        )
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setPageStep(1)
        self.speed_slider.setValue(self.session.speed_index)
        self.speed_label = QLabel()

        self.back_button = _button("◀ Back", "back_button", "Look at the previous iteration")
        self.forward_button = _button("Forward ▶", "forward_button", "Look at the next iteration")
        self.history_slider = _slider(
            "history_slider",
            "Iteration on view",
            "Drag to look at any iteration of the run (← and → step)",
        )
        self.undo_button = _button(
            "Undo", "undo_button", "Bring back the history as it was before the last cut or reset"
        )

        self.readout = Readout(self.session)
        self.status = QLabel()
        self.status.setObjectName("status_message")
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(52)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.status.setMargin(6)

        self.network_view = NetworkView()
        self.arithmetic_panel = ArithmeticPanel()
        self.arithmetic_panel.setObjectName("arithmetic_page")
        self.explanation = self.arithmetic_panel.view
        # The Data and History pages and the contour map are made when first opened.
        self.pages = Pages(self, self.session)
        self.data_page = self.pages.data_page
        self.history_page = self.pages.history_page
        self.contour_page = self.pages.contour_page

        self.error_plot = ErrorPlot(self.session)
        self.error_choice = _choice(
            "error_choice",
            "What the first plot shows",
            "The error (prediction − target) or the loss (its square)",
        )
        self.error_choice.addItem("error (prediction − target)", "error")
        self.error_choice.addItem("loss (squared error)", "loss")
        self.loss_plot = LossPlot(self.session)
        self.weight_choice = _choice(
            "parabola_weight",
            "Weight shown on the loss curve",
            "The loss as this weight varies, the others held",
        )
        self.weight_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.step_button, self.run_button, self.reset_button):
            buttons.addWidget(button)
        speed = QHBoxLayout()
        speed.addWidget(QLabel("Speed"))
        speed.addWidget(self.speed_slider, 1)
        speed.addWidget(self.speed_label)
        walk = QHBoxLayout()
        walk.addWidget(self.back_button)
        walk.addWidget(self.history_slider, 1)
        walk.addWidget(self.forward_button)
        walk.addWidget(self.undo_button)
        left = QVBoxLayout()
        left.addWidget(self.preset_combo)
        left.addWidget(self.parameters)
        left.addLayout(buttons)
        left.addLayout(speed)
        left.addLayout(walk)
        left.addWidget(self.readout)
        left.addWidget(self.status)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        left_widget.setMinimumWidth(400)
        left_widget.setMaximumWidth(480)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("detail_tabs")
        self.tabs.addTab(self.arithmetic_panel, "Arithmetic")
        self.tabs.addTab(self.data_page, "Data")
        self.tabs.addTab(self.history_page, "History table")

        middle = QSplitter(Qt.Orientation.Vertical)
        middle.addWidget(self.network_view)
        middle.addWidget(self.tabs)
        middle.setStretchFactor(0, 2)
        middle.setStretchFactor(1, 3)
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(
            _with_choice("First plot shows", self.error_choice, self.error_plot, "error_page")
        )
        self.lower_tabs = QTabWidget()
        self.lower_tabs.setObjectName("plot_tabs")
        self.lower_tabs.addTab(
            _with_choice("Loss curve along", self.weight_choice, self.loss_plot, "loss_page"),
            "Loss curve",
        )
        self.lower_tabs.addTab(self.contour_page, "Contour map")
        self.pages.watch(self.tabs, self.lower_tabs)
        plots.addWidget(self.lower_tabs)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left_widget)
        splitter.addWidget(middle)
        splitter.addWidget(plots)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([400, 480, 480])
        self.setCentralWidget(splitter)

    def _connect(self) -> None:
        session = self.session
        self.step_button.clicked.connect(session.step)
        self.run_button.clicked.connect(session.toggle_run)
        self.reset_button.clicked.connect(session.reset)
        self.back_button.clicked.connect(session.back)
        self.forward_button.clicked.connect(session.forward)
        self.undo_button.clicked.connect(session.undo)
        self.history_slider.valueChanged.connect(session.show_iteration)
        self.speed_slider.valueChanged.connect(session.set_speed_index)
        self.preset_combo.preset_chosen.connect(self.choose_preset)
        self.error_choice.currentIndexChanged.connect(
            lambda index: self.error_plot.set_show_loss(self.error_choice.itemData(index) == "loss")
        )
        self.weight_choice.currentIndexChanged.connect(self.on_weight_chosen)
        self.network_view.weight_clicked.connect(self.on_weight_chosen)
        self.arithmetic_panel.quiz_changed.connect(self.render_shown)
        session.problem_changed.connect(self.on_history_replaced)
        session.reset_done.connect(self.on_history_replaced)
        session.history_replaced.connect(self.on_history_replaced)
        session.stepped.connect(self.on_stepped)
        session.shown_changed.connect(self.render_shown)
        session.undo_available.connect(self.undo_button.setEnabled)
        session.running_changed.connect(self.on_running_changed)
        session.message.connect(self.show_message)
        session.speed_changed.connect(self.on_speed_changed)
        for controller in (self.lesson_files, self.exports, self.appearance, self.pages):
            controller.message.connect(self.show_message)
        self.pages.copy_requested.connect(self.exports.copy_history)
        self.pages.export_requested.connect(self.exports.on_export_clicked)
        self.pages.plot_made.connect(self.appearance.style_new_plot)
        self.appearance.theme_changed.connect(self._on_theme_changed)
        self.appearance.theme_chosen.connect(
            lambda theme_id: self.actions_by_id[theme_action_id(theme_id)].setChecked(True)
        )

    def show_comparison(self) -> None:
        """A window of its own (it needs room): up to four rates on the same problem."""
        if self.comparison is None:
            from gd_desktop.gui.views.compare_view import CompareView  # only when asked for

            self.comparison = QDialog(self)
            self.comparison.setObjectName("compare_window")
            self.comparison.setWindowTitle("Comparing learning rates — gd-desktop")
            layout = QVBoxLayout(self.comparison)
            self.compare_view = CompareView(self.session)
            layout.addWidget(self.compare_view)
            self.comparison.resize(980, 760)
            style_plot(self.compare_view.error_plot, self.appearance.theme)
            style_plot(self.compare_view.path_plot, self.appearance.theme)
        self.compare_view.reset()
        self.comparison.show()
        self.comparison.raise_()

    # ----------------------------------------------------------------- lesson files
    def open_lesson(self, path) -> bool:
        return self.lesson_files.open_lesson(path)

    def save_lesson(self, path, with_run: bool = False) -> bool:
        return self.lesson_files.save_lesson(path, with_run)

    def confirm_unsaved(self) -> str:
        """Ask whether to save the changes: "save", "discard" or "cancel" (tests answer here)."""
        return self.lesson_files.ask_about_unsaved()

    def view_settings(self) -> dict:
        """What a lesson file keeps of the view, besides the session's speed."""
        return {
            "selected_weight": self.selected_weight,
            "first_plot": self.error_choice.currentData(),
        }

    def apply_view_settings(self, settings: dict) -> None:
        if "first_plot" in settings:
            self.error_choice.setCurrentIndex(1 if settings["first_plot"] == "loss" else 0)
        if "selected_weight" in settings:
            self.on_weight_chosen(int(settings["selected_weight"]))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if not self.lesson_files.may_discard_changes():
            event.ignore()
            return
        self.session.pause()
        self.appearance.save_preferences()
        super().closeEvent(event)

    # ----------------------------------------------------------------- pages and plots
    @property
    def data_panel(self) -> DataPanel:
        return self.pages.data_panel

    @property
    def history_table(self) -> HistoryTable:
        return self.pages.history_table

    @property
    def contour(self) -> ContourPanel | None:
        return self.pages.contour

    @property
    def _data_panel(self) -> DataPanel | None:  # None until the Data tab is first opened
        return self.pages.data_panel_made

    @property
    def _history_table(self) -> HistoryTable | None:  # None until the History tab is opened
        return self.pages.history_table_made

    def _plots(self) -> list:
        plots = [self.error_plot, self.loss_plot, *self.pages.plots()]
        if self.compare_view is not None:
            plots += [self.compare_view.error_plot, self.compare_view.path_plot]
        return plots

    def _on_theme_changed(self, theme: Theme) -> None:
        self.network_view.set_colours(theme.base, theme.ink)
        self.arithmetic_panel.set_colours(theme.ink, theme.highlight)

    # ----------------------------------------------------------------- rendering
    @property
    def selected_weight(self) -> int:
        return self.loss_plot.weight_index

    def on_history_replaced(self) -> None:
        """Everything may have changed (new problem, reset, cut or undo): redraw it all."""
        count = self.session.problem.weight_count
        chosen = max(0, min(self.weight_choice.currentIndex(), count - 1))
        with signals_blocked(self.weight_choice):
            self.weight_choice.clear()
            self.weight_choice.addItems([self.session.problem.weight_name(i) for i in range(count)])
            self.weight_choice.setCurrentIndex(chosen)
        self.loss_plot.set_weight_index(chosen)
        self.parameters.show_problem()
        problem = self.session.problem
        if self._data_panel is not None:
            self._data_panel.show_data(problem.inputs, problem.targets)
        if self.contour is not None:
            self.contour.show_problem()
        self.error_plot.refresh(full=True)
        if self._history_table is not None:
            self._history_table.model_.sync()
        self.render_shown()

    def on_stepped(self) -> None:
        self.error_plot.refresh()
        if self._history_table is not None:
            self._history_table.model_.sync()
        if not self.session.is_running:
            self.render_shown()
            return
        # A fast run changes the numbers faster than anyone reads them: the plots follow at
        # every frame; the numbers, the arithmetic and the diagram ten times a second, one of
        # them a frame (a pause shows them all).
        now = time.perf_counter()
        if not self._details_pending and now >= self._details_due:
            self._details_pending = list(DETAIL_PARTS)
            self._details_round = (now, 0.0)
        part = self._details_pending.pop(0) if self._details_pending else None
        self.render_shown(details=False, part=part)

    def render_shown(self, *_, details: bool = True, part: str | None = None) -> None:
        """Show the iteration on view in every panel; during a run, the plots and ``part``."""
        session = self.session
        hide_slopes = self.arithmetic_panel.hides_slope
        self.error_plot.show_marker()
        self.loss_plot.show_next_step = not self.arithmetic_panel.quizzing
        self.loss_plot.refresh(details=details or part is not None)
        parts = DETAIL_PARTS if details else (part,) if part else ()
        started = time.perf_counter()
        if "numbers" in parts:
            self.parameters.show_rate()
            self.parameters.show_state(hide_slopes=hide_slopes)
            self.readout.show_state()
        if "arithmetic" in parts:
            self._show_arithmetic()
        if "diagram" in parts:
            self._show_network(hide_slopes)
            if self.contour is not None:
                self.contour.refresh()
        if parts:
            # Text panels cost more with more rows and weights: during a fast run they catch up
            # ten times a second at most, and never take more than a fifth of the time.
            cost = time.perf_counter() - started
            if details:
                self._details_pending = []
                self._details_round = (started, cost)
            else:
                began, spent = self._details_round
                self._details_round = (began, spent + cost)
            if not self._details_pending:
                began, spent = self._details_round
                self._details_due = began + max(DETAILS_PERIOD, 5 * spent)
        with signals_blocked(self.history_slider):
            self.history_slider.setRange(0, session.iteration)
            self.history_slider.setValue(session.shown_index)
        self.back_button.setEnabled(session.shown_index > 0)
        self.forward_button.setEnabled(not session.is_showing_latest)
        if self._history_table is not None:
            self._history_table.show_row(session.shown_index)

    def _show_arithmetic(self) -> None:
        session = self.session
        index = session.shown_index
        history = session.history
        problem = session.shown_problem
        batch = problem.batch_rows(index)
        large = problem.row_count * problem.weight_count > NUMERIC_CHECK_ALL_BELOW
        check_only = self.selected_weight if large else None
        if batch is None:
            step = arithmetic.explain(problem, session.shown, check_only)
        else:  # the next step learns from these rows only: show its arithmetic on them
            sub = problem.subset(batch)
            step = arithmetic.explain(sub, engine.evaluate(sub, session.shown.weights), check_only)
        previous = []
        if index > 0 and not history.moved_by_hand[index]:
            slopes = history.gradients[index - 1]
            rows_then = problem.batch_rows(index - 1)
            if rows_then is not None:  # that step learnt from its batch: its slope, not the full
                sub = problem.subset(rows_then)
                slopes = engine.evaluate(sub, history.weights[index - 1]).gradient
            previous = arithmetic.step_just_taken(
                history.weights[index - 1],
                float(history.learning_rates[index]),
                slopes,
                history.weights[index],
                [session.problem.weight_name(k) for k in range(session.problem.weight_count)],
            )
        heading = f"Iteration {index}" + (
            "" if session.is_showing_latest else f" of {session.iteration} (looking back)"
        )
        if index > 0 and history.moved_by_hand[index]:
            heading += ": a weight was moved by hand"
        if batch is not None:
            rows = ", ".join(str(r + 1) for r in batch[:12]) + (" …" if batch.size > 12 else "")
            heading += f" — the next step learns from rows {rows}"
        self.arithmetic_panel.show_arithmetic(heading, step, previous, self.selected_weight)

    def _show_network(self, hide_slopes: bool) -> None:
        session = self.session
        shown = session.shown
        problem = session.problem
        picture = NetworkPicture(
            inputs=problem.inputs[0],
            weights=shown.weights,
            slopes=shown.gradient,
            names=tuple(problem.weight_name(k) for k in range(problem.weight_count)),
            prediction=float(shown.predictions[0]),
            target=float(problem.targets[0]),
            error=float(shown.errors[0]),
            rows=problem.row_count,
            hidden_sums=None if shown.hidden_sums is None else shown.hidden_sums[0],
            hidden_values=None if shown.hidden_values is None else shown.hidden_values[0],
            activation=problem.activation,
        )
        self.network_view.show_state(picture, self.selected_weight, hide_slopes=hide_slopes)

    # ----------------------------------------------------------------- user actions
    def on_weight_chosen(self, index: int) -> None:
        if index < 0 or index >= self.session.problem.weight_count:
            return
        with signals_blocked(self.weight_choice):
            self.weight_choice.setCurrentIndex(index)
        self.loss_plot.set_weight_index(index)
        self.render_shown()

    def choose_preset(self, preset_id: str) -> None:
        """Load the ready-made lesson with this id (from the list, the menu or a number key)."""
        preset = PRESETS_BY_ID[preset_id]
        if self.session.load(
            preset.inputs,
            preset.targets,
            preset.weights,
            preset.learning_rate,
            preset.hidden_count,
            preset.activation,
        ):
            self.show_message(f"{preset.name}: {preset.says}", False)

    def on_running_changed(self, running: bool) -> None:
        self.run_button.setText("Pause" if running else "Run")
        self.step_button.setEnabled(not running)
        if not running:
            self.render_shown()  # the text panels catch up with the last step

    def on_speed_changed(self, index: int) -> None:
        with signals_blocked(self.speed_slider):
            self.speed_slider.setValue(index)
        self.speed_label.setText(speed_text(SPEEDS[index]))

    def show_message(self, text: str, warning: bool) -> None:
        self.status.setText(("⚠ " if warning else "") + text)
        self.status.setStyleSheet(WARNING_STYLE if warning else INFO_STYLE)
