"""The main window: composes the panels and plots, makes the controllers and wires them.

Data flows one way: a widget calls a session slot; the session changes its state and emits a
signal; the Renderer (controllers/rendering.py) asks every view to redraw from the session.
Lesson files, exports, the look of the window and the menus each have a controller
(gui/controllers/).
"""

from __future__ import annotations

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

from gd_desktop.core.limits import SPEEDS
from gd_desktop.core.numbers import format_number
from gd_desktop.core.presets import PRESETS
from gd_desktop.gui.controllers.actions import Actions, KeyGuard, action_table, theme_action_id
from gd_desktop.gui.controllers.appearance import Appearance
from gd_desktop.gui.controllers.exports import Exports
from gd_desktop.gui.controllers.lesson_files import LessonFiles
from gd_desktop.gui.controllers.pages import Pages
from gd_desktop.gui.controllers.rendering import Renderer
from gd_desktop.gui.i18n import LanguageSwitcher
from gd_desktop.gui.session import Session
from gd_desktop.gui.settings import Preferences
from gd_desktop.gui.views.arithmetic_panel import ArithmeticPanel
from gd_desktop.gui.views.network_view import NetworkView
from gd_desktop.gui.views.panels import ParameterPanel, PresetChooser, Readout
from gd_desktop.gui.views.plot_style import style_plot
from gd_desktop.gui.views.plots import ErrorPlot, LossPlot
from gd_desktop.gui.views.widgets import signals_blocked

if TYPE_CHECKING:  # made when first needed: imported then
    from gd_desktop.gui.themes import Theme
    from gd_desktop.gui.views.contour_plot import ContourPanel
    from gd_desktop.gui.views.data_panel import DataPanel
    from gd_desktop.gui.views.history_table import HistoryTable

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
        self._preset_shown = -1  # the preset list's entry for the lesson on screen
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
        self.language = LanguageSwitcher(self, self.preferences, self._plots)
        self.actions_by_id = Actions(self, self.menuBar(), action_table(self))
        self.language.attach(self.actions_by_id)
        self.key_guard = KeyGuard(self, self.show_message)
        self.key_guard.watch(self.actions_by_id.single_key_actions())
        self.lesson_files.attach_menus(
            self.actions_by_id.menus["course_lessons"], self.actions_by_id.menus["recent_lessons"]
        )
        # An imported data set replaces the data: asked first, like any replacement.
        self.pages.may_replace_data = self.lesson_files.may_discard_changes

        self._connect()
        self.renderer = Renderer(self.session, self)
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

        self.network_view = NetworkView(self.session)
        self.arithmetic_panel = ArithmeticPanel(self.session)
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

    def render_shown(self, *_) -> None:
        self.renderer.render_shown()

    # ----------------------------------------------------------------- user actions
    def on_weight_chosen(self, index: int) -> None:
        if index < 0 or index >= self.session.problem.weight_count:
            return
        with signals_blocked(self.weight_choice):
            self.weight_choice.setCurrentIndex(index)
        self.loss_plot.set_weight_index(index)
        self.render_shown()

    def choose_preset(self, preset_id: str) -> bool:
        """Load the ready-made lesson with this id (from the list, the menu or a number key),
        once nothing unsaved would be lost; refused, the list shows the present lesson again."""
        preset = PRESETS_BY_ID[preset_id]
        loaded = self.lesson_files.replace_problem(
            lambda: self.session.load_problem(preset.problem, preset.weights),
            preset.name,
            preset.says,
        )
        if loaded:
            self._preset_shown = self.preset_combo.findData(preset_id)
            self.show_message(f"{preset.name}: {preset.says}", False)
        with signals_blocked(self.preset_combo):
            self.preset_combo.setCurrentIndex(self._preset_shown)
        return loaded

    def on_running_changed(self, running: bool) -> None:
        self.run_button.setText("Pause" if running else "Run")
        self.step_button.setEnabled(not running)

    def on_speed_changed(self, index: int) -> None:
        with signals_blocked(self.speed_slider):
            self.speed_slider.setValue(index)
        self.speed_label.setText(speed_text(SPEEDS[index]))

    def show_message(self, text: str, warning: bool) -> None:
        self.status.setText(("⚠ " if warning else "") + text)
        self.status.setStyleSheet(WARNING_STYLE if warning else INFO_STYLE)
