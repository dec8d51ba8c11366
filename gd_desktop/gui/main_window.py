"""The main window: composes the panels and plots, makes the controllers and wires them.

Data flows one way: a widget calls a session slot; the session changes its state and emits a
signal; the Renderer (controllers/rendering.py) asks every view to redraw from the session.
Lesson files, exports, the look of the window and the menus each have a controller
(gui/controllers/).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core.i18n import N_, _
from gd_desktop.core.limits import SPEEDS
from gd_desktop.core.presets import PRESETS
from gd_desktop.gui.controllers.actions import (
    Actions,
    KeyGuard,
    action_table,
    preset_action_id,
    theme_action_id,
)
from gd_desktop.gui.controllers.appearance import Appearance
from gd_desktop.gui.controllers.exports import Exports
from gd_desktop.gui.controllers.lesson_files import LessonFiles
from gd_desktop.gui.controllers.pages import Pages
from gd_desktop.gui.controllers.presentation import Presentation
from gd_desktop.gui.controllers.rendering import Renderer
from gd_desktop.gui.i18n import LanguageSwitcher
from gd_desktop.gui.session import Session
from gd_desktop.gui.settings import Preferences
from gd_desktop.gui.themes import GOOD_NEWS, INFO, STATUS_MARKS, WARNING, status_style
from gd_desktop.gui.views.arithmetic_panel import ArithmeticPanel
from gd_desktop.gui.views.control_bar import (
    StatusLine,
    big_button,
    button,
    control_bar,
    set_button_words,
    slider,
    speed_label,
    speed_text,
    speed_texts,
)
from gd_desktop.gui.views.network_view import NetworkView
from gd_desktop.gui.views.panels import EditingPanel, ParameterPanel, PresetChooser, Readout
from gd_desktop.gui.views.plot_style import style_plot
from gd_desktop.gui.views.plots import ErrorPlot, LossPlot
from gd_desktop.gui.views.quiz import QUIZ_ON
from gd_desktop.gui.views.widgets import signals_blocked

if TYPE_CHECKING:  # made when first needed: imported then
    from gd_desktop.gui.themes import Theme
    from gd_desktop.gui.views.contour_plot import ContourPanel
    from gd_desktop.gui.views.data_panel import DataPanel
    from gd_desktop.gui.views.history_table import HistoryTable

COMPARISON_TITLE = N_("Comparing optimizers and learning rates — gd-desktop")
PRESETS_BY_ID = {preset.id: preset for preset in PRESETS}
# How the width is shared: the editing panel takes what it needs; the arithmetic, then the
# diagram over the plots, share the rest (a larger screen gives both more room).
ARITHMETIC_STRETCH, SIDE_STRETCH = 3, 2
# How the side column's height is shared: the diagram, the error plot, the loss curve.
SIDE_SHARES = (24, 38, 38)


def _choice(name: str, accessible_name: str, tip: str) -> QComboBox:
    choice = QComboBox()
    choice.setObjectName(name)
    choice.setAccessibleName(accessible_name)
    choice.setToolTip(tip)
    return choice


def _chooser(label: str, choice: QComboBox, name: str) -> QWidget:
    """The list that chooses what a plot shows, after its name."""
    box = QWidget()
    box.setObjectName(f"{name}_chooser")
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    title = QLabel(label)
    title.setObjectName(f"{name}_title")
    title.setBuddy(choice)
    row.addWidget(title)
    row.addWidget(choice, 1)
    return box


def _with_choice(label: str, choice: QComboBox | None, plot, name: str) -> QWidget:
    """A plot under the list that chooses what it shows (None: the list is elsewhere), with its
    legend below."""
    box = QWidget()
    box.setObjectName(name)
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    if choice is not None:
        column.addWidget(_chooser(label, choice, name))
    column.addWidget(plot, 1)
    legend = QLabel(plot.legend_html)
    legend.setObjectName(f"{plot.objectName()}_legend")
    plot.legend_label = legend  # the plot keeps its legend's words in step with its curve
    legend.setWordWrap(True)
    column.addWidget(legend)
    return box


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None):
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle(_("gd-desktop — gradient descent, step by step"))
        self.session = session or Session(self)
        self.preferences = Preferences()
        self.comparison: QDialog | None = None
        self._status_said = ("", INFO)  # the status line's sentence and its kind
        self.compare_view = None  # a CompareView, made on first use
        self._preset_shown = -1  # the preset list's entry for the lesson on screen
        self._shared_out = False  # the side column's height is shared out at first show
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
        self.presentation = Presentation(self, self.session)
        self.actions_by_id = Actions(self, self.menuBar(), action_table(self))
        self.language.attach(self.actions_by_id)
        self.retranslate()
        self.key_guard = KeyGuard(self, self.show_message)
        self.key_guard.watch(self.actions_by_id.single_key_actions())
        self.lesson_files.attach_menus(
            self.actions_by_id.menus["course_lessons"], self.actions_by_id.menus["recent_lessons"]
        )
        # An imported data set replaces the data: asked first, like any replacement.
        self.pages.may_replace_data = self.lesson_files.may_discard_changes
        # A list measured once, at first show, would clip its text after Ctrl++.
        for choice in self.findChildren(QComboBox):
            choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self._connect()
        self.renderer = Renderer(self.session, self)
        self.on_speed_changed(self.session.speed_index)
        self.undo_button.setEnabled(False)
        self.show_message(
            _("The course's two-input example: press Step to take one update."), False
        )
        self.appearance.fit_to_screen()
        self.appearance.restore_preferences()
        chosen = self.preferences.editing_panel_shown
        self.set_editing_panel_shown(self.appearance.roomy_screen() if chosen is None else chosen)
        self.step_button.setFocus()

    # ----------------------------------------------------------------- building
    def _build_widgets(self) -> None:
        self.preset_combo = PresetChooser()
        self.parameters = ParameterPanel(self.session)
        # Their words are set by retranslate(), in the language in use.
        self.step_button = big_button(("",), "step_button", "")
        self.run_button = big_button(("", ""), "run_button", "")
        self.reset_button = big_button(("",), "reset_button", "")
        self.speed_slider = slider("speed_slider", "", "")
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setPageStep(1)
        self.speed_slider.setValue(self.session.speed_index)
        self.speed_label = speed_label()

        self.back_button = button("", "back_button", "")
        self.forward_button = button("", "forward_button", "")
        self.history_slider = slider("history_slider", "", "")
        self.undo_button = button("", "undo_button", "")

        self.readout = Readout(self.session)
        self.status = StatusLine()

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
        self.error_choice = _choice("error_choice", "", "")
        self.error_choice.addItem("", "error")
        self.error_choice.addItem("", "loss")
        # Its longest item whole in any language: the side column is made wide enough for it
        # (its least width is set with its words, in retranslate()).
        self.error_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.loss_plot = LossPlot(self.session)
        self.weight_choice = _choice("parabola_weight", "", "")
        self.weight_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def _build_layout(self) -> None:
        """The controls in a bar at the top, the message at the bottom; between them the
        editing panel (which the teacher can hide), the diagram over the arithmetic, and the
        plots."""
        bar = control_bar(
            (self.step_button, self.run_button, self.reset_button),
            (self.back_button, self.history_slider, self.forward_button, self.undo_button),
            self.preset_combo,
            (self.speed_slider, self.speed_label),
        )
        self.editing_panel = EditingPanel(self.parameters, self.readout)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("detail_tabs")
        self.tabs.addTab(self.arithmetic_panel, "")
        self.tabs.addTab(self.data_page, "")
        self.tabs.addTab(self.history_page, "")
        # "Quiz me" beside the tabs: the row of quiz controls under the arithmetic stays short.
        quiz_toggle = self.arithmetic_panel.quiz.toggle
        for row in self.arithmetic_panel.quiz.findChildren(QHBoxLayout):
            row.removeWidget(quiz_toggle)
        self.arithmetic_panel.quiz.layout().invalidate()
        self.tabs.setCornerWidget(quiz_toggle)

        # The diagram heads the side column, beside the arithmetic that refers to it.
        self.side = QSplitter(Qt.Orientation.Vertical)
        self.side.setObjectName("side_splitter")
        self.side.addWidget(self.network_view)
        self.error_page = _with_choice("", self.error_choice, self.error_plot, "error_page")
        self.side.addWidget(self.error_page)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.setObjectName("plot_tabs")
        self.lower_tabs.addTab(_with_choice("", None, self.loss_plot, "loss_page"), "")
        self.lower_tabs.addTab(self.contour_page, "")
        # The weight the loss curve runs along is chosen beside its tab, not in a row of its
        # own: the row's height goes to the curve. The contour map shows two weights: hidden.
        along = _chooser("", self.weight_choice, "loss_page")
        self.lower_tabs.setCornerWidget(along)
        loss_page = self.loss_plot.parent()
        self.lower_tabs.currentChanged.connect(
            lambda _index: along.setVisible(self.lower_tabs.currentWidget() is loss_page)
        )
        self.pages.watch(self.tabs, self.lower_tabs)
        # A page's name too long for the column (a longer language, larger text) is shortened
        # with "…", its whole name in the tab's tooltip, rather than hidden behind scroll arrows.
        for tab_widget in (self.tabs, self.lower_tabs):
            tab_widget.setElideMode(Qt.TextElideMode.ElideRight)
            tab_widget.setUsesScrollButtons(False)
        self.side.addWidget(self.lower_tabs)
        for index, share in enumerate(SIDE_SHARES):
            self.side.setStretchFactor(index, share)
        self.side.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.editing_panel)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, ARITHMETIC_STRETCH)
        self.splitter.setStretchFactor(2, SIDE_STRETCH)
        self.splitter.setChildrenCollapsible(False)
        # A panel whose minimum grows (a longer weight name, larger text) gets it at once.
        self.splitter.installEventFilter(self)
        # Until the teacher drags a splitter, the panes are shared out by the rule at each size.
        self._arranged_by_hand = False
        for splitter in (self.splitter, self.side):
            splitter.splitterMoved.connect(self._on_splitter_dragged)
        central = QWidget()
        central.setObjectName("central")
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 4)
        column.setSpacing(2)
        column.addWidget(bar)
        column.addWidget(self.splitter, 1)
        column.addWidget(self.status)
        self.setCentralWidget(central)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """At first show, the side column's height is shared out between the diagram and the
        plots."""
        super().showEvent(event)
        if not self._shared_out:
            self._shared_out = True
            # Another screen may have less room for the text's size: the layout reflows.
            self.windowHandle().screenChanged.connect(self._reflow_for_text)
            self.share_side_column(SIDE_SHARES)
            self.share_width()

    def share_width(self) -> None:
        """The editing panel as wide as it needs; the arithmetic and the side column share
        the rest."""
        total = sum(self.splitter.sizes()) or self.width()
        panel = self.editing_panel.sizeHint().width() if self.editing_panel.isVisibleTo(self) else 0
        rest = total - panel
        arithmetic = rest * ARITHMETIC_STRETCH // (ARITHMETIC_STRETCH + SIDE_STRETCH)
        self.splitter.setSizes([panel, arithmetic, rest - arithmetic])

    def _on_splitter_dragged(self, *_) -> None:
        self._arranged_by_hand = True

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self._shared_out and not self._arranged_by_hand and not self.presentation.presenting:
            self.share_side_column(SIDE_SHARES)
            self.share_width()

    def _reshare_side_column(self) -> None:
        """The diagram's least height changed (a hidden layer came or went): the plots take
        back what it no longer needs, unless the teacher arranged the panes by hand."""
        if self._shared_out and not self._arranged_by_hand and not self.presentation.presenting:
            self.share_side_column(SIDE_SHARES)

    def share_side_column(self, shares: tuple[int, ...]) -> None:
        """The side column's height by ``shares`` (the diagram, the error plot, the loss curve);
        with the error plot in the tabs, the tabs take its share too."""
        if self.side.count() < len(shares):
            shares = (*shares[:1], sum(shares[1:]))
        height = sum(self.side.sizes()) or self.height()
        self.side.setSizes([height * share // sum(shares) for share in shares])

    def put_plots_in_tabs(self, in_tabs: bool) -> None:
        """Larger text on a low screen: the error plot becomes a tab beside the loss curve, so
        the plot on view keeps a readable height instead of three panes squeezed under the
        diagram; back in the column when the text is smaller again."""
        if (self.lower_tabs.indexOf(self.error_page) >= 0) == in_tabs:
            return
        if in_tabs:
            shown = self.lower_tabs.currentWidget()
            self.lower_tabs.insertTab(0, self.error_page, _("Plot"))
            self.lower_tabs.setTabToolTip(0, _("Plot"))
            self.lower_tabs.setCurrentWidget(shown)
        else:
            self.side.insertWidget(1, self.error_page)
            self.error_page.show()
        if self._shared_out and not self.presentation.presenting:
            self.share_side_column(SIDE_SHARES)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if watched is self.splitter and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self.keep_panels_whole)
        return super().eventFilter(watched, event)

    def keep_panels_whole(self) -> None:
        """A new problem or larger text may need a wider panel (longer weight names): the
        splitter gives each panel at least its minimum, taking the room from those with room
        to spare."""
        splitter = self.splitter
        sizes = splitter.sizes()
        needs = [
            splitter.widget(i).minimumSizeHint().width() if sizes[i] else 0
            for i in range(splitter.count())
        ]
        short = sum(max(0, need - size) for need, size in zip(needs, sizes))
        if not short:
            return
        for i, (need, size) in enumerate(zip(needs, sizes)):
            sizes[i] = max(need, size)
        for i in sorted(range(len(sizes)), key=lambda k: needs[k] - sizes[k]):
            given = min(short, max(0, sizes[i] - needs[i]))
            sizes[i] -= given
            short -= given
        splitter.setSizes(sizes)

    def set_editing_panel_shown(self, shown: bool) -> None:
        """Show or hide the problem's editing controls (View ▸ Editing panel, F9)."""
        self.editing_panel.setVisible(shown)
        if self._shared_out:
            self.share_width()
        self.actions_by_id["editing_panel"].setChecked(shown)

    def _reflow_for_text(self, *_) -> None:
        """Larger text (or longer words) on a narrow screen: the editing panel makes way for the
        arithmetic and the plots (as at 1024 px), unless the teacher chose to show or hide it
        (F9)."""
        if self.preferences.editing_panel_shown is None and not self.presentation.presenting:
            # The new words' widths first: a layout not yet redone measures the old ones (live
            # to German, the panel was measured 51 px narrower than it then stood).
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            self.set_editing_panel_shown(self.appearance.roomy_screen())
            # Longer words may have widened the window past its screen before the panel made
            # way: back within the screen.
            QTimer.singleShot(0, self, self.appearance.keep_on_screen)
        self.put_plots_in_tabs(not self.appearance.tall_screen())

    def toggle_editing_panel(self) -> None:
        shown = not self.editing_panel.isVisibleTo(self)
        self.set_editing_panel_shown(shown)
        if not self.presentation.presenting:
            self.preferences.editing_panel_shown = shown

    def _connect(self) -> None:
        session = self.session
        self.step_button.clicked.connect(session.step)
        self.arithmetic_panel.weight_chosen.connect(self.on_weight_chosen)
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
        self.network_view.least_height_changed.connect(self._reshare_side_column)
        session.undo_available.connect(self.undo_button.setEnabled)
        session.running_changed.connect(self.on_running_changed)
        session.message.connect(self.show_message)
        session.good_news.connect(lambda text: self.show_message(text, GOOD_NEWS))
        session.speed_changed.connect(self.on_speed_changed)
        presentation = self.presentation
        presentation.changed.connect(self.actions_by_id["presentation"].setChecked)
        presentation.changed.connect(self.actions_by_id["leave_presentation"].setEnabled)
        self.actions_by_id["leave_presentation"].setEnabled(False)
        for controller in (
            self.lesson_files,
            self.exports,
            self.appearance,
            self.pages,
            presentation,
        ):
            controller.message.connect(self.show_message)
        self.pages.copy_requested.connect(self.exports.copy_history)
        self.arithmetic_panel.quiz.status.connect(self.show_message)
        # A lesson's note may name the quiz's answer: the list shows none while it is on.
        self.arithmetic_panel.quiz.toggle.toggled.connect(self.show_lesson_notes)
        self.pages.export_requested.connect(self.exports.on_export_clicked)
        self.pages.plot_made.connect(self.appearance.style_new_plot)
        self.pages.plot_made.connect(self._contour_follows_comparison)
        self.appearance.theme_changed.connect(self._on_theme_changed)
        self.appearance.text_scaled.connect(self._reflow_for_text)
        self.appearance.theme_chosen.connect(
            lambda theme_id: self.actions_by_id[theme_action_id(theme_id)].setChecked(True)
        )

    def show_comparison(self) -> None:
        """A window of its own (it needs room): up to six optimizers and rates on the same
        problem."""
        if self.comparison is None:
            from gd_desktop.gui.views.compare_view import CompareView  # only when asked for

            self.comparison = QDialog(self)
            self.comparison.setObjectName("compare_window")
            self.comparison.setWindowTitle(_(COMPARISON_TITLE))
            layout = QVBoxLayout(self.comparison)
            self.compare_view = CompareView(self.session)
            layout.addWidget(self.compare_view)
            self._contour_follows_comparison()
            self.comparison.resize(980, 760)
            style_plot(self.compare_view.error_plot, self.appearance.theme)
            style_plot(self.compare_view.path_plot, self.appearance.theme)
        self.compare_view.reset()
        self.comparison.show()
        self.comparison.raise_()

    def _contour_follows_comparison(self, *_) -> None:
        """The contour map draws the compared runs' paths while the comparison is open."""
        if self.contour is not None and self.compare_view is not None:
            self.contour.follow(self.compare_view)

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
        self.status.setStyleSheet(status_style(theme, self._status_said[1]))
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
        self.presentation.show_reveal()

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
            if self.arithmetic_panel.quiz.toggle.isChecked():  # the note may name the answer
                self.show_message(_(QUIZ_ON), False)
            else:
                self.show_message(
                    _("{title}: {note}").format(title=preset.name, note=preset.says), False
                )
        with signals_blocked(self.preset_combo):
            self.preset_combo.setCurrentIndex(self._preset_shown)
        return loaded

    def show_lesson_notes(self, quizzing: bool | None = None) -> None:
        """Each course lesson's note as the tooltip of its entry in the list and in the Lessons
        menu, except in a quiz: a note may name the answer ("the weight goes to 2.24")."""
        if quizzing is None:
            quizzing = self.arithmetic_panel.quiz.toggle.isChecked()
        self.preset_combo.show_notes(not quizzing)
        for preset in PRESETS:
            action = self.actions_by_id[preset_action_id(preset.id)]
            tip = action.text() if quizzing else preset.says
            action.setToolTip(tip)
            action.setStatusTip(tip)

    def on_running_changed(self, running: bool) -> None:
        self.run_button.setText(_("Pause") if running else _("Run"))
        self.step_button.setEnabled(not running)

    def retranslate(self) -> None:
        """The controls' words, the tabs' names and the menus in the language in use (at start
        and after View ▸ Language); the widgets key on their objectName, never on these."""
        words = {
            self.back_button: (_("◀ Back"), _("Look at the previous iteration")),
            self.forward_button: (_("Forward ▶"), _("Look at the next iteration")),
            self.undo_button: (
                _("Undo"), _("Bring back the history as it was before the last cut or reset")
            ),
        }
        for made, (text, tip) in words.items():
            set_button_words(made, text, tip)
        big = {
            self.step_button: ((_("Step"),), _("Take one gradient-descent update")),
            self.run_button: ((_("Run"), _("Pause")), _("Step on a timer; press again to pause")),
            self.reset_button: (
                (_("Reset"),), _("Back to the values typed; the history is cleared")
            ),
        }
        for made, (texts, tip) in big.items():
            made.set_texts(texts, texts[-1] if self.session.is_running and len(texts) > 1 else None)
            made.setToolTip(tip)
            made.setAccessibleName(texts[0])
        sliders = {
            self.speed_slider: (
                _("Run speed"), _("Steps per second when running: from slow to full speed")
            ),
            self.history_slider: (
                _("Iteration on view"), _("Drag to look at any iteration of the run (← and → step)")
            ),
            self.error_choice: (
                _("What the first plot shows"),
                _("The error (prediction − target) or the loss (its square)"),
            ),
            self.weight_choice: (
                _("Weight shown on the loss curve"),
                _("The loss as this weight varies, the others held"),
            ),
        }
        for made, (name, tip) in sliders.items():
            made.setAccessibleName(name)
            made.setToolTip(tip)
        self.readout.retranslate()
        self.speed_label.set_texts(speed_texts())
        self.speed_label.setText(speed_text(SPEEDS[self.session.speed_index]))
        self.error_choice.setItemText(
            self.error_choice.findData("error"), _("error (prediction − target)")
        )
        self.error_choice.setItemText(self.error_choice.findData("loss"), _("loss (squared error)"))
        self.error_choice.setMinimumWidth(self.error_choice.sizeHint().width())
        titles = {"error_page_title": _("Plot"), "loss_page_title": _("Along")}
        for name, text in titles.items():
            self.findChild(QLabel, name).setText(text)
        pages = {
            self.arithmetic_panel: _("Arithmetic"),
            self.data_page: _("Data"),
            self.history_page: _("History table"),
        }
        for page, text in pages.items():
            self.tabs.setTabText(self.tabs.indexOf(page), text)
        if self.lower_tabs.indexOf(self.error_page) >= 0:
            self.lower_tabs.setTabText(self.lower_tabs.indexOf(self.error_page), _("Plot"))
        loss_page = self.lower_tabs.findChild(QWidget, "loss_page")
        self.lower_tabs.setTabText(self.lower_tabs.indexOf(loss_page), _("Loss curve"))
        self.lower_tabs.setTabText(self.lower_tabs.indexOf(self.contour_page), _("Contour map"))
        for tab_widget in (self.tabs, self.lower_tabs):
            for index in range(tab_widget.count()):
                tab_widget.setTabToolTip(index, tab_widget.tabText(index))
        self.actions_by_id.retranslate()
        self.show_lesson_notes()
        if self._shared_out:  # longer words may leave no room for the editing panel
            QTimer.singleShot(0, self, self._reflow_for_text)  # once the words are laid out
        if self.comparison is not None:
            self.comparison.setWindowTitle(_(COMPARISON_TITLE))

    def on_speed_changed(self, index: int) -> None:
        with signals_blocked(self.speed_slider):
            self.speed_slider.setValue(index)
        self.speed_label.setText(speed_text(SPEEDS[index]))

    def show_message(self, text: str, warning: bool | str) -> None:
        """The status line: ``warning`` True or False, or a kind's id (themes.GOOD_NEWS)."""
        kind = warning if isinstance(warning, str) else WARNING if warning else INFO
        self._status_said = (text, kind)
        self.status.setText(STATUS_MARKS[kind] + text)
        self.status.setProperty("kind", kind)  # for tests and screen readers: never the words
        self.status.setStyleSheet(status_style(self.appearance.theme, kind))
