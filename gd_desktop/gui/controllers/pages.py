"""Tab pages made when first opened: the Data table, the History table and the contour map.

Made with the window they would cost a quarter of its building and polishing time, for pages
nobody sees at the start. Each is made on its tab's first opening, or when code first needs it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from gd_desktop.core.i18n import _
from gd_desktop.gui.session import Session

if TYPE_CHECKING:  # made when first needed: imported then
    from gd_desktop.gui.views.contour_plot import ContourPanel
    from gd_desktop.gui.views.data_panel import DataPanel
    from gd_desktop.gui.views.history_table import HistoryTable


def empty_page(name: str) -> QWidget:
    """A tab's page whose content is made when the tab is first opened."""
    page = QWidget()
    page.setObjectName(name)
    QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
    return page


def _fill_page(page: QWidget, content: QWidget, stretch: int = 0) -> None:
    page.layout().addWidget(content, stretch)
    if page.isVisible():
        content.show()  # a child added to a shown page must be shown itself


class Pages(QObject):
    """Owns the pages' contents once made; asks for a new plot to be styled like the others."""

    message = Signal(str, bool)
    copy_requested = Signal(object)  # the history table whose selection to copy
    export_requested = Signal()
    plot_made = Signal(object)  # a pyqtgraph plot made after start

    def __init__(self, parent: QObject, session: Session) -> None:
        super().__init__(parent)
        self._session = session
        self.data_page = empty_page("data_page")
        self.history_page = empty_page("history_page")
        self.contour_page = empty_page("contour_page")
        self._history_buttons: list[QPushButton] = []  # the History tab's, once made
        self.data_panel_made: DataPanel | None = None
        self.history_table_made: HistoryTable | None = None
        self.contour: ContourPanel | None = None
        # Asked before an imported data set replaces the data (False: it does not).
        self.may_replace_data: Callable[[], bool] = lambda: True

    def watch(self, *tabs: QTabWidget) -> None:
        """Make a page's content when its tab is first opened."""
        for tab_widget in tabs:
            tab_widget.currentChanged.connect(
                lambda index, tab_widget=tab_widget: self._on_tab(tab_widget.widget(index))
            )

    def _on_tab(self, page: QWidget) -> None:
        if page is self.data_page:
            _ = self.data_panel
        elif page is self.history_page:
            _ = self.history_table
        elif page is self.contour_page and self.contour is None:
            from gd_desktop.gui.views.contour_plot import ContourPanel

            self.contour = ContourPanel(self._session)
            _fill_page(self.contour_page, self.contour)
            self.plot_made.emit(self.contour.plot)
            self.contour.refresh()

    @property
    def data_panel(self) -> DataPanel:
        """The Data tab's table and buttons, made on first use."""
        if self.data_panel_made is None:
            from gd_desktop.gui.views.data_panel import DataPanel

            panel = DataPanel()
            panel.data_edited.connect(self._on_data_edited)
            panel.may_replace_data = lambda: self.may_replace_data()
            panel.message.connect(self.message)
            problem = self._session.problem
            panel.show_data(problem.inputs, problem.targets)
            self.data_panel_made = panel
            _fill_page(self.data_page, panel)
        return self.data_panel_made

    def _on_data_edited(self, inputs, targets) -> None:
        """The table's rows to the session; rows it refuses (numbers that overflow) leave the
        table showing the data the session still has."""
        if not self._session.set_data(inputs, targets):
            problem = self._session.problem
            self.data_panel_made.show_data(problem.inputs, problem.targets)

    @property
    def history_table(self) -> HistoryTable:
        """The History tab's table (and its Copy and Export buttons), made on first use."""
        if self.history_table_made is None:
            from gd_desktop.gui.views.history_table import HistoryTable

            session = self._session
            table = HistoryTable(session)
            table.clicked.connect(lambda index: session.show_iteration(index.row()))
            buttons = QWidget()
            row = QHBoxLayout(buttons)
            row.setContentsMargins(0, 0, 0, 0)
            for name, clicked in (
                ("copy_button", lambda: self.copy_requested.emit(table)),
                ("export_button", lambda: self.export_requested.emit()),
            ):
                button = QPushButton()
                button.setObjectName(name)
                button.clicked.connect(clicked)
                row.addWidget(button)
                self._history_buttons.append(button)
            self.retranslate()
            row.addStretch(1)
            self.history_table_made = table
            _fill_page(self.history_page, table, 1)
            _fill_page(self.history_page, buttons)
            table.show_row(session.shown_index)
        return self.history_table_made

    def retranslate(self) -> None:
        """The History tab's buttons in the language in use (once they are made)."""
        words = {
            "copy_button": (
                _("Copy selection"),
                _("Copy the selected rows, every digit, as tab-separated text"),
            ),
            "export_button": (
                _("Export CSV…"),
                _("Save the whole history as a CSV file, every digit"),
            ),
        }
        for button in self._history_buttons:
            text, tip = words[button.objectName()]
            button.setText(text)
            button.setAccessibleName(text.rstrip("…"))
            button.setToolTip(tip)

    def plots(self) -> list:
        return [] if self.contour is None else [self.contour.plot]
