"""What the plots and the diagram are given when the numbers overflow, decided once. No Qt.

A run keeps only finite states, but finite numbers can still be far too large to draw: a loss of
1e300 has a span of inf once a margin is added, the slope of a tangent times its length
overflows, and Qt paints a pen of infinite width for ever. Every view that plots takes its
numbers through these functions, so that what it hands pyqtgraph (``setData``, ``setRange``, a
pen's width) is always finite, and a range is never empty. When there is nothing sound to draw,
a view shows one of the sentences below instead.
"""

from __future__ import annotations

import math

import numpy as np

from gd_desktop.core.i18n import N_

#: Beyond this size a number is not drawn: its plot would be one line at the edge, and sums of
#: such numbers (a range's span, a margin) could overflow. Squares of it stay finite too.
LARGEST_DRAWN = 1e100
#: The least span of a range, relative to its size, so that a flat curve still gets a view.
LEAST_RELATIVE_SPAN = 1e-9

LOSS_TOO_LARGE = "The loss is too large to draw: lower the learning rate and press Reset."
#: Shown through the translation function (``_(drawing.MAP_TOO_LARGE)``).
CURVE_TOO_LARGE = N_("The loss curve is too large to draw here: lower the learning rates.")
MAP_TOO_LARGE = N_("The loss is too large to draw here: lower the learning rate and press Reset.")


def is_drawable(*values: float) -> bool:
    """True when every value is finite and no larger than :data:`LARGEST_DRAWN`."""
    return all(math.isfinite(v) and abs(v) <= LARGEST_DRAWN for v in map(float, values))


def all_drawable(values) -> bool:
    """True when every number of ``values`` (an array of any shape) could be drawn."""
    array = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return bool(np.all(np.abs(array) <= LARGEST_DRAWN))  # False for NaN and inf alike


def clipped(values) -> np.ndarray:
    """A curve over iterations, each number held within ±:data:`LARGEST_DRAWN`, so that a run
    that grows huge goes off the top of its plot. (A run keeps finite numbers only; inf would be
    held at the bound, and NaN, which has no place on a curve, drawn at 0.) The values as they
    are, not a copy, when every one is within the bound."""
    array = np.asarray(values, dtype=float)
    if array.size and array.min() >= -LARGEST_DRAWN and array.max() <= LARGEST_DRAWN:
        return array  # the usual case: drawn as it is, no copy of a long history each frame
    array = np.array(array)
    np.nan_to_num(array, copy=False, nan=0.0, posinf=LARGEST_DRAWN, neginf=-LARGEST_DRAWN)
    return np.clip(array, -LARGEST_DRAWN, LARGEST_DRAWN, out=array)


def drawable_points(x, y) -> tuple[np.ndarray, np.ndarray]:
    """The points (x, y) that can be drawn, in order: a point with a coordinate that is not
    finite or is too large is left out."""
    xs = np.asarray(x, dtype=float).reshape(-1)
    ys = np.asarray(y, dtype=float).reshape(-1)
    with np.errstate(invalid="ignore"):
        keep = (np.abs(xs) <= LARGEST_DRAWN) & (np.abs(ys) <= LARGEST_DRAWN)
    if keep.all():
        return xs.copy(), ys.copy()
    return xs[keep], ys[keep]


def finite_extent(values) -> tuple[float, float] | None:
    """The lowest and highest drawable numbers of ``values``; None when there is none."""
    array = np.asarray(values, dtype=float).reshape(-1)
    with np.errstate(invalid="ignore"):
        array = array[np.abs(array) <= LARGEST_DRAWN]
    if array.size == 0:
        return None
    return float(array.min()), float(array.max())


def padded_range(
    low: float, high: float, share: float = 0.08, least: float = 1.0
) -> tuple[float, float]:
    """``low`` to ``high`` with ``share`` of the span added each side (``least`` when the span
    is 0): always finite, never empty, whatever it is given (NaN and inf included)."""
    low, high = _bounded(low), _bounded(high)
    if low > high:
        low, high = high, low
    span = high - low  # at most 2e100: no overflow
    margin = share * span
    smallest = LEAST_RELATIVE_SPAN * max(abs(low), abs(high))
    if margin <= smallest:
        margin = max(least, smallest)
    return low - margin, high + margin


def view_around(points, share: float, least_span: float) -> tuple[float, float] | None:
    """A window that holds ``points`` with ``share`` of its span each side, the span at least
    ``least_span``; None when a point is too large to draw (the view then says so instead)."""
    array = np.asarray(points, dtype=float).reshape(-1)
    if array.size == 0 or not all_drawable(array) or not is_drawable(least_span):
        return None
    low, high = float(array.min()), float(array.max())
    span = max(high - low, least_span)
    return low - share * span, high + share * span


def tangent_line(
    x: float, y: float, slope: float, half_width: float
) -> tuple[np.ndarray, np.ndarray]:
    """The two ends of the tangent at (x, y), ``half_width`` either side; no points when an end
    would be too large to draw (a steep slope far from zero)."""
    with np.errstate(over="ignore", invalid="ignore"):
        xs = np.array([x - half_width, x + half_width], dtype=float)
        ys = y + slope * (xs - x)
    if not (all_drawable(xs) and all_drawable(ys)):
        return np.zeros(0), np.zeros(0)
    return xs, ys


def edge_shares(slopes) -> np.ndarray:
    """Each slope's size as a share (0 to 1) of the largest: how thick its edge is drawn.

    An infinite slope gets the whole share, a NaN none; the shares of finite slopes are taken
    against the largest finite one, so a pen's width is always a small finite number.
    """
    sizes = np.abs(np.asarray(slopes, dtype=float))
    finite = np.isfinite(sizes)
    biggest = float(sizes[finite].max()) if finite.any() else 0.0
    shares = np.zeros(sizes.shape)
    if biggest > 0:
        shares[finite] = sizes[finite] / biggest
    shares[np.isposinf(sizes)] = 1.0
    return np.clip(shares, 0.0, 1.0)


def _bounded(value: float) -> float:
    value = float(value)
    if math.isnan(value):
        return 0.0
    return max(-LARGEST_DRAWN, min(LARGEST_DRAWN, value))
