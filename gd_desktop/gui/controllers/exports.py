"""What a teacher takes away from the window: the history as CSV, the plots, a handout.

The drawing and the atomic writing are gd_desktop/gui/exports.py's; this asks where, and says how
it went.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget

from gd_desktop.core.i18n import _, ngettext
from gd_desktop.gui.session import Session


def _reason(error: OSError) -> str:
    return str(error.strerror or error)


def _failure(error: OSError, name: str) -> str:
    """The write's own sentence (core/files.py), else one naming the file and the reason."""
    from gd_desktop.core.files import FileWriteError

    if isinstance(error, FileWriteError):
        return str(error)
    return _("Could not save {name}: {reason}.").format(name=name, reason=_reason(error))


class Exports(QObject):
    message = Signal(str, bool)

    def __init__(
        self,
        window: QMainWindow,
        session: Session,
        plots: dict[str, QWidget],
        handout: Callable[[], QWidget],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._plots = plots  # by the part of the file name each is written under
        self._handout = handout  # what a handout shows: the window's content

    # ----------------------------------------------------------------- the history
    def copy_history(self, table) -> None:
        """The selected rows of the history table (all, if none is) as tab-separated text."""
        if not table.selectionModel().hasSelection():
            table.selectAll()
        QGuiApplication.clipboard().setText(table.selection_as_tsv())
        self.message.emit(_("Copied the selected rows as tab-separated text."), False)

    def on_export_clicked(self) -> None:
        path, _chosen_filter = QFileDialog.getSaveFileName(
            self._window, _("Export the history as CSV"), "history.csv", _("CSV files (*.csv)")
        )
        if path:
            self.export_history(Path(path))

    def export_history(self, path: Path) -> bool:
        from gd_desktop.core.files import write_text_atomically
        from gd_desktop.core.history_columns import history_csv

        path = Path(path)
        try:
            write_text_atomically(path, history_csv(self._session.problem, self._session.history))
        except OSError as error:
            self.message.emit(_failure(error, path.name), True)
            return False
        count = len(self._session.history)
        self.message.emit(
            ngettext(
                "Saved {count} row to {name}.", "Saved {count} rows to {name}.", count
            ).format(count=count, name=path.name),
            False,
        )
        return True

    # ----------------------------------------------------------------- the plots
    def on_export_plots_clicked(self) -> None:
        path, _chosen_filter = QFileDialog.getSaveFileName(
            self._window,
            _("Export the plots"),
            "plot.png",
            _("PNG picture (*.png);;SVG drawing (*.svg)"),
        )
        if path:
            self.export_plots(Path(path))

    def export_plots(self, path: Path) -> bool:
        """Write each plot as ``<name>-<part>``: ``lesson-error.png`` and ``lesson-loss.png``."""
        from gd_desktop.gui.exports import export_plot

        path = Path(path)
        written = []
        try:
            for part, plot in self._plots.items():
                target = path.with_name(f"{path.stem}-{part}{path.suffix}")
                export_plot(plot, target)
                written.append(target.name)
        except OSError as error:
            self.message.emit(_failure(error, path.name), True)
            return False
        if len(written) == 2:
            said = _("Saved {first} and {second}.").format(first=written[0], second=written[1])
        else:
            said = _("Saved {names}.").format(names=", ".join(written))
        self.message.emit(said, False)
        return True

    # ----------------------------------------------------------------- the handout
    def on_export_handout_clicked(self) -> None:
        path, _chosen_filter = QFileDialog.getSaveFileName(
            self._window, _("Export a handout"), "handout.png", _("PNG picture (*.png)")
        )
        if path:
            self.export_handout(Path(path))

    def export_handout(self, path: Path) -> bool:
        from gd_desktop.gui.exports import export_handout

        path = Path(path)
        try:
            export_handout(self._handout(), path)
        except OSError as error:
            self.message.emit(_failure(error, path.name), True)
            return False
        self.message.emit(_("Saved the handout {name}.").format(name=path.name), False)
        return True
