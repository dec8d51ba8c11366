"""The network as the slides draw it: input nodes, an edge per weight, (hidden nodes,) the output.

It reads the iteration on view from the session, paints the core's picture of it (``diagram``)
when the renderer says so, and reports clicks on an edge; it computes nothing.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from gd_desktop.core.diagram import GOES_DOWN, GOES_UP, network_picture, slope_shares
from gd_desktop.core.number_fit import evaluation_noise, shown_value
from gd_desktop.core.numbers import format_number
from gd_desktop.gui.views.widgets import fitted_text

if TYPE_CHECKING:
    from gd_desktop.gui.session import Session

POSITIVE = QColor("#0072B2")  # blue: a positive slope, the weight will go down
NEGATIVE = QColor("#D55E00")  # vermilion: a negative slope, the weight will go up
NEUTRAL = QColor("#777777")
HIGHLIGHT = QColor("#F0E442")
NODE_FILL = QColor("#FFFFFF")
OFF_FILL = QColor("#DDDDDD")
TEXT = QColor("#111111")
EDGE_CLICK_DISTANCE = 14.0
MOVE_WORDS = {GOES_DOWN: "goes down", GOES_UP: "goes up"}  # any other: "stays"


def _distance_to_segment(point: QPointF, a: QPointF, b: QPointF) -> float:
    ax, ay, bx, by = a.x(), a.y(), b.x(), b.y()
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        t = 0.0
    else:
        t = ((point.x() - ax) * dx + (point.y() - ay) * dy) / length2
        t = max(0.0, min(1.0, t))
    return math.hypot(point.x() - (ax + t * dx), point.y() - (ay + t * dy))


class NetworkView(QWidget):
    """Inputs → weighted edges → output node, with the prediction, the target and the error."""

    weight_clicked = Signal(int)

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self._session = session
        self.setObjectName("network_view")
        self.setAccessibleName("Network diagram")
        self.setMinimumSize(360, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # A click takes the focus out of a box (committing its edit), so Space steps again.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._ground = QColor("#FAFAFA")
        self._ink = TEXT
        self.refresh(0)

    def set_colours(self, ground: str, ink: str) -> None:
        """The theme's ground and ink (nodes, names and labels); edge colours stay as they are."""
        self._ground = QColor(ground)
        self._ink = QColor(ink)
        self.update()

    def refresh(self, selected: int, hide_slopes: bool = False) -> None:
        """Draw the iteration on view, ``selected`` weight highlighted. With ``hide_slopes`` (a
        quiz on the slope) every edge is drawn alike and labelled "slope ?"."""
        session = self._session
        picture = network_picture(session.problem, session.shown)
        self._picture = picture
        shown = session.shown
        self._noise = evaluation_noise(session.problem, shown.weights, shown.hidden_values)
        self._selected = int(selected)
        self._hide_slopes = bool(hide_slopes)
        parts = [
            f"{name} = {format_number(w)}, "
            + ("slope hidden (quiz)" if self._hide_slopes else f"slope {format_number(g)}")
            for name, w, g in zip(picture.names, picture.weights, picture.slopes)
        ]
        self.setToolTip("Click an edge to show that weight on the loss curve.\n" + "\n".join(parts))
        self.update()

    # ----------------------------------------------------------------- geometry
    @property
    def _hidden_count(self) -> int:
        return self._picture.hidden_count

    def _strip_height(self) -> float:
        """The band at the bottom that spells out prediction − target = error."""
        return 2.4 * self.fontMetrics().height()

    def _node_radius(self) -> float:
        count = max(1, self._picture.inputs.shape[0], self._hidden_count)
        usable = self.height() - self._strip_height() - 30
        return max(10.0, min(34.0, usable / (2.5 * count)))

    def _column(self, count: int, x: float) -> list[QPointF]:
        radius = self._node_radius()
        # Room under the lowest node for a hidden node's sum.
        top, bottom = radius + 8, self.height() - self._strip_height() - radius - 24
        if count == 1:
            return [QPointF(x, (top + bottom) / 2)]
        return [QPointF(x, top + (bottom - top) * i / (count - 1)) for i in range(count)]

    def _input_centres(self) -> list[QPointF]:
        return self._column(self._picture.inputs.shape[0], self._node_radius() + 44)

    def _hidden_centres(self) -> list[QPointF]:
        return self._column(self._hidden_count, 0.52 * self.width())

    def _output_centre(self) -> QPointF:
        radius = 1.25 * self._node_radius()
        middle = (self.height() - self._strip_height()) / 2 + 10
        return QPointF(self.width() - radius - 16, middle)

    def _edges(self) -> list[tuple[int, QPointF, QPointF]]:
        """(flat weight index, from, to) for every weight, in the engine's order."""
        inputs, output = self._input_centres(), self._output_centre()
        count = self._hidden_count
        if count == 0:
            return [(i, centre, output) for i, centre in enumerate(inputs)]
        hidden = self._hidden_centres()
        edges = [(j, centre, output) for j, centre in enumerate(hidden)]
        for j, node in enumerate(hidden):
            for i, source in enumerate(inputs):
                edges.append((count + j * len(inputs) + i, source, node))
        return edges

    def edge_point(self, index: int, along: float = 0.5) -> QPointF:
        """A point on weight ``index``'s edge (``along`` from its start): where a user would
        click to choose it. Crossing edges meet at their middles, so aim off-centre there."""
        for k, start, end in self._edges():
            if k == index:
                return start + (end - start) * along
        raise IndexError(index)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        position = event.position()
        edges = self._edges()
        distances = [_distance_to_segment(position, start, end) for _, start, end in edges]
        if distances:
            nearest = int(np.argmin(distances))
            if distances[nearest] <= EDGE_CLICK_DISTANCE:
                self.weight_clicked.emit(edges[nearest][0])
                return
        super().mousePressEvent(event)

    # ----------------------------------------------------------------- painting
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        picture = self._picture
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self._ground)
        radius = self._node_radius()
        edges = self._edges()
        # A slope of rounding noise is 0: a thin grey edge, not the thickest one in its sign.
        noise_free = np.where(np.abs(picture.slopes) <= self._noise.slopes, 0.0, picture.slopes)
        slopes = np.zeros_like(picture.slopes) if self._hide_slopes else noise_free
        shares = np.zeros_like(picture.slopes) if self._hide_slopes else slope_shares(noise_free)

        for k, start, end in edges:
            slope = float(slopes[k])
            width = 2.0 + 9.0 * float(shares[k])
            colour = POSITIVE if slope > 0 else NEGATIVE if slope < 0 else NEUTRAL
            if k == self._selected:
                painter.setPen(
                    QPen(HIGHLIGHT, width + 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
                )
                painter.drawLine(start, end)
            style = Qt.PenStyle.SolidLine if slope >= 0 else Qt.PenStyle.DashLine
            painter.setPen(QPen(colour, width, style, Qt.PenCapStyle.RoundCap))
            painter.drawLine(start, end)

        for i, centre in enumerate(self._input_centres()):
            self._draw_node(painter, centre, radius, float(picture.inputs[i]))
            name_box = QRectF(centre.x() - radius - 44, centre.y() - 12, 40, 24)
            self._draw_text(painter, name_box, f"x{i + 1}", Qt.AlignmentFlag.AlignRight)
        if self._hidden_count:
            switched_off = picture.switched_off
            for j, centre in enumerate(self._hidden_centres()):
                value = float(picture.hidden_values[j])
                off = switched_off[j]
                self._draw_node(painter, centre, radius, float(value), off)
                name_box = QRectF(centre.x() - radius - 44, centre.y() - 12, 40, 24)
                self._draw_text(painter, name_box, f"h{j + 1}", Qt.AlignmentFlag.AlignRight)
                note = f"sum {format_number(float(picture.hidden_sums[j]))}"
                if off:
                    note += ": off"
                below = QRectF(centre.x() - 90, centre.y() + radius, 180, 20)
                self._draw_text(painter, below, note, Qt.AlignmentFlag.AlignCenter, small=True)

        label_font = QFont(self.font())
        label_font.setPointSizeF(self.font().pointSizeF() * 0.95)
        for k, start, end in edges:
            # Without a hidden layer every edge is labelled; with one, only the chosen edge (the
            # others carry their numbers in the tooltip and in the weights list).
            if self._hidden_count == 0 or k == self._selected:
                self._draw_edge_label(painter, k, start, end, label_font)

        output = self._output_centre()
        out_radius = radius * 1.25
        self._draw_node(painter, output, out_radius, float(picture.prediction))
        above = QRectF(output.x() - 90, output.y() - out_radius - 26, 180 - 16, 24)
        self._draw_text(painter, above, "prediction", Qt.AlignmentFlag.AlignCenter)
        self._draw_outcome(painter)
        painter.end()

    def _draw_node(self, painter, centre, radius: float, value: float, off: bool = False) -> None:
        painter.setPen(QPen(self._ink, 2, Qt.PenStyle.DotLine if off else Qt.PenStyle.SolidLine))
        # The theme's ground (a switched-off node a shade off it), so a dark theme has no white.
        painter.setBrush(self._ground.darker(125) if off else self._ground)
        painter.drawEllipse(centre, radius, radius)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.setPen(self._ink)
        # Rounded to fit inside the circle (never spilling out of it: ".5461e+2").
        text = fitted_text(value, QFontMetrics(font), 1.7 * radius)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.setFont(self.font())

    def _draw_text(self, painter, box: QRectF, text: str, align, small: bool = False) -> None:
        font = QFont(self.font())
        if small:
            font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        painter.setPen(self._ink)
        painter.drawText(box, align, text)
        painter.setFont(self.font())

    def _label_position(self, index: int) -> float:
        """Where along its edge a weight's label sits: staggered when edges crowd together."""
        if self._hidden_count:
            return 0.4
        if self._picture.inputs.shape[0] <= 3:
            return 0.45
        return 0.28 if index % 2 == 0 else 0.52

    def _draw_edge_label(self, painter, index, start: QPointF, end: QPointF, font) -> None:
        picture = self._picture
        slope = shown_value(float(picture.slopes[index]), float(self._noise.slopes[index]))
        point = start + (end - start) * self._label_position(index)
        # A slope of rounding noise is 0: the weight stays, whatever the noise's sign.
        direction = MOVE_WORDS.get(picture.moves[index], "stays") if slope else "stays"
        slope_text = (
            "slope ?" if self._hide_slopes else f"slope {format_number(slope)}: {direction}"
        )
        crowded = self._hidden_count == 0 and picture.inputs.shape[0] > 3
        separator = ", " if crowded else "\n"
        name = picture.names[index]
        text = f"{name} = {format_number(picture.weights[index])}{separator}{slope_text}"
        font = QFont(font)
        font.setBold(index == self._selected)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        lines = text.split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines) + 12
        height = metrics.height() * len(lines) + 6
        left = min(max(2.0, point.x() - width / 2), self.width() - width - 2)
        box = QRectF(left, point.y() - height / 2, width, height)
        painter.setPen(QPen(HIGHLIGHT.darker(160) if index == self._selected else NEUTRAL, 1))
        ground = QColor(self._ground)
        ground.setAlpha(235)
        painter.setBrush(ground)
        painter.drawRoundedRect(box, 5, 5)
        painter.setPen(self._ink)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.setFont(self.font())

    def _draw_outcome(self, painter) -> None:
        picture = self._picture
        strip = self._strip_height()
        box = QRectF(4, self.height() - strip, self.width() - 8, strip - 4)
        painter.setPen(QPen(NEUTRAL, 1))
        painter.setBrush(self._ground)  # the theme's, like every box of the window
        painter.drawRoundedRect(box, 5, 5)
        target = "target" if picture.rows == 1 else "target (row 1)"
        text = (
            f"error = prediction − {target} = {format_number(picture.prediction)} − "
            f"{format_number(picture.target)} = "
            f"{format_number(shown_value(picture.error, float(self._noise.errors[0])))}"
        )
        painter.setPen(self._ink)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
