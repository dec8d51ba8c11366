"""Ready-made lessons, one click each. Plain data: no Qt.

The rates are chosen against the critical rate of the two-input example, 1/|x|² = 1/25 = 0.04
(see COURSE.md): below half of it the error shrinks without changing sign, between half and all of
it the error flips sign each step, above it the error grows. The last two show why a hidden layer
with a non-linear activation matters: |x| is no straight line through 0, so one linear node can
only reach a loss of 2, while two ReLU nodes fit it exactly (|x| = relu(x) + relu(−x)).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    #: Stays the same whatever the title says or however it is translated: the shipped lesson's
    #: file name, and what the window keys its choice on.
    id: str
    name: str
    inputs: tuple[tuple[float, ...], ...]  # one tuple per data row
    targets: tuple[float, ...]
    weights: tuple[float, ...]  # flat, as the engine has them
    learning_rate: float
    says: str
    hidden_count: int = 0
    activation: str = "identity"


SLIDE_ROW = ((3.0, 4.0),)
ABS_ROWS = ((-2.0,), (-1.0,), (0.0,), (1.0,), (2.0,))
ABS_TARGETS = (2.0, 1.0, 0.0, 1.0, 2.0)

PRESETS: tuple[Preset, ...] = (
    Preset(
        "slide-one-weight", "Slide: one weight (2 → 2.24)", ((3.0,),), (10.0,), (2.0,), 0.01,
        "The slides' first example: slope 2 × (−4) × 3 = −24, so the weight goes to 2.24."),
    Preset(
        "slide-two-inputs", "Slide: two inputs", SLIDE_ROW, (6.0,), (1.0, 2.0), 0.01,
        "The slides' network: gradient [30, 40]; one step brings the error from 5 to 2.5."),
    Preset(
        "too-big-learning-rate", "Too big a learning rate", SLIDE_ROW, (6.0,), (1.0, 2.0), 0.05,
        "0.05 is above the critical rate 0.04: each step overshoots further. Press Run."),
    Preset(
        "too-small-learning-rate",
        "Too small a learning rate", SLIDE_ROW, (6.0,), (1.0, 2.0), 0.0005,
        "0.0005: every step is right but tiny; it crawls. Press Run."),
    Preset(
        "oscillates", "Oscillates", SLIDE_ROW, (6.0,), (1.0, 2.0), 0.035,
        "0.035 is between half the critical rate (0.02) and the critical rate (0.04): "
        "the error changes sign each step but shrinks."),
    Preset(
        "just-right", "Just right", SLIDE_ROW, (6.0,), (1.0, 2.0), 0.015,
        "0.015: the error shrinks by three quarters each step without overshooting."),
    Preset(
        "linear-cannot-fit-abs",
        "|x|: one linear node cannot fit it", ABS_ROWS, ABS_TARGETS, (0.5,), 0.05,
        "Five rows of y = |x|. A single linear node can only tilt a line through 0: "
        "Run, and the loss stops at 2."),
    Preset(
        "relu-fits-abs",
        "|x|: a ReLU hidden layer fits it", ABS_ROWS, ABS_TARGETS, (0.5, 0.7, 0.6, -0.4), 0.05,
        "The same rows with two ReLU nodes: |x| = relu(x) + relu(−x). Run, and the loss "
        "goes to 0.", hidden_count=2, activation="relu"),
)  # fmt: skip
