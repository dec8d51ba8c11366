"""The one rendering controller: what each change of the session redraws, and when.

The session changes its state and says so; the Renderer tells each view to redraw from the
session. A step, or a run of up to ten steps a second, redraws everything. A faster run changes
the numbers faster than anyone reads them: the plots follow every frame; the numbers, the
arithmetic and the diagram ten times a second, one of them a frame, so that no frame is late. A
pause shows everything exact.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from gd_desktop.gui.views.widgets import signals_blocked

if TYPE_CHECKING:
    from gd_desktop.gui.main_window import MainWindow
    from gd_desktop.gui.session import Session

DETAILS_PERIOD = 0.1  # seconds between text-panel updates during a fast run
# What a fast run updates at that lower rate: one part per frame, so that no frame is late.
DETAIL_PARTS = ("numbers", "arithmetic", "diagram")


class Renderer(QObject):
    """Subscribes to the session's signals and asks the window's views to redraw.

    ``window`` holds the views under their names; the pages made when first opened (the Data
    and History tables, the contour map) are redrawn once they exist. Made, it draws everything.
    """

    def __init__(self, session: Session, window: MainWindow):
        super().__init__(window)
        self.session = session
        self.window = window
        self._details_due = 0.0
        self._details_pending: list[str] = []  # parts still to show in this round of a run
        self._details_round = (0.0, 0.0)  # when the round began, and what it has cost so far
        session.problem_changed.connect(self.redraw_all)
        session.reset_done.connect(self.redraw_all)
        session.history_replaced.connect(self.redraw_all)
        session.stepped.connect(self.on_stepped)
        session.shown_changed.connect(self.render_shown)
        session.running_changed.connect(self._on_running_changed)
        window.arithmetic_panel.quiz_changed.connect(self.render_shown)
        self.redraw_all()

    @property
    def selected_weight(self) -> int:
        """The weight the user chose (on the loss curve, the diagram and the arithmetic)."""
        return self.window.loss_plot.weight_index

    def _page(self, name: str):
        """A view made when its page is first opened, or None while it is not made yet."""
        return getattr(self.window.pages, name)

    def redraw_all(self, *_) -> None:
        """Everything may have changed (new problem, reset, cut or undo): redraw it all."""
        window, problem = self.window, self.session.problem
        count = problem.weight_count
        chosen = max(0, min(window.weight_choice.currentIndex(), count - 1))
        with signals_blocked(window.weight_choice):
            window.weight_choice.clear()
            window.weight_choice.addItems([problem.weight_name(i) for i in range(count)])
            window.weight_choice.setCurrentIndex(chosen)
        window.loss_plot.set_weight_index(chosen)
        window.parameters.show_problem()
        data_panel = self._page("data_panel_made")
        if data_panel is not None:
            data_panel.show_data(problem.inputs, problem.targets)
        contour = self._page("contour")
        if contour is not None:
            contour.show_problem()
        window.error_plot.refresh(full=True)
        history_table = self._page("history_table_made")
        if history_table is not None:
            history_table.model_.sync()
        window.arithmetic_panel.scroll_to_top()  # a new problem is read from its top
        QTimer.singleShot(0, window.keep_panels_whole)  # once the new minimums are known
        self.render_shown()

    @property
    def staggers(self) -> bool:
        """Whether the run steps faster than the text panels are worth redrawing."""
        speed = self.session.steps_per_second
        return self.session.is_running and (speed is None or speed * DETAILS_PERIOD > 1)

    def on_stepped(self) -> None:
        self.window.error_plot.refresh()
        history_table = self._page("history_table_made")
        if history_table is not None:
            history_table.model_.sync()
        if not self.staggers:
            self.render_shown()
            return
        now = time.perf_counter()
        if not self._details_pending and now >= self._details_due:
            self._details_pending = list(DETAIL_PARTS)
            self._details_round = (now, 0.0)
        part = self._details_pending.pop(0) if self._details_pending else None
        self.render_shown(details=False, part=part)

    def _on_running_changed(self, running: bool) -> None:
        if not running:
            self.window.error_plot.refresh()  # its envelope exact again, as paused plots are
            self.render_shown()  # the text panels catch up with the last step

    def render_shown(self, *_, details: bool = True, part: str | None = None) -> None:
        """Show the iteration on view in every panel; during a run, the plots and ``part``."""
        window, session = self.window, self.session
        selected = self.selected_weight
        window.arithmetic_panel.follow_question(selected)  # before any view asks what to hide
        hide_slopes = window.arithmetic_panel.hides_slope
        window.error_plot.show_marker()
        window.loss_plot.show_next_step = not window.arithmetic_panel.quizzing
        window.loss_plot.show_tangent = not hide_slopes
        window.loss_plot.refresh(details=details or part is not None)
        parts = DETAIL_PARTS if details else (part,) if part else ()
        started = time.perf_counter()
        if "numbers" in parts:
            window.parameters.show_rate()
            window.parameters.show_state(hide_slopes=hide_slopes)
            window.readout.show_state()
        if "arithmetic" in parts:
            window.arithmetic_panel.refresh(selected)
        if "diagram" in parts:
            window.network_view.refresh(selected, hide_slopes=hide_slopes)
            contour = self._page("contour")
            if contour is not None:
                contour.refresh()
        if parts:
            self._count_details_cost(started, details)
        with signals_blocked(window.history_slider):
            window.history_slider.setRange(0, session.iteration)
            window.history_slider.setValue(session.shown_index)
        window.back_button.setEnabled(session.shown_index > 0)
        window.forward_button.setEnabled(not session.is_showing_latest)
        history_table = self._page("history_table_made")
        if history_table is not None:
            history_table.hide_answers(
                window.arithmetic_panel.quizzing, hide_slopes, session.shown_index
            )
            history_table.show_row(session.shown_index)

    def _count_details_cost(self, started: float, details: bool) -> None:
        """Text panels cost more with more rows and weights: during a fast run they catch up
        ten times a second at most, and never take more than a fifth of the time."""
        cost = time.perf_counter() - started
        if details:
            self._details_pending = []
            self._details_round = (started, cost)
        else:
            began, spent = self._details_round
            self._details_round = (began, spent + cost)
        if not self._details_pending:
            began, spent = self._details_round
            self._details_due = began + max(DETAILS_PERIOD, 5 * spent)
