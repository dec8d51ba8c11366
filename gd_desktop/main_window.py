"""The main window: composes the panels and plots and wires them to one session."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gd_desktop import engine
from gd_desktop.numbers import format_number
from gd_desktop.plots import ErrorPlot, LossPlot
from gd_desktop.session import SPEEDS, Session
from gd_desktop.widgets import NumberBox, signals_blocked

BIG_NUMBER = 1e300
WARNING_STYLE = "background: #FDE8D7; color: #7A2E00; border: 2px solid #D55E00;"
INFO_STYLE = "background: #E8F1F8; color: #123A55; border: 2px solid #0072B2;"


def speed_text(speed: float | None) -> str:
    if speed is None:
        return "as fast as possible"
    return f"{format_number(speed)} step{'s' if speed != 1 else ''} per second"


class ParameterPanel(QGroupBox):
    """Spin boxes for the problem. Edits go to the session; the boxes show what it holds."""

    def __init__(self, session: Session, parent=None):
        super().__init__("The problem", parent)
        self._session = session
        self.input_count = QSpinBox()
        self.input_count.setObjectName("input_count")
        self.input_count.setAccessibleName("Number of inputs")
        self.input_count.setRange(1, engine.MAX_INPUTS)
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
        self.critical_label.setWordWrap(True)

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
        problem = self._session.problem
        self.learning_rate.show_value(problem.learning_rate)
        critical = self._session.critical_learning_rate
        if critical == float("inf"):
            self.critical_label.setText("With every input 0, no learning rate diverges.")
        else:
            too_big = problem.learning_rate > critical
            self.critical_label.setText(
                f"Diverges above <b>{format_number(critical)}</b>"
                + (" — <b>this rate is too big</b>" if too_big else "")
            )

    def show_state(self) -> None:
        current = self._session.current
        for box, label, weight, slope in zip(
            self.weight_boxes, self.slope_labels, current.weights, current.gradient
        ):
            box.show_value(float(weight))
            label.setText(format_number(float(slope)))
            label.setToolTip(f"slope of the loss for this weight: {float(slope)!r}")


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
        current = session.current
        shown = {
            "iteration": session.iteration,
            "prediction": float(current.predictions[0]),
            "error": float(current.errors[0]),
            "loss": current.loss,
        }
        for field, value in shown.items():
            label = self.values[field]
            label.setText(format_number(value) if isinstance(value, float) else str(value))
            label.setToolTip(repr(value))


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None):
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle("gd-desktop — gradient descent, step by step")
        self.session = session or Session(self)

        self.parameters = ParameterPanel(self.session)
        self.step_button = QPushButton("Step")
        self.step_button.setObjectName("step_button")
        self.step_button.setToolTip("Take one gradient-descent update")
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("run_button")
        self.run_button.setToolTip("Step on a timer; press again to pause")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setObjectName("reset_button")
        self.reset_button.setToolTip("Back to the values typed; the history is cleared")
        for button in (self.step_button, self.run_button, self.reset_button):
            button.setMinimumHeight(44)
            font = button.font()
            font.setPointSizeF(font.pointSizeF() * 1.25)
            font.setBold(True)
            button.setFont(font)
        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setObjectName("speed_slider")
        self.speed_slider.setAccessibleName("Run speed")
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setPageStep(1)
        self.speed_slider.setValue(self.session.speed_index)
        self.speed_label = QLabel()
        self.readout = Readout(self.session)
        self.status = QLabel()
        self.status.setObjectName("status_message")
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(64)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.status.setMargin(6)

        self.error_plot = ErrorPlot(self.session)
        self.error_choice = QComboBox()
        self.error_choice.setObjectName("error_choice")
        self.error_choice.setAccessibleName("What the first plot shows")
        self.error_choice.addItems(["error (prediction − target)", "loss (squared error)"])
        self.loss_plot = LossPlot(self.session)
        self.weight_choice = QComboBox()
        self.weight_choice.setObjectName("parabola_weight")
        self.weight_choice.setAccessibleName("Weight shown on the loss curve")

        self._build_layout()
        self._connect()
        self.on_problem_changed()
        self.on_running_changed(False)
        self.on_speed_changed(self.session.speed_index)
        self.show_message("The course's two-input example: press Step to take one update.", False)
        self.resize(1360, 860)
        self.step_button.setFocus()

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.step_button, self.run_button, self.reset_button):
            buttons.addWidget(button)
        speed = QHBoxLayout()
        speed.addWidget(QLabel("Speed"))
        speed.addWidget(self.speed_slider, 1)
        left = QVBoxLayout()
        left.addWidget(self.parameters)
        left.addLayout(buttons)
        left.addLayout(speed)
        left.addWidget(self.speed_label)
        left.addWidget(self.readout)
        left.addWidget(self.status)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        left_widget.setMinimumWidth(440)
        left_widget.setMaximumWidth(560)

        def with_choice(label: str, choice: QComboBox, plot) -> QWidget:
            box = QWidget()
            row = QHBoxLayout()
            row.addWidget(QLabel(label))
            row.addWidget(choice)
            row.addStretch(1)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.addLayout(row)
            column.addWidget(plot, 1)
            return box

        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(with_choice("First plot shows", self.error_choice, self.error_plot))
        plots.addWidget(with_choice("Loss curve along", self.weight_choice, self.loss_plot))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left_widget)
        splitter.addWidget(plots)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)

    def _connect(self) -> None:
        session = self.session
        self.step_button.clicked.connect(session.step)
        self.run_button.clicked.connect(session.toggle_run)
        self.reset_button.clicked.connect(session.reset)
        self.speed_slider.valueChanged.connect(session.set_speed_index)
        self.error_choice.currentIndexChanged.connect(
            lambda index: self.error_plot.set_show_loss(index == 1)
        )
        self.weight_choice.currentIndexChanged.connect(self.on_weight_chosen)
        session.problem_changed.connect(self.on_problem_changed)
        session.reset_done.connect(self.on_problem_changed)
        session.stepped.connect(self.on_stepped)
        session.running_changed.connect(self.on_running_changed)
        session.message.connect(self.show_message)
        session.speed_changed.connect(self.on_speed_changed)

    # ----------------------------------------------------------------- rendering
    def on_problem_changed(self) -> None:
        count = self.session.problem.weight_count
        chosen = min(self.weight_choice.currentIndex(), count - 1)
        with signals_blocked(self.weight_choice):
            self.weight_choice.clear()
            self.weight_choice.addItems([f"weight {i + 1}" for i in range(count)])
            self.weight_choice.setCurrentIndex(max(chosen, 0))
        self.loss_plot.weight_index = max(chosen, 0)
        self.parameters.show_problem()
        self.readout.show_state()
        self.error_plot.refresh(full=True)
        self.loss_plot.set_weight_index(self.loss_plot.weight_index)

    def on_stepped(self) -> None:
        self.parameters.show_rate()
        self.parameters.show_state()
        self.readout.show_state()
        self.error_plot.refresh()
        self.loss_plot.refresh()

    def on_weight_chosen(self, index: int) -> None:
        if index >= 0:
            self.loss_plot.set_weight_index(index)

    def on_running_changed(self, running: bool) -> None:
        self.run_button.setText("Pause" if running else "Run")
        self.step_button.setEnabled(not running)

    def on_speed_changed(self, index: int) -> None:
        with signals_blocked(self.speed_slider):
            self.speed_slider.setValue(index)
        self.speed_label.setText(f"Run speed: {speed_text(SPEEDS[index])}")

    def show_message(self, text: str, warning: bool) -> None:
        self.status.setText(("⚠ " if warning else "") + text)
        self.status.setStyleSheet(WARNING_STYLE if warning else INFO_STYLE)
