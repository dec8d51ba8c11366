"""A CSV file read on a background thread, in blocks, so that the window keeps drawing and the
import can be cancelled; the parsing itself is Qt-free (gd_desktop.core.data)."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QThread,
    Signal,
    Slot,
)

from gd_desktop.core.data import (
    DataError,
    ImportCancelled,
    parse_rows_chunked,
    read_csv_file,
)
from gd_desktop.core.i18n import _

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
                self.number,
                _("Could not import {name}: {reason} The data is unchanged.").format(
                    name=name, reason=error
                ),
            )
        except OSError as error:
            reason = error.strerror or str(error)
            self.failed.emit(
                self.number,
                _("Could not read {name}: {reason}. The data is unchanged.").format(
                    name=name, reason=reason
                ),
            )
        except MemoryError:
            self.failed.emit(
                self.number,
                _("{name} is too large to import. The data is unchanged.").format(name=name),
            )
        else:
            self.progressed.emit(self.number, 100)
            self.succeeded.emit(self.number, inputs, targets)


# ---------------------------------------------------------------------------------------------
# Qt: model, table and panel
