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
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core.data import (
    DataError,
    read_rows,
)
from gd_desktop.core.i18n import N_, _, ngettext
from gd_desktop.core.limits import MAX_ROWS
from gd_desktop.core.numbers import format_number
from gd_desktop.gui.views.csv_import import CsvImportThread
from gd_desktop.gui.views.data_table import DataModel, DataTable

SHOW_PROGRESS_AFTER_MS = 300
SHOW_PROGRESS_AT_BYTES = 1_000_000
CANCELLED_MESSAGE = N_("Import cancelled: the data is unchanged.")
IMPORT_NOT_WANTED = N_("{name} was not imported: the data is unchanged.")
#: Each button (its attribute and objectName) → its label and tooltip, in English.
BUTTON_TEXTS = {
    "add_row_button": (N_("Add row"), N_("Add a row at the end: a copy of the last row")),
    "remove_rows_button": (
        N_("Remove rows"),
        N_("Remove the selected rows (click row numbers to select them); one row always stays"),
    ),
    "paste_button": (
        N_("Paste rows"),
        N_(
            "Add the rows copied to the clipboard (numbers separated by commas, semicolons or "
            "tabs) at the end; Ctrl+V in the table does the same"
        ),
    ),
    "import_button": (
        N_("Import CSV…"),
        N_(
            "Replace the data set by the rows of a CSV file: inputs, then the target, one row per "
            "line; a header line is optional"
        ),
    ),
}


def _button(name: str) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
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
        self.model = DataModel(self)
        self.data_table = DataTable()
        self.data_table.setObjectName("data_table")
        self.data_table.setModel(self.model)
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

        self.add_row_button = _button("add_row_button")
        self.remove_rows_button = _button("remove_rows_button")
        self.paste_button = _button("paste_button")
        self.import_button = _button("import_button")
        self.retranslate()

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

    def retranslate(self) -> None:
        """Every label, tooltip and accessible name, in the language in use."""
        self.setAccessibleName(_("Data set"))
        self.data_table.setAccessibleName(_("Data set rows"))
        self.data_table.setToolTip(
            _(
                "One row per example: its inputs x1, x2, … then its target. Double-click a cell, "
                "or type, to change it; Ctrl+V pastes rows; Ctrl+C copies the selected cells."
            )
        )
        self.data_table.setAccessibleDescription(self.data_table.toolTip())
        for name, (label, tip) in BUTTON_TEXTS.items():
            button, label, tip = getattr(self, name), _(label), _(tip)
            button.setText(label)
            button.setAccessibleName(label.rstrip("…"))
            button.setToolTip(tip)
            button.setAccessibleDescription(tip)

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
            self._warn(
                _("The data set already has {count:,} rows, the most the app can show.").format(
                    count=MAX_ROWS
                )
            )
            return
        if rows:
            new_row = self.model.row_values(rows - 1)
            said = _("Added row {row} (a copy of row {previous}).")
        else:
            new_row = np.zeros(self.model.columnCount())
            said = _("Added row {row} (zeros).")
        self.model.append_rows(new_row.reshape(1, -1))
        self._select_rows(rows, rows)
        self._emit_data()
        self._say(said.format(row=rows + 1, previous=rows))

    @Slot()
    def on_remove_rows_clicked(self) -> None:
        ranges = self.data_table.selected_row_ranges()
        count = sum(last - first + 1 for first, last in ranges)
        if not count:
            self._warn(_("Select the rows to remove first (click their row numbers)."))
            return
        if count >= self.model.rowCount():
            self._warn(_("A data set needs at least one row: the last row cannot be removed."))
            return
        self.data_table.clearSelection()
        self.model.remove_row_ranges(ranges)
        self._emit_data()
        self._say(
            ngettext("Removed {count:,} row.", "Removed {count:,} rows.", count).format(count=count)
        )

    @Slot()
    def paste_rows(self) -> None:
        """Append the rows on the clipboard (read by :func:`gd_desktop.core.data.read_rows`)."""
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self._warn(_("The clipboard holds no text to paste: copy some rows of numbers first."))
            return
        try:
            inputs, targets = read_rows(text)
        except DataError as error:
            self._warn(_("Nothing was pasted: {reason}").format(reason=error))
            return
        except csv.Error as error:
            self._warn(
                _("Nothing was pasted: the text is not readable as CSV ({reason}).").format(
                    reason=error
                )
            )
            return
        rows = np.column_stack([inputs, targets])
        existing = self.model.rowCount()
        if existing and rows.shape[1] != self.model.columnCount():
            have = self.model.input_count
            self._warn(
                ngettext(
                    "Nothing was pasted: the rows on the clipboard have {count} columns, but the "
                    "data has {inputs} input and a target ({columns} columns).",
                    "Nothing was pasted: the rows on the clipboard have {count} columns, but the "
                    "data has {inputs} inputs and a target ({columns} columns).",
                    have,
                ).format(count=rows.shape[1], inputs=have, columns=have + 1)
            )
            return
        if existing + rows.shape[0] > MAX_ROWS:
            self._warn(
                _("Nothing was pasted: that would be more than {count:,} rows.").format(
                    count=MAX_ROWS
                )
            )
            return
        if existing:
            self.model.append_rows(rows)
        else:
            self.model.set_table(rows)
        self._select_rows(existing, existing + rows.shape[0] - 1)
        self._emit_data()
        count = rows.shape[0]
        self._say(
            ngettext("Pasted {count:,} row.", "Pasted {count:,} rows.", count).format(count=count)
        )

    @Slot()
    def on_import_clicked(self) -> None:
        dialog = QFileDialog(self, _("Import a data set"), self._last_directory)
        dialog.setObjectName("import_file_dialog")
        dialog.setAccessibleName(_("Choose a CSV file to import"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setNameFilters([_("CSV files (*.csv *.tsv *.txt)"), _("All files (*)")])
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
        self._say(_(CANCELLED_MESSAGE))

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
            self._say(_(IMPORT_NOT_WANTED).format(name=name))
            return
        self.data_table.clearSelection()
        self.model.set_table(np.column_stack([inputs, targets]))
        self.data_table.scrollToTop()
        self._emit_data()
        count = inputs.shape[0]
        self._say(
            ngettext(
                "Imported {count:,} row from {name}.", "Imported {count:,} rows from {name}.", count
            ).format(count=count, name=name)
        )

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
        label = _("Importing {name}…").format(name=self._import.path.name)
        dialog = QProgressDialog(label, _("Cancel"), 0, 100, self)
        dialog.setObjectName("import_progress")
        dialog.setWindowTitle(_("Importing a data set"))
        dialog.setAccessibleName(_("Import progress"))
        dialog.setToolTip(_("How much of the file has been read; Cancel keeps the data as it was"))
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
        self._say(
            _("Row {row}, {column} is now {value}.").format(
                row=row + 1, column=self.model.column_name(column), value=shown
            )
        )

    def _emit_data(self) -> None:
        inputs, targets = self.model.arrays()
        self.data_edited.emit(inputs, targets)

    def _say(self, text: str) -> None:
        self.message.emit(text, False)

    @Slot(str)
    def _warn(self, text: str) -> None:
        self.message.emit(text, True)
