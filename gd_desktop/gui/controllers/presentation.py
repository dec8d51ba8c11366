"""Presentation mode: the arithmetic and the diagram large, built up one factor per press.

The reveal's state lives here, never in a widget: how many of the highlighted weight's lines
(① ② ③, the product, then an optimizer's lines and the rate in force, then the update) are
shown. Each press of the clicker's "next" key
reveals one more, the diagram ringing the node or edge the line reads from; the press after the
update takes the step. "Back" hides the last line shown, and before the first line it goes
back a step (shown whole, to be taken apart again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from gd_desktop.core.i18n import _
from gd_desktop.core.iteration_arithmetic import factor_parts, reveal_count

if TYPE_CHECKING:
    from gd_desktop.gui.main_window import MainWindow
    from gd_desktop.gui.session import Session

PRESENTING_SHARES = (0, 60, 40)  # editing panel, arithmetic, diagram and plots (per cent)
PRESENTING_SIDE = (40, 27, 33)  # the diagram larger over the two plots (per cent)


class Presentation(QObject):
    """Enters and leaves presentation mode; owns the reveal; says what it shows."""

    changed = Signal(bool)  # presenting or not
    message = Signal(str, bool)

    def __init__(self, window: MainWindow, session: Session) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self.presenting = False
        self.revealed = 0  # lines of the step shown, 0 to reveal_count(problem)
        self._after_move = 0  # what a move of the iteration on view leaves revealed
        self._sizes_before: list[int] = []
        self._side_before: list[int] = []
        self._panel_was_shown = True
        for signal in (
            session.stepped,
            session.shown_changed,
            session.problem_changed,
            session.reset_done,
            session.history_replaced,
        ):
            signal.connect(self._on_moved)

    # ----------------------------------------------------------------- mode
    def toggle(self) -> None:
        if self.presenting:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        if self.presenting:
            return
        window = self._window
        self.presenting = True
        self._panel_was_shown = window.editing_panel.isVisibleTo(window)
        self._sizes_before = window.splitter.sizes()
        window.set_editing_panel_shown(False)
        window.arithmetic_panel.set_presenting(True)
        total = sum(self._sizes_before) or window.width()
        window.splitter.setSizes([total * share // 100 for share in PRESENTING_SHARES])
        self._side_before = window.side.sizes()
        window.share_side_column(PRESENTING_SIDE)
        window.tabs.setCurrentWidget(window.arithmetic_panel)
        self.revealed = 0
        self.show_reveal()
        self.changed.emit(True)
        self.message.emit(
            _(
                "Presentation: Page Down (or → or Space) reveals the slope factor by factor, "
                "then steps; Page Up goes back; Escape leaves."
            ),
            False,
        )

    def leave(self) -> None:
        if not self.presenting:
            return
        window = self._window
        self.presenting = False
        window.arithmetic_panel.set_presenting(False)
        window.set_editing_panel_shown(self._panel_was_shown)
        if self._sizes_before:
            window.splitter.setSizes(self._sizes_before)
            window.side.setSizes(self._side_before)
        self.show_reveal()
        self.changed.emit(False)
        self.message.emit(_("Presentation mode left: every line of the step is shown."), False)

    # ----------------------------------------------------------------- the clicker
    def next(self) -> None:
        """Reveal the next line of the slope; after the update, take the step."""
        session = self._session
        if session.is_running:
            return
        if not self.presenting or self.revealed >= self.line_count:
            session.step()
            return
        self.revealed += 1
        self.show_reveal()

    def back(self) -> None:
        """Hide the last line revealed; with none shown, go back a step, shown whole."""
        session = self._session
        if not self.presenting:
            session.back()
            return
        if self.revealed > 0:
            self.revealed -= 1
            self.show_reveal()
            return
        if session.shown_index > 0:
            self._after_move = self.line_count
            try:
                session.back()
            finally:
                self._after_move = 0

    @property
    def line_count(self) -> int:
        """Lines of the highlighted weight's step: ① ② ③, the product, the optimizer's lines
        (the rate in force, its state), the update."""
        return reveal_count(self._session.problem)

    def _on_moved(self, *_) -> None:
        """Another iteration on view: its step starts hidden (or whole, going back)."""
        if self.presenting:
            self.revealed = self._after_move
            self.show_reveal()

    def show_reveal(self) -> None:
        """Tell the arithmetic how much to show and the diagram what to ring."""
        window = self._window
        if not self.presenting:
            window.arithmetic_panel.set_reveal(None)
            window.network_view.set_highlight(None)
            return
        window.arithmetic_panel.set_reveal(self.revealed)
        part = None
        if 0 < self.revealed <= self.line_count:
            parts = factor_parts(self._session.problem, window.selected_weight)
            part = parts[self.revealed - 1]
        window.network_view.set_highlight(part)
