"""The stepping loop for a small problem, written out for that problem. No Qt, no numpy.

A step of the chapter's example is a dozen multiplications; numpy spends microseconds per call
on it, and even Python lists spend more on making lists than on the arithmetic. So for a small
problem without a hidden layer (:attr:`engine.Problem.small_data`) the engine writes the loop
out as Python source with every weight, slope and buffer a local variable and every input a
constant, compiles it once per problem (as :mod:`dataclasses` writes its ``__init__``), and
runs it. The arithmetic is the engine's, operation for operation: each sum runs left to right
as ``sum(map(mul, …))`` does in :func:`engine._evaluate_small`, and each update is the one in
:mod:`gd_desktop.core.optimizers`, so the numbers are the same to the last bit (a sum of zeros
may differ in the sign of its zero, which no comparison sees).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable

from gd_desktop.core.optimizers import Settings

# Per weight i, each optimizer's update, as optimizers.py writes it (the same operations in the
# same order): o{i} is the weight before, g{i} the slope, the buffers b/s/m/v{i}.
_UPDATES = {
    "gd": ["w{i} = w{i} - rate * g{i}"],
    "momentum": [
        "b{i} = g{i} if t == 1 else {mu} * b{i} + g{i}",
        "w{i} = w{i} - rate * b{i}",
    ],
    "nesterov": [
        "b{i} = g{i} if t == 1 else {mu} * b{i} + g{i}",
        "w{i} = w{i} - rate * (g{i} + {mu} * b{i})",
    ],
    "adagrad": [
        "s{i} = s{i} + g{i} * g{i}",
        "w{i} = w{i} - rate * (g{i} / (sqrt(s{i}) + {eps}))",
    ],
    "rmsprop": [
        "s{i} = {alpha} * s{i} + {keep_alpha} * (g{i} * g{i})",
        "w{i} = w{i} - rate * (g{i} / (sqrt(s{i}) + {eps}))",
    ],
    "adam": [
        "m{i} = {beta1} * m{i} + {keep1} * g{i}",
        "v{i} = {beta2} * v{i} + {keep2} * (g{i} * g{i})",
        "w{i} = w{i} - rate * ((m{i} / c1) / (sqrt(v{i} / c2) + {eps}))",
    ],
}
_STATE = {"gd": "", "momentum": "b", "nesterov": "b", "adagrad": "s", "rmsprop": "s",
          "adam": "mv"}  # fmt: skip

# What the loop returns: one record per step, the weights, the slopes, the errors, the loss, the
# rate (with a schedule) and the buffers in a row, all in one flat list (one extend a step, one
# conversion to an array at the end). It takes every step asked for: the caller finds the first
# step that is not finite or changed no weight in the array, at numpy's speed, and keeps the
# steps up to there (Python's floats go on to inf and NaN without an error).
Loop = Callable[..., tuple]


class Layout:
    """Where each number sits in a record (the weights, the slopes, the errors kept, the loss,
    the rate with a schedule, the buffers), and how a chunk's records become doubles."""

    def __init__(
        self, weights: int, rows: int, slots: int, scheduled: bool, errors_kept: int,
        steady: bool = False,
    ):  # fmt: skip
        self.weights, self.slots, self.scheduled = weights, slots, scheduled
        #: Plain steps at a constant rate: a step that changes no weight leaves the slope as it
        #: was, so every step after it changes none either (the last step tells for a chunk).
        self.steady = steady
        self.errors_end = 2 * weights + errors_kept
        self.loss_column = 2 * weights + rows
        self.state_column = self.loss_column + 1 + scheduled
        self.width = self.state_column + slots * weights
        self.fresh_buffers = (0.0,) * (slots * weights)  # before the first step
        self._packers: dict[int, Callable[..., bytes]] = {}

    def pack(self, steps: int) -> Callable[..., bytes]:
        """``struct``'s packing of ``steps`` records: the quickest way from Python floats to
        doubles (a third of ``array.array``'s time, a fifth of ``np.array``'s)."""
        packer = self._packers.get(steps)
        if packer is None:
            if len(self._packers) > 8:  # a run asks for a few chunk sizes only
                self._packers.clear()
            packer = self._packers[steps] = struct.Struct(f"{steps * self.width}d").pack
        return packer


def _sum(terms: list[str]) -> str:
    return "(" + " + ".join(terms) + ")"


def _literal(value) -> str:
    """A checked finite number as Python source: ``repr`` of a float is digits, a sign, a point
    and an exponent, never a name, so nothing from a lesson can become code here."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("the written-out loop takes finite numbers only")
    return repr(number)


def loop_source(
    rows: list[list[float]], targets: list[float], optimizer: str, settings: Settings,
    scheduled: bool,
) -> str:  # fmt: skip
    """The loop's Python source (see the module's docstring)."""
    count, n = len(rows), len(rows[0])
    numbers = {
        "mu": _literal(settings.momentum),
        "alpha": _literal(settings.alpha),
        "keep_alpha": _literal(1.0 - settings.alpha),
        "beta1": _literal(settings.beta1),
        "keep1": _literal(1.0 - settings.beta1),
        "beta2": _literal(settings.beta2),
        "keep2": _literal(1.0 - settings.beta2),
        "eps": _literal(settings.epsilon),
    }
    weights = [f"w{i}" for i in range(n)]
    slopes = [f"g{i}" for i in range(n)]
    errors = [f"e{r}" for r in range(count)]
    state = [f"{symbol}{i}" for symbol in _STATE[optimizer] for i in range(n)]

    def tuple_of(names: list[str]) -> str:
        return "(" + ", ".join(names) + ",)"

    body = []
    if scheduled:
        body.append("rate = rate_at(t)")
    if scheduled or optimizer in ("momentum", "nesterov", "adam"):  # they read t
        body.append("t += 1")
    mean = "" if count == 1 else f" / {count}"  # x / 1 is x: one division less a step
    if optimizer == "adam":
        body += [f"c1 = 1.0 - {numbers['beta1']} ** t", f"c2 = 1.0 - {numbers['beta2']} ** t"]
    for line in _UPDATES[optimizer]:
        body += [line.format(i=i, **numbers) for i in range(n)]
    for r, (row, y) in enumerate(zip(rows, targets)):
        products = _sum([f"{_literal(x)} * w{i}" for i, x in enumerate(row)])
        body.append(f"e{r} = {products} - {_literal(y)}")
    body.append(f"loss = {_sum([f'e{r} * e{r}' for r in range(count)])}{mean}")
    body += [f"d{r} = 2.0 * e{r}" for r in range(count)]
    for i in range(n):
        terms = [f"d{r} * {_literal(row[i])}" for r, row in enumerate(rows)]
        body.append(f"g{i} = {_sum(terms)}{mean}")
    rate = ["rate"] if scheduled else []  # a constant rate is the problem's: not kept
    body.append(f"keep({tuple_of([*weights, *slopes, *errors, 'loss', *rate, *state])})")
    lines = [
        "def loop(steps, w, g, buffers, t, rate, rate_at):",
        f"    {', '.join(weights)}, = w",
        f"    {', '.join(slopes)}, = g",
    ]
    if state:
        lines.append(f"    {', '.join(state)}, = buffers")
    lines += [
        "    records = []",
        "    keep = records.extend",
        "    for _ in range(steps):",
        *("        " + line for line in body),
        "    return records",
    ]
    return "\n".join(lines) + "\n"


def compile_loop(
    rows: list[list[float]], targets: list[float], optimizer: str, settings: Settings,
    scheduled: bool,
) -> Loop:  # fmt: skip
    """The loop for one problem, compiled: ``loop(steps, weights, slopes, buffers (flat), t,
    rate, rate_at)``."""
    namespace = {"sqrt": math.sqrt}
    source = loop_source(rows, targets, optimizer, settings, scheduled)
    exec(compile(source, f"<the stepping loop for {optimizer}>", "exec"), namespace)  # noqa: S102
    return namespace["loop"]
