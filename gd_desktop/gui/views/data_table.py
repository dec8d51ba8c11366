"""The data set as an editable table: the model of rows and the view that copies and pastes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QTableView,
)

from gd_desktop.core.i18n import _
from gd_desktop.core.numbers import format_number
from gd_desktop.gui.views.widgets import NUMBER_ROLE, FittedNumberDelegate, parse_number


def column_names(input_count: int) -> list[str]:
    return [f"x{i + 1}" for i in range(input_count)] + ["target"]


class DataModel(QAbstractTableModel):
    """The rows as one numpy table (inputs, then the target), formatted only when shown."""

    cell_edited = Signal(int, int)  # row, column: a valid value was typed into the cell
    cell_rejected = Signal(str)  # why the typed text was not taken

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._table = np.zeros((0, 2))

    # -- the data, for the panel
    @property
    def input_count(self) -> int:
        return self._table.shape[1] - 1

    def column_name(self, column: int) -> str:
        return "target" if column == self.input_count else f"x{column + 1}"

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the inputs (rows × inputs) and the targets, for whoever asks."""
        return self._table[:, :-1].copy(), self._table[:, -1].copy()

    def row_values(self, row: int) -> np.ndarray:
        return self._table[row].copy()

    def value(self, row: int, column: int) -> float:
        return float(self._table[row, column])

    def set_table(self, table: np.ndarray) -> None:
        """Replace every value; the view keeps its place when the shape is unchanged."""
        if table.shape == self._table.shape:
            self._table = table
            if table.shape[0]:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(table.shape[0] - 1, table.shape[1] - 1)
                )
        else:
            self.beginResetModel()
            self._table = table
            self.endResetModel()

    def append_rows(self, rows: np.ndarray) -> None:
        first = self._table.shape[0]
        self.beginInsertRows(QModelIndex(), first, first + rows.shape[0] - 1)
        self._table = np.concatenate([self._table, rows])
        self.endInsertRows()

    def remove_row_ranges(self, ranges: list[tuple[int, int]]) -> None:
        """Remove rows ``first..last`` (inclusive) for each range; ranges must not overlap."""
        if len(ranges) > 100:  # one reset beats many small removals
            keep = np.ones(self._table.shape[0], dtype=bool)
            for first, last in ranges:
                keep[first : last + 1] = False
            self.beginResetModel()
            self._table = self._table[keep]
            self.endResetModel()
            return
        for first, last in sorted(ranges, reverse=True):
            self.beginRemoveRows(QModelIndex(), first, last)
            self._table = np.delete(self._table, np.s_[first : last + 1], axis=0)
            self.endRemoveRows()

    # -- Qt
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 (Qt override)
        return 0 if parent.isValid() else self._table.shape[0]

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 (Qt override)
        return 0 if parent.isValid() else self._table.shape[1]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_name(section) if horizontal else str(section + 1)
        if role == Qt.ItemDataRole.ToolTipRole:
            if not horizontal:
                return _("Row {row}: click to select the row").format(row=section + 1)
            if section == self.input_count:
                return _("{column}: the output the model should learn to give for this row").format(
                    column=self.column_name(section)
                )
            return _("{column}: input {number} of each row").format(
                column=self.column_name(section), number=section + 1
            )
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return format_number(self._table[index.row(), index.column()])
        if role == NUMBER_ROLE:  # for the delegate that rounds it to fit the column
            return float(self._table[index.row(), index.column()])
        if role == Qt.ItemDataRole.EditRole:
            # Text, not a float: the editor is then a line edit holding every digit.
            return repr(float(self._table[index.row(), index.column()]))
        if role == Qt.ItemDataRole.ToolTipRole:
            value = float(self._table[index.row(), index.column()])
            return _("Row {row}, {column}: {value}").format(
                row=index.row() + 1, column=self.column_name(index.column()), value=repr(value)
            )
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row, column = index.row(), index.column()
        text = value if isinstance(value, str) else repr(value)
        number = parse_number(text)
        if number is None:
            names = {"row": row + 1, "column": self.column_name(column)}
            if not text.strip():
                said = _("Row {row}, {column}: an empty cell is not a number.").format(**names)
            else:
                said = _("Row {row}, {column}: {typed} is not a number.").format(
                    typed=repr(text.strip()), **names
                )
            self.cell_rejected.emit(said)
            return False
        if number == self._table[row, column]:
            return True  # nothing changed: nothing to tell
        self._table[row, column] = number
        self.dataChanged.emit(index, index)
        self.cell_edited.emit(row, column)
        return True


class DataTable(QTableView):
    """The rows; Ctrl+V pastes rows from the clipboard, Ctrl+C copies the selection at full
    precision (tab-separated, with a header line, so it pastes back)."""

    paste_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setItemDelegate(FittedNumberDelegate(self))  # numbers rounded to fit, never elided

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            text = self.selection_as_tsv()
            if text:
                QGuiApplication.clipboard().setText(text)
            return
        super().keyPressEvent(event)

    def selected_row_ranges(self) -> list[tuple[int, int]]:
        """The rows touched by the selection, as merged ``(first, last)`` ranges."""
        spans = sorted(
            (selection_range.top(), selection_range.bottom())
            for selection_range in self.selectionModel().selection()
        )
        merged: list[tuple[int, int]] = []
        for first, last in spans:
            if merged and first <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], last))
            else:
                merged.append((first, last))
        return merged

    def selection_as_tsv(self) -> str:
        model = self.model()
        selection = self.selectionModel().selection()
        columns = sorted({c for r in selection for c in range(r.left(), r.right() + 1)})
        ranges = self.selected_row_ranges()
        if not ranges or not columns:
            return ""
        lines = ["\t".join(model.column_name(c) for c in columns)]
        for first, last in ranges:
            for row in range(first, last + 1):
                lines.append("\t".join(repr(model.value(row, c)) for c in columns))
        return "\n".join(lines) + "\n"
