"""What the plots keep in view, decided once and testable without Qt. No Qt.

A plot that zooms to whatever it is given misleads: near convergence the loss curve's range
shrank to 1e−9 and the parabola became a vertical line; at the start the point sat on the edge
and the tangent left the top. These functions choose ranges that hold everything a student must
see (the point, its tangent, the trail, the minimum, the next step) with a margin, and whose
height always spans the drawn curve, so its shape shows at any scale.

Margins are shares of a range; a view passes a larger share when a marker is large against its
size in pixels (``marker_share``), so a marker is never cut at an edge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gd_desktop.core import drawing

#: Each side of a range, the share of its span left free (more if a marker needs it).
MARGIN = 0.1
#: The tangent's reach each side of the point, as a share of the window's width, at most ...
TANGENT_REACH = 0.22
#: ... and at least (the range grows to hold it rather than shorten it further).
TANGENT_LEAST_REACH = 0.08
#: A window never narrower than this, nor than this share of the weight's size.
LEAST_WIDTH = 0.5
LEAST_RELATIVE_WIDTH = 0.25
#: A view is kept while what must be seen fills at least this share of it.
LEAST_FILL = 0.4
#: When the error plot's view moves, the iterations get this many times the room the run has
#: taken; while running faster than a step a frame, RUNNING_ROOM, so that the view moves less
#: often (each move redraws the axes and the grid): the run then fills 1/2.4 of it, more than
#: LEAST_FILL, so a pause keeps the view the run had.
ROOM = 1.5
RUNNING_ROOM = 2.4
#: Running that fast, a loss plot's range that has to move gets this share of its span more room
#: each side, so that it moves now and then rather than at every frame (the data then fills
#: two thirds of it, more than LEAST_FILL: a pause keeps it).
RUNNING_HEADROOM = 0.25


@dataclass(frozen=True)
class LossView:
    """The loss plot's ranges and its tangent's two ends."""

    x: tuple[float, float]
    y: tuple[float, float]
    tangent_x: tuple[float, float]
    tangent_y: tuple[float, float]


def marker_share(marker_pixels: float, plot_pixels: float, least: float = MARGIN) -> float:
    """The margin (a share of the range) that keeps a marker ``marker_pixels`` wide whole in a
    plot ``plot_pixels`` long: half the marker and a little air, at least ``least``."""
    if not plot_pixels or plot_pixels <= marker_pixels:
        return 0.3
    return min(0.3, max(least, (marker_pixels / 2 + 3) / plot_pixels))


def with_margins(low: float, high: float, share: float) -> tuple[float, float]:
    """``low`` to ``high`` widened so that each holds ``share`` of the result's span free."""
    return drawing.padded_range(low, high, share / (1 - 2 * share))


def weight_window(
    points, share: float = MARGIN, weight: float | None = None
) -> tuple[float, float] | None:
    """The weights to plot: every point of ``points`` (the weight, its trail, the next step, the
    minimum) with ``share`` free each side; at least :data:`LEAST_WIDTH` wide (or a quarter of
    the weight's size), so a converged run still shows its parabola; and room each side of
    ``weight`` for its tangent's least reach. None: too large to draw."""
    array = np.asarray(points, dtype=float).reshape(-1)
    if array.size == 0 or not drawing.all_drawable(array):
        return None
    low, high = float(array.min()), float(array.max())
    least = max(LEAST_WIDTH, LEAST_RELATIVE_WIDTH * float(np.abs(array).max()))
    inner = high - low
    if inner < least * (1 - 2 * share):
        middle = (low + high) / 2
        half = least * (1 - 2 * share) / 2
        low, high = middle - half, middle + half
    if weight is not None and drawing.is_drawable(weight):
        for _ in range(4):  # each round the shortfall shrinks five times or more
            reach = TANGENT_LEAST_REACH * (high - low) / (1 - 2 * share)
            low, high = min(low, weight - reach), max(high, weight + reach)
    return with_margins(low, high, share)


def loss_view(
    x_range: tuple[float, float],
    curve: tuple[np.ndarray, np.ndarray],
    points: tuple[np.ndarray, np.ndarray],
    weight: float,
    loss: float,
    slope: float,
    share: tuple[float, float] = (MARGIN, MARGIN),
) -> LossView:
    """The loss plot's heights for a drawn ``curve`` (xs, ys over ``x_range``) and the marked
    ``points`` (xs, ys), and a tangent at (``weight``, ``loss``) that stays inside.

    The height spans the whole drawn curve, not only the points, so that the curve never becomes
    a vertical line; the tangent reaches :data:`TANGENT_REACH` of the width each side, shortened
    where it would leave the view, never below :data:`TANGENT_LEAST_REACH` (the view grows to
    hold that much).
    """
    x_low, x_high = x_range
    width = x_high - x_low
    curve_y = np.asarray(curve[1], dtype=float)
    point_y = np.asarray(points[1], dtype=float)
    heights = np.concatenate([curve_y[np.isfinite(curve_y)], point_y, [loss]])
    least = TANGENT_LEAST_REACH * width
    with np.errstate(over="ignore", invalid="ignore"):
        short_ends = (loss - slope * least, loss + slope * least)
    if drawing.is_drawable(*short_ends):
        heights = np.append(heights, short_ends)
    y_share = share[1]
    y_low, y_high = with_margins(float(heights.min()), float(heights.max()), y_share)
    inner_pad = y_share * (y_high - y_low)
    inner = (y_low + inner_pad, y_high - inner_pad)
    x_pad = share[0] * width
    left = _reach(weight, loss, -slope, x_low + x_pad, inner, width)
    right = _reach(weight, loss, slope, x_high - x_pad, inner, width, forward=True)
    ends_x = (weight - left, weight + right)
    ends_y = (loss - slope * left, loss + slope * right)
    if not drawing.is_drawable(*ends_x, *ends_y):
        ends_x, ends_y = (weight, weight), (loss, loss)
    return LossView((x_low, x_high), (y_low, y_high), ends_x, ends_y)


def _reach(
    weight: float,
    loss: float,
    rise: float,
    edge: float,
    heights: tuple[float, float],
    width: float,
    forward: bool = False,
) -> float:
    """How far the tangent may go from the point towards ``edge`` (rising ``rise`` per unit)
    without leaving the inner box: at most :data:`TANGENT_REACH` of the width."""
    reach = TANGENT_REACH * width
    room = (edge - weight) if forward else (weight - edge)
    reach = min(reach, max(room, 0.0))
    if rise > 0 and math.isfinite(rise):
        reach = min(reach, (heights[1] - loss) / rise)
    elif rise < 0 and math.isfinite(rise):
        reach = min(reach, (loss - heights[0]) / -rise)
    return max(reach, 0.0)


def iteration_view(
    last: int,
    values: tuple[float, float],
    shown: tuple[tuple[float, float], tuple[float, float]] | None,
    share: tuple[float, float] = (MARGIN, MARGIN),
    room: float = ROOM,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The error (or loss) plot's ranges: iterations 0 to ``last`` and the curve's lowest and
    highest ``values`` (and 0, the line of no error), each with a margin.

    The view moves now and then rather than at every step: the ``shown`` ranges are kept while
    what must be seen stays inside them with its margins and fills a fair share of them; the
    iterations then get ``room`` times as much room as the run has taken (half again as much;
    a plot following a fast run passes :data:`RUNNING_ROOM`).
    """
    low, high = min(values[0], 0.0), max(values[1], 0.0)
    wanted_y = with_margins(low, high, share[1])
    first_x = (0.0, max(10.0, room * last))
    if shown is not None:
        shown_x, shown_y = shown
        x_keeps = _holds(shown_x, with_margins(0.0, max(last, 1), share[0]), LEAST_FILL)
        y_keeps = _holds(shown_y, wanted_y, LEAST_FILL)
        x = shown_x if x_keeps else with_margins(*first_x, share[0])
        y = shown_y if y_keeps else wanted_y
        return x, y
    return with_margins(*first_x, share[0]), wanted_y


def with_headroom(limits: tuple[float, float], share: float) -> tuple[float, float]:
    """``limits`` with ``share`` of their span added each side (a running plot's range that
    moves, so that it stays put for a while)."""
    low, high = limits
    pad = share * (high - low)
    return low - pad, high + pad


def _holds(shown: tuple[float, float], wanted: tuple[float, float], least_share: float) -> bool:
    span = shown[1] - shown[0]
    inside = shown[0] <= wanted[0] and wanted[1] <= shown[1]
    return inside and (wanted[1] - wanted[0]) >= least_share * span


def inside_with_margin(
    value: float, limits: tuple[float, float], share: float, slack: float = 1e-9
) -> bool:
    """Whether ``value`` lies inside ``limits`` at least ``share`` of their span from each end
    (``slack``: a relative tolerance for rounding)."""
    low, high = limits
    pad = share * (high - low)
    tolerance = slack * max(1.0, abs(low), abs(high))
    return low + pad - tolerance <= value <= high - pad + tolerance

