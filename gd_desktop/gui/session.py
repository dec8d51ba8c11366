"""The Qt side of the lesson's run: a thin QObject over the core's :class:`Run`.

The Run owns the problem, the weights, the history and why a run stops; the session calls it,
says what happened as signals, and keeps what only a window needs: the run timer, its speeds
and the budget of a frame. Widgets call the slots here and render what the signals say; no
widget computes a step.
"""

from __future__ import annotations

import statistics
import time
from collections import deque

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal

from gd_desktop.core.engine import Evaluation, History, Problem, ProblemError
from gd_desktop.core.i18n import N_, _, ngettext
from gd_desktop.core.limits import (
    DEFAULT_INPUTS,
    DEFAULT_LEARNING_RATE,
    DEFAULT_SPEED_INDEX,
    DEFAULT_TARGET,
    DEFAULT_WEIGHTS,
    SPEEDS,
    TYPED_INPUTS_MAX,
)
from gd_desktop.core.numbers import format_number
from gd_desktop.core.run import Run, StopReason

# The status line's sentences about the present state (named placeholders, whole sentences).
# In English, marked for the catalog; translated where said.
LOSS_WENT_DOWN = N_("Iteration {iteration}: the loss went down from {before} to {after}.")
LOSS_WENT_UP = N_("Iteration {iteration}: the loss went up from {before} to {after}.")
LOSS_STAYED = N_("Iteration {iteration}: the loss stayed at {after}.")
LOOKING_BACK = N_(
    "Looking back at iteration {index} of {latest}: a step or a change goes on from here "
    "(Undo brings the later iterations back)."
)
NEWEST = N_("Iteration {iteration}, the newest: press Step for the next update.")
UNDONE = N_("The run before the last change is back, at iteration {iteration}.")

FRAME_SECONDS = 1 / 60
# At full speed the timer fires every FRAME_INTERVAL_MS; each frame steps for a budget, then
# lets the window draw. The budget is what drawing leaves of the interval: drawing is timed
# at every frame (from the end of the steps to the end of the repaint) and its median over the
# last DRAWING_SAMPLES frames is used, so the dearer frames that also show the numbers or the
# text panels (a few each tenth of a second) do not set it. Where drawing alone takes the
# whole interval, no budget keeps the rate, and the engine keeps its smallest share.
# The engine's share is capped at MAX_STEP_SECONDS however cheap drawing is: at 0.3–1 µs a
# step of a small problem that is 4,000–13,000 steps a frame, far beyond the 10⁵ a second
# wanted, and the rest of the frame is left free for its dearer frames and a shared machine
# (filling it, every frame took the whole interval and any delay cost a frame).
FRAME_INTERVAL_MS = 16  # 62.5 frames a second at most; 17 ms would be 58.8
FULL_SPEED_BUDGET_SECONDS = 0.002  # before any frame has been timed: the least share
MIN_STEP_SECONDS = 0.002  # 2,000–6,000 steps of a small problem: 10⁵ a second at 50 frames
MAX_STEP_SECONDS = 0.004
FRAME_MARGIN_SECONDS = 0.001
DRAWING_SAMPLES = 9


class Session(QObject):
    """Holds one lesson run (a core :class:`Run`) and says what happened, as past events."""

    #: A new problem (data, or number of inputs): the history starts again.
    problem_changed = Signal()
    #: The history grew by one or more records (steps or a weight moved by hand).
    stepped = Signal()
    #: Reset to the values typed: the history holds only iteration 0.
    reset_done = Signal()
    #: The history was cut back to an earlier iteration, or an Undo put an old one back.
    history_replaced = Signal()
    #: The iteration on view changed (stepping back and forward), the history did not.
    shown_changed = Signal(int)
    undo_available = Signal(bool)
    running_changed = Signal(bool)
    #: A sentence for the status line, and whether it is a warning. Each says the present state
    #: (a step replaces the last action's sentence with where the run is now).
    message = Signal(str, bool)
    #: Good news for the status line (the run converged): shown unlike a warning.
    good_news = Signal(str)
    speed_changed = Signal(int)
    #: The user changed what a lesson file would save (data, network, rate, typed weights).
    edited = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        problem = Problem.create(DEFAULT_INPUTS, [DEFAULT_TARGET], DEFAULT_LEARNING_RATE)
        self._run = Run(problem, DEFAULT_WEIGHTS)
        self._speed_index = DEFAULT_SPEED_INDEX
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # frames at an even pace
        self._timer.timeout.connect(self._on_timer)
        self._step_budget = FULL_SPEED_BUDGET_SECONDS
        self._drawing_times: deque[float] = deque(maxlen=DRAWING_SAMPLES)
        self._steps_ended = 0.0  # when the last full-speed frame finished stepping
        self._run_started = 0.0
        self._run_steps_done = 0
        self._said_why = False  # the last advance gave a warning or good news

    # ----------------------------------------------------------------- reading the state
    @property
    def problem(self) -> Problem:
        return self._run.problem

    @property
    def current(self) -> Evaluation:
        return self._run.current

    @property
    def history(self) -> History:
        return self._run.history

    @property
    def iteration(self) -> int:
        return self._run.iteration

    @property
    def typed_weights(self) -> np.ndarray:
        """The weights Reset goes back to (as typed, or as a lesson or preset set them)."""
        return self._run.typed_weights

    def load_run(self, problem: Problem, weights, history=None, rates=None, moved=()) -> bool:
        """Take a saved lesson: its problem, its starting weights and, if kept, its run.

        A saved run is recomputed from its weights (the engine's numbers, never the file's), each
        step at its saved rate; the iterations in ``moved``, and any that is not the step from
        the one before, are marked as moved by hand (see :meth:`Run.load`).
        """
        self.pause()  # before the problem changes: pausing redraws the text panels
        try:
            self._run.load(problem, weights, history, rates, moved)
        except ProblemError as error:
            self.message.emit(str(error), True)
            return False
        self.undo_available.emit(True)
        self.problem_changed.emit()
        return True

    @property
    def history_limit(self) -> int:
        """Iterations a run may keep: a million, or fewer for records of many weights."""
        return self._run.history_limit

    @property
    def critical_learning_rate(self) -> float | None:
        return self._run.critical_learning_rate

    @property
    def is_running(self) -> bool:
        return self._timer.isActive()

    @property
    def runs_fast(self) -> bool:
        """Running at more steps a second than frames are drawn: the plots follow a moving run
        (their views then move in larger steps, each move redrawing the axes)."""
        speed = self.steps_per_second
        return self.is_running and (speed is None or speed > 1 / FRAME_SECONDS)

    @property
    def speed_index(self) -> int:
        return self._speed_index

    @property
    def steps_per_second(self) -> float | None:
        return SPEEDS[self._speed_index]

    @property
    def next_weights(self) -> np.ndarray:
        return self._run.next_weights

    @property
    def shown_index(self) -> int:
        """The iteration every view shows: the newest, unless the user stepped back."""
        return self._run.shown_index

    @property
    def is_showing_latest(self) -> bool:
        return self._run.is_showing_latest

    @property
    def shown(self) -> Evaluation:
        return self._run.shown

    @property
    def shown_problem(self) -> Problem:
        """The problem with the learning rate of the step taken from the shown iteration."""
        return self._run.shown_problem

    @property
    def can_undo(self) -> bool:
        return self._run.can_undo

    # ----------------------------------------------------------------- walking the history
    def show_iteration(self, index: int) -> None:
        index = self._run.clamp_iteration(index)
        if index != self._run.shown_index:
            self.pause()
            self._run.show_iteration(index)
            self.shown_changed.emit(index)
            if self.is_showing_latest:
                self.message.emit(_(NEWEST).format(iteration=index), False)
            else:
                self.message.emit(
                    _(LOOKING_BACK).format(index=index, latest=self.iteration), False
                )

    def back(self) -> None:
        self.show_iteration(self.shown_index - 1)

    def forward(self) -> None:
        self.show_iteration(self.shown_index + 1)

    def undo(self) -> None:
        """Put back the history (and problem) as it was before the last destructive change."""
        if not self._run.can_undo:
            self.message.emit(_("Nothing to undo."), False)
            return
        self.pause()
        self._run.undo()
        self.history_replaced.emit()
        self.undo_available.emit(False)
        self.message.emit(_(UNDONE).format(iteration=self.iteration), False)

    def _continue_from_shown(self) -> None:
        """Before a change while looking back: drop the later history, keeping it for Undo."""
        self._said_dropped(self._run.continue_from_shown())

    def _said_dropped(self, dropped: int | None) -> None:
        """Tell the views (and the user) that the run went on from an earlier iteration."""
        if dropped is None:
            return
        self.undo_available.emit(True)
        self.history_replaced.emit()
        said = ngettext(
            "Going on from iteration {iteration}: {dropped} later iteration was dropped "
            "(Undo brings it back).",
            "Going on from iteration {iteration}: the {dropped} later iterations were dropped "
            "(Undo brings them back).",
            dropped,
        )
        self.message.emit(said.format(iteration=self.iteration, dropped=dropped), False)

    # ----------------------------------------------------------------- changing the problem
    def set_problem(self, inputs, target: float, learning_rate: float | None = None) -> bool:
        """One data row: a new history, from the weights shown now (padded or cut)."""
        changes = {} if learning_rate is None else {"learning_rate": learning_rate}
        return self._change_problem(inputs=inputs, targets=[target], **changes)

    def set_data(self, inputs, targets) -> bool:
        """A new data set (rows of inputs and targets): the history starts again."""
        return self._change_problem(inputs=inputs, targets=targets)

    def set_batch(self, batch_size: int, seed: int) -> bool:
        """Stochastic / mini-batch descent (``batch_size`` rows a step, 0: every row)."""
        return self._change_problem(batch_size=batch_size, seed=seed)

    def set_network(self, hidden_count: int, activation: str) -> bool:
        """A hidden layer of ``hidden_count`` nodes (0: none) with ``activation``."""
        return self._change_problem(hidden_count=hidden_count, activation=activation)

    def set_fields(self, **changes) -> bool:
        """Any of the problem's fields by name (``Problem``'s field specs): a new problem, the
        history starts again. A control for a new field calls this; nothing else is needed."""
        return self._change_problem(**changes)

    def _change_problem(self, **changes) -> bool:
        """Start a new history for a new problem, from the weights shown now (fitted to it)."""
        try:
            problem = self._run.problem.replaced(**changes)
            self.pause()  # before the problem changes: pausing redraws the text panels
            self._run.set_problem(problem)  # refuses numbers that overflow, changing nothing
        except ProblemError as error:
            self.message.emit(str(error), True)
            return False
        self.undo_available.emit(True)
        self.problem_changed.emit()
        self.edited.emit()
        self.message.emit(
            _("New problem: the history starts again from the weights shown."), False
        )
        return True

    def set_input(self, index: int, value: float) -> bool:
        """Edit the first data row's input ``index`` (the spin boxes show that row)."""
        if not 0 <= index < self.problem.input_count:
            return False  # a box of an input this problem no longer has, committing as it hides
        inputs = np.array(self.problem.inputs)
        inputs[0, index] = value
        return self._change_problem(inputs=inputs)

    def set_target(self, value: float) -> bool:
        targets = np.array(self.problem.targets)
        targets[0] = value
        return self._change_problem(targets=targets)

    def set_input_count(self, count: int) -> bool:
        if not 1 <= count <= TYPED_INPUTS_MAX:
            self.message.emit(
                _("Choose between 1 and {most} inputs.").format(most=TYPED_INPUTS_MAX), True
            )
            return False
        old = self.problem.inputs
        inputs = np.ones((old.shape[0], count))
        kept = min(count, old.shape[1])
        inputs[:, :kept] = old[:, :kept]
        return self._change_problem(inputs=inputs)

    def set_learning_rate(self, value: float) -> bool:
        """A new rate continues the history: the same problem, different steps from here on."""
        try:
            dropped = self._run.set_learning_rate(value)
        except ProblemError as error:
            self.message.emit(str(error), True)
            return False
        self._said_dropped(dropped)
        self.stepped.emit()
        self.edited.emit()
        self.message.emit(
            _("Learning rate {rate} from iteration {iteration} on.").format(
                rate=format_number(value), iteration=self.iteration
            ),
            False,
        )
        return True

    def set_weight(self, index: int, value: float) -> bool:
        """Move one weight by hand: the history goes on from the new value."""
        if not 0 <= index < self.problem.weight_count:
            return False  # a box of a weight this problem no longer has, committing as it hides
        try:
            dropped = self._run.set_weight(index, value)
        except ProblemError as error:
            self.message.emit(str(error), True)
            return False
        self.pause()
        self._said_dropped(dropped)
        self.stepped.emit()
        self.edited.emit()
        self.message.emit(
            _(
                "Weight {number} moved by hand to {value}: the history goes on from "
                "iteration {iteration}."
            ).format(number=index + 1, value=format_number(value), iteration=self.iteration),
            False,
        )
        return True

    def set_speed_index(self, index: int) -> None:
        index = max(0, min(len(SPEEDS) - 1, index))
        if index != self._speed_index:
            self._speed_index = index
            if self.is_running:
                self._start_timer()
            self.speed_changed.emit(index)

    # ----------------------------------------------------------------- stepping
    def step(self) -> bool:
        """One update, as the Step button does it; the status line then says where the run is
        (unless the step had a warning or good news to give)."""
        dropped = self._run.continue_from_shown()
        self._said_dropped(dropped)
        before = self._run.current.loss
        self._said_why = dropped is not None  # "going on from …, Undo brings them back" stays
        if self._advance(1) == 0:
            return False
        self.stepped.emit()
        if not self._said_why:
            self.message.emit(self.present_state(before), False)
        return True

    def present_state(self, loss_before: float) -> str:
        """Where the run is after a step from a loss of ``loss_before``."""
        after = self._run.current.loss
        names = {
            "iteration": self.iteration,
            "before": format_number(loss_before),
            "after": format_number(after),
        }
        if format_number(after) == format_number(loss_before):
            return _(LOSS_STAYED).format(**names)
        return _(LOSS_WENT_DOWN if after < loss_before else LOSS_WENT_UP).format(**names)

    def refuse_input(self, sentence: str) -> None:
        """A box refused what was typed (out of its range): say why; nothing changes."""
        self.message.emit(sentence, True)

    def run(self) -> None:
        if self.is_running:
            return
        self._continue_from_shown()
        if self._run.is_full:
            self.message.emit(self._run.stop_sentence(StopReason.HISTORY_FULL), True)
            return
        self._start_timer()
        self.running_changed.emit(True)
        self.message.emit(_("Running…"), False)

    def pause(self) -> None:
        if self.is_running:
            self._timer.stop()
            self.running_changed.emit(False)

    def toggle_run(self) -> None:
        if self.is_running:
            self.pause()
            self.message.emit(
                _("Paused at iteration {iteration}.").format(iteration=self.iteration), False
            )
        else:
            self.run()

    def reset(self) -> None:
        """Back to the values typed, history cleared."""
        self.pause()
        if self._run.reset():
            self.undo_available.emit(True)
        self.reset_done.emit()
        self.message.emit(_("Reset to the values typed."), False)

    def load(
        self,
        inputs,
        targets,
        weights,
        learning_rate: float,
        hidden_count: int = 0,
        activation: str = "identity",
    ) -> bool:
        """Set every value at once: a new problem from the given weights."""
        try:
            problem = Problem.create(
                inputs, np.atleast_1d(targets), learning_rate, hidden_count, activation
            )
        except ProblemError as error:
            self.message.emit(str(error), True)
            return False
        return self.load_problem(problem, weights)

    def load_problem(self, problem: Problem, weights) -> bool:
        """A ready-made problem (a preset) from the given weights: what a lesson file would
        save has changed."""
        if not self.load_run(problem, weights):
            return False
        self.edited.emit()
        return True

    def _advance(self, count: int, deadline: float | None = None) -> int:
        """Take up to ``count`` steps (or until ``deadline``) by the run's loop; say why if it
        had to stop early. A running run halts where it diverges; a Step only warns."""
        result = self._run.advance(count, deadline, halt_when_diverging=self.is_running)
        if result.stopped is not None:
            self.pause()
            self._said_why = True
            sentence = self._run.stop_sentence(result.stopped)
            if result.stopped is StopReason.CONVERGED:
                self.good_news.emit(sentence)
            else:
                self.message.emit(sentence, True)
        elif result.diverging:
            self._said_why = True
            self.message.emit(self._run.stop_sentence(StopReason.DIVERGING), True)
        return result.steps

    # ----------------------------------------------------------------- the run timer
    def _start_timer(self) -> None:
        speed = self.steps_per_second
        interval = FRAME_SECONDS if speed is None else max(FRAME_SECONDS, 1 / speed)
        self._run_started = time.perf_counter()
        self._run_steps_done = 0
        self._drawing_times.clear()
        self._step_budget = FULL_SPEED_BUDGET_SECONDS
        self._timer.start(FRAME_INTERVAL_MS if speed is None else round(interval * 1000))

    def _frame_drawn(self) -> None:
        """Runs once the window has redrawn the frame: posted repaints go before a 0 ms timer."""
        if self.is_running:
            self.record_drawing(time.perf_counter() - self._steps_ended)

    def record_drawing(self, seconds: float) -> None:
        """One frame's drawing time; the stepping budget becomes what drawing leaves."""
        self._drawing_times.append(min(seconds, 2 * FRAME_SECONDS))  # one stall is one sample
        drawing = statistics.median(self._drawing_times)  # np.median costs 10 times as much
        left = FRAME_INTERVAL_MS / 1000 - drawing - FRAME_MARGIN_SECONDS
        self._step_budget = min(MAX_STEP_SECONDS, max(MIN_STEP_SECONDS, left))

    @property
    def step_budget(self) -> float:
        """Seconds a frame at full speed spends stepping, as the run has measured it."""
        return self._step_budget

    def _on_timer(self) -> None:
        speed = self.steps_per_second
        now = time.perf_counter()
        if speed is None:
            taken = self._advance(1_000_000, deadline=now + self._step_budget)
            self._steps_ended = time.perf_counter()
        else:
            due = round((now - self._run_started) * speed) - self._run_steps_done
            taken = self._advance(max(0, due))
            self._run_steps_done += taken
        if taken:
            self.stepped.emit()
            if speed is None:
                QTimer.singleShot(0, self._frame_drawn)
