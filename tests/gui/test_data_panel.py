"""The data panel driven like a user: typing in cells, clicking buttons, pasting, importing."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QTableView,
)

from gd_desktop.gui.views.csv_import import running_import_count, running_imports
from gd_desktop.gui.views.data_panel import CANCELLED_MESSAGE, DataPanel
from tests.gui.helpers import click

INPUTS = np.array([[1.0, 2.0], [0.1 + 0.2, -4.5], [7.0, 8.123456789]])
TARGETS = np.array([10.0, 20.0, 30.0])
LARGE_ROWS = 100_000
LARGE_INPUTS = 10


class Recorder:
    """Everything the panel emitted, in order."""

    def __init__(self, panel: DataPanel):
        self.edits: list[tuple[np.ndarray, np.ndarray]] = []
        self.messages: list[tuple[str, bool]] = []
        panel.data_edited.connect(lambda inputs, targets: self.edits.append((inputs, targets)))
        panel.message.connect(lambda text, warning: self.messages.append((text, warning)))


@pytest.fixture
def panel(qtbot):
    """A shown panel holding three rows of two inputs and a target."""
    data_panel = DataPanel()
    qtbot.addWidget(data_panel)
    data_panel.resize(600, 400)
    data_panel.show()
    qtbot.waitExposed(data_panel)
    data_panel.show_data(INPUTS, TARGETS)
    yield data_panel
    qtbot.waitUntil(lambda: running_import_count() == 0, timeout=20_000)


@pytest.fixture
def record(panel):
    return Recorder(panel)


@pytest.fixture(scope="module")
def large_csv(tmp_path_factory):
    """A 10⁵-row × 10-input CSV file with a header, and the table it holds."""
    rng = np.random.default_rng(1)
    table = rng.normal(scale=100, size=(LARGE_ROWS, LARGE_INPUTS + 1))
    header = ",".join([f"x{i + 1}" for i in range(LARGE_INPUTS)] + ["y"])
    lines = [",".join(map(repr, row)) for row in table.tolist()]
    path = tmp_path_factory.mktemp("data") / "large.csv"
    path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path, table


def table_of(panel: DataPanel) -> QTableView:
    return panel.findChild(QTableView, "data_table")


def button(panel: DataPanel, name: str) -> QPushButton:
    found = panel.findChild(QPushButton, name)
    assert found is not None, f"no button named {name!r}"
    return found


def shown_table(panel: DataPanel) -> np.ndarray:
    """Every value in the model at full precision, read back through the edit role."""
    model = table_of(panel).model()
    return np.array(
        [
            [
                float(model.index(r, c).data(Qt.ItemDataRole.EditRole))
                for c in range(model.columnCount())
            ]
            for r in range(model.rowCount())
        ]
    )


def type_into_cell(qtbot, panel: DataPanel, row: int, column: int, text: str) -> None:
    """Open the cell's editor, replace its text and press Enter, as a user would."""
    view = table_of(panel)
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    assert editor is not None, "no editor opened"
    editor.selectAll()
    for character in text:
        if character.isascii():
            qtbot.keyClicks(editor, character)
        else:  # QTest types ASCII only; an input method inserts the rest
            editor.insert(character)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on a queued call, so that the editor sees the key first.
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def select_rows(panel: DataPanel, *rows: int) -> None:
    view = table_of(panel)
    selection = view.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            view.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


# --- showing


def test_shows_rounded_numbers_headers_and_full_values(panel):
    """Cells show rounded numbers; the tooltip and the editor hold every digit."""
    model = table_of(panel).model()
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert header == ["x1", "x2", "target"]
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(3)] == ["1", "2", "3"]
    cell = model.index(1, 0)
    assert cell.data() == "0.3"
    assert repr(0.1 + 0.2) in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert cell.data(Qt.ItemDataRole.EditRole) == repr(0.1 + 0.2)
    assert model.index(1, 1).data() == "−4.5"
    np.testing.assert_array_equal(shown_table(panel), np.column_stack([INPUTS, TARGETS]))


def test_every_control_has_an_accessible_name_and_tooltip(panel):
    """A screen reader and a hovering mouse can tell what each control is for."""
    controls = [table_of(panel)] + [
        button(panel, name)
        for name in ("add_row_button", "remove_rows_button", "paste_button", "import_button")
    ]
    for control in controls:
        assert control.accessibleName(), control.objectName()
        assert control.toolTip(), control.objectName()


def test_a_hundred_thousand_rows_show_and_scroll_quickly(panel):
    """Showing 10⁵ rows and jumping to the end takes well under a second."""
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(LARGE_ROWS, LARGE_INPUTS))
    targets = rng.normal(size=LARGE_ROWS)
    view = table_of(panel)
    start = time.perf_counter()
    panel.show_data(inputs, targets)
    view.scrollToBottom()
    view.viewport().repaint()
    elapsed = time.perf_counter() - start
    assert view.model().rowCount() == LARGE_ROWS
    assert view.model().headerData(LARGE_ROWS - 1, Qt.Orientation.Vertical) == "100000"
    assert view.rowAt(view.viewport().height() - 2) >= LARGE_ROWS - 5
    assert elapsed < 1.0


# --- editing cells


def test_typing_a_number_into_a_cell_emits_the_new_arrays(qtbot, panel, record):
    """A value typed into a cell (decimal comma, typographic minus) reaches data_edited in full."""
    type_into_cell(qtbot, panel, 2, 1, "−0,123456789012")
    assert len(record.edits) == 1
    inputs, targets = record.edits[0]
    expected = INPUTS.copy()
    expected[2, 1] = -0.123456789012
    np.testing.assert_array_equal(inputs, expected)
    np.testing.assert_array_equal(targets, TARGETS)
    assert table_of(panel).model().index(2, 1).data() == "−0.123457"
    assert record.messages[-1][1] is False


def test_typing_into_the_target_column_changes_the_target(qtbot, panel, record):
    """The last column is the target: editing it changes targets, not inputs."""
    type_into_cell(qtbot, panel, 0, 2, "1e-3")
    inputs, targets = record.edits[-1]
    np.testing.assert_array_equal(inputs, INPUTS)
    np.testing.assert_array_equal(targets, [0.001, 20.0, 30.0])


def test_text_that_is_not_a_number_names_the_cell_and_changes_nothing(qtbot, panel, record):
    """Typing 'abc' into row 3, x2 says so and leaves the data as it was."""
    type_into_cell(qtbot, panel, 2, 1, "abc")
    assert record.edits == []
    assert record.messages == [("Row 3, x2: 'abc' is not a number.", True)]
    np.testing.assert_array_equal(shown_table(panel), np.column_stack([INPUTS, TARGETS]))


def test_opening_and_closing_an_editor_without_change_emits_nothing(qtbot, panel, record):
    """Enter on an untouched cell is not a change: the full repr round-trips exactly."""
    view = table_of(panel)
    index = view.model().index(1, 0)
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.keyClick(view.indexWidget(index), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
    assert record.edits == []
    assert shown_table(panel)[1, 0] == 0.1 + 0.2


# --- adding and removing rows


def test_add_row_copies_the_last_row(qtbot, panel, record):
    """Add row appends a copy of the last row and emits four rows."""
    click(qtbot, panel, "add_row_button")
    inputs, targets = record.edits[-1]
    np.testing.assert_array_equal(inputs, np.vstack([INPUTS, INPUTS[-1]]))
    np.testing.assert_array_equal(targets, [10.0, 20.0, 30.0, 30.0])
    assert table_of(panel).model().rowCount() == 4
    assert record.messages[-1] == ("Added row 4 (a copy of row 3).", False)


def test_add_row_to_an_empty_data_set_adds_zeros(qtbot, panel, record):
    """With no rows yet, Add row gives a row of zeros of the current width."""
    panel.show_data(np.zeros((0, 3)), np.zeros(0))
    click(qtbot, panel, "add_row_button")
    inputs, targets = record.edits[-1]
    np.testing.assert_array_equal(inputs, np.zeros((1, 3)))
    np.testing.assert_array_equal(targets, [0.0])


def test_remove_rows_removes_the_selected_rows(qtbot, panel, record):
    """Selecting rows 1 and 3 and clicking Remove rows leaves row 2."""
    select_rows(panel, 0, 2)
    click(qtbot, panel, "remove_rows_button")
    inputs, targets = record.edits[-1]
    np.testing.assert_array_equal(inputs, INPUTS[[1]])
    np.testing.assert_array_equal(targets, [20.0])
    assert table_of(panel).model().rowCount() == 1
    assert record.messages[-1] == ("Removed 2 rows.", False)


def test_remove_rows_refuses_to_remove_every_row(qtbot, panel, record):
    """Removing all rows is refused with a warning, and the rows stay."""
    select_rows(panel, 0, 1, 2)
    click(qtbot, panel, "remove_rows_button")
    assert record.edits == []
    text, warning = record.messages[-1]
    assert warning and "at least one row" in text
    assert table_of(panel).model().rowCount() == 3


def test_remove_rows_without_a_selection_says_what_to_do(qtbot, panel, record):
    """With nothing selected, Remove rows asks for a selection and removes nothing."""
    table_of(panel).selectionModel().clearSelection()
    click(qtbot, panel, "remove_rows_button")
    assert record.edits == []
    assert record.messages[-1][1] is True
    assert "Select the rows" in record.messages[-1][0]


# --- pasting


def test_ctrl_v_in_the_table_appends_the_clipboard_rows(qtbot, panel, record):
    """Rows copied from a spreadsheet (tabs, header) are appended by Ctrl+V."""
    QGuiApplication.clipboard().setText("a\tb\ty\n5\t6\t7\n8\t9\t10.5\n")
    view = table_of(panel)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    inputs, targets = record.edits[-1]
    np.testing.assert_array_equal(inputs, np.vstack([INPUTS, [[5, 6], [8, 9]]]))
    np.testing.assert_array_equal(targets, [10, 20, 30, 7, 10.5])
    assert record.messages[-1] == ("Pasted 2 rows.", False)


def test_paste_button_appends_the_clipboard_rows(qtbot, panel, record):
    """The Paste rows button does what Ctrl+V does."""
    QGuiApplication.clipboard().setText("1;2;3\n")
    click(qtbot, panel, "paste_button")
    assert table_of(panel).model().rowCount() == 4
    np.testing.assert_array_equal(record.edits[-1][1], [10, 20, 30, 3])


def test_paste_of_the_wrong_width_changes_nothing(qtbot, panel, record):
    """Rows with four columns do not fit data with three: a warning, no change."""
    QGuiApplication.clipboard().setText("1,2,3,4\n")
    click(qtbot, panel, "paste_button")
    assert record.edits == []
    text, warning = record.messages[-1]
    assert warning and "4 columns" in text and "2 inputs" in text
    assert table_of(panel).model().rowCount() == 3


def test_paste_of_a_bad_cell_names_its_line_and_column(qtbot, panel, record):
    """A pasted cell that is not a number is named by line and column; nothing changes."""
    QGuiApplication.clipboard().setText("1,2,3\n4,oops,6\n")
    click(qtbot, panel, "paste_button")
    assert record.edits == []
    assert record.messages[-1] == (
        "Nothing was pasted: Line 2, column 2: 'oops' is not a number.",
        True,
    )


def test_copy_then_paste_round_trips_every_digit(qtbot, panel, record):
    """Ctrl+C on selected rows then Ctrl+V appends exact copies of them."""
    view = table_of(panel)
    select_rows(panel, 1)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    inputs, targets = record.edits[-1]
    assert inputs[3, 0] == 0.1 + 0.2
    np.testing.assert_array_equal(inputs[3], INPUTS[1])
    assert targets[3] == TARGETS[1]


# --- importing


def test_import_a_small_csv(qtbot, panel, record, tmp_path):
    """A small file (header, semicolons) replaces the data and says how many rows came in."""
    path = tmp_path / "small.csv"
    path.write_text("x1;x2;x3;y\n1;2;3;4\n\n5;6;7;8.25\n", encoding="utf-8")
    with qtbot.waitSignal(panel.data_edited, timeout=5_000) as blocker:
        panel.import_csv(path)
    inputs, targets = blocker.args
    np.testing.assert_array_equal(inputs, [[1, 2, 3], [5, 6, 7]])
    np.testing.assert_array_equal(targets, [4, 8.25])
    assert record.messages[-1] == ("Imported 2 rows from small.csv.", False)
    model = table_of(panel).model()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "x1",
        "x2",
        "x3",
        "target",
    ]


def test_import_a_bad_csv_names_line_and_column_and_changes_nothing(qtbot, panel, record, tmp_path):
    """A bad cell on line 3 column 2 is reported; no data_edited, the rows stay."""
    path = tmp_path / "bad.csv"
    path.write_text("x,y\n1,2\n3,two\n", encoding="utf-8")
    with qtbot.waitSignal(panel.message, timeout=5_000) as blocker:
        panel.import_csv(path)
    text, warning = blocker.args
    assert warning
    assert "Line 3, column 2: 'two' is not a number." in text
    assert "bad.csv" in text
    assert record.edits == []
    np.testing.assert_array_equal(shown_table(panel), np.column_stack([INPUTS, TARGETS]))


def test_import_a_missing_file_says_so(qtbot, panel, record, tmp_path):
    """A file that cannot be read is a warning, not a crash."""
    with qtbot.waitSignal(panel.message, timeout=5_000) as blocker:
        panel.import_csv(tmp_path / "nowhere.csv")
    assert blocker.args[1] is True
    assert "nowhere.csv" in blocker.args[0]
    assert record.edits == []


def test_import_button_opens_a_file_dialog_that_imports(qtbot, panel, tmp_path):
    """Import CSV… opens a file dialog; choosing a file imports it."""
    path = tmp_path / "chosen.csv"
    path.write_text("1,2\n3,4\n", encoding="utf-8")
    click(qtbot, panel, "import_button")
    dialog = panel.findChild(QFileDialog, "import_file_dialog")
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(panel.data_edited, timeout=5_000) as blocker:
        dialog.selectFile(str(path))
        dialog.accept()
    np.testing.assert_array_equal(blocker.args[1], [2, 4])


def test_large_import_shows_progress_keeps_the_window_alive_and_arrives(qtbot, panel, large_csv):
    """10⁵ rows × 10 inputs: a progress dialog counts up, the GUI keeps ticking, all rows arrive."""
    path, table = large_csv
    ticks: list[float] = []
    ticker = QTimer(panel)
    ticker.setInterval(20)
    ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))
    ticker.start()
    start = time.perf_counter()
    with qtbot.waitSignal(panel.data_edited, timeout=30_000) as blocker:
        panel.import_csv(path)
        dialog = panel.findChild(QProgressDialog, "import_progress")
        assert dialog is not None and dialog.isVisible()
        percents: list[int] = []
        dialog.findChild(QProgressBar).valueChanged.connect(percents.append)
    elapsed = time.perf_counter() - start
    ticker.stop()
    inputs, targets = blocker.args
    np.testing.assert_array_equal(inputs, table[:, :-1])
    np.testing.assert_array_equal(targets, table[:, -1])
    assert table_of(panel).model().rowCount() == LARGE_ROWS
    assert any(0 < p < 100 for p in percents), percents
    gaps = np.diff([start, *ticks])
    assert gaps.max() < 1.0, f"the window froze for {gaps.max():.2f} s"
    assert elapsed < 10, f"import took {elapsed:.1f} s"
    qtbot.waitUntil(lambda: panel.findChild(QProgressDialog, "import_progress") is None)


def test_cancelling_an_import_keeps_the_data(qtbot, panel, record, large_csv):
    """Cancel in the progress dialog: the data is unchanged, and the panel says so."""
    path, _ = large_csv
    panel.import_csv(path)
    dialog = panel.findChild(QProgressDialog, "import_progress")
    assert dialog is not None
    (thread,) = running_imports()
    results: list[object] = []
    thread.succeeded.connect(lambda *args: results.append(args))
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert record.messages[-1] == (CANCELLED_MESSAGE, False)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: running_import_count() == 0, timeout=20_000)
    qtbot.wait(50)  # anything the thread sent has now been delivered
    assert results == [], "the thread went on parsing after Cancel"
    assert record.edits == []
    assert record.messages[-1] == (CANCELLED_MESSAGE, False)
    np.testing.assert_array_equal(shown_table(panel), np.column_stack([INPUTS, TARGETS]))
    assert button(panel, "import_button").isEnabled()


def test_a_result_that_arrives_after_cancel_is_ignored(qtbot, panel, record, tmp_path):
    """Cancel clicked just as the file finished: the finished rows are not applied."""
    path = tmp_path / "quick.csv"
    path.write_text("1,2\n", encoding="utf-8")
    panel.import_csv(path)
    time.sleep(0.5)  # the thread finishes; its result waits in the event queue
    panel.cancel_import()
    qtbot.waitUntil(lambda: running_import_count() == 0, timeout=5_000)
    qtbot.wait(50)
    assert record.edits == []
    assert record.messages == [(CANCELLED_MESSAGE, False)]


def test_a_newer_import_replaces_one_still_running(qtbot, panel, record, large_csv, tmp_path):
    """Importing a second file while the first is read: only the second one arrives."""
    path = tmp_path / "second.csv"
    path.write_text("1,2,3\n", encoding="utf-8")
    panel.import_csv(large_csv[0])
    (first,) = running_imports()
    overtaken: list[object] = []
    first.succeeded.connect(lambda *args: overtaken.append(args))
    panel.import_csv(path)
    qtbot.waitUntil(lambda: running_import_count() == 0, timeout=20_000)
    qtbot.wait(50)
    assert overtaken == [], "the first import went on after the second began"
    assert len(record.edits) == 1
    np.testing.assert_array_equal(record.edits[0][0], [[1, 2]])
    assert record.messages == [("Imported 1 row from second.csv.", False)]
    assert panel.findChild(QProgressDialog, "import_progress") is None


def test_a_short_import_shows_no_progress_dialog(qtbot, panel, tmp_path):
    """A file read in a blink never flashes a progress dialog."""
    path = tmp_path / "tiny.csv"
    path.write_text("1,2\n", encoding="utf-8")
    with qtbot.waitSignal(panel.data_edited, timeout=5_000):
        panel.import_csv(path)
    assert panel.findChild(QProgressDialog, "import_progress") is None


def test_show_data_rejects_mismatched_rows(panel):
    """inputs and targets with different numbers of rows are a programming error."""
    with pytest.raises(ValueError):
        panel.show_data(np.zeros((3, 2)), np.zeros(2))
