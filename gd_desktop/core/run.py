"""One run of gradient descent and the one loop every caller steps it with. No Qt.

A :class:`Run` owns the problem, the weights Reset returns to, the :class:`History`, the
iteration on view (stepping back and forward) and one Undo snapshot. The window's session, the
comparison of learning rates and ``gd-desktop trace`` (with a lesson's headless replay) all step
through :meth:`Run.advance`, so one rule says when a run stops and why:

- OVERFLOW: the next step is not finite; the run keeps its last finite state.
- DIVERGING: the loss has grown at each of the last three steps.
- CONVERGED: a step changed no weight (with mini-batches: only at a loss of 0).
- HISTORY_FULL: the run keeps no more iterations (:attr:`Run.history_limit`).

Who halts on DIVERGING: a *running* run, in the window and in the comparison alike (the other
compared runs go on); a single Step, or catching a compared run up with the others, only warns
(the window's status line, the comparison's "diverging"). ``trace`` never halts there, nor at
CONVERGED: it goes on to the steps asked for or to an overflow, so that its output (``diverged_at``
is the first step that is not finite) stays what it always was.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from enum import Enum

import numpy as np

from gd_desktop.core import engine
from gd_desktop.core.engine import Evaluation, History, Problem, ProblemError, Trace
from gd_desktop.core.i18n import N_, _, grouped
from gd_desktop.core.limits import HISTORY_BYTES, MAX_HISTORY
from gd_desktop.core.numbers import format_number

# Steps the engine takes between looks at the clock: fewer when a step touches many numbers
# (10⁵ rows × 10 inputs), so that a run at full speed still repaints every frame; more when it
# touches very few (the chapter's example: 512, a quarter of a millisecond, some 0.7 ms between
# a window's repaints), since each chunk costs as much again as a hundred of its steps (arrays
# made, checked, appended), yet a frame's few milliseconds must hold several.
CHUNK = 128
NUMBERS_PER_CHUNK = 400_000
LONGEST_CHUNK = 512
FEW_NUMBERS_PER_CHUNK = 4096
# Without a deadline (trace, a lesson's replay) no frame waits: longer chunks spare the
# per-chunk work (an evaluation, the arrays, the checks), about half of a small step's cost.
UNTIMED_CHUNK = 4096


class StopReason(Enum):
    """Why a run stopped before the steps asked for (the values are ids, never shown)."""

    OVERFLOW = "overflow"
    DIVERGING = "diverging"
    CONVERGED = "converged"
    HISTORY_FULL = "history_full"


# The sentence for the user, per reason, in English (translated where it is said).
STOP_SENTENCES = {
    StopReason.OVERFLOW: N_(
        "The numbers have grown too big to compute: the learning rate is too big. "
        "Lower it or press Reset."
    ),
    StopReason.DIVERGING: N_(
        "The error grows each step: the learning rate is too big "
        "(it diverges above {critical_rate})."
    ),
    StopReason.CONVERGED: N_(
        "Converged at iteration {iteration}: a step no longer changes the weights."
    ),
    StopReason.HISTORY_FULL: N_(
        "The history is full ({limit} iterations): press Reset to start again."
    ),
}
# A hidden layer has no single critical rate to name.
DIVERGING_WITHOUT_CRITICAL_RATE = N_("The error grows each step: the learning rate is too big.")
# A run never holds a state that is not finite: a problem that would start with one is refused.
START_TOO_LARGE = N_(
    "These numbers are too large to compute: the prediction or the loss overflows. "
    "Use smaller numbers."
)


@dataclass(frozen=True)
class Advance:
    """What one :meth:`Run.advance` did."""

    steps: int
    #: Why it halted before ``count`` steps (None: all taken, or the deadline came).
    stopped: StopReason | None
    #: The loss grew at each of the last three steps but the caller asked not to halt there.
    diverging: bool = False


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


class Run:
    """One run: its problem, the weights typed, its history, the iteration on view and Undo."""

    def __init__(self, problem: Problem, weights, history_limit: int | None = None):
        self._problem = problem
        self._typed_weights = problem.check_weights(weights)
        _finite_start(problem, self._typed_weights)
        self._fixed_limit = history_limit
        self._critical_rate = engine.critical_learning_rate(problem)
        self._undo: _Snapshot | None = None
        #: Why the last advance halted; None again once the history changes another way.
        self.stopped: StopReason | None = None
        self._restart_history(self._typed_weights)

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

    @property
    def history_limit(self) -> int:
        """Iterations a run may keep: a million, or fewer for records of many weights."""
        if self._fixed_limit is not None:
            return self._fixed_limit
        problem = self._problem
        per_weight = 2 + problem.state_slots  # weights, slopes and the optimizer's buffers
        record = 8 * (per_weight * problem.weight_count + min(problem.row_count, 16) + 6)
        return max(1000, min(MAX_HISTORY, HISTORY_BYTES // record))

    @property
    def is_full(self) -> bool:
        return len(self._history) >= self.history_limit

    @property
    def critical_learning_rate(self) -> float | None:
        return self._critical_rate

    @property
    def shown_index(self) -> int:
        """The iteration on view: the newest, unless the user stepped back."""
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
        """The problem with the learning rate of the step taken from the shown iteration (the
        problem's own rate then: a schedule works out the rate in force from it)."""
        index = self.shown_index
        if index < self.iteration and not self._history.moved_by_hand[index + 1]:
            rate = float(self._history.base_rates[index + 1])
            if rate != self._problem.learning_rate:
                return self._problem.with_learning_rate(rate)
        return self._problem

    @property
    def shown_state(self) -> engine.OptimizerState:
        """The optimizer's state at the iteration on view (its step number and buffers)."""
        return self._history.state(self.shown_index)

    @property
    def next_weights(self) -> np.ndarray:
        return engine.next_weights(self.shown_problem, self.shown, self.shown_state)

    @property
    def can_undo(self) -> bool:
        return self._undo is not None

    def stop_sentence(self, reason: StopReason) -> str:
        """The sentence that tells the user why the run stopped (or, DIVERGING, that it may)."""
        if reason is StopReason.DIVERGING and self._critical_rate is None:
            return _(DIVERGING_WITHOUT_CRITICAL_RATE)
        return _(STOP_SENTENCES[reason]).format(
            iteration=self.iteration,
            limit=grouped(self.history_limit),
            critical_rate=format_number(self._critical_rate),
        )

    # ----------------------------------------------------------------- walking the history
    def clamp_iteration(self, index: int) -> int:
        return max(0, min(self.iteration, int(index)))

    def show_iteration(self, index: int) -> bool:
        """Put iteration ``index`` (clamped) on view; False when it already was."""
        index = self.clamp_iteration(index)
        new = None if index == self.iteration else index
        if new == self._shown_index:
            return False
        self._shown_index = new
        return True

    def continue_from_shown(self) -> int | None:
        """Before a change while looking back: drop the later history, keeping it for Undo.

        Returns how many iterations were dropped, or None when the newest was on view.
        """
        if self._shown_index is None:
            return None
        index = self._shown_index
        dropped = self.iteration - index
        self._remember_for_undo()
        rate_problem = self.shown_problem
        self._current = self.shown
        self._history.truncate(index + 1)
        self._problem = rate_problem
        self._shown_index = None
        self._shown_cache = None
        self.stopped = None
        return dropped

    def undo(self) -> bool:
        """Put back the history (and problem) as it was before the last destructive change."""
        if self._undo is None:
            return False
        snapshot, self._undo = self._undo, None
        self._problem = snapshot.problem
        self._typed_weights = snapshot.typed_weights
        self._history = snapshot.history
        self._critical_rate = engine.critical_learning_rate(self._problem)
        self._current = self._history.evaluation(len(self._history) - 1, self._problem)
        self._shown_index = None
        self._shown_cache = None
        self.stopped = None
        return True

    def _remember_for_undo(self) -> None:
        self._undo = _Snapshot(self._problem, self._typed_weights.copy(), self._history.copy())

    # ----------------------------------------------------------------- changing the run
    def set_problem(self, problem: Problem) -> None:
        """A new problem: a new history from the weights on view, fitted to its shape.

        Raises :class:`ProblemError` (changing nothing) when its numbers overflow from there.
        """
        weights = fit_weights(self._problem, self.shown.weights, problem)
        _finite_start(problem, weights)
        typed = fit_weights(self._problem, self._typed_weights, problem)
        if not engine.evaluate(problem, typed).is_finite:  # Reset must land on finite numbers
            typed = weights
        self._remember_for_undo()
        self._problem = problem
        self._typed_weights = typed
        self._critical_rate = engine.critical_learning_rate(problem)
        self._restart_history(weights)

    def set_learning_rate(self, value: float) -> int | None:
        """A new rate continues the history from the iteration on view (see
        :meth:`continue_from_shown` for what is returned); a bad rate raises, changing nothing."""
        self._problem.with_learning_rate(value)  # checks it before anything changes
        dropped = self.continue_from_shown()
        self._problem = self._problem.with_learning_rate(value)
        self.stopped = None
        return dropped

    def set_weight(self, index: int, value: float) -> int | None:
        """Move one weight by hand: the history goes on from the new value.

        Raises :class:`ProblemError` (changing nothing) for a value the engine cannot use.
        """
        if not math.isfinite(value):
            raise ProblemError(_("A weight must be an ordinary number."))
        weights = np.array(self.shown.weights)
        weights[index] = value
        evaluation = engine.evaluate(self._problem, weights)
        if not evaluation.is_finite:
            raise ProblemError(_("That weight makes the numbers too big to compute."))
        dropped = self.continue_from_shown()
        typed = np.array(self._typed_weights)
        typed[index] = value
        # Reset must land on finite numbers: typed weights that overflow give way to these.
        self._typed_weights = typed if engine.evaluate(self._problem, typed).is_finite else weights
        self._current = evaluation
        # A weight moved by hand keeps the optimizer's state as it was (as torch.optim does).
        state = self._history.state(self.iteration)
        self._history.append(
            evaluation, self._problem.learning_rate, moved_by_hand=True, state=state
        )
        self.stopped = None
        return dropped

    def reset(self) -> bool:
        """Back to the weights typed, history cleared; True when Undo can bring it back."""
        kept = len(self._history) > 1
        if kept:
            self._remember_for_undo()
        self._restart_history(self._typed_weights)
        return kept

    def load(self, problem: Problem, weights, history=None, rates=None, moved=()) -> None:
        """Take a saved lesson: its problem, its starting weights and, if kept, its run.

        A saved run is recomputed from its weights (the engine's numbers, never the file's):
        each step at its own learning rate (``rates``, one per iteration: the problem's then;
        the problem's own when not given), so the optimizer's state is exactly what it was; the
        iterations in ``moved``, and any that is not the step from the one before, are marked
        as moved by hand (the optimizer's state stays as it was).
        Raises :class:`ProblemError` (changing nothing) for weights that do not fit or whose
        numbers overflow; a saved run is kept up to its last finite iteration.
        """
        start = problem.check_weights(weights)
        _finite_start(problem, start)
        saved = None if history is None else np.asarray(history, dtype=float)
        if saved is not None and len(saved):
            _finite_start(problem, saved[0])
        self._remember_for_undo()
        self._problem = problem
        self._typed_weights = start
        self._critical_rate = engine.critical_learning_rate(problem)
        if saved is None or len(saved) == 0:
            self._restart_history(start)
            return
        if rates is None:
            rates = np.full(len(saved), problem.learning_rate)
        by_hand = set(moved)
        problems = {problem.learning_rate: problem}  # one per rate (each compiles its loop)
        self._restart_history(saved[0], float(rates[0]))
        for index in range(1, len(saved)):
            weights_k, rate = saved[index], float(rates[index])
            if rate not in problems:
                problems[rate] = problem.with_learning_rate(rate)
            state = self._history.state(self.iteration)
            evaluation = engine.evaluate(problem, weights_k)
            if not evaluation.is_finite:  # the run stops at its last finite state
                self.stopped = StopReason.OVERFLOW
                return
            step = None
            if index not in by_hand:
                step = engine.descend(
                    problems[rate], self._current, 1, first_step=self.iteration, state=state
                )
                expected = step.weights[0] if len(step) else self._current.weights
                if not np.array_equal(expected, weights_k):
                    step = None
            if step is None:  # a move by hand: the optimizer's state stays as it was
                self._history.append(evaluation, rate, moved_by_hand=True, state=state)
            else:
                self._history.append(
                    evaluation, float(step.rates[0]), state=step.state(0), base_rate=rate
                )
            self._current = evaluation

    def _restart_history(self, weights: np.ndarray, rate: float | None = None) -> None:
        self._shown_index: int | None = None
        self._shown_cache: tuple[int, Evaluation] | None = None
        self._current = engine.evaluate(self._problem, np.array(weights, dtype=float))
        self._history = History(
            self._problem.weight_count,
            self._problem.row_count,
            state_slots=self._problem.state_slots,
        )
        rate = self._problem.learning_rate if rate is None else rate
        self._history.append(self._current, rate)
        self.stopped = None

    # ----------------------------------------------------------------- the one run loop
    def _noise_floor(self) -> float:
        """The loss below which a rise is rounding noise: a tiny share of the run's first."""
        first = float(self._history.losses[0]) if len(self._history) else 0.0
        return engine.NOISE_LOSS * first if math.isfinite(first) else 0.0

    def advance(
        self,
        count: int,
        deadline: float | None = None,
        halt_when_diverging: bool = True,
        halt_when_converged: bool = True,
    ) -> Advance:
        """Take up to ``count`` steps (or until ``deadline``, a ``time.perf_counter`` time).

        Steps are taken in chunks by the engine's tight loop and appended in bulk; a chunk is
        not begun when it would end after the deadline. See the module's docstring for when
        the run halts.
        """
        problem = self._problem
        done = 0
        growing = False
        work = problem.row_count * max(problem.weight_count, problem.input_count)
        if deadline is None:
            most_per_chunk = max(1, min(UNTIMED_CHUNK, NUMBERS_PER_CHUNK // work))
        else:
            most_per_chunk = max(
                1,
                min(CHUNK, NUMBERS_PER_CHUNK // work),
                min(LONGEST_CHUNK, FEW_NUMBERS_PER_CHUNK // work),
            )
        limit = self.history_limit
        while done < count:
            room = limit - len(self._history)
            if room <= 0:
                return self._halted(done, StopReason.HISTORY_FULL)
            chunk_started = time.perf_counter()
            descent = engine.descend(
                problem,
                self._current,
                min(count - done, most_per_chunk, room),
                first_step=self.iteration,
                state=self._history.state(self.iteration),
                stop_unchanged=halt_when_converged,
            )
            taken = len(descent)
            diverged = False
            if taken and halt_when_diverging:
                before = len(self._history)
                earlier = self._history.losses[max(0, before - 3) :]
                at = engine.growth_detected_at(
                    np.concatenate([earlier, descent.losses]), floor=self._noise_floor()
                )
                if at is not None:
                    taken = at - earlier.shape[0] + 1
                    diverged = True
            if taken:
                self._history.extend(descent.first(taken), problem.learning_rate)
                if taken == len(descent) and descent.end is not None:
                    self._current = descent.end  # the engine's own evaluation of those weights
                else:
                    self._current = engine.evaluate(problem, descent.weights[taken - 1])
                done += taken
            if diverged:
                return self._halted(done, StopReason.DIVERGING)
            if descent.stopped == engine.STOP_OVERFLOW:
                return self._halted(done, StopReason.OVERFLOW)
            if descent.stopped == engine.STOP_CONVERGED and halt_when_converged:
                return self._halted(done, StopReason.CONVERGED)
            if not halt_when_diverging and engine.loss_is_growing(
                self._history.losses[-4:], floor=self._noise_floor()
            ):
                growing = True
            if deadline is not None:
                now = time.perf_counter()
                if now + (now - chunk_started) > deadline:  # the next chunk would overrun it
                    break
        return Advance(done, None, growing)

    def _halted(self, steps: int, reason: StopReason) -> Advance:
        self.stopped = reason
        return Advance(steps, reason)


def _finite_start(problem: Problem, weights: np.ndarray) -> None:
    """Refuse (raise :class:`ProblemError`) weights whose numbers overflow on ``problem``."""
    if not engine.evaluate(problem, weights).is_finite:
        raise ProblemError(_(START_TOO_LARGE))


def trace(problem: Problem, weights, steps: int) -> Trace:
    """Evaluate, then step ``steps`` times through the run loop, stopping only where the numbers
    stop being finite (``gd-desktop trace`` and a lesson's headless replay)."""
    if steps < 0:
        raise ProblemError(_("The number of steps must be 0 or more."))
    run = Run(problem, weights, history_limit=steps + 1)  # refuses numbers that overflow
    result = run.advance(steps, halt_when_diverging=False, halt_when_converged=False)
    evaluations = [run.history.evaluation(i, problem) for i in range(run.iteration)]
    evaluations.append(run.current)
    diverged_at = run.iteration + 1 if result.stopped is StopReason.OVERFLOW else None
    return Trace(problem, evaluations, diverged_at, run.history)
