"""Numbers that never look wrong: rounded until they fit their place, and rounding noise shown
as the simple value it stands for. No Qt.

A view knows how wide its place is; it asks :func:`fit_number` for the most precise text that
fits (it only measures). The arithmetic knows which operands made a value; it asks
:func:`shown_value` whether the value is only their rounding noise, as ``10 − 10`` computed as
−3.5527e−15 is.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from gd_desktop.core.i18n import localized_number
from gd_desktop.core.numbers import MINUS, format_number

#: Rounding in a sum of a few products costs a few units in the last place of the largest
#: term; 64 of them (about 1.4e−14 of it) is well above that and far below any digit shown.
NOISE_ULPS = 64
RELATIVE_NOISE = NOISE_ULPS * float(np.finfo(float).eps)
FEWEST_DIGITS = 1
MOST_DIGITS = 15  # a float's last sure digit


def _positional(value: float, digits: int) -> str:
    text = np.format_float_positional(
        value, precision=digits, unique=True, fractional=False, trim="-"
    )
    return localized_number(text.replace("-", MINUS))


def _scientific(value: float, digits: int) -> str:
    text = np.format_float_scientific(value, precision=digits - 1, unique=True, trim="-")
    return localized_number(text.replace(".e", "e").replace("-", MINUS))


def number_texts(value: float) -> Iterator[str]:
    """The ways to write ``value``, from the lesson's usual six significant digits down to one:
    each no less precise than the next, each rounded, never cut."""
    value = float(value)
    first = format_number(value)
    yield first
    if value == 0 or not math.isfinite(value):
        return
    magnitude = abs(value)
    seen = {first}
    for digits in range(6, FEWEST_DIGITS - 1, -1):
        texts = [_scientific(value, digits)]
        # Positional only where its digits are all significant: 1.23e+03, not 1230 for 1234.5
        # (whose 0 would claim a digit it has not), and never below 1e−4 (0.0001 for 0.000123).
        if 1e-4 <= magnitude < 10**digits:
            texts.append(_positional(value, digits))
        for text in sorted(texts, key=len):
            if text not in seen:
                seen.add(text)
                yield text


def format_digits(value: float, digits: int) -> str:
    """``value`` with up to ``digits`` significant digits (no trailing zeros), written as the
    lesson writes numbers."""
    value = float(value)
    if digits <= 6 or value == 0 or not math.isfinite(value):
        return format_number(value)
    if 1e-4 <= abs(value) < 10 ** min(digits, 15):
        return _positional(value, digits)
    return _scientific(value, digits)


def digits_to_show_difference(left: float, right: float, difference: float) -> int | None:
    """Significant digits the operands of ``left − right`` need for ``difference`` to show in
    them with two digits of its own (None: the usual six are enough)."""
    scale = max(abs(float(left)), abs(float(right)))
    difference = abs(float(difference))
    if difference == 0 or scale == 0 or not math.isfinite(scale / difference):
        return None
    needed = math.ceil(math.log10(scale / difference)) + 2
    return min(needed, MOST_DIGITS) if needed > 6 else None


def fit_number(value: float, fits: Callable[[str], bool]) -> str:
    """The most precise text for ``value`` that ``fits`` its place (the view measures); if none
    does, the shortest (the place should widen: a cut number would be a wrong one)."""
    shortest = None
    for text in number_texts(value):
        if fits(text):
            return text
        if shortest is None or len(text) < len(shortest):
            shortest = text
    return shortest if shortest is not None else format_number(value)


def fit_to_characters(value: float, characters: int) -> str:
    """:func:`fit_number` for a place ``characters`` wide (trace and tests; views measure)."""
    return fit_number(value, lambda text: len(text) <= characters)


def rounding_noise(*operands: float) -> float:
    """How large a result of these operands' sums and products can be from rounding alone."""
    finite = [abs(float(x)) for x in operands if math.isfinite(float(x))]
    return RELATIVE_NOISE * max(finite, default=0.0)


def is_noise(value: float, noise: float) -> bool:
    """Whether ``value`` is no larger than the rounding ``noise`` of what made it (and not 0)."""
    value = float(value)
    return value != 0 and math.isfinite(value) and abs(value) <= noise


def shown_value(value: float, noise: float = 0.0) -> float:
    """What to write for ``value``: 0 where it is only rounding noise, else the value itself."""
    return 0.0 if is_noise(value, noise) else float(value)


def error_noise(predicted_terms, targets) -> np.ndarray:
    """Per row, how large an error can be from rounding alone: a few units in the last place of
    the largest number that made it (the prediction's terms, rows × terms, and the target)."""
    terms = np.abs(np.asarray(predicted_terms, dtype=float))
    with np.errstate(over="ignore", invalid="ignore"):
        scale = np.maximum(np.sum(terms, axis=1), np.abs(np.asarray(targets, dtype=float)))
    return RELATIVE_NOISE * np.where(np.isfinite(scale), scale, 0.0)


@dataclass(frozen=True)
class EvaluationNoise:
    """How large each number of an evaluation can be from rounding alone: a value no larger is
    written 0 in every view (the arithmetic, the readout, the diagram, the history)."""

    errors: np.ndarray  # per row
    loss: float
    slopes: np.ndarray  # per weight, in the engine's order


def evaluation_noise(problem, weights, hidden_values=None) -> EvaluationNoise:
    """The rounding noise of the errors, loss and slopes at ``weights`` (``problem``'s rows;
    with a hidden layer, its ``hidden_values``, rows × nodes, as the evaluation has them).

    Bounded generously (a hidden node's activation slope counted as at most 1): a value is
    written 0 only when it is far below any digit that could mean something.
    """
    x = np.asarray(problem.inputs, dtype=float)
    w = np.asarray(weights, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        if not problem.hidden_count:
            noise = error_noise(x * w, problem.targets)
            slopes = np.mean(2 * noise[:, None] * np.abs(x), axis=0)
        else:
            count = problem.hidden_count
            out = w[:count]
            hidden = np.abs(problem.hidden_weights(w))
            values = np.abs(np.asarray(hidden_values, dtype=float))
            terms = values * np.abs(out) + np.abs(out) * (np.abs(x) @ hidden.T)
            noise = error_noise(terms, problem.targets)
            output_slopes = np.mean(2 * noise[:, None] * values, axis=0)
            input_slopes = [
                float(np.mean(2 * noise * abs(out[j]) * np.abs(x[:, i])))
                for j in range(count)
                for i in range(problem.input_count)
            ]
            slopes = np.concatenate([output_slopes, input_slopes])
        loss = float(np.mean(noise * noise))
    slopes = np.where(np.isfinite(slopes), slopes, 0.0)
    return EvaluationNoise(noise, loss if math.isfinite(loss) else 0.0, slopes)
