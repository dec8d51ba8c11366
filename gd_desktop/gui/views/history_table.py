"""The history as a table: a model over the session's numpy buffers, formatted only when shown.

Rows are inserted as the history grows (never a full rebuild per step), so 10⁵ rows scroll and
step as fast as 10. The columns and their values come from :mod:`gd_desktop.core.history_columns`,
as the CSV export's do.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from gd_desktop.core import number_fit
from gd_desktop.core.history_columns import history_columns, history_row
from gd_desktop.core.i18n import _
from gd_desktop.core.numbers import format_number
from gd_desktop.gui.session import Session
from gd_desktop.gui.views.widgets import NUMBER_ROLE, FittedNumberDelegate

NOISE_ROWS_KEPT = 512  # rows whose rounding noise is kept (those on screen, and some)


class HistoryModel(QAbstractTableModel):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self._session = session
        self._history = session.history
        self._rows = len(session.history)
        self._columns = history_columns(session.problem)
        self._noise_by_row: dict[int, number_fit.EvaluationNoise] = {}
        self._last_shown_row: int | None = None  # a quiz hides the rows after it
        self._hidden_slopes_row: int | None = None  # a quiz on the slope hides this row's slopes

    def hide_answers(self, last_shown_row: int | None, hidden_slopes_row: int | None) -> None:
        """What a quiz hides: the rows after the question's (they hold its answer) and, for a
        quiz on the slope, that row's slopes. None: nothing hidden."""
        if hidden_slopes_row != self._hidden_slopes_row:
            changed = [r for r in (hidden_slopes_row, self._hidden_slopes_row) if r is not None]
            self._hidden_slopes_row = hidden_slopes_row
            for row in changed:
                if row < self.rowCount():
                    last = self.index(row, len(self._columns) - 1)
                    self.dataChanged.emit(self.index(row, 0), last)
        if last_shown_row != self._last_shown_row:
            self._last_shown_row = last_shown_row
            self.sync()

    def _visible_rows(self, count: int) -> int:
        limit = self._last_shown_row
        return count if limit is None else min(count, limit + 1)

    def sync(self) -> None:
        """Follow the session: insert new rows, or start over when the history was replaced."""
        history = self._session.history
        count = self._visible_rows(len(history))
        columns = history_columns(self._session.problem)
        if history is not self._history or count < self._rows or columns != self._columns:
            self._noise_by_row.clear()
            self.beginResetModel()
            self._history = history
            self._rows = count
            self._columns = columns
            self.endResetModel()
        elif count > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, count - 1)
            self._rows = count
            self.endInsertRows()

    def _is_hidden_slope(self, row: int, column: int) -> bool:
        weights = self._session.problem.weight_count
        first_slope = 1 + weights + 3
        return row == self._hidden_slopes_row and first_slope <= column < first_slope + weights

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 (Qt override)
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 (Qt override)
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section]
        return None

    def value(self, row: int, column: int):
        session = self._session
        return history_row(session.problem, session.history, row)[column]

    def shown_value(self, row: int, column: int):
        """The value as the table writes it: rounding noise of an error, the loss or a slope
        as 0 (the arithmetic and the readout write it so too); the exact value on hover."""
        value = self.value(row, column)
        if not isinstance(value, float):
            return value
        weights = self._session.problem.weight_count
        noise = self._noise(row)
        first_slope = 1 + weights + 3
        by_column = {1 + weights + 1: float(noise.errors[0]), 1 + weights + 2: noise.loss}
        by_column.update({first_slope + k: float(noise.slopes[k]) for k in range(weights)})
        return number_fit.shown_value(value, by_column.get(column, 0.0))

    def _noise(self, row: int) -> number_fit.EvaluationNoise:
        """Row ``row``'s rounding noise, kept for the few rows on screen."""
        noise = self._noise_by_row.get(row)
        if noise is None:
            problem, history = self._session.problem, self._session.history
            weights = history.weights[row]
            hidden = (
                history.evaluation(row, problem).hidden_values if problem.hidden_count else None
            )
            noise = number_fit.evaluation_noise(problem, weights, hidden)
            if len(self._noise_by_row) > NOISE_ROWS_KEPT:
                self._noise_by_row.clear()
            self._noise_by_row[row] = noise
        return noise

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, NUMBER_ROLE):
            return None
        if self._is_hidden_slope(index.row(), index.column()):
            if role == NUMBER_ROLE:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return "?"
            return _("hidden: the quiz asks for it")
        value = self.shown_value(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(value, float):
            value = self.value(index.row(), index.column())  # the exact value on hover
        if role == NUMBER_ROLE:
            return value if isinstance(value, float) else None
        if value is None:
            return "" if role == Qt.ItemDataRole.DisplayRole else None
        if isinstance(value, int):
            moved = bool(self._session.history.moved_by_hand[value])
            if moved:
                return _("{iteration} (moved by hand)").format(iteration=value)
            return str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return repr(value)
        return format_number(value)


class HistoryTable(QTableView):
    """One row per iteration; Ctrl+C copies the selection as tab-separated full values."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.setObjectName("history_table")
        self.retranslate()
        self.model_ = HistoryModel(session, self)
        self.setModel(self.model_)
        self.setItemDelegate(FittedNumberDelegate(self))  # numbers rounded to fit, never elided
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setDefaultSectionSize(110)

    def retranslate(self) -> None:
        """Its own words in the language in use (the model's are asked for at each redraw)."""
        self.setAccessibleName(_("History of every iteration"))
        self.setToolTip(_("Select rows and press Ctrl+C to copy them as tab-separated text"))
        self.viewport().update()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.matches(QKeySequence.StandardKey.Copy):
            QGuiApplication.clipboard().setText(self.selection_as_tsv())
            return
        super().keyPressEvent(event)

    def selection_as_tsv(self) -> str:
        indexes = self.selectionModel().selectedIndexes()
        if not indexes:
            return ""
        rows = sorted({index.row() for index in indexes})
        columns = sorted({index.column() for index in indexes})
        header = [self.model_.headerData(c, Qt.Orientation.Horizontal) for c in columns]
        lines = ["\t".join(header)]
        for row in rows:
            values = [self.model_.value(row, column) for column in columns]
            lines.append(
                "\t".join(
                    "" if v is None else repr(v) if isinstance(v, float) else str(v) for v in values
                )
            )
        return "\n".join(lines) + "\n"

    def hide_answers(self, quizzing: bool, hides_slope: bool, shown: int) -> None:
        """While a quiz hides the answer to the step from iteration ``shown``: no later rows,
        and no slopes in its row when the slope is asked for."""
        self.model_.hide_answers(shown if quizzing else None, shown if hides_slope else None)

    def show_row(self, row: int) -> None:
        if 0 <= row < self.model_.rowCount():
            index = self.model_.index(row, 0)
            self.selectionModel().select(
                index,
                self.selectionModel().SelectionFlag.ClearAndSelect
                | self.selectionModel().SelectionFlag.Rows,
            )
            self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
