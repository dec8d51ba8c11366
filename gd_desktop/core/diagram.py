"""What the network diagram shows, worked out from the engine's numbers, and where its labels
go. No Qt.

The diagram draws the first data row, as the slides do; it paints these numbers and computes none.
Its labels are placed here (``place_labels``) from the text sizes the view measures, so that no
label covers a node or another label, whatever the size of the values: a rule tested without Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from gd_desktop.core import drawing
from gd_desktop.core.engine import Evaluation, Problem

#: Which way a weight moves at the next step, by the sign of its slope (ids, not words).
GOES_DOWN = "down"
GOES_UP = "up"
STAYS = "stays"


def moves(slopes: np.ndarray, steps: np.ndarray | None = None) -> tuple[str, ...]:
    """Which way each weight moves: by the step the optimizer will take (``steps``: new − old
    weight), which momentum can send against the slope; without it, against the slope (down for
    a positive one), as plain steps do."""
    if steps is not None:
        return tuple(
            GOES_DOWN if step < 0 else GOES_UP if step > 0 else STAYS for step in map(float, steps)
        )
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
    #: The weights after the next step (the optimizer's, its state in), or None: by the slopes.
    next_weights: np.ndarray | None = None

    @property
    def hidden_count(self) -> int:
        return 0 if self.hidden_values is None else int(self.hidden_values.shape[0])

    @property
    def moves(self) -> tuple[str, ...]:
        if self.next_weights is None or self.next_weights.shape != self.weights.shape:
            return moves(self.slopes)
        with np.errstate(over="ignore", invalid="ignore"):
            return moves(self.slopes, self.next_weights - self.weights)

    @property
    def slope_shares(self) -> np.ndarray:
        return slope_shares(self.slopes)

    @property
    def switched_off(self) -> tuple[bool, ...]:
        """Per hidden node: a ReLU whose sum is not above 0 passes nothing (and no slope)."""
        if self.hidden_sums is None:
            return ()
        return tuple(self.activation == "relu" and float(s) <= 0 for s in self.hidden_sums)


def network_picture(
    problem: Problem, evaluation: Evaluation, next_weights: np.ndarray | None = None
) -> NetworkPicture:
    """The diagram of ``problem`` at the weights of ``evaluation``; ``next_weights`` (where the
    next step lands) says which way each weight will move."""
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
        next_weights=None if next_weights is None else np.asarray(next_weights, dtype=float),
    )


# --- where the diagram's labels go -----------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A label's rectangle, in the view's pixels."""

    left: float
    top: float
    width: float
    height: float
    variant: int = 0  # which of a label's alternatives it is (place_labels)
    clear: bool = True  # False: no free place was found (it covers something)

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def overlap(self, other: Box, gap: float = 0.0) -> float:
        """The area this box shares with ``other`` grown by ``gap`` each side (0: apart)."""
        width = min(self.right, other.right + gap) - max(self.left, other.left - gap)
        height = min(self.bottom, other.bottom + gap) - max(self.top, other.top - gap)
        return width * height if width > 0 and height > 0 else 0.0

    def covers(self, node: Node, gap: float = 0.0) -> float:
        """How far into ``node`` (grown by ``gap``) this box reaches (0: clear of it)."""
        nearest_x = min(max(node.x, self.left), self.right)
        nearest_y = min(max(node.y, self.top), self.bottom)
        distance = math.hypot(node.x - nearest_x, node.y - nearest_y)
        return max(0.0, node.radius + gap - distance)


@dataclass(frozen=True)
class Node:
    """A node's circle, in the view's pixels."""

    x: float
    y: float
    radius: float


@dataclass(frozen=True)
class LabelRequest:
    """A label to place: its id, its measured size, and the centres it may have, best first
    (the view measures the text; the core decides where it goes)."""

    id: str
    width: float
    height: float
    centres: tuple[tuple[float, float], ...]


def edge_centres(
    start: tuple[float, float], end: tuple[float, float], width: float, height: float
) -> tuple[tuple[float, float], ...]:
    """Where a label of an edge from ``start`` to ``end`` may sit, best first: on the edge near
    its middle, then further along it, then beside it (above, below)."""
    (ax, ay), (bx, by) = start, end
    length = math.hypot(bx - ax, by - ay) or 1.0
    normal = (-(by - ay) / length, (bx - ax) / length)
    beside = (abs(normal[0]) * width + abs(normal[1]) * height) / 2 + 4
    centres = []
    for along in (0.45, 0.35, 0.55, 0.25, 0.65, 0.2, 0.75, 0.15, 0.85):
        x, y = ax + (bx - ax) * along, ay + (by - ay) * along
        centres.append((x, y))
        for side in (1, -1):
            centres.append((x + side * normal[0] * beside, y + side * normal[1] * beside))
    return tuple(centres)


def around_centres(
    node: Node, width: float, height: float, order: str = "lrbt", gap: float = 2.0
):
    """Centres for a label beside a node (left, right, below, above in ``order``), ``gap``
    and a pixel clear of it."""
    air = gap + 1
    spots = {
        "l": (node.x - node.radius - air - width / 2, node.y),
        "r": (node.x + node.radius + air + width / 2, node.y),
        "b": (node.x, node.y + node.radius + air + height / 2),
        "t": (node.x, node.y - node.radius - air - height / 2),
    }
    return tuple(spots[key] for key in order)


def place_labels(
    requests, nodes, bounds: Box, gap: float = 2.0, grid_step: float = 8.0
) -> dict[str, Box]:
    """A rectangle for each label, in the order given (the first are placed first), inside
    ``bounds``, covering no node and no label placed before it, with ``gap`` pixels of air.

    A request may be a tuple of alternatives (the same words on two lines, or on one): the
    first that finds a free place is taken. Each takes its first free centre; when none is
    free, the free place on a grid over ``bounds`` nearest its first centre; only when the view
    is too small for any, the place that covers least. :attr:`Box.variant` says which
    alternative was placed.
    """
    placed: dict[str, Box] = {}
    for item in requests:
        alternatives = item if isinstance(item, tuple) else (item,)
        best, best_cost = None, math.inf
        for variant, request in enumerate(alternatives):
            box, cost = _best_place(request, nodes, placed.values(), bounds, gap, grid_step)
            if cost < best_cost or best is None:
                best, best_cost = replace(box, variant=variant, clear=cost == 0), cost
            if cost == 0:
                break
        placed[alternatives[0].id] = best
    return placed


#: Costs below this (a rounding's worth of square pixels) are none.
NO_COST = 1e-6


def _best_place(request, nodes, others, bounds, gap, grid_step) -> tuple[Box, float]:
    """The request's first free centre; else the free grid point nearest its first centre;
    else the place that covers least (nodes, earlier labels, and the outside of ``bounds``)."""
    others = list(others)
    centres = np.array(request.centres or [(bounds.left, bounds.top)], dtype=float)
    costs, boxes = _costs(request, centres, nodes, others, bounds, gap)
    free = np.flatnonzero(costs <= NO_COST)
    if free.size:
        return boxes(free[0]), 0.0
    first = centres[0]
    half_width, half_height = request.width / 2, request.height / 2
    xs = np.arange(bounds.left + half_width, bounds.right - half_width + 1, grid_step)
    ys = np.arange(bounds.top + half_height, bounds.bottom - half_height + 1, grid_step)
    if xs.size and ys.size:
        grid_x, grid_y = np.meshgrid(xs, ys)
        grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
        grid = grid[np.argsort(np.hypot(grid[:, 0] - first[0], grid[:, 1] - first[1]))]
        grid_costs, grid_boxes = _costs(request, grid, nodes, others, bounds, gap)
        free = np.flatnonzero(grid_costs <= NO_COST)
        if free.size:
            return grid_boxes(free[0]), 0.0
        if grid_costs.min() < costs.min():
            best = int(np.argmin(grid_costs))
            return grid_boxes(best), float(grid_costs[best])
    best = int(np.argmin(costs))
    return boxes(best), float(costs[best])


def _costs(request, centres: np.ndarray, nodes, others, bounds: Box, gap: float):
    """For each centre, how much its box (moved inside ``bounds`` where it can) covers: the
    depth into each node times its height, the area shared with each earlier label, the area
    outside ``bounds``. Vectorised over the centres; returns the costs and a box maker."""
    width, height = request.width, request.height
    left = np.clip(centres[:, 0] - width / 2, bounds.left, max(bounds.left, bounds.right - width))
    top = np.clip(centres[:, 1] - height / 2, bounds.top, max(bounds.top, bounds.bottom - height))
    right, bottom = left + width, top + height
    costs = np.zeros(centres.shape[0])
    for node in nodes:
        dx = node.x - np.clip(node.x, left, right)
        dy = node.y - np.clip(node.y, top, bottom)
        costs += np.maximum(0.0, node.radius + gap - np.hypot(dx, dy)) * height
    for other in others:
        across = np.minimum(right, other.right + gap) - np.maximum(left, other.left - gap)
        down = np.minimum(bottom, other.bottom + gap) - np.maximum(top, other.top - gap)
        costs += np.where((across > 0) & (down > 0), across * down, 0.0)
    across = np.minimum(right, bounds.right) - np.maximum(left, bounds.left)
    down = np.minimum(bottom, bounds.bottom) - np.maximum(top, bounds.top)
    costs += width * height - np.maximum(across, 0) * np.maximum(down, 0)

    def box(k: int) -> Box:
        return Box(float(left[k]), float(top[k]), width, height)

    return costs, box
