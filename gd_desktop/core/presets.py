"""Ready-made lessons, one click each. Plain data: no Qt.

The rates are chosen against the critical rate of the two-input example, 1/|x|² = 1/25 = 0.04
(see COURSE.md): below half of it the error shrinks without changing sign, between half and all of
it the error flips sign each step, above it the error grows. The last two show why a hidden layer
with a non-linear activation matters: |x| is no straight line through 0, so one linear node can
only reach a loss of 2, while two ReLU nodes fit it exactly (|x| = relu(x) + relu(−x)).

A title never carries a step's result ("Slide: one weight", not "… (2 → 2.24)"): the quiz hides
that number, and the title stays on screen in the lesson list, the window's title and the menu.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from gd_desktop.core import engine
from gd_desktop.core.engine import PROBLEM_FIELDS
from gd_desktop.core.i18n import N_, _


@dataclass(frozen=True)
class Preset:
    """One ready-made lesson. Its problem is held by the Problem's field names, so a new field
    reaches the presets (and the shipped lessons) without a change here; read one as
    ``preset.learning_rate`` or all of them checked as ``preset.problem``.
    """

    #: Stays the same whatever the title says or however it is translated: the shipped lesson's
    #: file name, and what the window keys its choice on.
    id: str
    #: The title and the note in English, as the catalogs know them; :attr:`name` and
    #: :attr:`says` are in the language in use.
    english_name: str
    weights: tuple[float, ...]  # flat, as the engine has them
    english_says: str
    #: Problem field name → value; a field left out takes the Problem's default.
    problem_values: Mapping[str, object]

    def __post_init__(self) -> None:
        given = dict(self.problem_values)
        unknown = sorted(set(given) - {spec.name for spec in PROBLEM_FIELDS})
        missing = [spec.name for spec in PROBLEM_FIELDS if spec.required and spec.name not in given]
        if unknown or missing:
            raise ValueError(f"preset {self.id}: unknown fields {unknown}, missing {missing}")
        values = {spec.name: given.get(spec.name, spec.default) for spec in PROBLEM_FIELDS}
        object.__setattr__(self, "problem_values", MappingProxyType(values))

    def __getattr__(self, name: str):
        # Only reached for names that are not attributes: the problem's fields.
        values = self.__dict__.get("problem_values", {})
        if name not in values:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return values[name]

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def name(self) -> str:
        """The title in the language in use (read again after a change of language)."""
        return _(self.english_name)

    @property
    def says(self) -> str:
        """What the lesson shows, in the language in use."""
        return _(self.english_says)

    @property
    def problem(self) -> engine.Problem:
        return engine.Problem.create(**self.problem_values)


SLIDE_ROW = ((3.0, 4.0),)
ABS_ROWS = ((-2.0,), (-1.0,), (0.0,), (1.0,), (2.0,))
ABS_TARGETS = (2.0, 1.0, 0.0, 1.0, 2.0)

PRESETS: tuple[Preset, ...] = (
    Preset(
        "slide-one-weight", N_("Slide: one weight"), (2.0,),
        N_("The slides' first example: slope 2 × (−4) × 3 = −24, so the weight goes to 2.24."),
        {"inputs": ((3.0,),), "targets": (10.0,), "learning_rate": 0.01}),
    Preset(
        "slide-two-inputs", N_("Slide: two inputs"), (1.0, 2.0),
        N_("The slides' network: gradient [30, 40]; one step brings the error from 5 to 2.5."),
        {"inputs": SLIDE_ROW, "targets": (6.0,), "learning_rate": 0.01}),
    Preset(
        "too-big-learning-rate", N_("Too big a learning rate"), (1.0, 2.0),
        N_("0.05 is above the critical rate 0.04: each step overshoots further. Press Run."),
        {"inputs": SLIDE_ROW, "targets": (6.0,), "learning_rate": 0.05}),
    Preset(
        "too-small-learning-rate", N_("Too small a learning rate"), (1.0, 2.0),
        N_("0.0005: every step is right but tiny; it crawls. Press Run."),
        {"inputs": SLIDE_ROW, "targets": (6.0,), "learning_rate": 0.0005}),
    Preset(
        "oscillates", N_("Oscillates"), (1.0, 2.0),
        N_("0.035 is between half the critical rate (0.02) and the critical rate (0.04): "
        "the error changes sign each step but shrinks."),
        {"inputs": SLIDE_ROW, "targets": (6.0,), "learning_rate": 0.035}),
    Preset(
        "just-right", N_("Just right"), (1.0, 2.0),
        N_("0.015: the error shrinks by three quarters each step without overshooting."),
        {"inputs": SLIDE_ROW, "targets": (6.0,), "learning_rate": 0.015}),
    Preset(
        "linear-cannot-fit-abs", N_("|x|: one linear node cannot fit it"), (0.5,),
        N_("Five rows of y = |x|. A single linear node can only tilt a line through 0: "
        "Run, and the loss stops at 2."),
        {"inputs": ABS_ROWS, "targets": ABS_TARGETS, "learning_rate": 0.05}),
    Preset(
        "relu-fits-abs", N_("|x|: a ReLU hidden layer fits it"), (0.5, 0.7, 0.6, -0.4),
        N_("The same rows with two ReLU nodes: |x| = relu(x) + relu(−x). Run, and the loss "
        "goes to 0."),
        {"inputs": ABS_ROWS, "targets": ABS_TARGETS, "learning_rate": 0.05,
         "hidden_count": 2, "activation": "relu"}),
)  # fmt: skip
