"""The pieces the slides' arithmetic is written in: plain text, and numbers that keep their full
value (shown rounded, hovered exact); a line as plain text or as HTML. No Qt."""

from __future__ import annotations

import string
from dataclasses import dataclass

from gd_desktop.core.number_fit import format_digits, shown_value
from gd_desktop.core.numbers import MINUS, format_number


@dataclass(frozen=True)
class Num:
    """A number in a line: shown rounded, hovered exact.

    ``noise`` is how large the value can be from the rounding of what made it alone: a value no
    larger is written 0 (``10 − 10 = 0``, not −3.5527e−15); the hover keeps the exact value.
    """

    value: float
    in_expression: bool = True
    noise: float = 0.0
    digits: int | None = None  # more significant digits than the usual six, where needed

    @property
    def text(self) -> str:
        value = shown_value(self.value, self.noise)
        text = format_number(value) if self.digits is None else format_digits(value, self.digits)
        return f"({text})" if self.in_expression and text.startswith(MINUS) else text


@dataclass(frozen=True)
class Math:
    """Numbers and operators the core has already written (an optimizer's expression, from
    ``engine.step_arithmetic``): shown as they are, kept with the numbers when a line wraps."""

    text: str


Piece = str | Num | Math
Line = tuple[Piece, ...]


def fill(template: str, **values: str | Num) -> Line:
    """A translated sentence as a line: its ``{name}`` placeholders filled, a :class:`Num`
    becoming a piece of its own (shown rounded, hovered exact), wherever the translation puts
    it."""
    pieces: list[Piece] = []
    text = ""
    for literal, field, spec, conversion in string.Formatter().parse(template):
        text += literal
        if field is None:
            continue
        value = values[field]
        if isinstance(value, Num):
            if text:
                pieces.append(text)
            pieces.append(value)
            text = ""
        else:
            text += format(value, spec or "") if conversion is None else str(value)
    if text:
        pieces.append(text)
    return tuple(pieces)


def result(value: float, noise: float = 0.0) -> Num:
    """A number that ends a line (after '='): no parentheses needed."""
    return Num(float(value), in_expression=False, noise=float(noise))


_HTML_SPECIAL = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
)


def escape_html(text: str) -> str:
    """What ``html.escape`` does; that module costs 4 ms of every start for its entity table."""
    return text.translate(_HTML_SPECIAL)


def line_text(line: Line) -> str:
    return "".join(piece if isinstance(piece, str) else piece.text for piece in line)


def line_html(line: Line) -> str:
    """HTML for a line; numbers link to their exact value (shown as a tooltip on hover)."""
    out = []
    for piece in line:
        if isinstance(piece, str):
            out.append(escape_html(piece))
        elif isinstance(piece, Math):
            out.append(escape_html(piece.text))
        else:
            out.append(f'<a href="value:{piece.value!r}">{escape_html(piece.text)}</a>')
    return "".join(out)
