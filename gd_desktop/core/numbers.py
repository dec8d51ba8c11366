"""How the lesson writes a number: rounded for reading, the full value kept elsewhere. No Qt."""

from __future__ import annotations

import numpy as np

from gd_desktop.core.i18n import localized_number

MINUS = "−"


def format_number(value: float) -> str:
    """Up to 6 significant digits, no trailing zeros, a real minus sign, and the decimal
    separator of the language in use ("2,24" in German)."""
    value = float(value)
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


def format_operand(value: float) -> str:
    """A number inside a sum or product: negative ones in parentheses, as a teacher writes."""
    text = format_number(value)
    return f"({text})" if text.startswith(MINUS) else text
