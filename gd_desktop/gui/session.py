"""The Qt-side owner of the lesson's state: the problem, the current weights and the history.

Widgets call the slots here and render what the signals say; no widget computes a step.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal

from gd_desktop.core import engine
from gd_desktop.core.engine import Evaluation, History, Problem, ProblemError
from gd_desktop.core.limits import (
    DEFAULT_INPUTS,
    DEFAULT_LEARNING_RATE,
    DEFAULT_SPEED_INDEX,
    DEFAULT_TARGET,
    DEFAULT_WEIGHTS,
    HISTORY_BYTES,
    MAX_HISTORY,
    SPEEDS,
    TYPED_INPUTS_MAX,
)
from gd_desktop.core.numbers import format_number

FRAME_SECONDS = 1 / 60
# At full speed the timer fires every FRAME_INTERVAL_MS; each frame steps for a budget, then
# lets the window draw. The budget is what drawing leaves of the interval: drawing is timed
# at every frame (from the end of the steps to the end of the repaint) and its median over the
# last DRAWING_SAMPLES frames is used, so the dearer frames that also show the numbers or the
# text panels (a few each tenth of a second) do not set it. Where drawing alone takes the
# whole interval, no budget keeps the rate, and the engine keeps its smallest share.
FRAME_INTERVAL_MS = 16  # 62.5 frames a second at most; 17 ms would be 58.8
FULL_SPEED_BUDGET_SECONDS = 0.004  # before any frame has been timed
MIN_STEP_SECONDS = 0.002  # a couple of hundred steps of a small problem
MAX_STEP_SECONDS = 0.012
FRAME_MARGIN_SECONDS = 0.001
DRAWING_SAMPLES = 9
# Steps the engine takes between looks at the clock: fewer when a step touches many numbers
# (10⁵ rows × 10 inputs), so that a run at full speed still repaints every frame.
CHUNK = 128
NUMBERS_PER_CHUNK = 400_000


def fit_weights(old: Problem, weights: np.ndarray, new: Problem) -> np.ndarray:
    """Carry weights over to a problem of another shape: every weight that still exists keeps
    its value; a new hidden weight starts from a small fixed pseudo-random value (the same every
    time, and never all equal, so that hidden nodes can learn different things)."""
    out = np.zeros(new.weight_count)
    if new.hidden_count == 0 and old.hidden_count == 0:
        kept = min(new.weight_count, weights.shape[0])
        out[:kept] = weights[:kept]
        return out
    out[:] = np.round(np.random.default_rng(20260).uniform(-1.0, 1.0, new.weight_count), 2)
    if new.hidden_count == 0:  # the hidden layer was removed: the output weights start afresh
        return out
    if old.hidden_count:
        nodes = min(old.hidden_count, new.hidden_count)
        columns = min(old.input_count, new.input_count)
        out[:nodes] = weights[:nodes]
        new_hidden = out[new.hidden_count :].reshape(new.hidden_count, new.input_count)
        new_hidden[:nodes, :columns] = old.hidden_weights(weights)[:nodes, :columns]
    return out


@dataclass(frozen=True)
class _Snapshot:
    problem: Problem
    typed_weights: np.ndarray
    history: History


class Session(QObject):
    """Owns one lesson run and says what happened, as past events."""

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
    #: A sentence for the status line, and whether it is a warning.
    message = Signal(str, bool)
    speed_changed = Signal(int)
    #: The user changed what a lesson file would save (data, network, rate, typed weights).
    edited = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._problem = Problem.create(DEFAULT_INPUTS, [DEFAULT_TARGET], DEFAULT_LEARNING_RATE)
        self._typed_weights = np.array(DEFAULT_WEIGHTS, dtype=float)
        self._current: Evaluation = engine.evaluate(self._problem, self._typed_weights)
        self._history = History(self._problem.weight_count, self._problem.row_count)
        self._history.append(self._current, self._problem.learning_rate)
        self._critical_rate = engine.critical_learning_rate(self._problem)
        self._speed_index = DEFAULT_SPEED_INDEX
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # frames at an even pace
        self._timer.timeout.connect(self._on_timer)
        self._step_budget = FULL_SPEED_BUDGET_SECONDS
        self._drawing_times: deque[float] = deque(maxlen=DRAWING_SAMPLES)
        self._steps_ended = 0.0  # when the last full-speed frame finished stepping
        self._run_started = 0.0
        self._run_steps_done = 0
        self._shown_index: int | None = None  # None: the newest iteration
        self._shown_cache: tuple[int, Evaluation] | None = None
        self._undo: _Snapshot | None = None

    # ----------------------------------------------------------------- reading the state
    @property
    def problem(self) -> Problem:
        return self._problem

    @property
    def current(self) -> Evaluation:
        return self._current

    @property
    def history(self) -> History:
        return self._history

    @property
    def iteration(self) -> int:
        return len(self._history) - 1

    @property
    def typed_weights(self) -> np.ndarray:
        """The weights Reset goes back to (as typed, or as a lesson or preset set them)."""
        return self._typed_weights.copy()

    def load_run(self, problem: Problem, weights, history=None) -> bool:
        """Take a saved lesson: its problem, its starting weights and, if kept, its run.

        A saved run is recomputed from its weights (the engine's numbers, never the file's);
        an iteration that is not the step from the one before is marked as moved by hand.
        """
        try:
            start = problem.check_weights(weights)
        except ProblemError as error:
            self.message.emit(str(error), True)
            return False
        self.pause()
        self._remember_for_undo()
        self._problem = problem
        self._typed_weights = start
        self._critical_rate = engine.critical_learning_rate(problem)
        if history is None or len(history) == 0:
            self._restart_history(start)
        else:
            self._restart_history(np.asarray(history[0], dtype=float))
            for weights_k in np.asarray(history, dtype=float)[1:]:
                step = engine.descend(problem, self._current, 1, first_step=self.iteration)
                expected = step.weights[0] if len(step) else self._current.weights
                evaluation = engine.evaluate(problem, weights_k)
                moved = not np.array_equal(expected, weights_k)
                self._history.append(evaluation, problem.learning_rate, moved_by_hand=moved)
                self._current = evaluation
        self.problem_changed.emit()
        return True

    @property
    def history_limit(self) -> int:
        """Iterations a run may keep: a million, or fewer for records of many weights."""
        problem = self._problem
        record = 8 * (2 * problem.weight_count + min(problem.row_count, 16) + 4)
        return max(1000, min(MAX_HISTORY, HISTORY_BYTES // record))

    @property
    def critical_learning_rate(self) -> float | None:
        return self._critical_rate

    @property
    def is_running(self) -> bool:
        return self._timer.isActive()

    @property
    def speed_index(self) -> int:
        return self._speed_index

    @property
    def steps_per_second(self) -> float | None:
        return SPEEDS[self._speed_index]

    @property
    def next_weights(self) -> np.ndarray:
        return engine.next_weights(self.shown_problem, self.shown)

    @property
    def shown_index(self) -> int:
        """The iteration every view shows: the newest, unless the user stepped back."""
        return self.iteration if self._shown_index is None else self._shown_index

    @property
    def is_showing_latest(self) -> bool:
        return self._shown_index is None

    @property
    def shown(self) -> Evaluation:
        if self._shown_index is None:
            return self._current
        index = self._shown_index
        if self._shown_cache is None or self._shown_cache[0] != index:
            self._shown_cache = (index, self._history.evaluation(index, self._problem))
        return self._shown_cache[1]

    @property
    def shown_problem(self) -> Problem:
        """The problem with the learning rate of the step taken from the shown iteration."""
        index = self.shown_index
        if index < self.iteration and not self._history.moved_by_hand[index + 1]:
            rate = float(self._history.learning_rates[index + 1])
            if rate != self._problem.learning_rate:
                return self._problem.with_learning_rate(rate)
        return self._problem

    @property
    def can_undo(self) -> bool:
        return self._undo is not None

    # ----------------------------------------------------------------- walking the history
    def show_iteration(self, index: int) -> None:
        index = max(0, min(self.iteration, int(index)))
        new = None if index == self.iteration else index
        if new != self._shown_index:
            self.pause()
            self._shown_index = new
            self.shown_changed.emit(index)

    def back(self) -> None:
        self.show_iteration(self.shown_index - 1)

    def forward(self) -> None:
        self.show_iteration(self.shown_index + 1)

    def undo(self) -> None:
        """Put back the history (and problem) as it was before the last destructive change."""
        if self._undo is None:
            self.message.emit("Nothing to undo.", False)
            return
        self.pause()
        snapshot, self._undo = self._undo, None
        self._problem = snapshot.problem
        self._typed_weights = snapshot.typed_weights
        self._history = snapshot.history
        self._critical_rate = engine.critical_learning_rate(self._problem)
        self._current = self._history.evaluation(len(self._history) - 1, self._problem)
        self._shown_index = None
        self._shown_cache = None
        self.history_replaced.emit()
        self.undo_available.emit(False)
        self.message.emit(f"Undone: back to {len(self._history) - 1} iteration(s).", False)

    def _remember_for_undo(self) -> None:
        self._undo = _Snapshot(self._problem, self._typed_weights.copy(), self._history.copy())
        self.undo_available.emit(True)

    def _continue_from_shown(self) -> None:
        """Before a change while looking back: drop the later history, keeping it for Undo."""
        if self._shown_index is None:
            return
        index = self._shown_index
        dropped = self.iteration - index
        self._remember_for_undo()
        rate_problem = self.shown_problem
        self._current = self.shown
        self._history.truncate(index + 1)
        self._problem = rate_problem
        self._shown_index = None
        self._shown_cache = None
        self.history_replaced.emit()
        self.message.emit(
            f"Going on from iteration {index}: the {dropped} later iteration(s) were dropped "
            "(Undo brings them back).",
            False,
        )

    # ----------------------------------------------------------------- changing the problem
    def set_problem(self, inputs, target: float, learning_rate: float | None = None) -> bool:
        """One data row: a new history, from the weights shown now (padded or cut)."""
        return self._change_problem(inputs, [target], learning_rate=learning_rate)

    def set_data(self, inputs, targets) -> bool:
        """A new data set (rows of inputs and targets): the history starts again."""
        return self._change_problem(inputs, targets)

    def set_batch(self, batch_size: int, seed: int) -> bool:
        """Stochastic / mini-batch descent (``batch_size`` rows a step, 0: every row)."""
        return self._change_problem(
            self._problem.inputs, self._problem.targets, batch_size=batch_size, seed=seed
        )

    def set_network(self, hidden_count: int, activation: str) -> bool:
        """A hidden layer of ``hidden_count`` nodes (0: none) with ``activation``."""
        return self._change_problem(
            self._problem.inputs,
            self._problem.targets,
            hidden_count=hidden_count,
            activation=activation,
        )

    def _change_problem(
        self,
        inputs,
        targets,
        learning_rate: float | None = None,
        hidden_count: int | None = None,
        activation: str | None = None,
        batch_size: int | None = None,
        seed: int | None = None,
    ) -> bool:
        """Start a new history for a new problem, from the weights shown now (fitted to it)."""
        old = self._problem
        try:
            problem = Problem.create(
                inputs,
                targets,
                old.learning_rate if learning_rate is None else learning_rate,
                old.hidden_count if hidden_count is None else hidden_count,
                old.activation if activation is None else activation,
                old.batch_size if batch_size is None else batch_size,
                old.seed if seed is None else seed,
            )
        except ProblemError as error:
            self.message.emit(str(error), True)
            return False
        weights = fit_weights(old, self.shown.weights, problem)
        typed = fit_weights(old, self._typed_weights, problem)
        self.pause()
        self._remember_for_undo()
        self._problem = problem
        self._typed_weights = typed
        self._critical_rate = engine.critical_learning_rate(problem)
        self._restart_history(weights)
        self.problem_changed.emit()
        self.edited.emit()
        self.message.emit("New problem: the history starts again from the weights shown.", False)
        return True

    def set_input(self, index: int, value: float) -> bool:
        """Edit the first data row's input ``index`` (the spin boxes show that row)."""
        inputs = np.array(self._problem.inputs)
        inputs[0, index] = value
        return self._change_problem(inputs, self._problem.targets)

    def set_target(self, value: float) -> bool:
        targets = np.array(self._problem.targets)
        targets[0] = value
        return self._change_problem(self._problem.inputs, targets)

    def set_input_count(self, count: int) -> bool:
        if not 1 <= count <= TYPED_INPUTS_MAX:
            self.message.emit(f"Choose between 1 and {TYPED_INPUTS_MAX} inputs.", True)
            return False
        old = self._problem.inputs
        inputs = np.ones((old.shape[0], count))
        kept = min(count, old.shape[1])
        inputs[:, :kept] = old[:, :kept]
        return self._change_problem(inputs, self._problem.targets)

    def set_learning_rate(self, value: float) -> bool:
        """A new rate continues the history: the same problem, different steps from here on."""
        try:
            problem = self._problem.with_learning_rate(value)
        except ProblemError as error:
            self.message.emit(str(error), True)
            return False
        self._continue_from_shown()
        self._problem = problem
        self.stepped.emit()
        self.edited.emit()
        self.message.emit(
            f"Learning rate {format_number(value)} from iteration {self.iteration} on.", False
        )
        return True

    def set_weight(self, index: int, value: float) -> bool:
        """Move one weight by hand: the history goes on from the new value."""
        if not math.isfinite(value):
            self.message.emit("A weight must be an ordinary number.", True)
            return False
        weights = np.array(self.shown.weights)
        weights[index] = value
        evaluation = engine.evaluate(self._problem, weights)
        if not evaluation.is_finite:
            self.message.emit("That weight makes the numbers too big to compute.", True)
            return False
        self.pause()
        self._continue_from_shown()
        self._typed_weights = np.array(self._typed_weights)
        self._typed_weights[index] = value
        self._current = evaluation
        self._history.append(evaluation, self._problem.learning_rate, moved_by_hand=True)
        self.stepped.emit()
        self.edited.emit()
        self.message.emit(
            f"Weight {index + 1} moved by hand to {format_number(value)}: "
            f"the history goes on from iteration {self.iteration}.",
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
        """One update, as the Step button does it."""
        self._continue_from_shown()
        if self._advance(1) == 0:
            return False
        self.stepped.emit()
        return True

    def run(self) -> None:
        if self.is_running:
            return
        self._continue_from_shown()
        if self._stop_reason() is not None:
            self.message.emit(self._stop_reason(), True)
            return
        self._start_timer()
        self.running_changed.emit(True)
        self.message.emit("Running…", False)

    def pause(self) -> None:
        if self.is_running:
            self._timer.stop()
            self.running_changed.emit(False)

    def toggle_run(self) -> None:
        if self.is_running:
            self.pause()
            self.message.emit(f"Paused at iteration {self.iteration}.", False)
        else:
            self.run()

    def reset(self) -> None:
        """Back to the values typed, history cleared."""
        self.pause()
        if len(self._history) > 1:
            self._remember_for_undo()
        self._restart_history(self._typed_weights)
        self.reset_done.emit()
        self.message.emit("Reset to the values typed.", False)

    def load(
        self,
        inputs,
        targets,
        weights,
        learning_rate: float,
        hidden_count: int = 0,
        activation: str = "identity",
    ) -> bool:
        """Set every value at once (a preset): a new problem from the given weights."""
        try:
            problem = Problem.create(
                inputs, np.atleast_1d(targets), learning_rate, hidden_count, activation
            )
        except ProblemError as error:
            self.message.emit(str(error), True)
            return False
        if not self.load_run(problem, weights):
            return False
        self.edited.emit()
        return True

    def _restart_history(self, weights: np.ndarray) -> None:
        self._shown_index = None
        self._shown_cache = None
        self._current = engine.evaluate(self._problem, np.array(weights, dtype=float))
        self._history = History(self._problem.weight_count, self._problem.row_count)
        self._history.append(self._current, self._problem.learning_rate)

    def _stop_reason(self) -> str | None:
        if len(self._history) >= self.history_limit:
            return (
                f"The history is full ({self.history_limit:,} iterations): "
                "press Reset to start again."
            )
        return None

    def _advance(self, count: int, deadline: float | None = None) -> int:
        """Take up to ``count`` steps (or until ``deadline``); say why if it had to stop early.

        Steps are taken in chunks by the engine's tight loop and appended in bulk; a run that
        diverges stops at the step where the loss has grown three times in a row.
        """
        problem = self._problem
        done = 0
        work = problem.row_count * max(problem.weight_count, problem.input_count)
        most_per_chunk = max(1, min(CHUNK, NUMBERS_PER_CHUNK // work))
        while done < count:
            reason = self._stop_reason()
            if reason is not None:
                self._halt(reason)
                break
            room = self.history_limit - len(self._history)
            chunk_started = time.perf_counter()
            descent = engine.descend(
                problem,
                self._current,
                min(count - done, most_per_chunk, room),
                first_step=self.iteration,
            )
            taken = len(descent)
            diverged = False
            if taken and self.is_running:
                before = len(self._history)
                earlier = self._history.losses[max(0, before - 3) :]
                at = engine.growth_detected_at(np.concatenate([earlier, descent.losses]))
                if at is not None:
                    taken = at - earlier.shape[0] + 1
                    diverged = True
            if taken:
                kept = engine.Descent(
                    descent.weights[:taken],
                    descent.gradients[:taken],
                    descent.errors[:taken],
                    descent.losses[:taken],
                    None,
                    None if descent.batch_losses is None else descent.batch_losses[:taken],
                )
                self._history.extend(kept, problem.learning_rate)
                self._current = engine.evaluate(problem, kept.weights[-1])
                done += taken
            if diverged:
                self._halt(self._diverging_text())
                break
            if descent.stopped == engine.STOP_OVERFLOW:
                self._halt(
                    "The numbers have grown too big to compute: the learning rate is too big. "
                    "Lower it or press Reset."
                )
                break
            if descent.stopped == engine.STOP_CONVERGED:
                self._halt(
                    f"Converged at iteration {self.iteration}: "
                    "a step no longer changes the weights."
                )
                break
            if not self.is_running and engine.loss_is_growing(self._history.losses[-4:]):
                self.message.emit(self._diverging_text(), True)
            if deadline is not None:
                now = time.perf_counter()
                if now + (now - chunk_started) > deadline:  # the next chunk would overrun it
                    break
        return done

    def _diverging_text(self) -> str:
        return (
            "The error grows each step: the learning rate is too big "
            f"(it diverges above {format_number(self._critical_rate)})."
        )

    def _halt(self, reason: str) -> None:
        self.pause()
        self.message.emit(reason, True)

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
        drawing = float(np.median(self._drawing_times))
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
