"""How the lesson writes a number: rounded for reading, the full value kept elsewhere. No Qt.

Every number on screen is written here, so this is also where the words for a number that is
not one are chosen, once: an overflow (±inf) reads "too large", and NaN or no number at all
(None: say, a hidden layer's critical rate) reads "undefined". Nothing shown is ever "nan" or
"inf".
"""

from __future__ import annotations

import math

import numpy as np

from gd_desktop.core.i18n import N_, _, localized_number

MINUS = "−"
TOO_LARGE = N_("too large")
UNDEFINED = N_("undefined")
#: Every word :func:`format_number` may write instead of digits, untranslated (the monkey test
#: accepts these).
NOT_A_NUMBER_WORDS = (TOO_LARGE, UNDEFINED)


def format_number(value: float | None) -> str:
    """Up to 6 significant digits, no trailing zeros, a real minus sign, and the decimal
    separator of the language in use ("2,24" in German); the words above for an overflow, NaN or
    None (never an exception: a view may be handed any of them)."""
    if value is None:
        return _(UNDEFINED)
    value = float(value)
    if math.isnan(value):
        return _(UNDEFINED)
    if math.isinf(value):
        return _(TOO_LARGE)
    if value == 0:
        return "0"
    magnitude = abs(value)
    if 1e-4 <= magnitude < 1e7:
        text = np.format_float_positional(
            value, precision=6, unique=True, fractional=False, trim="-"
        )
    else:
        text = np.format_float_scientific(value, precision=4, unique=True, trim="-")
    return localized_number(text.replace("-", MINUS))


def format_operand(value: float | None) -> str:
    """A number inside a sum or product: negative ones in parentheses, as a teacher writes."""
    text = format_number(value)
    return f"({text})" if text.startswith(MINUS) else text
