"""What the network diagram shows, worked out from the engine's numbers. No Qt.

The diagram draws the first data row, as the slides do; it paints these numbers and computes none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gd_desktop.core import drawing
from gd_desktop.core.engine import Evaluation, Problem

#: Which way a weight moves at the next step, by the sign of its slope (ids, not words).
GOES_DOWN = "down"
GOES_UP = "up"
STAYS = "stays"


def moves(slopes: np.ndarray) -> tuple[str, ...]:
    """Which way each weight moves: against its slope (down for a positive one)."""
    return tuple(
        GOES_DOWN if slope > 0 else GOES_UP if slope < 0 else STAYS for slope in map(float, slopes)
    )


def slope_shares(slopes: np.ndarray) -> np.ndarray:
    """Each slope's size as a share of the largest (0 to 1): how thick its edge is. The drawing
    rules decide it (an infinite slope is a whole share, never an infinite pen)."""
    return drawing.edge_shares(slopes)


@dataclass(frozen=True)
class NetworkPicture:
    """The first data row's numbers, the weights flat in the engine's order."""

    inputs: np.ndarray
    weights: np.ndarray
    slopes: np.ndarray
    names: tuple[str, ...]
    prediction: float
    target: float
    error: float
    rows: int
    hidden_sums: np.ndarray | None = None  # per hidden node, for the first row
    hidden_values: np.ndarray | None = None
    activation: str = "identity"

    @property
    def hidden_count(self) -> int:
        return 0 if self.hidden_values is None else int(self.hidden_values.shape[0])

    @property
    def moves(self) -> tuple[str, ...]:
        return moves(self.slopes)

    @property
    def slope_shares(self) -> np.ndarray:
        return slope_shares(self.slopes)

    @property
    def switched_off(self) -> tuple[bool, ...]:
        """Per hidden node: a ReLU whose sum is not above 0 passes nothing (and no slope)."""
        if self.hidden_sums is None:
            return ()
        return tuple(self.activation == "relu" and float(s) <= 0 for s in self.hidden_sums)


def network_picture(problem: Problem, evaluation: Evaluation) -> NetworkPicture:
    """The diagram of ``problem`` at the weights of ``evaluation``."""
    return NetworkPicture(
        inputs=problem.inputs[0],
        weights=evaluation.weights,
        slopes=evaluation.gradient,
        names=tuple(problem.weight_name(k) for k in range(problem.weight_count)),
        prediction=float(evaluation.predictions[0]),
        target=float(problem.targets[0]),
        error=float(evaluation.errors[0]),
        rows=problem.row_count,
        hidden_sums=None if evaluation.hidden_sums is None else evaluation.hidden_sums[0],
        hidden_values=None if evaluation.hidden_values is None else evaluation.hidden_values[0],
        activation=problem.activation,
    )
