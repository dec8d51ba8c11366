"""The optimizers as one table: each one's settings, its state, its update and its arithmetic.

The update rules and the defaults are those PyTorch documents for ``torch.optim`` (with g the
slope, t the step number from 1, all per weight), so a student's numbers agree with the library
most of them will use:

- ``gd`` (plain steps): w ← w − rate·g
- ``momentum`` (SGD, dampening 0): b ← g on the first step, then b ← μ·b + g; w ← w − rate·b
- ``nesterov``: b as for momentum; w ← w − rate·(g + μ·b)
- ``adagrad``: s ← s + g²; w ← w − rate·g / (√s + ε)
- ``rmsprop``: s ← α·s + (1 − α)·g²; w ← w − rate·g / (√s + ε)
- ``adam``: m ← β₁·m + (1 − β₁)·g; v ← β₂·v + (1 − β₂)·g²; m̂ = m / (1 − β₁ᵗ);
  v̂ = v / (1 − β₂ᵗ); w ← w − rate·m̂ / (√v̂ + ε)

Keras (the course's library) differs in two places: its SGD momentum folds the rate into the
velocity (v ← μ·v − rate·g; w ← w + v), which gives the same steps only while the rate stays
fixed, and its Adam adds ε before the bias correction (PyTorch's rule with ε / √(1 − β₂ᵗ) for
ε), which matters only where √v̂ is as small as ε. docs/OPTIMIZERS.md says more.

The updates work on lists of Python floats (a step touches at most 88 weights, where numpy's
per-call overhead would dominate): ``engine.take_step``, the numpy path for larger data and the
hidden layer's path all call them; core/unrolled.py writes the very same operations out for
small problems (a test holds the two to the last bit). No Qt, no numpy here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from gd_desktop.core.numbers import format_number, format_operand


class Settings(NamedTuple):
    """The optimizer settings of a problem (the fields of the same names)."""

    momentum: float
    alpha: float
    beta1: float
    beta2: float
    epsilon: float


#: PyTorch's defaults for the settings every optimizer shares the field of.
DEFAULT_MOMENTUM = 0.9
DEFAULT_ALPHA = 0.99
DEFAULT_BETA1 = 0.9
DEFAULT_BETA2 = 0.999
DEFAULT_EPSILON = 1e-8


@dataclass(frozen=True)
class ArithmeticLine:
    """One line of a step's arithmetic, with its numbers in: ``label = expression = result``.

    ``value`` is the exact number (the truth); ``result`` is how the lesson writes it.
    """

    label: str
    expression: str
    value: float

    @property
    def result(self) -> str:
        return format_number(self.value)

    @property
    def text(self) -> str:
        return f"{self.label} = {self.expression} = {self.result}"


# An update: (weights, slopes, buffers, t, rate, settings) → the new weights. ``buffers`` holds
# one list per state symbol (one float per weight) and is updated in place; t counts from 1.
Update = Callable[[list, list, list, int, float, Settings], list]


def _plain(w, g, buffers, t, rate, settings):
    return [wi - rate * gi for wi, gi in zip(w, g)]


def _momentum_buffer(g, buffers, t, mu) -> list:
    b = buffers[0]
    b[:] = g if t == 1 else [mu * bi + gi for bi, gi in zip(b, g)]
    return b


def _momentum(w, g, buffers, t, rate, settings):
    b = _momentum_buffer(g, buffers, t, settings.momentum)
    return [wi - rate * bi for wi, bi in zip(w, b)]


def _nesterov(w, g, buffers, t, rate, settings):
    mu = settings.momentum
    b = _momentum_buffer(g, buffers, t, mu)
    return [wi - rate * (gi + mu * bi) for wi, gi, bi in zip(w, g, b)]


def _adagrad(w, g, buffers, t, rate, settings):
    s, eps, sqrt = buffers[0], settings.epsilon, math.sqrt
    s[:] = [si + gi * gi for si, gi in zip(s, g)]
    return [wi - rate * (gi / (sqrt(si) + eps)) for wi, gi, si in zip(w, g, s)]


def _rmsprop(w, g, buffers, t, rate, settings):
    s, alpha, eps, sqrt = buffers[0], settings.alpha, settings.epsilon, math.sqrt
    keep = 1.0 - alpha
    s[:] = [alpha * si + keep * (gi * gi) for si, gi in zip(s, g)]
    return [wi - rate * (gi / (sqrt(si) + eps)) for wi, gi, si in zip(w, g, s)]


def _adam(w, g, buffers, t, rate, settings):
    m, v = buffers
    beta1, beta2, eps, sqrt = settings.beta1, settings.beta2, settings.epsilon, math.sqrt
    keep1, keep2 = 1.0 - beta1, 1.0 - beta2
    m[:] = [beta1 * mi + keep1 * gi for mi, gi in zip(m, g)]
    v[:] = [beta2 * vi + keep2 * (gi * gi) for vi, gi in zip(v, g)]
    correction1, correction2 = 1.0 - beta1**t, 1.0 - beta2**t
    return [
        wi - rate * ((mi / correction1) / (sqrt(vi / correction2) + eps))
        for wi, mi, vi in zip(w, m, v)
    ]


# --- the lines of arithmetic ------------------------------------------------------------------
# Each takes (names, w, g, before, after, t, rate, settings, new_w): the weights' names (w1 …),
# the weights and slopes, the buffers before and after the step, and the new weights.


def _state_name(symbol: str, weight_name: str) -> str:
    """b1 for w1; b(h1→out) for w(h1→out): the state's symbol in the weight's place."""
    return symbol + weight_name[1:]


def _new_weight(name: str, w: float, rate: float, step_text: str, new: float) -> ArithmeticLine:
    return ArithmeticLine(
        f"new {name}",
        f"{format_number(w)} − {format_number(rate)} × {step_text}",
        new,
    )


def _plain_lines(names, w, g, before, after, t, rate, settings, new_w):
    return [
        _new_weight(name, w[i], rate, format_operand(g[i]), new_w[i])
        for i, name in enumerate(names)
    ]


def _momentum_lines(names, w, g, before, after, t, rate, settings, new_w, nesterov=False):
    lines = []
    mu = format_number(settings.momentum)
    for i, name in enumerate(names):
        b = after[0][i]
        if t == 1:  # the first step: the buffer starts as the slope
            expression = format_number(g[i])
        else:
            expression = f"{mu} × {format_operand(before[0][i])} + {format_operand(g[i])}"
        lines.append(ArithmeticLine(_state_name("b", name), expression, b))
        if nesterov:
            step = f"({format_number(g[i])} + {mu} × {format_operand(b)})"
        else:
            step = format_operand(b)
        lines.append(_new_weight(name, w[i], rate, step, new_w[i]))
    return lines


def _nesterov_lines(*arguments):
    return _momentum_lines(*arguments, nesterov=True)


def _scaled_step(g: float, s: float, eps: float) -> str:
    return f"{format_operand(g)} / (√{format_operand(s)} + {format_number(eps)})"


def _adagrad_lines(names, w, g, before, after, t, rate, settings, new_w):
    lines = []
    for i, name in enumerate(names):
        s = after[0][i]
        expression = f"{format_number(before[0][i])} + {format_operand(g[i])}²"
        lines.append(ArithmeticLine(_state_name("s", name), expression, s))
        step = _scaled_step(g[i], s, settings.epsilon)
        lines.append(_new_weight(name, w[i], rate, step, new_w[i]))
    return lines


def _rmsprop_lines(names, w, g, before, after, t, rate, settings, new_w):
    lines = []
    alpha = format_number(settings.alpha)
    for i, name in enumerate(names):
        s = after[0][i]
        s_before, slope = format_operand(before[0][i]), format_operand(g[i])
        expression = f"{alpha} × {s_before} + (1 − {alpha}) × {slope}²"
        lines.append(ArithmeticLine(_state_name("s", name), expression, s))
        step = _scaled_step(g[i], s, settings.epsilon)
        lines.append(_new_weight(name, w[i], rate, step, new_w[i]))
    return lines


def _adam_lines(names, w, g, before, after, t, rate, settings, new_w):
    lines = []
    beta1, beta2 = format_number(settings.beta1), format_number(settings.beta2)
    for i, name in enumerate(names):
        m, v = after[0][i], after[1][i]
        m_hat = m / (1.0 - settings.beta1**t)  # as the update works them out
        v_hat = v / (1.0 - settings.beta2**t)
        m_before, v_before = format_operand(before[0][i]), format_operand(before[1][i])
        slope = format_operand(g[i])
        step = _scaled_step(m_hat, v_hat, settings.epsilon)
        lines += [
            ArithmeticLine(
                _state_name("m", name), f"{beta1} × {m_before} + (1 − {beta1}) × {slope}", m
            ),
            ArithmeticLine(
                _state_name("v", name), f"{beta2} × {v_before} + (1 − {beta2}) × {slope}²", v
            ),
            ArithmeticLine(
                _state_name("m̂", name), f"{format_operand(m)} / (1 − {beta1}^{t})", m_hat
            ),
            ArithmeticLine(
                _state_name("v̂", name), f"{format_operand(v)} / (1 − {beta2}^{t})", v_hat
            ),
            _new_weight(name, w[i], rate, step, new_w[i]),
        ]
    return lines


@dataclass(frozen=True)
class Optimizer:
    """One row of the table: what an optimizer keeps per weight, how it steps, how it says so."""

    name: str  # the id (lesson files, trace's --optimizer)
    title: str  # how the lesson names it
    #: The symbols of its state, one number per weight each: ("b",), ("m", "v").
    state: tuple[str, ...]
    #: The Problem fields it reads (the window shows only these).
    settings: tuple[str, ...]
    update: Update
    lines: Callable[..., list[ArithmeticLine]]
    #: PyTorch's default ε for this optimizer (the problem's one ε field defaults to 1e−8).
    default_epsilon: float = DEFAULT_EPSILON


OPTIMIZERS: dict[str, Optimizer] = {
    row.name: row
    for row in (
        Optimizer("gd", "Plain steps", (), (), _plain, _plain_lines),
        Optimizer("momentum", "Momentum", ("b",), ("momentum",), _momentum, _momentum_lines),
        Optimizer("nesterov", "Nesterov", ("b",), ("momentum",), _nesterov, _nesterov_lines),
        Optimizer(
            "adagrad", "AdaGrad", ("s",), ("epsilon",), _adagrad, _adagrad_lines,
            default_epsilon=1e-10,
        ),
        Optimizer("rmsprop", "RMSProp", ("s",), ("alpha", "epsilon"), _rmsprop, _rmsprop_lines),
        Optimizer(
            "adam", "Adam", ("m", "v"), ("beta1", "beta2", "epsilon"), _adam, _adam_lines
        ),
    )
}  # fmt: skip


def step_lines(
    optimizer: str,
    names: Sequence[str],
    weights: Sequence[float],
    slopes: Sequence[float],
    buffers: Sequence[Sequence[float]],
    step: int,
    rate: float,
    settings: Settings,
) -> list[ArithmeticLine]:
    """The lines of one step from ``weights`` (``step`` steps taken before it, ``buffers`` the
    state then), each with its numbers in, in the order a teacher writes them."""
    row = OPTIMIZERS[optimizer]
    w, g = [float(x) for x in weights], [float(x) for x in slopes]
    before = [[float(x) for x in buffer] for buffer in buffers]
    after = [list(buffer) for buffer in before]
    new_w = row.update(w, g, after, step + 1, rate, settings)
    return row.lines(list(names), w, g, before, after, step + 1, rate, settings, new_w)


# --- learning-rate schedules ------------------------------------------------------------------
# k counts the steps already taken (0 for the first), as PyTorch's StepLR and ExponentialLR do.


def _constant(rate: float, k: int, step_size: int, gamma: float) -> float:
    return rate


def _step(rate: float, k: int, step_size: int, gamma: float) -> float:
    return rate * gamma ** (k // step_size)


def _exponential(rate: float, k: int, step_size: int, gamma: float) -> float:
    return rate * gamma**k


def _inverse_time(rate: float, k: int, step_size: int, gamma: float) -> float:
    return rate / (1.0 + gamma * k)


#: name → the rate in force at step k: (rate, k, step size, γ) → rate.
SCHEDULES: dict[str, Callable[[float, int, int, float], float]] = {
    "constant": _constant,
    "step": _step,
    "exponential": _exponential,
    "inverse-time": _inverse_time,
}

# The settings each schedule reads, besides the rate (the window shows only these).
SCHEDULE_SETTINGS = {
    "constant": (),
    "step": ("step_size", "gamma"),
    "exponential": ("gamma",),
    "inverse-time": ("gamma",),
}


def scheduled_rate(schedule: str, rate: float, k: int, step_size: int, gamma: float) -> float:
    """The learning rate in force at the step after ``k`` steps taken."""
    try:
        return SCHEDULES[schedule](rate, k, step_size, gamma)
    except OverflowError:  # γ > 1 over very many steps
        return math.inf


def schedule_line(
    schedule: str, rate: float, k: int, step_size: int, gamma: float
) -> ArithmeticLine | None:
    """The rate in force, written out; None for a constant rate (nothing to work out)."""
    if schedule == "constant":
        return None
    names = {"rate": format_number(rate), "gamma": format_number(gamma), "k": k}
    if schedule == "step":
        expression = "{rate} × {gamma}^⌊{k} / {size}⌋".format(size=step_size, **names)
    elif schedule == "exponential":
        expression = "{rate} × {gamma}^{k}".format(**names)
    else:
        expression = "{rate} / (1 + {gamma} × {k})".format(**names)
    value = scheduled_rate(schedule, rate, k, step_size, gamma)
    return ArithmeticLine("rate", expression, value)
