"""The main window: composes the panels and plots and wires them to one session.

Data flows one way: a widget calls a session slot; the session changes its state and emits a
signal; the handlers here ask every view to render what the session now holds.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core import arithmetic, engine
from gd_desktop.core.limits import LESSON_EXTENSION, SPEEDS
from gd_desktop.core.numbers import format_number
from gd_desktop.core.presets import PRESETS
from gd_desktop.gui.session import Session
from gd_desktop.gui.settings import Preferences
from gd_desktop.gui.themes import THEMES, apply_application_theme, style_plot
from gd_desktop.gui.views.arithmetic_panel import ArithmeticPanel
from gd_desktop.gui.views.network_view import NetworkPicture, NetworkView
from gd_desktop.gui.views.panels import ParameterPanel, Readout
from gd_desktop.gui.views.plot_style import scale_plot_fonts
from gd_desktop.gui.views.plots import ErrorPlot, LossPlot
from gd_desktop.gui.views.widgets import signals_blocked

if TYPE_CHECKING:  # made when first needed: imported then
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


def speed_text(speed: float | None) -> str:
    if speed is None:
        return "full speed"
    return f"{format_number(speed)} step{'s' if speed != 1 else ''}/s"


def _lesson_title(path: Path) -> str:
    """A shipped lesson's menu entry: its title, read from the file (its name if unreadable)."""
    from gd_desktop.core import lesson

    try:
        return lesson.load(path).title or path.stem
    except lesson.LessonError:
        return path.stem


def _empty_page() -> QWidget:
    """A tab's page whose content is made when the tab is first opened."""
    page = QWidget()
    QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
    return page


def _fill_page(page: QWidget, content: QWidget, stretch: int = 0) -> None:
    page.layout().addWidget(content, stretch)
    if page.isVisible():
        content.show()  # a child added to a shown page must be shown itself


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


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None):
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle("gd-desktop — gradient descent, step by step")
        self.session = session or Session(self)
        self.preferences = Preferences()
        self.lesson_title = ""
        self.lesson_notes = ""
        self.lesson_path: Path | None = None
        self.comparison: QDialog | None = None
        self.compare_view = None  # a CompareView, made on first use
        self.theme = THEMES["light"]
        self.text_scale = 1.0
        self._base_point_size: float | None = None
        self._own_fonts: dict[QWidget, float] = {}
        self._details_due = 0.0
        self._details_pending: list[str] = []  # parts still to show in this round of a run
        self._details_round = (0.0, 0.0)  # when the round began, and what it has cost so far

        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("preset_combo")
        self.preset_combo.setAccessibleName("Presets")
        self.preset_combo.setToolTip("Ready-made lessons: each sets every value (keys 1 to 8)")
        self.preset_combo.setPlaceholderText("Load a preset lesson…")
        for preset in PRESETS:
            self.preset_combo.addItem(preset.name)
            self.preset_combo.setItemData(
                self.preset_combo.count() - 1, preset.says, Qt.ItemDataRole.ToolTipRole
            )
        self.preset_combo.setCurrentIndex(-1)

        self.parameters = ParameterPanel(self.session)
        self.step_button = _big_button("Step", "step_button", "Take one gradient-descent update")
        self.run_button = _big_button("Run", "run_button", "Step on a timer; press again to pause")
        self.reset_button = _big_button(
            "Reset", "reset_button", "Back to the values typed; the history is cleared"
        )
        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setObjectName("speed_slider")
        self.speed_slider.setAccessibleName("Run speed")
        self.speed_slider.setToolTip("Steps per second when running: from slow to full speed")
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setPageStep(1)
        self.speed_slider.setValue(self.session.speed_index)
        self.speed_label = QLabel()

        self.back_button = QPushButton("◀ Back")
        self.back_button.setObjectName("back_button")
        self.back_button.setToolTip("Look at the previous iteration")
        self.forward_button = QPushButton("Forward ▶")
        self.forward_button.setObjectName("forward_button")
        self.forward_button.setToolTip("Look at the next iteration")
        self.history_slider = QSlider(Qt.Orientation.Horizontal)
        self.history_slider.setObjectName("history_slider")
        self.history_slider.setAccessibleName("Iteration on view")
        self.history_slider.setToolTip("Drag to look at any iteration of the run (← and → step)")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("undo_button")
        self.undo_button.setToolTip("Bring back the history as it was before the last cut or reset")

        self.readout = Readout(self.session)
        self.status = QLabel()
        self.status.setObjectName("status_message")
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(52)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.status.setMargin(6)

        self.network_view = NetworkView()
        self.arithmetic_panel = ArithmeticPanel()
        self.explanation = self.arithmetic_panel.view
        # The Data and History pages, like the contour map, are made when first opened (or first
        # needed): made with the window they cost a quarter of its building and polishing time,
        # for pages nobody sees at the start. See the data_panel and history_table properties.
        self._data_panel: DataPanel | None = None
        self._history_table: HistoryTable | None = None
        self.data_page = _empty_page()
        self.history_page = _empty_page()

        self.error_plot = ErrorPlot(self.session)
        self.error_choice = QComboBox()
        self.error_choice.setObjectName("error_choice")
        self.error_choice.setAccessibleName("What the first plot shows")
        self.error_choice.setToolTip("The error (prediction − target) or the loss (its square)")
        self.error_choice.addItems(["error (prediction − target)", "loss (squared error)"])
        self.loss_plot = LossPlot(self.session)
        # The contour map is made when its tab is first opened: most lessons never need it.
        self.contour: ContourPanel | None = None
        self.contour_page = _empty_page()
        self.weight_choice = QComboBox()
        self.weight_choice.setObjectName("parabola_weight")
        self.weight_choice.setAccessibleName("Weight shown on the loss curve")
        self.weight_choice.setToolTip("The loss as this weight varies, the others held")
        self.weight_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self._build_layout()
        self._connect()
        self.on_history_replaced()
        self.on_speed_changed(self.session.speed_index)
        self.undo_button.setEnabled(False)
        self._update_title()
        self.show_message("The course's two-input example: press Step to take one update.", False)
        self._build_menus()
        self._fit_to_screen()
        self._restore_preferences()
        self.step_button.setFocus()

    # ----------------------------------------------------------------- building
    def _fit_to_screen(self) -> None:
        screen = QGuiApplication.primaryScreen()
        width, height = 1500, 940
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, int(available.width() * 0.95))
            height = min(height, int(available.height() * 0.92))
        self.resize(width, height)

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

        def with_choice(label: str, choice: QComboBox, plot) -> QWidget:
            box = QWidget()
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

        self.tabs = QTabWidget()
        self.tabs.setObjectName("detail_tabs")
        self.tabs.addTab(self.arithmetic_panel, "Arithmetic")
        self.tabs.addTab(self.data_page, "Data")
        self.tabs.addTab(self.history_page, "History table")
        self.tabs.currentChanged.connect(self._on_detail_tab)

        middle = QSplitter(Qt.Orientation.Vertical)
        middle.addWidget(self.network_view)
        middle.addWidget(self.tabs)
        middle.setStretchFactor(0, 2)
        middle.setStretchFactor(1, 3)
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(with_choice("First plot shows", self.error_choice, self.error_plot))
        self.lower_tabs = QTabWidget()
        self.lower_tabs.setObjectName("plot_tabs")
        self.lower_tabs.addTab(
            with_choice("Loss curve along", self.weight_choice, self.loss_plot), "Loss curve"
        )
        self.lower_tabs.addTab(self.contour_page, "Contour map")
        self.lower_tabs.currentChanged.connect(self._on_lower_tab)
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

    def _action(self, menu, text: str, slot, shortcuts=(), tip: str = "") -> QAction:
        """A menu entry with its keys shown beside it, and a tooltip saying what it does."""
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in shortcuts])
        action.setToolTip(tip or text)
        action.setStatusTip(tip or text)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.actions_by_name[text] = action
        return action

    def _build_menus(self) -> None:
        """Every action lives in a menu with its keys; a presenter's clicker sends PageDown/Up."""
        self.actions_by_name: dict[str, QAction] = {}
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(
            file_menu, "Open lesson…", self.on_open_clicked, [QKeySequence.StandardKey.Open],
            "Open a .gdlesson file",
        )  # fmt: skip
        self.course_menu = file_menu.addMenu("Course lessons")
        # Filled when first opened: reading eight files is no work for the window's start.
        self.course_menu.aboutToShow.connect(self._fill_course_menu)
        self.recent_menu = file_menu.addMenu("Recent lessons")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._action(
            file_menu, "Save lesson", self.on_save_clicked, [QKeySequence.StandardKey.Save],
            "Save the problem, network, data and settings",
        )  # fmt: skip
        self._action(
            file_menu, "Save lesson as…", self.on_save_as_clicked, ["Ctrl+Shift+S"],
            "Save under a new name",
        )  # fmt: skip
        self._action(
            file_menu, "Save lesson with its run…", lambda: self.on_save_as_clicked(True), [],
            "Save the lesson and every iteration of the run so far",
        )  # fmt: skip
        file_menu.addSeparator()
        self._action(
            file_menu, "Export history as CSV…", self.on_export_clicked, ["Ctrl+E"],
            "Write every iteration to a CSV file",
        )  # fmt: skip
        self._action(
            file_menu, "Export the plots (PNG or SVG)…", self.on_export_plots_clicked, [],
            "Both plots, each as a PNG wide enough to print or as a scalable SVG",
        )  # fmt: skip
        self._action(
            file_menu, "Export a handout (PNG)…", self.on_export_handout_clicked, ["Ctrl+P"],
            "The whole window as one picture at print resolution: diagram, arithmetic, plots",
        )  # fmt: skip
        file_menu.addSeparator()
        self._action(file_menu, "Quit", self.close, [QKeySequence.StandardKey.Quit])

        run_menu = bar.addMenu("&Run")
        session = self.session
        self._action(
            run_menu, "Step", self._step_if_idle, ["Space", "Right", "PgDown"],
            "One gradient-descent update (a clicker's next key works too)",
        )  # fmt: skip
        self._action(
            run_menu, "Step back", session.back, ["Left", "PgUp"],
            "Look at the previous iteration (a clicker's back key works too)",
        )  # fmt: skip
        self._action(run_menu, "Step forward (in the history)", session.forward, ["Shift+Right"])
        self._action(run_menu, "Run / Pause", session.toggle_run, ["P"])
        self._action(run_menu, "Reset", session.reset, ["R"], "Back to the values typed")
        self._action(run_menu, "Undo", session.undo, [QKeySequence.StandardKey.Undo])
        run_menu.addSeparator()
        self._action(
            run_menu, "Compare learning rates…", self.show_comparison, ["Ctrl+K"],
            "Up to four runs of this problem side by side, each with its own rate",
        )  # fmt: skip

        lessons = bar.addMenu("&Lessons")
        for number, preset in enumerate(PRESETS, start=1):
            keys = [str(number)] if number <= 9 else []
            self._action(
                lessons, f"{number}. {preset.name}",
                lambda checked=False, i=number - 1: self.on_preset_chosen(i), keys, preset.says,
            )  # fmt: skip

        view = bar.addMenu("&View")
        self._action(
            view, "Full screen", self.toggle_full_screen, ["F11"], "For the projector"
        )  # fmt: skip
        self._action(
            view, "Larger text", lambda: self.scale_text(1.15), ["Ctrl++", "Ctrl+="],
            "Everything larger, the plots included",
        )  # fmt: skip
        self._action(view, "Smaller text", lambda: self.scale_text(1 / 1.15), ["Ctrl+-"])
        self._action(view, "Normal text size", lambda: self.scale_text(None), ["Ctrl+0"])
        themes = view.addMenu("Theme")
        self.theme_group = QActionGroup(self)
        for name in THEMES:
            action = self._action(
                themes, name.capitalize(), lambda checked=False, n=name: self.set_theme(n)
            )
            action.setCheckable(True)
            self.theme_group.addAction(action)
        view.addSeparator()
        self._action(
            view, "Restore default settings", self.restore_default_settings, [],
            "Forget the window size, theme and text size (for a classroom machine)",
        )  # fmt: skip

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
            style_plot(self.compare_view.error_plot, self.theme)
            style_plot(self.compare_view.path_plot, self.theme)
        self.compare_view.reset()
        self.comparison.show()
        self.comparison.raise_()

    # ----------------------------------------------------------------- lesson files
    def current_lesson(self, with_run: bool = False):
        """What a lesson file saves: the problem, the weights Reset returns to, the view."""
        from gd_desktop.core.lesson import Lesson  # file formats load when first used

        session = self.session
        problem = session.problem
        return Lesson(
            title=self.lesson_title,
            notes=self.lesson_notes,
            inputs=problem.inputs,
            targets=problem.targets,
            weights=session.typed_weights,
            learning_rate=problem.learning_rate,
            hidden_count=problem.hidden_count,
            activation=problem.activation,
            batch_size=problem.batch_size,
            seed=problem.seed,
            history=session.history.weights if with_run else None,
            settings={
                "selected_weight": self.selected_weight,
                "speed_index": session.speed_index,
                "first_plot": "loss" if self.error_choice.currentIndex() == 1 else "error",
            },
        )

    def open_lesson(self, path) -> bool:
        """Open a lesson file; a bad one is named in plain words and changes nothing."""
        from gd_desktop.core.lesson import LessonError, load

        path = Path(path)
        try:
            lesson = load(path)
        except LessonError as error:
            self.show_message(f"Could not open {path.name}: {error}", True)
            return False
        if not self.session.load_run(lesson.problem, lesson.weights, lesson.history):
            return False
        settings = lesson.settings
        if "speed_index" in settings:
            self.session.set_speed_index(int(settings["speed_index"]))
        if "first_plot" in settings:
            self.error_choice.setCurrentIndex(1 if settings["first_plot"] == "loss" else 0)
        if "selected_weight" in settings:
            self.on_weight_chosen(int(settings["selected_weight"]))
        self.lesson_title, self.lesson_notes = lesson.title, lesson.notes
        self.lesson_path = path
        self._remember_file(path)
        self.setWindowModified(False)
        self._update_title()
        said = f"Opened {path.name}" + (f": {lesson.notes}" if lesson.notes else ".")
        if lesson.warnings:
            said += " (Ignored: " + "; ".join(lesson.warnings) + ".)"
        self.show_message(said, False)
        return True

    def save_lesson(self, path, with_run: bool = False) -> bool:
        path = Path(path)
        if path.suffix != LESSON_EXTENSION:
            path = path.with_name(path.name + LESSON_EXTENSION)
        if not self.lesson_title:
            self.lesson_title = path.stem
        from gd_desktop.core.lesson import LessonError, save

        try:
            save(self.current_lesson(with_run), path)
        except (OSError, LessonError) as error:
            reason = getattr(error, "strerror", None) or error
            self.show_message(f"Could not save {path.name}: {reason}.", True)
            return False
        self.lesson_path = path
        self._remember_file(path)
        self.setWindowModified(False)
        self._update_title()
        self.show_message(f"Saved {path.name}.", False)
        return True

    def on_open_clicked(self) -> None:
        if not self._may_discard_changes():
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a lesson", "", f"gd-desktop lessons (*{LESSON_EXTENSION})"
        )
        if path:
            self.open_lesson(path)

    def on_save_clicked(self) -> bool:
        if self.lesson_path is None:
            return self.on_save_as_clicked()
        return self.save_lesson(self.lesson_path)

    def on_save_as_clicked(self, with_run: bool = False) -> bool:
        suggested = str(self.lesson_path or f"lesson{LESSON_EXTENSION}")
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the lesson", suggested, f"gd-desktop lessons (*{LESSON_EXTENSION})"
        )
        return bool(path) and self.save_lesson(path, with_run)

    def _remember_file(self, path: Path) -> None:
        self.preferences.add_recent_file(str(path))
        self.preferences.last_lesson = str(path)

    def _fill_course_menu(self) -> None:
        if self.course_menu.actions():
            return
        from gd_desktop.core.lesson import shipped_lessons

        for path in shipped_lessons():
            self._action(
                self.course_menu, _lesson_title(path),
                lambda checked=False, p=path: self.open_lesson(p),
            )  # fmt: skip

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.preferences.recent_files
        if not files:
            self.recent_menu.addAction("(none yet)").setEnabled(False)
        for name in files:
            action = self.recent_menu.addAction(name)
            action.triggered.connect(lambda checked=False, p=name: self.open_lesson(p))

    def _update_title(self) -> None:
        name = self.lesson_title or "gradient descent, step by step"
        self.setWindowTitle(f"{name}[*] — gd-desktop")

    def _on_edited(self) -> None:
        self.setWindowModified(True)

    def confirm_unsaved(self) -> str:
        """Ask whether to save the changes: "save", "discard" or "cancel"."""
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "This lesson has changes that are not saved. Save them first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        if answer == QMessageBox.StandardButton.Discard:
            return "discard"
        return "cancel"

    def _may_discard_changes(self) -> bool:
        if not self.isWindowModified():
            return True
        choice = self.confirm_unsaved()
        if choice == "save":
            return self.on_save_clicked()
        return choice == "discard"

    def _restore_preferences(self) -> None:
        preferences = self.preferences
        geometry = preferences.geometry
        if geometry is not None:
            self.restoreGeometry(geometry)
        if preferences.theme != "light":  # the light theme is the platform's own look
            self.set_theme(preferences.theme)
        else:
            for action in self.theme_group.actions():
                action.setChecked(action.text().lower() == "light")
        if preferences.text_scale != 1.0:
            self.scale_text(preferences.text_scale)

    def set_theme(self, name: str) -> None:
        theme = THEMES.get(name, THEMES["light"])
        self.theme = theme
        apply_application_theme(theme)
        for plot in self._plots():
            style_plot(plot, theme)
        self.network_view.set_colours(theme.base, theme.ink)
        self.arithmetic_panel.set_colours(theme.ink, theme.highlight)
        for action in self.theme_group.actions():
            action.setChecked(action.text().lower() == theme.name)
        self.preferences.theme = theme.name

    def restore_default_settings(self) -> None:
        self.preferences.restore_defaults()
        self.set_theme("light")
        self.scale_text(None)
        self._fit_to_screen()
        self.show_message("Settings back to their defaults.", False)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if not self._may_discard_changes():
            event.ignore()
            return
        self.session.pause()
        preferences = self.preferences
        preferences.geometry = self.saveGeometry()
        preferences.text_scale = self.text_scale
        preferences.sync()
        super().closeEvent(event)

    def _plots(self) -> list:
        plots = [self.error_plot, self.loss_plot]
        if self.contour is not None:
            plots.append(self.contour.plot)
        if self.compare_view is not None:
            plots += [self.compare_view.error_plot, self.compare_view.path_plot]
        return plots

    def _on_lower_tab(self, index: int) -> None:
        if self.lower_tabs.widget(index) is self.contour_page and self.contour is None:
            from gd_desktop.gui.views.contour_plot import ContourPanel

            self.contour = ContourPanel(self.session)
            _fill_page(self.contour_page, self.contour)
            style_plot(self.contour.plot, self.theme)
            scale_plot_fonts(self.contour.plot, self.text_scale)
            self.contour.refresh()

    def _on_detail_tab(self, index: int) -> None:
        page = self.tabs.widget(index)
        if page is self.data_page:
            _ = self.data_panel
        elif page is self.history_page:
            _ = self.history_table

    @property
    def data_panel(self) -> DataPanel:
        """The Data tab's table and buttons, made on first use."""
        if self._data_panel is None:
            from gd_desktop.gui.views.data_panel import DataPanel

            panel = DataPanel()
            panel.data_edited.connect(self.session.set_data)
            panel.message.connect(self.show_message)
            problem = self.session.problem
            panel.show_data(problem.inputs, problem.targets)
            self._data_panel = panel
            _fill_page(self.data_page, panel)
        return self._data_panel

    @property
    def history_table(self) -> HistoryTable:
        """The History tab's table (and its Copy and Export buttons), made on first use."""
        if self._history_table is None:
            from gd_desktop.gui.views.history_table import HistoryTable

            table = HistoryTable(self.session)
            table.clicked.connect(lambda index: self.session.show_iteration(index.row()))
            copy_button = QPushButton("Copy selection")
            copy_button.setObjectName("copy_button")
            copy_button.clicked.connect(self.on_copy_clicked)
            export_button = QPushButton("Export CSV…")
            export_button.setObjectName("export_button")
            export_button.clicked.connect(self.on_export_clicked)
            buttons = QWidget()
            row = QHBoxLayout(buttons)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(copy_button)
            row.addWidget(export_button)
            row.addStretch(1)
            self._history_table = table
            _fill_page(self.history_page, table, 1)
            _fill_page(self.history_page, buttons)
            table.show_row(self.session.shown_index)
        return self._history_table

    def _step_if_idle(self) -> None:
        if not self.session.is_running:
            self.session.step()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def scale_text(self, factor: float | None) -> None:
        """Scale every font in the window (the plots' too), or go back to the normal size.

        ``factor`` multiplies the present scale; None is the normal size.
        """
        app = QApplication.instance()
        if self._base_point_size is None:
            self._base_point_size = app.font().pointSizeF()
            # Widgets with a font of their own (big buttons, the readout) keep their proportion.
            self._own_fonts = {
                widget: widget.font().pointSizeF()
                for widget in self.findChildren(QWidget)
                if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont)
            }
        if factor is None:
            self.text_scale = 1.0
        else:
            self.text_scale = min(3.0, max(0.6, self.text_scale * factor))
        font = app.font()
        font.setPointSizeF(self._base_point_size * self.text_scale)
        app.setFont(font)
        for widget, points in self._own_fonts.items():
            own = widget.font()
            own.setPointSizeF(points * self.text_scale)
            widget.setFont(own)
        for plot in self._plots():
            scale_plot_fonts(plot, self.text_scale)
        self.preferences.text_scale = self.text_scale
        self.show_message(f"Text at {round(self.text_scale * 100)} %.", False)

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
        self.preset_combo.activated.connect(self.on_preset_chosen)
        self.error_choice.currentIndexChanged.connect(
            lambda index: self.error_plot.set_show_loss(index == 1)
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
        session.edited.connect(self._on_edited)
        session.speed_changed.connect(self.on_speed_changed)

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

    def on_preset_chosen(self, index: int) -> None:
        preset = PRESETS[index]
        if self.session.load(
            preset.inputs,
            preset.targets,
            preset.weights,
            preset.learning_rate,
            preset.hidden_count,
            preset.activation,
        ):
            self.show_message(f"{preset.name}: {preset.says}", False)

    def on_copy_clicked(self) -> None:
        if not self.history_table.selectionModel().hasSelection():
            self.history_table.selectAll()
        QGuiApplication.clipboard().setText(self.history_table.selection_as_tsv())
        self.show_message("Copied the selected rows as tab-separated text.", False)

    def on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the history as CSV", "history.csv", "CSV files (*.csv)"
        )
        if path:
            self.export_history(Path(path))

    def export_history(self, path: Path) -> bool:
        from gd_desktop.core.files import write_text_atomically
        from gd_desktop.core.history_columns import history_csv

        try:
            write_text_atomically(path, history_csv(self.session.problem, self.session.history))
        except OSError as error:
            self.show_message(f"Could not save {path.name}: {error.strerror or error}.", True)
            return False
        self.show_message(f"Saved {len(self.session.history)} rows to {path.name}.", False)
        return True

    def on_export_plots_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the plots", "plot.png", "PNG picture (*.png);;SVG drawing (*.svg)"
        )
        if path:
            self.export_plots(Path(path))

    def export_plots(self, path: Path) -> bool:
        """Write the error plot and the loss plot as ``<name>-error`` and ``<name>-loss``."""
        from gd_desktop.gui.exports import export_plot

        path = Path(path)
        written = []
        try:
            for plot, part in ((self.error_plot, "error"), (self.loss_plot, "loss")):
                target = path.with_name(f"{path.stem}-{part}{path.suffix}")
                export_plot(plot, target)
                written.append(target.name)
        except OSError as error:
            self.show_message(f"Could not save the plots: {error.strerror or error}.", True)
            return False
        self.show_message(f"Saved {' and '.join(written)}.", False)
        return True

    def on_export_handout_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export a handout", "handout.png", "PNG picture (*.png)"
        )
        if path:
            self.export_handout(Path(path))

    def export_handout(self, path: Path) -> bool:
        from gd_desktop.gui.exports import export_handout

        try:
            export_handout(self.centralWidget(), Path(path))
        except OSError as error:
            self.show_message(f"Could not save {Path(path).name}: {error.strerror or error}.", True)
            return False
        self.show_message(f"Saved the handout {Path(path).name}.", False)
        return True

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
