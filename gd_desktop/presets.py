"""Ready-made lessons, one click each. Plain data: no Qt.

The rates are chosen against the critical rate of the two-input example, 1/|x|² = 1/25 = 0.04
(see COURSE.md): below half of it the error shrinks without changing sign, between half and all of
it the error flips sign each step, above it the error grows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    inputs: tuple[float, ...]
    target: float
    weights: tuple[float, ...]
    learning_rate: float
    says: str


PRESETS: tuple[Preset, ...] = (
    Preset(
        "Slide: one weight (2 → 2.24)",
        (3.0,),
        10.0,
        (2.0,),
        0.01,
        "The slides' first example: slope 2 × (−4) × 3 = −24, so the weight goes to 2.24.",
    ),
    Preset(
        "Slide: two inputs",
        (3.0, 4.0),
        6.0,
        (1.0, 2.0),
        0.01,
        "The slides' network: gradient [30, 40]; one step brings the error from 5 to 2.5.",
    ),
    Preset(
        "Too big a learning rate",
        (3.0, 4.0),
        6.0,
        (1.0, 2.0),
        0.05,
        "0.05 is above the critical rate 0.04: each step overshoots further. Press Run.",
    ),
    Preset(
        "Too small a learning rate",
        (3.0, 4.0),
        6.0,
        (1.0, 2.0),
        0.0005,
        "0.0005: every step is right but tiny; it crawls. Press Run.",
    ),
    Preset(
        "Oscillates",
        (3.0, 4.0),
        6.0,
        (1.0, 2.0),
        0.035,
        "0.035 is between half the critical rate (0.02) and the critical rate (0.04): "
        "the error changes sign each step but shrinks.",
    ),
    Preset(
        "Just right",
        (3.0, 4.0),
        6.0,
        (1.0, 2.0),
        0.015,
        "0.015: the error shrinks by three quarters each step without overshooting.",
    ),
)
