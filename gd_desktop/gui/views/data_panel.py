"""A data set to read and edit: rows of inputs and a target, in a table.

The panel renders the rows it is given (:meth:`DataPanel.show_data`) and reports every valid change
the user makes as whole new arrays (``data_edited``); it keeps no lesson state of its own. A bad
cell, a paste of the wrong width or a broken file is reported in a sentence (``message``) and
changes nothing.

A CSV file is read and parsed on a background thread, in blocks, so that the window keeps drawing,
shows how far it has got, and can be cancelled; the parsing itself is Qt-free
(:func:`gd_desktop.core.data.parse_rows_chunked`).
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core.data import (
    DataError,
    ImportCancelled,
    parse_rows_chunked,
    read_csv_file,
    read_rows,
)
from gd_desktop.core.limits import MAX_ROWS
from gd_desktop.core.numbers import format_number
from gd_desktop.gui.views.widgets import parse_number

SHOW_PROGRESS_AFTER_MS = 300
SHOW_PROGRESS_AT_BYTES = 1_000_000
CANCELLED_MESSAGE = "Import cancelled: the data is unchanged."
IMPORT_NOT_WANTED = "{name} was not imported: the data is unchanged."


# ---------------------------------------------------------------------------------------------
# Qt: the background import


_RUNNING_IMPORTS: set[CsvImportThread] = set()
"""Every import thread still running: kept alive here until it ends, whatever owned it."""


def running_import_count() -> int:
    """How many import threads have not finished yet (the panel may already have let go)."""
    return len(_RUNNING_IMPORTS)


def running_imports() -> list[CsvImportThread]:
    """The import threads that have not finished yet."""
    return list(_RUNNING_IMPORTS)


class CsvImportThread(QThread):
    """Reads and parses one CSV file off the GUI thread; its signals carry the import's number."""

    progressed = Signal(int, int)  # import number, percent
    succeeded = Signal(int, object, object)  # import number, inputs, targets
    failed = Signal(int, str)  # import number, message

    def __init__(self, number: int, path: Path):
        super().__init__()  # no parent: a closing panel must not destroy a running thread
        self.number = number
        self.path = path
        self._cancel = threading.Event()
        self.finished.connect(self._forget)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def start_import(self) -> None:
        _RUNNING_IMPORTS.add(self)
        self.start()

    @Slot()
    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def stop(self) -> None:
        self._cancel.set()
        self.wait()

    @Slot()
    def _forget(self) -> None:
        self.wait()  # `finished` is sent just before the thread really ends
        _RUNNING_IMPORTS.discard(self)

    def run(self) -> None:
        name = self.path.name
        last_percent = -1

        def report(done: int, total: int) -> None:
            nonlocal last_percent
            percent = min(99, done * 100 // max(total, 1))
            if percent != last_percent:
                last_percent = percent
                self.progressed.emit(self.number, percent)

        try:
            text = read_csv_file(self.path)
            if self._cancel.is_set():
                return
            inputs, targets = parse_rows_chunked(
                text, progress=report, cancelled=self._cancel.is_set
            )
        except ImportCancelled:
            return
        except (DataError, csv.Error) as error:
            self.failed.emit(
                self.number, f"Could not import {name}: {error} The data is unchanged."
            )
        except OSError as error:
            reason = error.strerror or str(error)
            self.failed.emit(
                self.number, f"Could not read {name}: {reason}. The data is unchanged."
            )
        except MemoryError:
            self.failed.emit(self.number, f"{name} is too large to import. The data is unchanged.")
        else:
            self.progressed.emit(self.number, 100)
            self.succeeded.emit(self.number, inputs, targets)


# ---------------------------------------------------------------------------------------------
# Qt: model, table and panel


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
                return f"Row {section + 1}: click to select the row"
            if section == self.input_count:
                return "target: the output the model should learn to give for this row"
            return f"x{section + 1}: input {section + 1} of each row"
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
        if role == Qt.ItemDataRole.EditRole:
            # Text, not a float: the editor is then a line edit holding every digit.
            return repr(float(self._table[index.row(), index.column()]))
        if role == Qt.ItemDataRole.ToolTipRole:
            value = float(self._table[index.row(), index.column()])
            return f"Row {index.row() + 1}, {self.column_name(index.column())}: {value!r}"
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
            where = f"Row {row + 1}, {self.column_name(column)}"
            if not text.strip():
                self.cell_rejected.emit(f"{where}: an empty cell is not a number.")
            else:
                self.cell_rejected.emit(f"{where}: {text.strip()!r} is not a number.")
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


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text.rstrip("…"))
    button.setToolTip(tip)
    button.setAccessibleDescription(tip)
    return button


class DataPanel(QWidget):
    """The data set as an editable table with Add, Remove, Paste and Import.

    It renders what :meth:`show_data` gives it and emits ``data_edited(inputs, targets)`` (new
    arrays) after each valid change; ``message(sentence, is_warning)`` says what happened.
    """

    data_edited = Signal(object, object)
    message = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Data set")

        self.model = DataModel(self)
        self.data_table = DataTable()
        self.data_table.setObjectName("data_table")
        self.data_table.setModel(self.model)
        self.data_table.setAccessibleName("Data set rows")
        self.data_table.setToolTip(
            "One row per example: its inputs x1, x2, … then its target. Double-click a cell, or "
            "type, to change it; Ctrl+V pastes rows; Ctrl+C copies the selected cells."
        )
        self.data_table.setAccessibleDescription(self.data_table.toolTip())
        self.data_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.data_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.data_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.data_table.setAlternatingRowColors(True)
        row_height = self.data_table.fontMetrics().height() + 8
        self.data_table.verticalHeader().setDefaultSectionSize(row_height)
        self.data_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.data_table.horizontalHeader().setDefaultSectionSize(90)

        self.add_row_button = _button(
            "Add row", "add_row_button", "Add a row at the end: a copy of the last row"
        )
        self.remove_rows_button = _button(
            "Remove rows",
            "remove_rows_button",
            "Remove the selected rows (click row numbers to select them); one row always stays",
        )
        self.paste_button = _button(
            "Paste rows",
            "paste_button",
            "Add the rows copied to the clipboard (numbers separated by commas, semicolons or "
            "tabs) at the end; Ctrl+V in the table does the same",
        )
        self.import_button = _button(
            "Import CSV…",
            "import_button",
            "Replace the data set by the rows of a CSV file: inputs, then the target, one row per "
            "line; a header line is optional",
        )

        buttons = QHBoxLayout()
        for button in (
            self.add_row_button,
            self.remove_rows_button,
            self.paste_button,
            self.import_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.data_table, 1)
        layout.addLayout(buttons)

        self.add_row_button.clicked.connect(self.on_add_row_clicked)
        self.remove_rows_button.clicked.connect(self.on_remove_rows_clicked)
        self.paste_button.clicked.connect(self.paste_rows)
        self.data_table.paste_requested.connect(self.paste_rows)
        self.import_button.clicked.connect(self.on_import_clicked)
        self.model.cell_edited.connect(self._on_cell_edited)
        self.model.cell_rejected.connect(self._warn)

        self._import: CsvImportThread | None = None
        self._import_count = 0
        self._import_percent = 0
        self._progress_dialog: QProgressDialog | None = None
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(SHOW_PROGRESS_AFTER_MS)
        self._progress_timer.timeout.connect(self._show_progress)
        self._last_directory = ""
        # Asked once an import has read its file, before it replaces the data (False: it does
        # not): the window asks about unsaved changes here.
        self.may_replace_data: Callable[[], bool] = lambda: True

    # -- rendering
    def show_data(self, inputs: np.ndarray, targets: np.ndarray) -> None:
        """Show these rows (``inputs`` rows × n, ``targets`` rows), keeping every digit."""
        inputs = np.asarray(inputs, dtype=float)
        targets = np.asarray(targets, dtype=float).reshape(-1)
        if inputs.ndim == 1:
            inputs = inputs.reshape(-1, 1)
        if inputs.ndim != 2 or inputs.shape[0] != targets.shape[0]:
            raise ValueError(
                f"inputs {inputs.shape} and targets {targets.shape} do not have the same rows"
            )
        self.model.set_table(np.column_stack([inputs, targets]))

    def import_in_progress(self) -> bool:
        return self._import is not None

    # -- user actions
    @Slot()
    def on_add_row_clicked(self) -> None:
        rows = self.model.rowCount()
        if rows >= MAX_ROWS:
            self._warn(f"The data set already has {MAX_ROWS:,} rows, the most the app can show.")
            return
        if rows:
            new_row = self.model.row_values(rows - 1)
            how = f"a copy of row {rows}"
        else:
            new_row = np.zeros(self.model.columnCount())
            how = "zeros"
        self.model.append_rows(new_row.reshape(1, -1))
        self._select_rows(rows, rows)
        self._emit_data()
        self._say(f"Added row {rows + 1} ({how}).")

    @Slot()
    def on_remove_rows_clicked(self) -> None:
        ranges = self.data_table.selected_row_ranges()
        count = sum(last - first + 1 for first, last in ranges)
        if not count:
            self._warn("Select the rows to remove first (click their row numbers).")
            return
        if count >= self.model.rowCount():
            self._warn("A data set needs at least one row: the last row cannot be removed.")
            return
        self.data_table.clearSelection()
        self.model.remove_row_ranges(ranges)
        self._emit_data()
        self._say(f"Removed {count:,} row{'s' if count != 1 else ''}.")

    @Slot()
    def paste_rows(self) -> None:
        """Append the rows on the clipboard (read by :func:`gd_desktop.core.data.read_rows`)."""
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self._warn("The clipboard holds no text to paste: copy some rows of numbers first.")
            return
        try:
            inputs, targets = read_rows(text)
        except DataError as error:
            self._warn(f"Nothing was pasted: {error}")
            return
        except csv.Error as error:
            self._warn(f"Nothing was pasted: the text is not readable as CSV ({error}).")
            return
        rows = np.column_stack([inputs, targets])
        existing = self.model.rowCount()
        if existing and rows.shape[1] != self.model.columnCount():
            have = self.model.input_count
            self._warn(
                f"Nothing was pasted: the rows on the clipboard have {rows.shape[1]} columns, "
                f"but the data has {have} input{'s' if have != 1 else ''} and a target "
                f"({have + 1} columns)."
            )
            return
        if existing + rows.shape[0] > MAX_ROWS:
            self._warn(f"Nothing was pasted: that would be more than {MAX_ROWS:,} rows.")
            return
        if existing:
            self.model.append_rows(rows)
        else:
            self.model.set_table(rows)
        self._select_rows(existing, existing + rows.shape[0] - 1)
        self._emit_data()
        count = rows.shape[0]
        self._say(f"Pasted {count:,} row{'s' if count != 1 else ''}.")

    @Slot()
    def on_import_clicked(self) -> None:
        dialog = QFileDialog(self, "Import a data set", self._last_directory)
        dialog.setObjectName("import_file_dialog")
        dialog.setAccessibleName("Choose a CSV file to import")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setNameFilters(["CSV files (*.csv *.tsv *.txt)", "All files (*)"])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.import_csv)
        dialog.open()

    @Slot(str)
    def import_csv(self, path) -> None:
        """Read ``path`` in the background; the data changes only if every line is good."""
        path = Path(path)
        self._last_directory = str(path.parent)
        if self._import is not None:
            self._import.cancel()  # a newer import replaces one still running
            self._close_progress()
        self._import_count += 1
        self._import_percent = 0
        job = CsvImportThread(self._import_count, path)
        job.progressed.connect(self._on_import_progressed)
        job.succeeded.connect(self._on_import_succeeded)
        job.failed.connect(self._on_import_failed)
        self._import = job
        self.import_button.setEnabled(False)
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        job.start_import()
        if size > SHOW_PROGRESS_AT_BYTES:
            self._show_progress()
        else:
            self._progress_timer.start()

    @Slot()
    def cancel_import(self) -> None:
        """Stop the running import; the data stays as it was."""
        if self._import is None:
            return
        self._import.cancel()
        self._end_import()
        self._say(CANCELLED_MESSAGE)

    # -- import results (queued from the import thread)
    @Slot(int, int)
    def _on_import_progressed(self, number: int, percent: int) -> None:
        if self._import is None or number != self._import.number:
            return
        self._import_percent = percent
        if self._progress_dialog is not None:
            self._progress_dialog.setValue(percent)

    @Slot(int, object, object)
    def _on_import_succeeded(self, number: int, inputs: np.ndarray, targets: np.ndarray) -> None:
        if self._import is None or number != self._import.number:
            return  # cancelled, or overtaken by a newer import
        name = self._import.path.name
        self._end_import()
        if not self.may_replace_data():
            self._say(IMPORT_NOT_WANTED.format(name=name))
            return
        self.data_table.clearSelection()
        self.model.set_table(np.column_stack([inputs, targets]))
        self.data_table.scrollToTop()
        self._emit_data()
        count = inputs.shape[0]
        self._say(f"Imported {count:,} row{'s' if count != 1 else ''} from {name}.")

    @Slot(int, str)
    def _on_import_failed(self, number: int, text: str) -> None:
        if self._import is None or number != self._import.number:
            return
        self._end_import()
        self._warn(text)

    # -- helpers
    def _show_progress(self) -> None:
        if self._import is None or self._progress_dialog is not None:
            return
        dialog = QProgressDialog(f"Importing {self._import.path.name}…", "Cancel", 0, 100, self)
        dialog.setObjectName("import_progress")
        dialog.setWindowTitle("Importing a data set")
        dialog.setAccessibleName("Import progress")
        dialog.setToolTip("How much of the file has been read; Cancel keeps the data as it was")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self.cancel_import)
        dialog.setValue(self._import_percent)
        dialog.show()
        self._progress_dialog = dialog

    def _close_progress(self) -> None:
        self._progress_timer.stop()
        dialog, self._progress_dialog = self._progress_dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel_import)  # closing it would say "canceled"
            dialog.reset()
            dialog.hide()
            dialog.deleteLater()

    def _end_import(self) -> None:
        self._import = None
        self._close_progress()
        self.import_button.setEnabled(True)

    def _select_rows(self, first: int, last: int) -> None:
        model = self.model
        selection = self.data_table.selectionModel()
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        selection.select(
            QItemSelection(model.index(first, 0), model.index(last, model.columnCount() - 1)),
            flags,
        )
        self.data_table.scrollTo(model.index(last, 0))

    @Slot(int, int)
    def _on_cell_edited(self, row: int, column: int) -> None:
        self._emit_data()
        shown = format_number(self.model.value(row, column))
        self._say(f"Row {row + 1}, {self.model.column_name(column)} is now {shown}.")

    def _emit_data(self) -> None:
        inputs, targets = self.model.arrays()
        self.data_edited.emit(inputs, targets)

    def _say(self, text: str) -> None:
        self.message.emit(text, False)

    @Slot(str)
    def _warn(self, text: str) -> None:
        self.message.emit(text, True)
