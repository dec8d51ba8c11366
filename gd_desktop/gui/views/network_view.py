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

from gd_desktop.core.diagram import (
    GOES_DOWN,
    GOES_UP,
    Box,
    LabelRequest,
    Node,
    around_centres,
    edge_centres,
    network_picture,
    place_labels,
    slope_shares,
)
from gd_desktop.core.i18n import N_, _
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
REVEAL = QColor("#CC79A7")  # reddish purple: the part a revealed factor comes from
EDGE_CLICK_DISTANCE = 14.0
#: The edge label's second line, by the way the weight moves (an id); any other: it stays.
SLOPE_WORDS = {
    GOES_DOWN: N_("slope {slope}: goes down"),
    GOES_UP: N_("slope {slope}: goes up"),
}
SLOPE_STAYS = N_("slope {slope}: stays")
LABEL_GAP = 3.0  # pixels of air round every label
# Two inputs, their labels and the error strip; the rest of the column goes to the plots. A
# hidden layer needs more, for nodes whose numbers read from the back of a room.
DIAGRAM_MIN_HEIGHT = 130
DIAGRAM_MIN_HEIGHT_HIDDEN = 170


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
    least_height_changed = Signal()  # a hidden layer came or went: the column is shared again

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self._session = session
        self.setObjectName("network_view")
        self.setMinimumSize(300, DIAGRAM_MIN_HEIGHT)  # the plots get the height at 1024 × 768
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # A click takes the focus out of a box (committing its edit), so Space steps again.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._ground = QColor("#FAFAFA")
        self._ink = TEXT
        self._reveal_part = None  # a DiagramPart ringed in presentation mode, or None
        self.label_boxes: dict[str, QRectF] = {}  # as last painted, by label id (tests read it)
        self.node_circles: list[tuple[QPointF, float]] = []
        self.node_texts: list[tuple[str, QRectF, float]] = []
        self._shrink = 1.0  # the nodes' share of their full size: less when labels need room
        self.retranslate()
        self.refresh(0)

    def retranslate(self) -> None:
        """The diagram's name and words in the language in use (the next paint redraws)."""
        self.setAccessibleName(_("Network diagram"))
        if hasattr(self, "_picture"):
            self.refresh(self._selected, self._hide_slopes)

    def set_colours(self, ground: str, ink: str) -> None:
        """The theme's ground and ink (nodes, names and labels); edge colours stay as they are."""
        self._ground = QColor(ground)
        self._ink = QColor(ink)
        self.update()

    def refresh(self, selected: int, hide_slopes: bool = False) -> None:
        """Draw the iteration on view, ``selected`` weight highlighted. With ``hide_slopes`` (a
        quiz on the slope) every edge is drawn alike and labelled "slope ?"."""
        session = self._session
        picture = network_picture(session.problem, session.shown, session.next_weights)
        self._picture = picture
        least = DIAGRAM_MIN_HEIGHT_HIDDEN if picture.hidden_count else DIAGRAM_MIN_HEIGHT
        if self.minimumHeight() != least:
            self.setMinimumHeight(least)
            self.least_height_changed.emit()
        shown = session.shown
        self._noise = evaluation_noise(session.problem, shown.weights, shown.hidden_values)
        self._selected = int(selected)
        self._hide_slopes = bool(hide_slopes)
        if self._hide_slopes:
            parts = [
                _("{name} = {weight}, slope hidden (quiz)").format(
                    name=name, weight=format_number(w)
                )
                for name, w in zip(picture.names, picture.weights)
            ]
        else:
            parts = [
                _("{name} = {weight}, slope {slope}").format(
                    name=name, weight=format_number(w), slope=format_number(g)
                )
                for name, w, g in zip(picture.names, picture.weights, picture.slopes)
            ]
        self.setToolTip(
            "\n".join([_("Click an edge to show that weight on the loss curve."), *parts])
        )
        self.update()

    def set_highlight(self, part) -> None:
        """Ring the node or mark the edge ``part`` (a core DiagramPart) that the factor being
        revealed comes from; None: no ring."""
        self._reveal_part = part
        self.update()

    @property
    def highlighted_part(self):
        return self._reveal_part

    # ----------------------------------------------------------------- geometry
    @property
    def _hidden_count(self) -> int:
        return self._picture.hidden_count

    def _strip_height(self) -> float:
        """The band at the bottom that spells out prediction − target = error: one line when
        the sentence fits the width, two when it wraps (the rest is the network's)."""
        metrics = self.fontMetrics()
        lines = 1 if self._fits_one_line(self._outcome_text()) else 2
        return (lines + 0.4) * metrics.height()

    def _fits_one_line(self, text: str) -> bool:
        return self.fontMetrics().horizontalAdvance(text) <= self.width() - 20

    def _node_radius(self) -> float:
        count = max(1, self._picture.inputs.shape[0], self._hidden_count)
        usable = self.height() - self._strip_height() - 30
        return max(10.0, min(34.0, usable / (2.5 * count)) * self._shrink)

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
        # The nodes at full size if every label finds a free place; else smaller, until they do.
        for shrink in (1.0, 0.85, 0.7, 0.55):
            self._shrink = shrink
            radius = self._node_radius()
            edges = self._edges()
            labels = self._labels(edges, radius)
            if all(label.clear for label in labels):
                break
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

        output = self._output_centre()
        out_radius = radius * 1.25
        self.node_texts: list[tuple[str, QRectF, float]] = []  # as painted (tests read them)
        for i, centre in enumerate(self._input_centres()):
            self._draw_node(painter, centre, radius, float(picture.inputs[i]))
        if self._hidden_count:
            for j, centre in enumerate(self._hidden_centres()):
                value = float(picture.hidden_values[j])
                self._draw_node(painter, centre, radius, value, picture.switched_off[j])
        self._draw_node(painter, output, out_radius, float(picture.prediction))
        for label in labels:
            label.draw(painter)
        painter.setFont(self.font())
        self._draw_outcome(painter)
        if self._reveal_part is not None:
            self._draw_reveal(painter, self._reveal_part, radius)
        painter.end()

    def _nodes(self, radius: float) -> list[Node]:
        """Every node's circle, for the labels to keep clear of."""
        centres = [*self._input_centres()]
        if self._hidden_count:
            centres += self._hidden_centres()
        nodes = [Node(c.x(), c.y(), radius) for c in centres]
        output = self._output_centre()
        return [*nodes, Node(output.x(), output.y(), radius * 1.25)]

    def _labels(self, edges, radius: float) -> list[_Label]:
        """Every label's text, font and place: the core places them (``place_labels``) from the
        sizes measured here, so that none covers a node or another label."""
        picture = self._picture
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.85)
        plain = QFont(self.font())
        labels: list[_Label] = []
        for i, centre in enumerate(self._input_centres()):
            labels.append(_Label(f"name:x{i + 1}", f"x{i + 1}", plain, centre, "ltb"))
        if self._hidden_count:
            for j, centre in enumerate(self._hidden_centres()):
                labels.append(_Label(f"name:h{j + 1}", f"h{j + 1}", plain, centre, "ltbr"))
            for j, centre in enumerate(self._hidden_centres()):
                sum_text = format_number(float(picture.hidden_sums[j]))
                words = _("sum {value}: off") if picture.switched_off[j] else _("sum {value}")
                labels.append(
                    _Label(f"sum:h{j + 1}", words.format(value=sum_text), small, centre, "rbt")
                )
        output = self._output_centre()
        labels.append(_Label("prediction", _("prediction"), plain, output, "tbl", 1.25))
        edge_font = QFont(self.font())
        edge_font.setPointSizeF(self.font().pointSizeF() * 0.95)
        # Without a hidden layer every edge is labelled; with one, only the chosen edge (the
        # others carry their numbers in the tooltip and in the weights list). The chosen one
        # is placed first: it has the best place.
        labelled = [
            (k, start, end)
            for k, start, end in edges
            if self._hidden_count == 0 or k == self._selected
        ]
        labelled.sort(key=lambda edge: edge[0] != self._selected)
        edge_labels = []
        for k, start, end in labelled:
            font = QFont(edge_font)
            font.setBold(k == self._selected)
            # On two lines, or (where two lines find no free place) on one, or smaller.
            smaller = QFont(font)
            smaller.setPointSizeF(font.pointSizeF() * 0.8)
            two, one = self._edge_text(k, "\n"), self._edge_text(k, ", ")
            texts = ((two, font), (one, font), (two, smaller), (one, smaller))
            label = _Label(f"edge:{k}", texts, font, None, "", boxed=True)
            label.edge = (start, end)
            label.selected = k == self._selected
            edge_labels.append(label)
        labels = [*labels[:0], *self._ordered(labels, edge_labels)]
        nodes = self._nodes(radius)
        requests = []
        for label in labels:
            alternatives = []
            for text, font in label.texts:
                width, height = label.measure(text, font)
                if label.edge is not None:
                    start, end = label.edge
                    centres = edge_centres(
                        (start.x(), start.y()), (end.x(), end.y()), width, height
                    )
                else:
                    node = Node(label.node.x(), label.node.y(), radius * label.radius_share)
                    centres = around_centres(node, width, height, label.order, LABEL_GAP)
                alternatives.append(LabelRequest(label.id, width, height, centres))
            requests.append(tuple(alternatives))
        bounds = Box(2, 2, self.width() - 4, self.height() - self._strip_height() - 4)
        boxes = place_labels(requests, nodes, bounds, gap=LABEL_GAP)
        for label in labels:
            box = boxes[label.id]
            label.box = QRectF(box.left, box.top, box.width, box.height)
            label.text, label.font = label.texts[box.variant]
            label.clear = box.clear
            label.ink, label.ground = self._ink, self._ground
        self.label_boxes = {label.id: label.box for label in labels}
        self.node_circles = [(QPointF(n.x, n.y), n.radius) for n in nodes]
        return labels

    @staticmethod
    def _ordered(node_labels, edge_labels):
        """The nodes' names first (short, beside their node), then the chosen edge's label (the
        largest: the best of what is left), then the prediction and the hidden sums, then the
        other edges' labels."""
        names = [label for label in node_labels if label.id.startswith("name:")]
        rest = [label for label in node_labels if not label.id.startswith("name:")]
        chosen = [label for label in edge_labels if label.selected]
        others = [label for label in edge_labels if not label.selected]
        return [*names, *chosen, *rest, *others]

    def _edge_text(self, index: int, separator: str) -> str:
        picture = self._picture
        slope = shown_value(float(picture.slopes[index]), float(self._noise.slopes[index]))
        if self._hide_slopes:
            slope_text = _("slope ?")
        else:
            # A slope of rounding noise is 0: the weight stays, whatever the noise's sign.
            words = SLOPE_WORDS.get(picture.moves[index], SLOPE_STAYS) if slope else SLOPE_STAYS
            slope_text = _(words).format(slope=format_number(slope))
        name = picture.names[index]
        return f"{name} = {format_number(picture.weights[index])}{separator}{slope_text}"

    def _draw_reveal(self, painter, part, radius: float) -> None:
        """The presentation's pointer: a thick ring round a node, or a band along an edge."""
        pen = QPen(REVEAL, 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if part.kind == "edge":
            for k, start, end in self._edges():
                if k == part.index:
                    painter.setPen(pen)
                    painter.drawLine(start, end)
            return
        centres = {
            "input": self._input_centres(),
            "hidden": self._hidden_centres() if self._hidden_count else [],
            "output": [self._output_centre()],
        }.get(part.kind, [])
        if 0 <= part.index < len(centres):
            ring = radius * (1.25 if part.kind == "output" else 1.0) + 6
            painter.setPen(pen)
            painter.drawEllipse(centres[part.index], ring, ring)

    def _draw_node(self, painter, centre, radius: float, value: float, off: bool = False) -> None:
        painter.setPen(QPen(self._ink, 2, Qt.PenStyle.DotLine if off else Qt.PenStyle.SolidLine))
        # The theme's ground (a switched-off node a shade off it), so a dark theme has no white.
        painter.setBrush(self._ground.darker(125) if off else self._ground)
        painter.drawEllipse(centre, radius, radius)
        text, font = self._node_text(value, radius)
        painter.setFont(font)
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.setPen(self._ink)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        metrics = QFontMetrics(font)
        width, height = metrics.horizontalAdvance(text), metrics.ascent()
        self.node_texts.append(
            (text, QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height), radius)
        )
        painter.setFont(self.font())

    def _node_text(self, value: float, radius: float) -> tuple[str, QFont]:
        """The value rounded to fit inside its circle (never spilling out of it: ".5461e+2"),
        in the bold font; a size or two smaller rather than fewer than three digits (1.48216
        shown as "1" looks wrong), and smaller still where even one digit would not fit."""
        font = QFont(self.font())
        font.setBold(True)
        normal = font.pointSizeF()
        while True:
            metrics = QFontMetrics(font)
            half_height = metrics.ascent() / 2  # digits and signs: no descenders
            room = 2 * math.sqrt(max(0.0, (radius - 2) ** 2 - half_height**2))
            text = fitted_text(value, metrics, room)
            fits = metrics.horizontalAdvance(text) <= room
            enough = text == format_number(value) or _significant_digits(text) >= 3
            if font.pointSizeF() <= 6 or (fits and (enough or font.pointSizeF() < 0.75 * normal)):
                return text, font
            font.setPointSizeF(max(6.0, font.pointSizeF() * 0.9))

    def _draw_outcome(self, painter) -> None:
        strip = self._strip_height()
        box = QRectF(4, self.height() - strip, self.width() - 8, strip - 4)
        painter.setPen(QPen(NEUTRAL, 1))
        painter.setBrush(self._ground)  # the theme's, like every box of the window
        painter.drawRoundedRect(box, 5, 5)
        painter.setPen(self._ink)
        painter.drawText(
            box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._outcome_text()
        )

    def _outcome_text(self) -> str:
        """prediction − target = error in words and numbers; in numbers alone when the words
        would wrap the strip onto a second line (the arithmetic beside says it in words)."""
        picture = self._picture
        numbers = {
            "prediction": format_number(picture.prediction),
            "target": format_number(picture.target),
            "error": format_number(shown_value(picture.error, float(self._noise.errors[0]))),
        }
        if picture.rows == 1:
            sentence = _("error = prediction − target = {prediction} − {target} = {error}")
            short = _("error = {prediction} − {target} = {error}")
        else:
            sentence = _("error = prediction − target (row 1) = {prediction} − {target} = {error}")
            short = _("error (row 1) = {prediction} − {target} = {error}")
        text = sentence.format(**numbers)
        return text if self._fits_one_line(text) else short.format(**numbers)


def _significant_digits(text: str) -> int:
    """How many significant digits a written number shows ("0.0012" two, "1.5e+07" two)."""
    mantissa = text.split("e")[0]
    digits = "".join(c for c in mantissa if c.isdigit()).lstrip("0")
    return len(digits)


class _Label:
    """One label of the diagram: its words and font, what it belongs to (a node, or an edge),
    and, once placed, its rectangle."""

    def __init__(self, label_id, texts, font, node, order, radius_share=1.0, boxed=False):
        self.id = label_id
        # The alternatives, best first: (words, font) each.
        self.texts = ((texts, font),) if isinstance(texts, str) else tuple(texts)
        self.text = self.texts[0][0]
        self.font = font
        self.node = node  # the QPointF of the node it names, or None for an edge's label
        self.order = order  # the sides of its node it may take, best first ("l", "t", ...)
        self.radius_share = radius_share
        self.boxed = boxed
        self.edge = None
        self.selected = False
        self.clear = True
        self.box = QRectF()
        self.ink = TEXT
        self.ground = QColor("#FAFAFA")

    def measure(self, text: str, font: QFont) -> tuple[float, float]:
        """The size in pixels of ``text`` in ``font``: the box it is drawn in, with air."""
        metrics = QFontMetrics(font)
        lines = text.split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines)
        height = metrics.height() * len(lines)
        return (width + 12, height + 6) if self.boxed else (width + 4, height)

    def draw(self, painter: QPainter) -> None:
        painter.setFont(self.font)
        ground = QColor(self.ground)
        ground.setAlpha(235 if self.boxed else 200)  # words over an edge stay readable
        painter.setBrush(ground)
        if self.boxed:
            painter.setPen(QPen(HIGHLIGHT.darker(160) if self.selected else NEUTRAL, 1))
            painter.drawRoundedRect(self.box, 5, 5)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(self.box, 3, 3)
        painter.setPen(self.ink)
        painter.drawText(self.box, Qt.AlignmentFlag.AlignCenter, self.text)
