"""The course's arithmetic, in numpy and nothing else.

Everything the app shows comes from here; the Qt side only stores and renders these numbers.
A problem has data rows ``inputs`` (shape rows × inputs) and one ``target`` per row. Without a
hidden layer (the slides' first lessons) the output node is linear:

    prediction = Σ weight × input            (per row)
    error      = prediction − target
    loss       = mean over rows of error²
    slope      = mean over rows of 2 × error × input   (the activation is linear: slope 1)
    update     = weight − learning rate × slope

With a hidden layer of H nodes and an activation f, node j gets the sum s_j = Σ_i v_ji × x_i and
passes on f(s_j); the linear output node weighs those: prediction = Σ_j w_j × f(s_j). Every slope
is the slides' product of three factors (backpropagation): the slope of the loss w.r.t. the node
fed, the value of the node feeding the weight, and the slope of the activation at the node fed.

Weights travel as one flat vector: the output weights first (one per input, or one per hidden
node), then the hidden weights node by node (v_11 … v_1n, v_21 …).
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import NoReturn

import numpy as np

from gd_desktop.core import optimizers, unrolled
from gd_desktop.core.i18n import N_, _, ngettext
from gd_desktop.core.limits import (
    ERROR_ROWS_KEPT,
    LARGE_DATA,
    MAX_HIDDEN,
    MAX_HISTORY,
    MAX_INPUTS,
    MAX_ROWS,
    MAX_SEED,
)

#: Problems of at most this many input numbers (rows × inputs) are stepped on Python floats: the
#: course's problems (16 rows of 10 inputs at most) are 5 to 30 times faster so.
SMALL_PROBLEM = 160


class ProblemError(ValueError):
    """A problem that cannot be computed; the message is written for the user.

    ``field`` names the Problem field (or ``"weights"``) at fault when one is, so that a lesson can
    say which of its fields is wrong without reading the message.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # exp(1000) is inf, and 1 / inf the right 0: no warning
        return 1.0 / (1.0 + np.exp(-z))


# name: (the activation, its slope), both elementwise.
ACTIVATIONS = {
    "identity": (lambda z: z, lambda z: np.ones_like(z)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
}
#: How the window names each activation (translated where shown; the ids stay in files and trace).
ACTIVATION_TITLES = {
    "identity": N_("identity"),
    "relu": N_("ReLU"),
    "tanh": N_("tanh"),
    "sigmoid": N_("sigmoid"),
}

# How a field's value is given and checked (FieldSpec.kind).
ROWS = "rows"  # data rows of numbers, all as long
PER_ROW = "per row"  # one number per data row
NUMBER = "number"  # an ordinary number from low (to high when given)
WHOLE = "whole"  # a whole number from low to high
CHOICE = "choice"  # one of the names in choices

# Where a lesson file writes a field (FieldSpec.part): the data and network come before the
# starting weights, how the weights move after them.
NETWORK = "network"
DESCENT = "descent"
# The optimizer, its settings and the schedule: not yet written by lesson files (their format
# gains them in a new version); trace's options and Problem.create take them already.
OPTIMIZATION = "optimization"


@dataclass(frozen=True)
class FieldSpec:
    """Everything the app knows about one of a problem's fields, said once.

    Lesson files, ``gd-desktop trace`` and the checks in :meth:`Problem.create` are all made from
    these (see :data:`PROBLEM_FIELDS`), so a new field needs only a new entry on :class:`Problem`.
    """

    description: str
    kind: str
    part: str
    #: What a value must be, as a lesson's message says it (after "should be"); it may name
    #: {low}, {high} and {choices}. In English: :meth:`expectation` translates it.
    expected: str
    #: The sentence :meth:`Problem.create` raises for a value out of its limits; it may name
    #: {value}, {low}, {high} and {choices}. In English, translated when raised.
    invalid: str
    option: str  # trace's option
    option_help: str | None = None
    #: The option is given once per unit (a hidden node, with its weights); the field counts them.
    option_counts: bool = False
    option_metavar: str | None = None
    low: float | None = None
    high: float | None = None
    #: The limits themselves are refused (ε > 0, β < 1), not only what lies beyond them.
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    #: The field's key in a lesson file; by default the field's name.
    lesson_key: str = ""
    #: Filled in by PROBLEM_FIELDS from the Problem's field: its name, whether it must be given
    #: (it has no default) and its default.
    name: str = ""
    required: bool = False
    default: object = None

    def expectation(self) -> str:
        """What a value must be, in the language in use, its limits filled in."""
        choices = ", ".join(self.choices)
        return _(self.expected).format(low=self.low, high=self.high, choices=choices)


def field_metadata(**described) -> dict:
    """A Problem field's ``metadata``: its :class:`FieldSpec`, from the spec's arguments."""
    return {"spec": FieldSpec(**described)}


@dataclass(frozen=True)
class Problem:
    """The data, the network's shape and the learning rate: what stays fixed while weights move.

    Each field describes itself once, in its ``spec``: lesson files, trace's options and the
    checks of :meth:`create` are made from these descriptions.
    """

    inputs: np.ndarray = field(metadata=field_metadata(
        description=N_("the data rows, each a list of inputs"),
        kind=ROWS, part=NETWORK, expected=N_("the data rows, each a list of numbers"),
        invalid=N_("Give at least one data row with at least one input."),
        option="--inputs", option_help=N_("one data row; repeat --inputs for more rows"),
        low=1, high=MAX_INPUTS,
    ))  # fmt: skip
    targets: np.ndarray = field(metadata=field_metadata(
        description=N_("one target per data row"),
        kind=PER_ROW, part=NETWORK, expected=N_("a list of numbers, one per data row"),
        invalid=N_("Give one target per data row: the data has {rows} rows and {value} targets."),
        option="--target", option_help=N_("one target per data row"),
    ))  # fmt: skip
    learning_rate: float = field(metadata=field_metadata(
        description=N_("how far each step moves the weights along the slope"),
        kind=NUMBER, part=DESCENT, expected=N_("a number of 0 or more"),
        invalid=N_("The learning rate must be a number of 0 or more."),
        option="--learning-rate", low=0,
    ))  # fmt: skip
    hidden_count: int = field(default=0, metadata=field_metadata(
        description=N_("hidden nodes: 0 for none (one linear output node)"),
        kind=WHOLE, part=NETWORK, expected=N_("a whole number from {low} to {high}"),
        invalid=N_("A hidden layer has 1 to {high} nodes, not {value}."),
        option="--hidden", option_counts=True, option_metavar="W1,W2,...",
        option_help=N_("a hidden node's weights from the inputs; repeat for each hidden node"),
        low=0, high=MAX_HIDDEN,
    ))  # fmt: skip
    activation: str = field(default="identity", metadata=field_metadata(
        description=N_("the hidden nodes' activation"),
        kind=CHOICE, part=NETWORK, expected=N_("one of {choices}"),
        invalid=N_("Unknown activation {value!r}: choose one of {choices}."),
        option="--activation", choices=tuple(ACTIVATIONS),
    ))  # fmt: skip
    #: Rows per step for stochastic / mini-batch descent; 0 means every row (full batch).
    batch_size: int = field(default=0, metadata=field_metadata(
        description=N_("rows per step for mini-batch descent; 0 means every row"),
        kind=WHOLE, part=DESCENT, expected=N_("a whole number from {low} to {high:,}"),
        invalid=N_("The batch size must be 0 (every row) to {high:,} rows, not {value}."),
        option="--batch-size",
        option_help=N_("rows per step for mini-batch descent (0, the default: every row)"),
        low=0, high=MAX_ROWS,
    ))  # fmt: skip
    seed: int = field(default=0, metadata=field_metadata(
        description=N_("draws the mini-batches: the same seed replays the same batches"),
        kind=WHOLE, part=DESCENT, expected=N_("a whole number from {low} to {high:,}"),
        invalid=N_("The seed must be a whole number from {low} to {high:,}, not {value}."),
        option="--seed", option_help=N_("draws the mini-batches"), low=0, high=MAX_SEED,
    ))  # fmt: skip
    # How the weights move on from the slope (gd_desktop/core/optimizers.py): PyTorch's rules and
    # defaults; the defaults (plain steps, a constant rate) give the chapter's numbers.
    optimizer: str = field(default="gd", metadata=field_metadata(
        description=N_("how each step moves the weights along the slope"),
        kind=CHOICE, part=OPTIMIZATION, expected=N_("one of {choices}"),
        invalid=N_("Unknown optimizer {value!r}: choose one of {choices}."),
        option="--optimizer", choices=tuple(optimizers.OPTIMIZERS),
        option_help=N_(
            "plain steps (gd, the default), momentum, nesterov, adagrad, rmsprop or adam"
        ),
    ))  # fmt: skip
    momentum: float = field(default=optimizers.DEFAULT_MOMENTUM, metadata=field_metadata(
        description=N_("how much of the last step momentum and Nesterov keep (μ)"),
        kind=NUMBER, part=OPTIMIZATION, expected=N_("a number from 0 to below 1"),
        invalid=N_("The momentum must be a number from 0 to below 1, not {value}."),
        option="--momentum", option_help=N_("momentum and nesterov: μ (0.9)"),
        low=0, high=1, high_open=True,
    ))  # fmt: skip
    alpha: float = field(default=optimizers.DEFAULT_ALPHA, metadata=field_metadata(
        description=N_("how much of the mean squared slope RMSProp keeps (α)"),
        kind=NUMBER, part=OPTIMIZATION, expected=N_("a number from 0 to below 1"),
        invalid=N_("The α of RMSProp must be a number from 0 to below 1, not {value}."),
        option="--alpha", option_help=N_("rmsprop: α (0.99)"), low=0, high=1, high_open=True,
    ))  # fmt: skip
    beta1: float = field(default=optimizers.DEFAULT_BETA1, metadata=field_metadata(
        description=N_("how much of the mean slope Adam keeps (β₁)"),
        kind=NUMBER, part=OPTIMIZATION, expected=N_("a number from 0 to below 1"),
        invalid=N_("The β₁ of Adam must be a number from 0 to below 1, not {value}."),
        option="--beta1", option_help=N_("adam: β₁ (0.9)"), low=0, high=1, high_open=True,
    ))  # fmt: skip
    beta2: float = field(default=optimizers.DEFAULT_BETA2, metadata=field_metadata(
        description=N_("how much of the mean squared slope Adam keeps (β₂)"),
        kind=NUMBER, part=OPTIMIZATION, expected=N_("a number from 0 to below 1"),
        invalid=N_("The β₂ of Adam must be a number from 0 to below 1, not {value}."),
        option="--beta2", option_help=N_("adam: β₂ (0.999)"), low=0, high=1, high_open=True,
    ))  # fmt: skip
    #: One ε for the three: PyTorch's 1e−8 of RMSProp and Adam (its AdaGrad's is 1e−10, which
    #: optimizers.OPTIMIZERS keeps for a control to offer).
    epsilon: float = field(default=optimizers.DEFAULT_EPSILON, metadata=field_metadata(
        description=N_("what AdaGrad, RMSProp and Adam add below the fraction (ε)"),
        kind=NUMBER, part=OPTIMIZATION, expected=N_("a number above 0"),
        invalid=N_("The ε must be a number above 0, not {value}."),
        option="--epsilon",
        option_help=N_("adagrad, rmsprop, adam: ε (1e-8; PyTorch's adagrad uses 1e-10)"),
        low=0, low_open=True,
    ))  # fmt: skip
    schedule: str = field(default="constant", metadata=field_metadata(
        description=N_("how the learning rate changes from step to step"),
        kind=CHOICE, part=OPTIMIZATION, expected=N_("one of {choices}"),
        invalid=N_("Unknown schedule {value!r}: choose one of {choices}."),
        option="--schedule", choices=tuple(optimizers.SCHEDULES),
        option_help=N_(
            "the learning rate: constant (the default), step, exponential, inverse-time"
        ),
    ))  # fmt: skip
    step_size: int = field(default=10, metadata=field_metadata(
        description=N_("the step schedule multiplies the rate by γ every this many steps"),
        kind=WHOLE, part=OPTIMIZATION, expected=N_("a whole number from {low} to {high:,}"),
        invalid=N_("The step size must be a whole number from {low} to {high:,}, not {value}."),
        option="--step-size", option_help=N_("step schedule: steps between two cuts (10)"),
        low=1, high=MAX_HISTORY,
    ))  # fmt: skip
    gamma: float = field(default=0.1, metadata=field_metadata(
        description=N_("the schedule's factor (step, exponential) or decay (inverse time), γ"),
        kind=NUMBER, part=OPTIMIZATION, expected=N_("a number above 0"),
        invalid=N_("The schedule's γ must be a number above 0, not {value}."),
        option="--gamma", option_help=N_("step, exponential, inverse-time: γ (0.1)"),
        low=0, low_open=True,
    ))  # fmt: skip

    @classmethod
    def create(
        cls,
        inputs,
        targets,
        learning_rate: float,
        hidden_count: int = 0,
        activation: str = "identity",
        batch_size: int = 0,
        seed: int = 0,
        optimizer: str = "gd",
        momentum: float = optimizers.DEFAULT_MOMENTUM,
        alpha: float = optimizers.DEFAULT_ALPHA,
        beta1: float = optimizers.DEFAULT_BETA1,
        beta2: float = optimizers.DEFAULT_BETA2,
        epsilon: float = optimizers.DEFAULT_EPSILON,
        schedule: str = "constant",
        step_size: int = 10,
        gamma: float = 0.1,
    ) -> Problem:
        """Check and normalise the user's numbers; a single row may be given flat."""
        arguments = locals()  # the arguments by field name
        del arguments["cls"]
        return cls.from_values(arguments)

    @classmethod
    def from_values(cls, values: Mapping) -> Problem:
        """A checked problem from field name → value; a field left out takes its default."""
        specs = describe_fields(cls)
        unknown = sorted(set(values) - {spec.name for spec in specs})
        if unknown:
            raise TypeError(f"a problem has no field {', '.join(unknown)}")
        checked = {}
        for spec in specs:
            if spec.name not in values and spec.required:
                raise TypeError(f"a problem needs its field {spec.name}")
            value = values.get(spec.name, spec.default)
            checked[spec.name] = _checked(spec, value, checked)
        if checked["batch_size"] >= checked["inputs"].shape[0]:
            checked["batch_size"] = 0  # a batch of every row is the full batch
        return cls(**checked)

    @property
    def input_count(self) -> int:
        return self.inputs.shape[1]

    @property
    def weight_count(self) -> int:
        if self.hidden_count == 0:
            return self.input_count
        return self.hidden_count * (1 + self.input_count)

    @property
    def output_weight_count(self) -> int:
        return self.hidden_count or self.input_count

    @property
    def row_count(self) -> int:
        return self.inputs.shape[0]

    def field_values(self) -> dict:
        """Field name → value: what :meth:`create` takes to make this problem again."""
        return {spec.name: getattr(self, spec.name) for spec in describe_fields(type(self))}

    @functools.cached_property
    def small_data(self) -> tuple[list, list, list] | None:
        """For a small problem without a hidden layer: its rows, its columns and its targets
        as Python floats, which the engine steps faster than numpy (per-call overhead
        dominates there); None for any other problem.

        The two paths give the same numbers up to the rounding of a sum's order (1e−12
        relative; the chapter's one-row examples agree to the last bit).
        """
        if self.hidden_count or self.row_count * self.input_count > SMALL_PROBLEM:
            return None
        return self.inputs.tolist(), self.inputs.T.tolist(), self.targets.tolist()

    @functools.cached_property
    def small_loop(self) -> unrolled.Loop:
        """The stepping loop written out for this small problem (see :mod:`unrolled`)."""
        rows, _columns, targets = self.small_data
        return unrolled.compile_loop(
            rows, targets, self.optimizer, self.optimizer_settings, self.schedule != "constant"
        )

    @functools.cached_property
    def small_layout(self) -> unrolled.Layout:
        """Where each number sits in the written-out loop's records (see :mod:`unrolled`)."""
        scheduled = self.schedule != "constant"
        return unrolled.Layout(
            self.weight_count, self.row_count, self.state_slots, scheduled,
            min(self.row_count, ERROR_ROWS_KEPT), steady=self.optimizer == "gd" and not scheduled,
        )  # fmt: skip

    @property
    def optimizer_settings(self) -> optimizers.Settings:
        """μ, α, β₁, β₂ and ε, as the optimizer's update takes them."""
        return optimizers.Settings(self.momentum, self.alpha, self.beta1, self.beta2, self.epsilon)

    @property
    def state_slots(self) -> int:
        """Numbers the optimizer keeps per weight (b; s; m and v)."""
        return len(optimizers.OPTIMIZERS[self.optimizer].state)

    def rate_at(self, k: int) -> float:
        """The learning rate in force at the step after ``k`` steps taken (the schedule's)."""
        return optimizers.scheduled_rate(
            self.schedule, self.learning_rate, k, self.step_size, self.gamma
        )

    def replaced(self, **changes) -> Problem:
        """This problem with some fields changed, checked as :meth:`create` checks them."""
        return type(self).from_values({**self.field_values(), **changes})

    def with_learning_rate(self, learning_rate: float) -> Problem:
        return self.replaced(learning_rate=learning_rate)

    def batch_rows(self, step: int) -> np.ndarray | None:
        """The rows that step number ``step`` (from iteration ``step``) learns from.

        None for full-batch descent. Fixed by the seed and the step, so a run can be replayed and
        the arithmetic panel can show the very rows of the next step.
        """
        if self.batch_size == 0:
            return None
        rng = np.random.default_rng([self.seed, step])
        return np.sort(rng.choice(self.row_count, size=self.batch_size, replace=False))

    def subset(self, rows: np.ndarray) -> Problem:
        """The same network and rate on some of the rows (a mini-batch), as full batch."""
        return replace(
            self, inputs=self.inputs[rows], targets=self.targets[rows], batch_size=0, seed=0
        )

    def hidden_weights(self, weights: np.ndarray) -> np.ndarray:
        """The hidden weights as a matrix: one row per hidden node, one column per input."""
        return weights[self.hidden_count :].reshape(self.hidden_count, self.input_count)

    def weight_name(self, index: int) -> str:
        """How the lesson names a weight: w1 … without a hidden layer, else by its edge."""
        if self.hidden_count == 0:
            return f"w{index + 1}"
        if index < self.hidden_count:
            return f"w(h{index + 1}→out)"
        node, source = divmod(index - self.hidden_count, self.input_count)
        return f"w(x{source + 1}→h{node + 1})"

    def check_weights(self, weights) -> np.ndarray:
        w = np.array(weights, dtype=float).reshape(-1)
        if w.shape[0] != self.weight_count:
            if self.hidden_count:
                raise ProblemError(
                    ngettext(
                        "Give {count} weight ({outputs} for the output and {inputs} for each "
                        "hidden node), not {given}.",
                        "Give {count} weights ({outputs} for the output and {inputs} for each "
                        "hidden node), not {given}.",
                        self.weight_count,
                    ).format(
                        count=self.weight_count,
                        outputs=self.hidden_count,
                        inputs=self.input_count,
                        given=w.shape[0],
                    ),
                    "weights",
                )
            raise ProblemError(
                ngettext(
                    "There is {count} input, so give {count} weight, not {given}.",
                    "There are {count} inputs, so give {count} weights, not {given}.",
                    self.weight_count,
                ).format(count=self.weight_count, given=w.shape[0]),
                "weights",
            )
        if not np.all(np.isfinite(w)):
            raise ProblemError(
                _("Weights must be ordinary numbers (not NaN or infinity)."), "weights"
            )
        return w


@functools.cache
def describe_fields(problem_class: type) -> tuple[FieldSpec, ...]:
    """The fields of ``problem_class`` (Problem, or a class that extends it), described."""
    specs = []
    for item in fields(problem_class):
        spec = item.metadata["spec"]
        specs.append(
            replace(
                spec,
                lesson_key=spec.lesson_key or item.name,
                name=item.name,
                required=item.default is MISSING,
                default=None if item.default is MISSING else item.default,
            )
        )
    return tuple(specs)


#: Every field of a problem, described (see :class:`FieldSpec`), in the Problem's order.
PROBLEM_FIELDS: tuple[FieldSpec, ...] = describe_fields(Problem)


def problem_field(name: str) -> FieldSpec:
    """The description of the Problem field called ``name``."""
    return next(spec for spec in PROBLEM_FIELDS if spec.name == name)


def _checked(spec: FieldSpec, value, earlier: dict):
    """``value`` for the field ``spec`` describes, normalised; else a :class:`ProblemError`.

    ``earlier`` holds the fields checked before it (targets are counted against the inputs).
    """

    def refuse(**placeholders) -> NoReturn:
        choices = ", ".join(spec.choices)
        message = _(spec.invalid).format(
            low=spec.low, high=spec.high, choices=choices, **placeholders
        )
        raise ProblemError(message, spec.name)

    if spec.kind == ROWS:
        rows = np.array(value, dtype=float)
        if rows.ndim == 1:
            rows = rows.reshape(1, -1)
        if rows.ndim != 2 or rows.shape[0] == 0 or rows.shape[1] < spec.low:
            refuse(value=rows.shape)
        if rows.shape[1] > spec.high:
            raise ProblemError(
                _("At most {high} inputs are supported, not {count}.").format(
                    high=spec.high, count=rows.shape[1]
                ),
                spec.name,
            )
        return _finite_read_only(rows, spec)
    if spec.kind == PER_ROW:
        column = np.array(value, dtype=float).reshape(-1)
        rows = earlier["inputs"].shape[0]
        if column.shape[0] != rows:
            refuse(rows=rows, value=column.shape[0])
        return _finite_read_only(column, spec)
    if spec.kind == NUMBER:
        number = float(value)
        too_low = spec.low is not None and (
            number < spec.low or (spec.low_open and number == spec.low)
        )
        too_high = spec.high is not None and (
            number > spec.high or (spec.high_open and number == spec.high)
        )
        if not math.isfinite(number) or too_low or too_high:
            refuse(value=number)
        return number
    if spec.kind == WHOLE:
        whole = int(value)
        if not spec.low <= whole <= spec.high:
            refuse(value=whole)
        return whole
    if spec.kind == CHOICE:
        if not isinstance(value, str) or value not in spec.choices:
            refuse(value=value)
        return value
    raise AssertionError(f"a field of unknown kind {spec.kind!r}")


def _finite_read_only(array: np.ndarray, spec: FieldSpec) -> np.ndarray:
    if not np.all(np.isfinite(array)):
        raise ProblemError(
            _("Inputs and targets must be ordinary numbers (not NaN or infinity)."), spec.name
        )
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class Evaluation:
    """Everything the lesson shows about one set of weights."""

    weights: np.ndarray
    predictions: np.ndarray
    errors: np.ndarray
    loss: float
    gradient: np.ndarray
    #: With a hidden layer: each node's input sum and activated value, per row (rows × nodes).
    hidden_sums: np.ndarray | None = None
    hidden_values: np.ndarray | None = None

    @property
    def is_finite(self) -> bool:
        return bool(
            np.isfinite(self.loss)
            and np.all(np.isfinite(self.weights))
            and np.all(np.isfinite(self.predictions))
            and np.all(np.isfinite(self.gradient))
        )


def predict(inputs: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return inputs @ weights


def _loss(errors: np.ndarray, rows: int) -> float:
    # One formula for the loss everywhere, so a fast run and a single step agree to the last bit.
    return float(errors @ errors) / rows


def _gradient(errors: np.ndarray, inputs: np.ndarray, rows: int) -> np.ndarray:
    return (2.0 * errors) @ inputs / rows


def loss_of(problem: Problem, weights: np.ndarray) -> float:
    if problem.hidden_count:
        return evaluate(problem, weights).loss
    with np.errstate(over="ignore", invalid="ignore"):
        errors = predict(problem.inputs, weights) - problem.targets
        return _loss(errors, problem.row_count)


def evaluate(problem: Problem, weights) -> Evaluation:
    # Overflow to inf is how divergence shows up; callers check ``is_finite``.
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        w = np.asarray(weights, dtype=float)
        if problem.hidden_count:
            return _evaluate_hidden(problem, w)
        if problem.small_data is not None:
            return _evaluate_small(problem, w)
        predictions = predict(problem.inputs, w)
        errors = predictions - problem.targets
        loss = _loss(errors, problem.row_count)
        gradient = _gradient(errors, problem.inputs, problem.row_count)
    return Evaluation(w, predictions, errors, loss, gradient)


def _evaluate_small(problem: Problem, w: np.ndarray) -> Evaluation:
    """:func:`evaluate` on Python floats, the same sums as :func:`_descend_small` takes."""
    rows, columns, targets = problem.small_data
    count = len(rows)
    weights = w.tolist()
    predictions = [sum(map(operator.mul, row, weights)) for row in rows]
    errors = [p - y for p, y in zip(predictions, targets)]
    loss = sum(map(operator.mul, errors, errors)) / count
    twice = [2.0 * e for e in errors]
    gradient = [sum(map(operator.mul, twice, column)) / count for column in columns]
    return Evaluation(w, np.array(predictions), np.array(errors), loss, np.array(gradient))


def _evaluate_hidden(problem: Problem, w: np.ndarray) -> Evaluation:
    """Forward through the hidden layer, then backpropagate the slides' three factors."""
    x, rows, count = problem.inputs, problem.row_count, problem.hidden_count
    activation, activation_slope = ACTIVATIONS[problem.activation]
    output = w[:count]
    sums = x @ problem.hidden_weights(w).T  # rows × nodes
    values = activation(sums)
    predictions = values @ output
    errors = predictions - problem.targets
    loss = _loss(errors, rows)
    # Output weights: (2 × error) × (value of the hidden node feeding it) × 1 (linear output).
    output_gradient = _gradient(errors, values, rows)
    # Hidden weights: (slope of the loss w.r.t. the hidden node's value: 2 × error × w_j)
    #   × (the input feeding the weight) × (the activation's slope at the node's sum).
    node_slopes = np.multiply.outer(2.0 / rows * errors, output)
    node_slopes *= activation_slope(sums)
    hidden_gradient = node_slopes.T @ x  # nodes × inputs
    gradient = np.concatenate([output_gradient, hidden_gradient.reshape(-1)])
    return Evaluation(w, predictions, errors, loss, gradient, sums, values)


@dataclass(frozen=True)
class OptimizerState:
    """What an optimizer carries from step to step: the steps taken (t) and its buffers, one
    row per state symbol (b; s; m and v), one column per weight. Plain steps keep none."""

    step: int
    buffers: np.ndarray

    @classmethod
    def fresh(cls, problem: Problem) -> OptimizerState:
        """Before the first step: no steps taken, every buffer 0."""
        return cls(0, np.zeros((problem.state_slots, problem.weight_count)))


def take_step(
    problem: Problem, evaluation: Evaluation, state: OptimizerState | None = None
) -> tuple[np.ndarray, OptimizerState, float]:
    """One step from ``evaluation`` with the optimizer in ``state`` (None: fresh): the new
    weights, the state after it, and the learning rate in force."""
    state = state or OptimizerState.fresh(problem)
    rate = problem.rate_at(state.step)
    buffers = state.buffers.tolist()
    new = _update(problem, evaluation.weights, evaluation.gradient, buffers, state.step + 1, rate)
    return new, OptimizerState(state.step + 1, _buffer_array(problem, buffers)), rate


def _update(problem: Problem, w: np.ndarray, g: np.ndarray, buffers: list, t: int, rate: float):
    """The optimizer's update (buffers updated in place); plain steps stay in numpy."""
    with np.errstate(over="ignore", invalid="ignore"):
        if problem.optimizer == "gd":
            return w - rate * g
        update = optimizers.OPTIMIZERS[problem.optimizer].update
        return np.array(
            update(w.tolist(), g.tolist(), buffers, t, rate, problem.optimizer_settings)
        )


def _buffer_array(problem: Problem, buffers: list) -> np.ndarray:
    return np.array(buffers, dtype=float).reshape(problem.state_slots, problem.weight_count)


def next_weights(
    problem: Problem, evaluation: Evaluation, state: OptimizerState | None = None
) -> np.ndarray:
    """Where the next step lands, for the optimizer in ``state`` (None: before its first step)."""
    return take_step(problem, evaluation, state)[0]


def step_arithmetic(
    problem: Problem, evaluation: Evaluation, state: OptimizerState | None = None
) -> list[optimizers.ArithmeticLine]:
    """The next step's arithmetic after the slope: the rate in force (for a schedule), then the
    optimizer's lines (its state, then each new weight), with the numbers in."""
    state = state or OptimizerState.fresh(problem)
    k = state.step
    lines = []
    rate_line = optimizers.schedule_line(
        problem.schedule, problem.learning_rate, k, problem.step_size, problem.gamma
    )
    if rate_line is not None:
        lines.append(rate_line)
    names = [problem.weight_name(i) for i in range(problem.weight_count)]
    lines += optimizers.step_lines(
        problem.optimizer, names, evaluation.weights, evaluation.gradient,
        state.buffers, k, problem.rate_at(k), problem.optimizer_settings,
    )  # fmt: skip
    return lines


STOP_OVERFLOW = "overflow"
STOP_CONVERGED = "converged"


@dataclass(frozen=True)
class Descent:
    """Up to ``steps`` updates after a given evaluation, as arrays (one row per step).

    ``stopped`` says why it ended early: ``"overflow"`` (the next step was not finite, so it is
    not included) or ``"converged"`` (the last step included changed no weight), else None.
    """

    weights: np.ndarray
    gradients: np.ndarray
    errors: np.ndarray
    losses: np.ndarray
    stopped: str | None
    #: Mini-batch descent: the loss on each step's batch, before its update (else None).
    batch_losses: np.ndarray | None = None
    #: The learning rate in force at each step (the schedule's).
    rates: np.ndarray | None = None
    #: The optimizer's state after each step: its step number t, and its buffers
    #: (steps × state symbols × weights).
    optimizer_steps: np.ndarray | None = None
    buffers: np.ndarray | None = None
    #: The evaluation at the last step's weights, when the loop made it whole on the way (a
    #: hidden layer, mini-batches): a run goes on from it without computing it again. (Numpy's
    #: path over large data keeps none: holding 10⁵ predictions and errors past the step made
    #: the allocator give its memory back and fault it in again, 1 ms a step becoming 4.)
    end: Evaluation | None = None

    def __len__(self) -> int:
        return self.losses.shape[0]

    def first(self, taken: int) -> Descent:
        """The first ``taken`` steps only (a run that halts part way through)."""
        if taken == len(self):
            return self
        cut = slice(0, taken)

        def head(array):
            return None if array is None else array[cut]

        return Descent(
            self.weights[cut], self.gradients[cut], self.errors[cut], self.losses[cut], None,
            head(self.batch_losses), head(self.rates), head(self.optimizer_steps),
            head(self.buffers),
        )  # fmt: skip

    def state(self, index: int) -> OptimizerState:
        """The optimizer's state after step ``index`` of this descent."""
        return OptimizerState(int(self.optimizer_steps[index]), np.array(self.buffers[index]))


class _Recorder:
    """The arrays a descent fills, one row per step taken."""

    def __init__(self, problem: Problem, steps: int):
        self.weights = np.empty((steps, problem.weight_count))
        self.gradients = np.empty((steps, problem.weight_count))
        self.errors = np.empty((steps, min(problem.row_count, ERROR_ROWS_KEPT)))
        self.losses = np.empty(steps)
        self.batch_losses = np.empty(steps)
        self.rates = np.empty(steps)
        self.buffers = np.empty((steps, problem.state_slots, problem.weight_count))
        self.done = 0

    def result(self, stopped, first_step_number: int, batched: bool = False) -> Descent:
        done = self.done
        return Descent(
            self.weights[:done], self.gradients[:done], self.errors[:done], self.losses[:done],
            stopped, self.batch_losses[:done] if batched else None, self.rates[:done],
            np.arange(first_step_number + 1, first_step_number + done + 1), self.buffers[:done],
        )  # fmt: skip


def descend(
    problem: Problem,
    start: Evaluation,
    steps: int,
    first_step: int = 0,
    state: OptimizerState | None = None,
    stop_unchanged: bool = True,
) -> Descent:
    """Take up to ``steps`` updates from ``start`` in a tight loop: the same numbers as
    :func:`evaluate` and :func:`take_step` step by step, at a fraction of the overhead.

    ``first_step`` is the iteration ``start`` is at; mini-batch descent draws its rows by it.
    ``state`` is the optimizer's there (None: before its first step); the schedule counts
    the steps it has taken. ``stop_unchanged`` False goes on past a step that changed no
    weight (a caller that does not halt there: near the minimum an optimizer's buffers still
    move, and stopping at each such step would cost a call per step).
    """
    if problem.small_data is not None and not problem.batch_size:
        return _descend_small(problem, start, steps, state, stop_unchanged)
    state = state or OptimizerState.fresh(problem)
    if problem.batch_size or problem.hidden_count:
        return _descend_evaluating(problem, start, steps, first_step, state, stop_unchanged)
    x, y, rows = problem.inputs, problem.targets, problem.row_count
    kept = min(rows, ERROR_ROWS_KEPT)
    record = _Recorder(problem, steps)
    w, g = start.weights, start.gradient
    buffers = state.buffers.tolist()
    step = state.step
    stopped = None
    done = 0
    isfinite = math.isfinite
    with np.errstate(over="ignore", invalid="ignore"):
        while done < steps:
            rate = problem.rate_at(step)
            step += 1
            new_w = _update(problem, w, g, buffers, step, rate)
            e = x @ new_w - y
            loss = _loss(e, rows)
            g = _gradient(e, x, rows)
            # One check covers all: an inf or NaN in the weights or the slopes reaches the sum.
            # Only a sum of finite parts that overflows needs the part-by-part look.
            if not isfinite(loss + float(g.sum())) and not (
                isfinite(loss) and np.isfinite(g).all()
            ):
                stopped = STOP_OVERFLOW
                break
            record.weights[done] = new_w
            record.gradients[done] = g
            record.errors[done] = e[:kept]
            record.losses[done] = loss
            record.rates[done] = rate
            if buffers:
                record.buffers[done] = buffers
            done += 1
            if stop_unchanged and not (new_w != w).any():
                stopped = STOP_CONVERGED
                break
            w = new_w
    record.done = done
    return record.result(stopped, state.step)


def _descend_small(
    problem: Problem,
    start: Evaluation,
    steps: int,
    state: OptimizerState | None,
    stop_unchanged: bool = True,
) -> Descent:
    """:func:`descend` for a small problem: the loop written out for it, or, for Adam at rest
    (see :func:`_adam_at_rest`), the same records computed a whole chunk at a time."""
    if not stop_unchanged and steps > 1 and _may_rest(problem, start, state):
        head = _descend_unrolled(problem, start, 1, state, stop_unchanged)
        rest = _adam_at_rest(problem, start, head, steps - 1)
        if rest is not None:
            return _joined(head, rest)
    return _descend_unrolled(problem, start, steps, state, stop_unchanged)


#: Adam's bias corrections 1 − βᵗ are 1.0 to the last bit once βᵗ is below 2⁻⁵⁴; from 2⁻⁶⁰ on
#: they stay so for every later t, whatever the rounding of each power.
_CORRECTION_GONE = 2.0**-60


def _may_rest(problem: Problem, start: Evaluation, state: OptimizerState | None) -> bool:
    """Whether Adam may be at rest from ``start``: every slope exactly 0, at a constant rate
    over all rows, with bias corrections of 1.0 from the next step on."""
    if problem.optimizer != "adam" or problem.schedule != "constant" or state is None:
        return False
    if np.any(start.gradient):
        return False
    t = state.step + 1
    return problem.beta1**t <= _CORRECTION_GONE and problem.beta2**t <= _CORRECTION_GONE


def _adam_at_rest(
    problem: Problem, start: Evaluation, head: Descent, steps: int
) -> Descent | None:
    """Adam's steps after ``head`` (one step from ``start``) while no weight moves, computed
    a chunk at a time; None when ``head`` itself moved a weight or left a slope that is not 0.

    With the weights the same the slopes are too (a function of the weights), so each step
    only scales the buffers: m ← β₁·m + (1 − β₁)·0, v ← β₂·v + (1 − β₂)·0², and the weights
    move by rate·m / (√v + ε) (the corrections are 1.0). A product that numpy accumulates
    along the steps is the loop's sequence of products, rounding for rounding; adding a zero
    changes at most the sign of a zero, which adding the same zero afterwards gives as well.
    The same operations in the same order then give each step's weights, bit for bit the
    loop's; the records are kept up to the first step that would move a weight, and the loop
    takes over from there.
    """
    w, g = head.weights[0], head.gradients[0]
    if np.any(g) or np.any(w != start.weights) or not np.isfinite(head.buffers[0]).all():
        return None
    beta1, beta2, eps = problem.beta1, problem.beta2, problem.epsilon
    rate = problem.learning_rate
    n = w.shape[0]
    products = np.empty((steps + 1, n))
    products[0], products[1:] = head.buffers[0][0], beta1
    m = np.multiply.accumulate(products, axis=0)[1:] + (1.0 - beta1) * g
    products[0], products[1:] = head.buffers[0][1], beta2
    v = np.multiply.accumulate(products, axis=0)[1:] + (1.0 - beta2) * (g * g)
    with np.errstate(all="ignore"):
        new_w = w - rate * ((m / 1.0) / (np.sqrt(v / 1.0) + eps))
    still = (new_w == w).all(axis=1)
    kept = steps if still.all() else int(np.argmin(still))
    if kept == 0:
        return None
    first_step = int(head.optimizer_steps[0]) + 1
    rates = np.empty(kept)
    rates.fill(rate)
    return Descent(
        np.repeat(head.weights, kept, axis=0), np.repeat(head.gradients, kept, axis=0),
        np.repeat(head.errors, kept, axis=0), np.repeat(head.losses, kept), None, None,
        rates, np.arange(first_step, first_step + kept), np.stack([m[:kept], v[:kept]], axis=1),
    )  # fmt: skip


def _joined(head: Descent, rest: Descent) -> Descent:
    """Two descents, one after the other, as one (neither stopped early)."""
    return Descent(
        *(np.concatenate([a, b]) for a, b in zip(
            (head.weights, head.gradients, head.errors, head.losses),
            (rest.weights, rest.gradients, rest.errors, rest.losses), strict=True,
        )),
        None, None, np.concatenate([head.rates, rest.rates]),
        np.concatenate([head.optimizer_steps, rest.optimizer_steps]),
        np.concatenate([head.buffers, rest.buffers]),
    )  # fmt: skip


def _descend_unrolled(
    problem: Problem,
    start: Evaluation,
    steps: int,
    state: OptimizerState | None,
    stop_unchanged: bool = True,
) -> Descent:
    """:func:`descend` for a small problem (:attr:`Problem.small_data`): the loop written out
    for it (:mod:`gd_desktop.core.unrolled`), its records turned into arrays once at the end,
    cut at the first step that is not finite (left out) or changed no weight (kept).

    A chunk of a run is a few hundred steps of a dozen multiplications each, so what is done once
    a chunk costs as much as the loop: the records become doubles in one ``struct`` call
    (a third of ``array.array``'s time), and the usual chunk, all finite and every step
    moving, is told by whole-table checks; only a chunk that stops is looked at step by step.
    """
    layout = problem.small_layout
    n, slots = layout.weights, layout.slots
    if state is None:
        t, buffers = 0, layout.fresh_buffers
    else:
        t, buffers = state.step, state.buffers.reshape(-1).tolist()
    w = start.weights.tolist()
    records = problem.small_loop(
        steps, w, start.gradient.tolist(), buffers, t, problem.learning_rate, problem.rate_at
    )
    table = np.frombuffer(layout.pack(steps)(*records)).reshape(steps, layout.width)
    weights = table[:, :n]
    done, stopped = steps, None
    if layout.steady:  # a step that changed nothing is followed by more: look at the last one
        last = len(records) - layout.width
        before = records[last - layout.width : last - layout.width + n] if steps > 1 else w
        moving = records[last : last + n] != before
    else:
        stayed = weights[1:] == weights[:-1]  # each weight against the step before
        moving = records[:n] != w and (not stayed.any() or not stayed.all(axis=1).any())
    if not (moving and np.isfinite(table).all()):
        done, stopped = _small_stop(
            table, weights, start.weights, layout.loss_column, steps, stop_unchanged
        )
        table = table[:done]
    loss_column = layout.loss_column
    if layout.scheduled:
        rates = table[:, loss_column + 1]
    else:
        rates = np.empty(done)
        rates.fill(problem.learning_rate)
    return Descent(
        table[:, :n], table[:, n : 2 * n], table[:, 2 * n : layout.errors_end],
        table[:, loss_column], stopped, None, rates, np.arange(t + 1, t + done + 1),
        table[:, layout.state_column :].reshape(done, slots, n),
    )  # fmt: skip


def _small_stop(
    table, weights, start, loss_column: int, steps: int, stop_unchanged: bool = True
) -> tuple[int, str | None]:
    """Where a small problem's chunk stops, and why: the first step that is not finite (left
    out), or (with ``stop_unchanged``) the first that changed no weight (kept)."""
    finite = np.isfinite(table[:, : loss_column + 1]).all(axis=1)  # NaN and inf: no warnings
    overflow = int(np.argmin(finite)) if not finite.all() else steps
    unchanged = np.empty(overflow, dtype=bool)
    if overflow:
        unchanged[0] = (weights[0] == start).all()
        unchanged[1:] = (weights[1:overflow] == weights[: overflow - 1]).all(axis=1)
    if stop_unchanged and unchanged.any():
        return int(np.argmax(unchanged)) + 1, STOP_CONVERGED
    return overflow, STOP_OVERFLOW if overflow < steps else None


def _descend_evaluating(
    problem: Problem,
    start: Evaluation,
    steps: int,
    first_step: int,
    state: OptimizerState,
    stop_unchanged: bool = True,
) -> Descent:
    """:func:`descend` one :func:`evaluate` at a time: through a hidden layer, or with
    mini-batches, where each update uses the slope on its batch of rows and each record holds
    the full loss and slope at the new weights (what the plots compare against)."""
    batched = problem.batch_size > 0
    record = _Recorder(problem, steps)
    buffers = state.buffers.tolist()
    step = state.step
    plain, constant = problem.optimizer == "gd", problem.schedule == "constant"
    rate = problem.learning_rate
    current, stopped, done = start, None, 0
    while done < steps:
        batch = problem.subset(problem.batch_rows(first_step + done)) if batched else problem
        on_batch = evaluate(batch, current.weights) if batched else current
        if not constant:
            rate = problem.rate_at(step)
        step += 1
        with np.errstate(over="ignore", invalid="ignore"):
            if plain:
                new_weights = current.weights - rate * on_batch.gradient
            else:
                new_weights = _update(
                    problem, current.weights, on_batch.gradient, buffers, step, rate
                )
            candidate = evaluate(problem, new_weights)
            total = candidate.loss + float(candidate.gradient.sum() + candidate.weights.sum())
        if not math.isfinite(total + on_batch.loss) and not (
            candidate.is_finite and math.isfinite(on_batch.loss)
        ):  # a tanh or sigmoid node stays finite with an infinite weight: the weights count too
            stopped = STOP_OVERFLOW
            break
        record.weights[done] = candidate.weights
        record.gradients[done] = candidate.gradient
        record.errors[done] = candidate.errors[:ERROR_ROWS_KEPT]
        record.losses[done] = candidate.loss
        record.batch_losses[done] = on_batch.loss
        record.rates[done] = rate
        if buffers:
            record.buffers[done] = buffers
        done += 1
        end = candidate
        # With mini-batches a batch may be fitted while others are not: only a loss of 0 is the end.
        unchanged = not (candidate.weights != current.weights).any()
        if stop_unchanged and unchanged and (not batched or candidate.loss == 0):
            stopped = STOP_CONVERGED
            break
        current = candidate
    record.done = done
    return replace(record.result(stopped, state.step, batched), end=end if done else None)


def critical_learning_rate(problem: Problem) -> float | None:
    """The rate above which every run diverges: n / λmax(XᵀX) (see COURSE.md).

    Infinite when all inputs are zero (the loss does not depend on the weights); None with a
    hidden layer, whose loss is no parabola and has no single such rate.
    """
    if problem.hidden_count:
        return None
    x = problem.inputs
    # Scale by the largest input first, so that XᵀX cannot overflow for huge inputs.
    size = float(np.max(np.abs(x)))
    if size == 0.0:
        return float("inf")
    scaled = x / size
    largest = float(np.linalg.eigvalsh(scaled.T @ scaled)[-1])
    if largest <= 0.0:
        return float("inf")
    return problem.row_count / largest / size / size


def loss_along_weight(
    problem: Problem,
    weights: np.ndarray,
    index: int,
    values: np.ndarray,
    current: Evaluation | None = None,
) -> np.ndarray:
    """The loss as weight ``index`` takes each of ``values``, the other weights held.

    ``current``: the evaluation at ``weights`` if the caller has it (spares one forward pass).

    Vectorised over ``values`` (a grid × rows array at most): no Python loop.
    """
    values = np.asarray(values, dtype=float)
    if problem.row_count > LARGE_DATA and is_quadratic_along(problem, index):
        return _quadratic_along(problem, weights, index, values, current)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        if problem.hidden_count == 0:
            base = predict(problem.inputs, weights) - problem.targets  # rows
            column = problem.inputs[:, index]
        else:
            current = current or evaluate(problem, weights)
            base = current.errors
            count = problem.hidden_count
            if index < count:  # an output weight: the prediction moves linearly
                column = current.hidden_values[:, index]
            else:  # a hidden weight: its node's sum moves, then through the activation
                node, source = divmod(index - count, problem.input_count)
                activation = ACTIVATIONS[problem.activation][0]
                shift = np.outer(values - weights[index], problem.inputs[:, source])
                moved = activation(current.hidden_sums[None, :, node] + shift)
                change = weights[node] * (moved - current.hidden_values[None, :, node])
                shifted = base[None, :] + change
                return np.mean(shifted * shifted, axis=1)
        shifted = base[None, :] + np.outer(values - weights[index], column)
        return np.mean(shifted * shifted, axis=1)


def is_quadratic_along(problem: Problem, index: int) -> bool:
    """Is the loss a parabola along this weight (the prediction linear in it)?"""
    return problem.hidden_count == 0 or index < problem.hidden_count


def _quadratic_along(
    problem: Problem, weights, index: int, values: np.ndarray, current: Evaluation | None = None
) -> np.ndarray:
    """The parabola from three means over the rows: O(rows) once, then O(grid)."""
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        if problem.hidden_count == 0:
            errors = predict(problem.inputs, weights) - problem.targets
            column = problem.inputs[:, index]
        else:
            current = current or evaluate(problem, weights)
            errors, column = current.errors, current.hidden_values[:, index]
        shift = values - weights[index]
        return (
            np.mean(errors * errors)
            + 2 * shift * np.mean(errors * column)
            + shift * shift * np.mean(column * column)
        )


def loss_grid(
    problem: Problem,
    weights: np.ndarray,
    first: int,
    second: int,
    first_values: np.ndarray,
    second_values: np.ndarray,
    max_cells: int = 4_000_000,
) -> np.ndarray:
    """The loss over a grid of two weights (the others held): shape (second, first).

    Vectorised over the grid, in blocks of grid rows so that grid × data rows stays under
    ``max_cells`` numbers at a time, whatever the size of the data set.
    """
    first_values = np.asarray(first_values, dtype=float)
    second_values = np.asarray(second_values, dtype=float)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        # Overflow gives inf cells, as in evaluate; core.drawing decides what is drawn of them.
        columns = _linear_columns(problem, weights, first, second)
    if columns is not None:
        return _quadratic_grid(
            problem, weights, first, second, first_values, second_values, *columns
        )
    out = np.empty((second_values.shape[0], first_values.shape[0]))
    chunk = max(1, max_cells // problem.row_count)  # grid points per vectorised call
    moved = np.array(weights, dtype=float)
    for row, value in enumerate(second_values):
        moved[second] = value
        for start in range(0, first_values.shape[0], chunk):
            part = first_values[start : start + chunk]
            out[row, start : start + part.shape[0]] = loss_along_weight(problem, moved, first, part)
    return out


def _linear_columns(problem: Problem, weights, first: int, second: int):
    """For two weights the prediction depends on linearly (no hidden layer, or two output
    weights): the columns they multiply and the current errors; else None."""
    if problem.hidden_count == 0:
        with np.errstate(over="ignore", invalid="ignore"):  # huge inputs: an inf grid, no warning
            errors = predict(problem.inputs, weights) - problem.targets
        return problem.inputs[:, first], problem.inputs[:, second], errors
    if first < problem.hidden_count and second < problem.hidden_count:
        current = evaluate(problem, weights)
        values = current.hidden_values
        return values[:, first], values[:, second], current.errors
    return None


def _quadratic_grid(problem, weights, first, second, xs, ys, a, b, errors) -> np.ndarray:
    """The loss is a quadratic in two such weights: six means over the rows, then the grid."""
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        da = (xs - weights[first])[None, :]
        db = (ys - weights[second])[:, None]
        return (
            np.mean(errors * errors)
            + 2 * da * np.mean(errors * a)
            + 2 * db * np.mean(errors * b)
            + da * da * np.mean(a * a)
            + 2 * da * db * np.mean(a * b)
            + db * db * np.mean(b * b)
        )


def minimum_along_weight(
    problem: Problem, weights: np.ndarray, index: int, current: Evaluation | None = None
) -> float | None:
    """Where the loss along weight ``index`` is lowest, when that is a parabola's bottom.

    None when the weight has no effect, for a hidden weight (no parabola there), or when the
    numbers overflow (no finite bottom to show): the views never get a non-finite one.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if problem.hidden_count == 0:
            column = problem.inputs[:, index]
            errors = predict(problem.inputs, weights) - problem.targets
        elif index < problem.hidden_count:
            current = current or evaluate(problem, weights)
            column, errors = current.hidden_values[:, index], current.errors
        else:
            return None
        curvature = float(np.mean(column * column))
        if curvature == 0.0 or not math.isfinite(curvature):
            return None
        bottom = float(weights[index] - np.mean(errors * column) / curvature)
    return bottom if math.isfinite(bottom) else None


def finite_difference_slope(
    problem: Problem, weights: np.ndarray, index: int, h: float = 1e-6
) -> float:
    up = np.array(weights, dtype=float)
    down = up.copy()
    up[index] += h
    down[index] -= h
    return (loss_of(problem, up) - loss_of(problem, down)) / (2 * h)


HISTORY_BUFFERS = (
    "_weights",
    "_gradients",
    "_errors",
    "_losses",
    "_learning_rates",
    "_base_rates",
    "_moved_by_hand",
    "_batch_losses",
    "_optimizer_steps",
    "_optimizer_buffers",
)


class History:
    """Every evaluation of a run, in numpy buffers that grow by doubling.

    Appending is amortised O(1) (never ``np.append``), so a step costs the same at 10 and at 10⁵
    iterations. Views are read-only slices of the filled part. Each record keeps the learning
    rate in force at the step that made it (the schedule's), the problem's own rate then, and
    the optimizer's state after it, so that a look back, Undo or going on from an earlier
    iteration takes up the optimizer exactly where it was.
    """

    def __init__(self, weight_count: int, row_count: int, capacity: int = 64, state_slots: int = 0):
        self._count = 0
        self._weights = np.empty((capacity, weight_count))
        self._gradients = np.empty((capacity, weight_count))
        self._errors = np.empty((capacity, min(row_count, ERROR_ROWS_KEPT)))
        self._losses = np.empty(capacity)
        self._learning_rates = np.empty(capacity)
        self._base_rates = np.empty(capacity)
        self._moved_by_hand = np.zeros(capacity, dtype=bool)
        # The loss on the mini-batch each step learnt from (the full loss for full batch).
        self._batch_losses = np.empty(capacity)
        self._optimizer_steps = np.zeros(capacity, dtype=np.int64)
        self._optimizer_buffers = np.zeros((capacity, state_slots, weight_count))

    def __len__(self) -> int:
        return self._count

    def append(
        self,
        evaluation: Evaluation,
        learning_rate: float,
        moved_by_hand: bool = False,
        state: OptimizerState | None = None,
        base_rate: float | None = None,
    ) -> None:
        """Add one record; ``state`` is the optimizer's (None: before any step)."""
        if self._count == self._losses.shape[0]:
            self._grow()
        i = self._count
        self._weights[i] = evaluation.weights
        self._gradients[i] = evaluation.gradient
        self._errors[i] = evaluation.errors[: self._errors.shape[1]]
        self._losses[i] = evaluation.loss
        self._learning_rates[i] = learning_rate
        self._base_rates[i] = learning_rate if base_rate is None else base_rate
        self._moved_by_hand[i] = moved_by_hand
        self._batch_losses[i] = evaluation.loss
        self._optimizer_steps[i] = 0 if state is None else state.step
        self._optimizer_buffers[i] = 0.0 if state is None else state.buffers
        self._count += 1

    def extend(self, descent: Descent, learning_rate: float) -> None:
        """Append every step of a :class:`Descent` at once; ``learning_rate`` is the problem's
        (the rate in force at each step is the descent's, the schedule's)."""
        added = len(descent)
        while self._count + added > self._losses.shape[0]:
            self._grow()
        block = slice(self._count, self._count + added)
        self._weights[block] = descent.weights
        self._gradients[block] = descent.gradients
        self._errors[block] = descent.errors
        self._losses[block] = descent.losses
        self._learning_rates[block] = learning_rate if descent.rates is None else descent.rates
        self._base_rates[block] = learning_rate
        self._moved_by_hand[block] = False
        self._batch_losses[block] = (
            descent.losses if descent.batch_losses is None else descent.batch_losses
        )
        if descent.optimizer_steps is not None:
            self._optimizer_steps[block] = descent.optimizer_steps
            self._optimizer_buffers[block] = descent.buffers
        self._count += added

    def _grow(self) -> None:
        for name in HISTORY_BUFFERS:
            old = getattr(self, name)
            new = np.zeros((old.shape[0] * 2, *old.shape[1:]), dtype=old.dtype)
            new[: self._count] = old[: self._count]
            setattr(self, name, new)

    def copy(self) -> History:
        """An independent copy (for Undo), sized to what is filled."""
        twin = History.__new__(History)
        twin._count = self._count
        for name in HISTORY_BUFFERS:
            setattr(twin, name, getattr(self, name)[: max(self._count, 1)].copy())
        return twin

    def truncate(self, count: int) -> None:
        """Keep the first ``count`` records (at least one): going on from an earlier iteration."""
        self._count = max(1, min(count, self._count))

    def evaluation(self, index: int, problem: Problem) -> Evaluation:
        """Record ``index`` as an evaluation, recomputed from its weights exactly as stored."""
        return evaluate(problem, np.array(self._weights[index]))

    def state(self, index: int) -> OptimizerState:
        """The optimizer's state at record ``index`` (after the step that made it)."""
        return OptimizerState(
            int(self._optimizer_steps[index]), np.array(self._optimizer_buffers[index])
        )

    def _view(self, array: np.ndarray) -> np.ndarray:
        view = array[: self._count]
        view.flags.writeable = False
        return view

    @property
    def weights(self) -> np.ndarray:
        return self._view(self._weights)

    @property
    def gradients(self) -> np.ndarray:
        return self._view(self._gradients)

    @property
    def errors(self) -> np.ndarray:
        return self._view(self._errors)

    @property
    def losses(self) -> np.ndarray:
        return self._view(self._losses)

    @property
    def learning_rates(self) -> np.ndarray:
        """The rate in force at the step that made each record (the schedule's)."""
        return self._view(self._learning_rates)

    @property
    def base_rates(self) -> np.ndarray:
        """The problem's learning rate when each record was made (before the schedule)."""
        return self._view(self._base_rates)

    @property
    def moved_by_hand(self) -> np.ndarray:
        return self._view(self._moved_by_hand)

    @property
    def batch_losses(self) -> np.ndarray:
        return self._view(self._batch_losses)

    @property
    def optimizer_steps(self) -> np.ndarray:
        """The optimizer's step number t at each record (0 before its first step)."""
        return self._view(self._optimizer_steps)

    @property
    def optimizer_buffers(self) -> np.ndarray:
        """The optimizer's buffers at each record: records × state symbols × weights."""
        return self._view(self._optimizer_buffers)


@dataclass(frozen=True)
class Trace:
    """A headless run: the evaluations in order, and where (if anywhere) the numbers blew up."""

    problem: Problem
    evaluations: list[Evaluation]
    diverged_at: int | None
    #: The run's history: the rate in force and the optimizer's state at each evaluation.
    history: History | None = None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None


def run(problem: Problem, weights, steps: int) -> Trace:
    """Evaluate, then step ``steps`` times, stopping at the first non-finite number.

    The steps are the run loop's (:func:`gd_desktop.core.run.trace`); imported here, when called,
    because that module builds on this one.
    """
    from gd_desktop.core.run import trace

    return trace(problem, weights, steps)


# A loss this small beside the run's first loss is rounding noise (errors of a few units in the
# last place, squared): it may rise and fall at random near the minimum, which is no divergence.
NOISE_LOSS = 1e-20


def loss_is_growing(losses: np.ndarray, window: int = 3, floor: float = 0.0) -> bool:
    """True when the loss has grown at each of the last ``window`` steps, to above ``floor``.

    Below the critical rate full-batch descent on a squared error never raises the loss, so a
    loss that keeps growing means the learning rate is too big (or the numbers blew up).
    """
    if losses.shape[0] < window + 1:
        return False
    tail = losses[-(window + 1) :]
    if not np.all(np.isfinite(tail)):
        return True
    tolerance = 1e-12 * np.maximum(np.abs(tail[:-1]), 1e-300)
    return bool(np.all(np.diff(tail) > tolerance) and np.all(tail[1:] > floor))


def growth_detected_at(losses: np.ndarray, window: int = 3, floor: float = 0.0) -> int | None:
    """The index of the first loss that ends ``window`` rises in a row, or None.

    The vectorised form of :func:`loss_is_growing`, for checking a whole run at once.
    """
    if losses.shape[0] < window + 1 or not (losses[1:] > losses[:-1]).any():
        return None  # a rise is above the loss before it: none (the usual chunk) is quick to tell
    with np.errstate(invalid="ignore"):
        rises = np.diff(losses) > 1e-12 * np.maximum(np.abs(losses[:-1]), 1e-300)
        rises &= losses[1:] > floor  # rises within rounding noise of the minimum do not count
    runs = np.convolve(rises.astype(np.int8), np.ones(window, dtype=np.int8), mode="valid")
    hits = np.flatnonzero(runs == window)
    return None if hits.size == 0 else int(hits[0]) + window
