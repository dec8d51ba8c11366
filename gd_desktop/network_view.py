"""The network as the slides draw it: input nodes, one edge per weight, the output node.

It paints the numbers it is given and reports clicks on an edge; it computes nothing.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from gd_desktop.numbers import format_number

POSITIVE = QColor("#0072B2")  # blue: a positive slope, the weight will go down
NEGATIVE = QColor("#D55E00")  # vermilion: a negative slope, the weight will go up
NEUTRAL = QColor("#777777")
HIGHLIGHT = QColor("#F0E442")
NODE_FILL = QColor("#FFFFFF")
TEXT = QColor("#111111")
EDGE_CLICK_DISTANCE = 14.0


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

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("network_view")
        self.setAccessibleName("Network diagram")
        self.setMinimumSize(360, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self._inputs = np.zeros(1)
        self._weights = np.zeros(1)
        self._slopes = np.zeros(1)
        self._prediction = 0.0
        self._target = 0.0
        self._error = 0.0
        self._rows = 1
        self._selected = 0
        self._hide_slopes = False

    def show_state(
        self, inputs, weights, slopes, prediction, target, error, rows, selected, hide_slopes=False
    ):
        """Take the numbers to draw: ``inputs`` are the first data row's.

        With ``hide_slopes`` (a quiz on the slope) edges are drawn alike and labelled "slope ?".
        """
        self._hide_slopes = bool(hide_slopes)
        self._inputs = np.asarray(inputs, dtype=float)
        self._weights = np.asarray(weights, dtype=float)
        self._slopes = np.asarray(slopes, dtype=float)
        self._prediction = float(prediction)
        self._target = float(target)
        self._error = float(error)
        self._rows = int(rows)
        self._selected = int(selected)
        parts = [
            f"weight {i + 1} = {format_number(w)}, "
            + ("slope hidden (quiz)" if self._hide_slopes else f"slope {format_number(g)}")
            for i, (w, g) in enumerate(zip(self._weights, self._slopes))
        ]
        self.setToolTip("Click an edge to show that weight on the loss curve.\n" + "\n".join(parts))
        self.update()

    # ----------------------------------------------------------------- geometry
    def _strip_height(self) -> float:
        """The band at the bottom that spells out prediction − target = error."""
        return 2.4 * self.fontMetrics().height()

    def _node_radius(self) -> float:
        count = max(1, self._inputs.shape[0])
        usable = self.height() - self._strip_height() - 30
        return max(12.0, min(34.0, usable / (2.5 * count)))

    def _input_centres(self) -> list[QPointF]:
        count = self._inputs.shape[0]
        radius = self._node_radius()
        top, bottom = radius + 8, self.height() - self._strip_height() - radius - 4
        x = radius + 44  # room on the left for the "x1" name
        if count == 1:
            return [QPointF(x, (top + bottom) / 2)]
        return [QPointF(x, top + (bottom - top) * i / (count - 1)) for i in range(count)]

    def _output_centre(self) -> QPointF:
        radius = 1.25 * self._node_radius()
        middle = (self.height() - self._strip_height()) / 2 + 10
        return QPointF(self.width() - radius - 16, middle)

    def _label_position(self, index: int) -> float:
        """Where along its edge a weight's label sits: staggered when edges crowd together."""
        if self._inputs.shape[0] <= 3:
            return 0.45
        return 0.28 if index % 2 == 0 else 0.52

    def edge_midpoint(self, index: int) -> QPointF:
        """Where a click selects weight ``index`` (used by tests, as a user would aim)."""
        a = self._input_centres()[index]
        b = self._output_centre()
        return QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        position = event.position()
        output = self._output_centre()
        distances = [
            _distance_to_segment(position, centre, output) for centre in self._input_centres()
        ]
        if distances:
            nearest = int(np.argmin(distances))
            if distances[nearest] <= EDGE_CLICK_DISTANCE:
                self.weight_clicked.emit(nearest)
                return
        super().mousePressEvent(event)

    # ----------------------------------------------------------------- painting
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#FAFAFA"))
        radius = self._node_radius()
        inputs = self._input_centres()
        output = self._output_centre()
        biggest = float(np.max(np.abs(self._slopes))) if self._slopes.size else 0.0
        base = QFont(self.font())
        label_font = QFont(base)
        label_font.setPointSizeF(base.pointSizeF() * 0.95)

        for i, centre in enumerate(inputs):
            slope = 0.0 if self._hide_slopes else float(self._slopes[i])
            share = abs(slope) / biggest if biggest > 0 and math.isfinite(biggest) else 0.0
            width = 2.0 + 9.0 * share
            colour = POSITIVE if slope > 0 else NEGATIVE if slope < 0 else NEUTRAL
            if i == self._selected:
                painter.setPen(
                    QPen(HIGHLIGHT, width + 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
                )
                painter.drawLine(centre, output)
            style = Qt.PenStyle.SolidLine if slope >= 0 else Qt.PenStyle.DashLine
            painter.setPen(QPen(colour, width, style, Qt.PenCapStyle.RoundCap))
            painter.drawLine(centre, output)

        for i, centre in enumerate(inputs):
            self._draw_node(painter, centre, radius, format_number(self._inputs[i]))
            name_box = QRectF(centre.x() - radius - 44, centre.y() - 12, 40, 24)
            self._draw_name(painter, name_box, f"x{i + 1}", Qt.AlignmentFlag.AlignRight)
        for i, centre in enumerate(inputs):
            self._draw_edge_label(painter, i, centre, output, label_font)
        out_radius = radius * 1.25
        self._draw_node(painter, output, out_radius, format_number(self._prediction))
        above = QRectF(output.x() - 90, output.y() - out_radius - 26, 180 - 16, 24)
        self._draw_name(painter, above, "prediction", Qt.AlignmentFlag.AlignCenter)
        self._draw_outcome(painter)
        painter.end()

    def _draw_node(self, painter, centre: QPointF, radius: float, value: str) -> None:
        painter.setPen(QPen(TEXT, 2))
        painter.setBrush(NODE_FILL)
        painter.drawEllipse(centre, radius, radius)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, value)
        painter.setFont(self.font())

    def _draw_name(self, painter, box: QRectF, name: str, align) -> None:
        painter.setPen(TEXT)
        painter.drawText(box, align, name)

    def _draw_edge_label(self, painter, index, start: QPointF, end: QPointF, font) -> None:
        slope = float(self._slopes[index])
        point = start + (end - start) * self._label_position(index)
        direction = "goes down" if slope > 0 else "goes up" if slope < 0 else "stays"
        slope_text = (
            "slope ?" if self._hide_slopes else f"slope {format_number(slope)}: {direction}"
        )
        separator = "\n" if self._inputs.shape[0] <= 3 else ", "
        text = f"w{index + 1} = {format_number(self._weights[index])}{separator}{slope_text}"
        font = QFont(font)
        font.setBold(index == self._selected)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        lines = text.split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines) + 12
        height = metrics.height() * len(lines) + 6
        box = QRectF(point.x() - width / 2, point.y() - height / 2, width, height)
        painter.setPen(QPen(HIGHLIGHT.darker(160) if index == self._selected else NEUTRAL, 1))
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(box, 5, 5)
        painter.setPen(TEXT)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.setFont(self.font())

    def _draw_outcome(self, painter) -> None:
        strip = self._strip_height()
        box = QRectF(4, self.height() - strip, self.width() - 8, strip - 4)
        painter.setPen(QPen(NEUTRAL, 1))
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawRoundedRect(box, 5, 5)
        target = "target" if self._rows == 1 else "target (row 1)"
        text = (
            f"error = prediction − {target} = {format_number(self._prediction)} − "
            f"{format_number(self._target)} = {format_number(self._error)}"
        )
        painter.setPen(TEXT)
        painter.drawText(
            box,
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            text,
        )
