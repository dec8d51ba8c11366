"""The left-hand panels: the problem's spin boxes and the big readout of the iteration on view.

They render what the session holds and send edits to its slots; they compute nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core.engine import ACTIVATIONS
from gd_desktop.core.limits import MAX_HIDDEN, TYPED_INPUTS_MAX
from gd_desktop.core.number_fit import evaluation_noise, shown_value
from gd_desktop.core.numbers import format_number
from gd_desktop.core.presets import PRESETS
from gd_desktop.gui.session import Session
from gd_desktop.gui.views.widgets import NumberBox, NumberLabel, signals_blocked

BIG_NUMBER = 1e300


class PresetChooser(QComboBox):
    """The ready-made lessons by name; a choice is sent as the preset's id, never its name."""

    preset_chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("preset_combo")
        self.setAccessibleName("Presets")
        self.setToolTip("Ready-made lessons: each sets every value (keys 1 to 8)")
        self.setPlaceholderText("Load a preset lesson…")
        for preset in PRESETS:
            self.addItem(preset.name, preset.id)
            self.setItemData(self.count() - 1, preset.says, Qt.ItemDataRole.ToolTipRole)
        self.setCurrentIndex(-1)
        self.activated.connect(lambda index: self.preset_chosen.emit(self.itemData(index)))


class ParameterPanel(QGroupBox):
    """Spin boxes for the problem. Edits go to the session; the boxes show what it holds.

    The inputs and the target shown are the first data row's (more rows live in the Data tab).
    Without a hidden layer each row reads "x1 [input]  w1 [weight]  slope"; with one, the weights
    list every edge by name (w(h1→out), w(x1→h1), …) beside the inputs.
    """

    def __init__(self, session: Session, parent=None):
        super().__init__("The problem", parent)
        self._session = session
        self.input_count = QSpinBox()
        self.input_count.setObjectName("input_count")
        self.input_count.setAccessibleName("Number of inputs")
        self.input_count.setToolTip("Inputs per data row (1 to 8): a new problem")
        self.input_count.setRange(1, TYPED_INPUTS_MAX)
        self.input_count.setKeyboardTracking(False)
        self.input_count.valueChanged.connect(session.set_input_count)

        self.hidden_count = QSpinBox()
        self.hidden_count.setObjectName("hidden_count")
        self.hidden_count.setAccessibleName("Hidden nodes")
        self.hidden_count.setToolTip("Nodes in the hidden layer; 0: no hidden layer (the slides)")
        self.hidden_count.setRange(0, MAX_HIDDEN)
        self.hidden_count.setSpecialValueText("none")
        self.hidden_count.setKeyboardTracking(False)
        self.hidden_count.valueChanged.connect(self._on_network_edited)
        self.activation = QComboBox()
        self.activation.setObjectName("activation")
        self.activation.setAccessibleName("Activation of the hidden layer")
        self.activation.setToolTip("What each hidden node does to its sum")
        for activation in ACTIVATIONS:  # shown by its name; read back by its id, the item data
            self.activation.addItem(activation, activation)
        self.activation.activated.connect(self._on_network_edited)

        self.batch_size = QSpinBox()
        self.batch_size.setObjectName("batch_size")
        self.batch_size.setAccessibleName("Rows per step (mini-batch size)")
        self.batch_size.setToolTip(
            "Rows each step learns from: all rows (full batch), or a random few (mini-batch)"
        )
        self.batch_size.setSpecialValueText("all rows")
        self.batch_size.setKeyboardTracking(False)
        self.batch_size.valueChanged.connect(self._on_batch_edited)
        self.seed = QSpinBox()
        self.seed.setObjectName("seed")
        self.seed.setAccessibleName("Random seed for the mini-batches")
        self.seed.setToolTip("The same seed draws the same batches: a run can be replayed")
        self.seed.setRange(0, 2**31 - 1)  # as a lesson file allows
        self.seed.setPrefix("seed ")
        self.seed.setKeyboardTracking(False)
        self.seed.valueChanged.connect(self._on_batch_edited)
        self.batch_row = QWidget()
        batch = QHBoxLayout(self.batch_row)
        batch.setContentsMargins(0, 0, 0, 0)
        # One line for the data set: how many rows (the boxes show row 1) and how many a step uses.
        self.rows_note = QLabel()
        self.rows_note.setObjectName("rows_note")
        self.rows_note.setToolTip("The boxes above show row 1; every row is in the Data tab")
        batch.addWidget(self.rows_note)
        batch.addWidget(self.batch_size, 1)
        batch.addWidget(self.seed)

        self.target = NumberBox(-1e6, 1e6, 1.0)
        self.target.setObjectName("target")
        self.target.setAccessibleName("Target")
        self.target.valueChanged.connect(session.set_target)
        self.target.refused.connect(session.refuse_input)

        self.learning_rate = NumberBox(0.0, 10.0, 0.001)
        self.learning_rate.setObjectName("learning_rate")
        self.learning_rate.setAccessibleName("Learning rate")
        self.learning_rate.setStepType(QSpinBox.StepType.AdaptiveDecimalStepType)
        self.learning_rate.valueChanged.connect(session.set_learning_rate)
        self.learning_rate.refused.connect(session.refuse_input)
        self.critical_label = QLabel()
        self.critical_label.setObjectName("critical_rate")
        self.critical_label.setTextFormat(Qt.TextFormat.RichText)
        self.critical_label.setMinimumHeight(
            2 * self.critical_label.fontMetrics().lineSpacing() + 4
        )

        self.rows = QGridLayout()
        self.rows.setHorizontalSpacing(8)
        self.headings = []
        for column, heading in enumerate(("", "input", "", "weight", "slope")):
            label = QLabel(f"<b>{heading}</b>")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.rows.addWidget(label, 0, column)
            self.headings.append(label)
        self.weights_heading = QLabel("<b>weight</b>")
        self.slopes_heading = QLabel("<b>slope</b>")
        self.slopes_heading.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.input_names: list[QLabel] = []
        self.input_boxes: list[NumberBox] = []
        self.weight_names: list[QLabel] = []
        self.weight_boxes: list[NumberBox] = []
        self.slope_labels: list[QLabel] = []
        rows_widget = QWidget()
        rows_widget.setLayout(self.rows)
        self.rows_area = QScrollArea()
        self.rows_area.setWidget(rows_widget)
        self.rows_area.setWidgetResizable(True)
        self.rows_area.setFrameShape(QFrame.Shape.NoFrame)
        self.rows_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        top = QGridLayout()
        top.addWidget(QLabel("Number of inputs"), 0, 0)
        top.addWidget(self.input_count, 0, 1)
        top.addWidget(QLabel("Hidden layer"), 1, 0)
        network = QHBoxLayout()
        network.addWidget(self.hidden_count)
        network.addWidget(self.activation, 1)
        top.addLayout(network, 1, 1)
        top.addWidget(QLabel("Target"), 2, 0)
        top.addWidget(self.target, 2, 1)
        top.addWidget(QLabel("Learning rate"), 3, 0)
        top.addWidget(self.learning_rate, 3, 1)
        top.addWidget(self.critical_label, 4, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.batch_row)
        layout.addWidget(self.rows_area)

    def _on_batch_edited(self, *_) -> None:
        self._session.set_batch(self.batch_size.value(), self.seed.value())

    def _on_network_edited(self, *_) -> None:
        self._session.set_network(self.hidden_count.value(), self.activation.currentData())

    def _ensure_rows(self, inputs: int, weights: int) -> None:
        """Create rows on demand (never destroy them) and show the ones this problem needs."""
        while len(self.input_boxes) < inputs:
            i = len(self.input_boxes)
            name = QLabel(f"x{i + 1}")
            box = NumberBox(-1e6, 1e6, 1.0)
            box.setMaximumWidth(90)
            box.setObjectName(f"input_{i}")
            box.setAccessibleName(f"Input {i + 1}")
            box.valueChanged.connect(lambda v, i=i: self._session.set_input(i, v))
            box.refused.connect(self._session.refuse_input)
            self.rows.addWidget(name, i + 1, 0)
            self.rows.addWidget(box, i + 1, 1)
            self.input_names.append(name)
            self.input_boxes.append(box)
        while len(self.weight_boxes) < weights:
            k = len(self.weight_boxes)
            name = QLabel()
            box = NumberBox(-BIG_NUMBER, BIG_NUMBER, 0.1)
            box.setMaximumWidth(110)
            box.setObjectName(f"weight_{k}")
            box.valueChanged.connect(lambda v, k=k: self._session.set_weight(k, v))
            box.refused.connect(self._session.refuse_input)
            slope = NumberLabel()  # rounded to fit, never cut ("13.2328" for −13.2328)
            slope.setObjectName(f"slope_{k}")
            slope.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            slope.setMinimumWidth(64)
            self.weight_names.append(name)
            self.weight_boxes.append(box)
            self.slope_labels.append(slope)
        for i, (name, box) in enumerate(zip(self.input_names, self.input_boxes)):
            name.setVisible(i < inputs)
            box.setVisible(i < inputs)
        # Without a hidden layer weight k sits beside input k; with one, the (longer) list of
        # weights follows the inputs, one per row, so that it fits the panel's width.
        beside = self._session.problem.hidden_count == 0
        for label in self.headings[2:]:
            label.setVisible(beside)
        self.weights_heading.setVisible(not beside)
        self.slopes_heading.setVisible(not beside)
        if not beside:
            self.rows.addWidget(self.weights_heading, inputs + 1, 0, 1, 2)
            self.rows.addWidget(self.slopes_heading, inputs + 1, 2)
        for k, widgets in enumerate(zip(self.weight_names, self.weight_boxes, self.slope_labels)):
            row, first_column = (k + 1, 2) if beside else (inputs + 2 + k, 0)
            for offset, widget in enumerate(widgets):
                self.rows.addWidget(widget, row, first_column + offset)
                widget.setVisible(k < weights)

    def show_problem(self) -> None:
        problem = self._session.problem
        self._ensure_rows(problem.input_count, problem.weight_count)
        for k in range(problem.weight_count):
            name = problem.weight_name(k)
            self.weight_names[k].setText(name)
            self.weight_boxes[k].setAccessibleName(f"Weight {name}")
        with signals_blocked(self.input_count):
            self.input_count.setValue(problem.input_count)
        with signals_blocked(self.hidden_count):
            self.hidden_count.setValue(problem.hidden_count)
        with signals_blocked(self.activation):
            self.activation.setCurrentIndex(self.activation.findData(problem.activation))
        self.activation.setEnabled(problem.hidden_count > 0)
        for box, value in zip(self.input_boxes, problem.inputs[0]):
            box.show_value(float(value))
        self.target.show_value(float(problem.targets[0]))
        rows = problem.row_count
        self.rows_note.setText(f"{rows:,} rows · step:")
        self.batch_row.setVisible(rows > 1)  # with one row there is nothing to choose from
        with signals_blocked(self.batch_size), signals_blocked(self.seed):
            self.batch_size.setRange(0, max(0, rows - 1))
            self.batch_size.setValue(problem.batch_size)
            self.seed.setValue(problem.seed)
        shown_rows = (
            max(problem.input_count, problem.weight_count) + 1
            if problem.hidden_count == 0
            else problem.input_count + problem.weight_count + 2
        )
        self.rows_area.setMinimumHeight(
            min(4, shown_rows) * (self.input_count.sizeHint().height() + 6) + 12
        )
        self.show_rate()
        self.show_state()

    def show_rate(self) -> None:
        problem = self._session.shown_problem
        self.learning_rate.show_value(problem.learning_rate)
        critical = self._session.critical_learning_rate
        if critical is None:
            self.critical_label.setText(
                "A hidden layer's loss is no parabola:<br>no single critical rate"
            )
            return
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
        noise = evaluation_noise(self._session.problem, shown.weights, shown.hidden_values)
        for box, label, weight, slope, slope_noise in zip(
            self.weight_boxes, self.slope_labels, shown.weights, shown.gradient, noise.slopes
        ):
            box.show_value(float(weight))
            if hide_slopes:
                label.set_placeholder("?")
            else:  # rounding noise of a slope is written 0, as the arithmetic writes it
                label.set_number(shown_value(float(slope), float(slope_noise)))
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
            value = QLabel() if field == "iteration" else NumberLabel()
            value.setObjectName(f"{field}_value")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.45)
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
        noise = evaluation_noise(session.problem, current.weights, current.hidden_values)
        shown = {
            "prediction": (float(current.predictions[0]), 0.0),
            "error": (float(current.errors[0]), float(noise.errors[0])),
            "loss": (current.loss, noise.loss),
        }
        for field, (value, value_noise) in shown.items():
            label = self.values[field]
            label.set_number(shown_value(value, value_noise))  # noise written 0
            label.setToolTip(repr(value))
