"""The left-hand panels: the problem's spin boxes and the big readout of the iteration on view.

They render what the session holds and send edits to its slots; they compute nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QGroupBox, QLabel, QSpinBox, QVBoxLayout

from gd_desktop.numbers import format_number
from gd_desktop.session import TYPED_INPUTS_MAX, Session
from gd_desktop.widgets import NumberBox, signals_blocked

BIG_NUMBER = 1e300


class ParameterPanel(QGroupBox):
    """Spin boxes for the problem. Edits go to the session; the boxes show what it holds."""

    def __init__(self, session: Session, parent=None):
        super().__init__("The problem", parent)
        self._session = session
        self.input_count = QSpinBox()
        self.input_count.setObjectName("input_count")
        self.input_count.setAccessibleName("Number of inputs")
        self.input_count.setRange(1, TYPED_INPUTS_MAX)
        self.input_count.setKeyboardTracking(False)
        self.input_count.valueChanged.connect(session.set_input_count)

        self.target = NumberBox(-1e6, 1e6, 1.0)
        self.target.setObjectName("target")
        self.target.setAccessibleName("Target")
        self.target.valueChanged.connect(session.set_target)

        self.learning_rate = NumberBox(0.0, 10.0, 0.001)
        self.learning_rate.setObjectName("learning_rate")
        self.learning_rate.setAccessibleName("Learning rate")
        self.learning_rate.setStepType(QSpinBox.StepType.AdaptiveDecimalStepType)
        self.learning_rate.valueChanged.connect(session.set_learning_rate)
        self.critical_label = QLabel()
        self.critical_label.setObjectName("critical_rate")
        self.critical_label.setTextFormat(Qt.TextFormat.RichText)
        self.critical_label.setMinimumHeight(
            2 * self.critical_label.fontMetrics().lineSpacing() + 4
        )

        self.rows = QGridLayout()
        self.rows.setHorizontalSpacing(10)
        for column, heading in enumerate(("", "input", "weight", "slope")):
            label = QLabel(f"<b>{heading}</b>")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.rows.addWidget(label, 0, column)
        self.input_boxes: list[NumberBox] = []
        self.weight_boxes: list[NumberBox] = []
        self.slope_labels: list[QLabel] = []

        top = QGridLayout()
        top.addWidget(QLabel("Number of inputs"), 0, 0)
        top.addWidget(self.input_count, 0, 1)
        top.addWidget(QLabel("Target"), 1, 0)
        top.addWidget(self.target, 1, 1)
        top.addWidget(QLabel("Learning rate"), 2, 0)
        top.addWidget(self.learning_rate, 2, 1)
        top.addWidget(self.critical_label, 3, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.rows)

    def _ensure_rows(self, count: int) -> None:
        while len(self.input_boxes) < count:
            i = len(self.input_boxes)
            name = QLabel(f"x{i + 1}, w{i + 1}")
            input_box = NumberBox(-1e6, 1e6, 1.0)
            input_box.setObjectName(f"input_{i}")
            input_box.setAccessibleName(f"Input {i + 1}")
            input_box.valueChanged.connect(lambda v, i=i: self._session.set_input(i, v))
            weight_box = NumberBox(-BIG_NUMBER, BIG_NUMBER, 0.1)
            weight_box.setObjectName(f"weight_{i}")
            weight_box.setAccessibleName(f"Weight {i + 1}")
            weight_box.valueChanged.connect(lambda v, i=i: self._session.set_weight(i, v))
            slope = QLabel()
            slope.setObjectName(f"slope_{i}")
            slope.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            slope.setMinimumWidth(90)
            for column, widget in enumerate((name, input_box, weight_box, slope)):
                self.rows.addWidget(widget, i + 1, column)
            self.input_boxes.append(input_box)
            self.weight_boxes.append(weight_box)
            self.slope_labels.append(slope)
        for i, widgets in enumerate(zip(self.input_boxes, self.weight_boxes, self.slope_labels)):
            for widget in widgets:
                widget.setVisible(i < count)
            self.rows.itemAtPosition(i + 1, 0).widget().setVisible(i < count)

    def show_problem(self) -> None:
        problem = self._session.problem
        count = problem.weight_count
        self._ensure_rows(count)
        with signals_blocked(self.input_count):
            self.input_count.setValue(count)
        for box, value in zip(self.input_boxes, problem.inputs[0]):
            box.show_value(float(value))
        self.target.show_value(float(problem.targets[0]))
        self.show_rate()
        self.show_state()

    def show_rate(self) -> None:
        problem = self._session.shown_problem
        self.learning_rate.show_value(problem.learning_rate)
        critical = self._session.critical_learning_rate
        if critical == float("inf"):
            self.critical_label.setText("Every input is 0:<br>no learning rate diverges.")
            return
        rate = problem.learning_rate
        if rate > critical:
            verdict = "<b style='color:#A33A00'>⚠ this rate is too big: it diverges</b>"
        elif rate > critical / 2:
            verdict = "this rate overshoots: the error flips sign"
        elif rate == 0:
            verdict = "a rate of 0 never moves the weights"
        else:
            verdict = "this rate converges without overshooting"
        self.critical_label.setText(f"Diverges above <b>{format_number(critical)}</b><br>{verdict}")

    def show_state(self, hide_slopes: bool = False) -> None:
        """Show the weights and slopes of the iteration on view (slopes hidden in a quiz)."""
        shown = self._session.shown
        for box, label, weight, slope in zip(
            self.weight_boxes, self.slope_labels, shown.weights, shown.gradient
        ):
            box.show_value(float(weight))
            label.setText("?" if hide_slopes else format_number(float(slope)))
            label.setToolTip(
                "hidden: the quiz asks for it"
                if hide_slopes
                else f"slope of the loss for this weight: {float(slope)!r}"
            )


class Readout(QFrame):
    """Iteration, prediction, error and loss, large enough for the back of a classroom."""

    FIELDS = ("iteration", "prediction", "error", "loss")

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self._session = session
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QGridLayout(self)
        layout.setHorizontalSpacing(24)
        self.values: dict[str, QLabel] = {}
        for position, field in enumerate(self.FIELDS):
            row, column = divmod(position, 2)
            title = QLabel(field)
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value = QLabel()
            value.setObjectName(f"{field}_value")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.6)
            font.setBold(True)
            value.setFont(font)
            layout.addWidget(title, 2 * row, column)
            layout.addWidget(value, 2 * row + 1, column)
            self.values[field] = value

    def show_state(self) -> None:
        session = self._session
        current = session.shown
        iteration = str(session.shown_index)
        if not session.is_showing_latest:
            iteration += f" of {session.iteration}"
        self.values["iteration"].setText(iteration)
        shown = {
            "prediction": float(current.predictions[0]),
            "error": float(current.errors[0]),
            "loss": current.loss,
        }
        for field, value in shown.items():
            label = self.values[field]
            label.setText(format_number(value))
            label.setToolTip(repr(value))
