"""The numeric check of a slope: its finite-difference step, how many digits agree, and how the
check is worded near the bottom of the curve, where rounding is all that is left. No Qt."""

from __future__ import annotations

import math

import numpy as np

from gd_desktop.core.i18n import _, ngettext


def agreeing_digits(exact: float, approximate: float) -> float:
    """How many significant digits two slopes share (16 when they are equal)."""
    if exact == approximate:
        return 16.0
    scale = max(abs(exact), abs(approximate))
    difference = abs(exact - approximate)
    if scale == 0 or difference >= scale:
        return 0.0
    return float(min(16.0, -np.log10(difference / scale)))


def numeric_check_step(loss: float, curvature: float, slope: float, weight: float) -> float:
    """A central-difference step for the numeric check.

    The loss is a parabola in each weight, so a central difference has no truncation error and
    only rounding matters: h = 0.001 (scaled to the weight) unless rounding would then cost digits,
    in which case h = √(loss / curvature), which balances the two.
    """
    h = 1e-3 * max(1.0, abs(weight))
    if not (math.isfinite(curvature) and math.isfinite(loss)):
        return h  # numbers too large for the balance below: the plain step
    if curvature > 0 and loss > 0 and 1e-16 * (loss + curvature * h * h) / h > 1e-9 * abs(slope):
        h = float(np.sqrt(loss / curvature))
    return h


CHECK_DIGITS_TRUSTED = 6  # a check that agrees this well is stated in digits


def check_tolerance(loss: float, slope: float, h: float, slope_noise: float) -> float:
    """How far apart the exact and the finite-difference slope may be from rounding alone.

    The difference quotient loses the loss's last digits over 2h, and the slope itself is no
    surer than its own noise; near the bottom of the curve both are all that is left.
    """
    eps = float(np.finfo(float).eps)
    with np.errstate(over="ignore", invalid="ignore"):
        tolerance = 8 * slope_noise + 8 * eps * (abs(loss) + abs(slope) * h) / h
    return float(tolerance) if math.isfinite(tolerance) else math.inf


CHECK_IN_DIGITS, CHECK_BOTH_ZERO, CHECK_WITHIN_ROUNDING = "digits", "both zero", "rounding"


def check_kind(slope: float, numeric: float, tolerance: float, slope_noise: float) -> str:
    """How the check is worded: in digits where they mean something, else without alarm."""
    if abs(slope) <= max(tolerance, slope_noise) and abs(numeric) <= tolerance:
        return CHECK_BOTH_ZERO
    if agreeing_digits(slope, numeric) >= CHECK_DIGITS_TRUSTED or abs(slope - numeric) > tolerance:
        return CHECK_IN_DIGITS
    return CHECK_WITHIN_ROUNDING


def check_words(kind: str, digits: float) -> str:
    """What the check found, in the language in use."""
    if kind == CHECK_BOTH_ZERO:
        return _("both are 0 to within rounding: this weight is at the bottom of its curve")
    if kind == CHECK_WITHIN_ROUNDING:
        return _("agrees to within rounding (a slope this small leaves the check few digits)")
    count = round(min(digits, 15))
    said = ngettext(
        "agrees to {digits} significant digit", "agrees to {digits} significant digits", count
    )
    return said.format(digits=count)
