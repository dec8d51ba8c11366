"""The left-hand panels: the problem's spin boxes and the big readout of the iteration on view.

They render what the session holds and send edits to its slots; they compute nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
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

from gd_desktop.core.engine import ACTIVATION_TITLES, ACTIVATIONS
from gd_desktop.core.i18n import N_, _, ngettext
from gd_desktop.core.limits import MAX_HIDDEN, TYPED_INPUTS_MAX
from gd_desktop.core.number_fit import evaluation_noise, shown_value
from gd_desktop.core.numbers import format_number
from gd_desktop.core.presets import PRESETS
from gd_desktop.gui.session import Session
from gd_desktop.gui.views.optimizer_controls import OptimizerControls
from gd_desktop.gui.views.widgets import NumberBox, NumberLabel, signals_blocked

BIG_NUMBER = 1e300
# A value box is at least as wide as this number written out (six significant digits).
WIDEST_USUAL_VALUE = "−0.546491"


class ValueBox(NumberBox):
    """A number box wide enough for six significant digits and a sign, at any text size."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().sizeHint()
        text = self.fontMetrics().horizontalAdvance(WIDEST_USUAL_VALUE)
        # the text, the line edit's margins and frame, and the arrow buttons
        return QSize(text + self.fontMetrics().height() + 16, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.sizeHint()


class PresetChooser(QComboBox):
    """The ready-made lessons by name; a choice is sent as the preset's id, never its name."""

    preset_chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("preset_combo")
        self._notes_shown = True  # a quiz hides them: slide one's says "goes to 2.24"
        for preset in PRESETS:
            self.addItem("", preset.id)
        self.setCurrentIndex(-1)
        self.retranslate()
        self.activated.connect(lambda index: self.preset_chosen.emit(self.itemData(index)))

    def retranslate(self) -> None:
        """The lessons' titles and notes in the language in use (the items key on the ids)."""
        self.setAccessibleName(_("Presets"))
        self.setToolTip(_("Ready-made lessons: each sets every value (keys 1 to 8)"))
        self.setPlaceholderText(_("Load a preset lesson…"))
        for index, preset in enumerate(PRESETS):
            self.setItemText(index, preset.name)
            note = preset.says if self._notes_shown else None
            self.setItemData(index, note, Qt.ItemDataRole.ToolTipRole)

    def show_notes(self, shown: bool) -> None:
        """Each lesson's note as its entry's tooltip, or none (a note may name a quiz's answer)."""
        self._notes_shown = shown
        self.retranslate()


#: The editing panel's headings and captions, in English (translated where shown).
HEADINGS = ("", N_("input"), "", N_("weight"), N_("slope"))
CAPTIONS = (N_("Inputs"), N_("Hidden layer"), N_("Target"), N_("Learning rate"))


class ParameterPanel(QGroupBox):
    """Spin boxes for the problem. Edits go to the session; the boxes show what it holds.

    The inputs and the target shown are the first data row's (more rows live in the Data tab).
    Without a hidden layer each row reads "x1 [input]  w1 [weight]  slope"; with one, the weights
    list every edge by name (w(h1→out), w(x1→h1), …) beside the inputs.
    """

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self._session = session
        self.input_count = QSpinBox()
        self.input_count.setObjectName("input_count")
        self.input_count.setRange(1, TYPED_INPUTS_MAX)
        self.input_count.setKeyboardTracking(False)
        self.input_count.valueChanged.connect(session.set_input_count)

        self.hidden_count = QSpinBox()
        self.hidden_count.setObjectName("hidden_count")
        self.hidden_count.setRange(0, MAX_HIDDEN)
        self.hidden_count.setKeyboardTracking(False)
        self.hidden_count.valueChanged.connect(self._on_network_edited)
        self.activation = QComboBox()
        self.activation.setObjectName("activation")
        for activation in ACTIVATIONS:  # shown by its title; read back by its id, the item data
            self.activation.addItem(_(ACTIVATION_TITLES[activation]), activation)
        self.activation.activated.connect(self._on_network_edited)

        self.batch_size = QSpinBox()
        self.batch_size.setObjectName("batch_size")
        self.batch_size.setKeyboardTracking(False)
        self.batch_size.valueChanged.connect(self._on_batch_edited)
        self.seed = QSpinBox()
        self.seed.setObjectName("seed")
        self.seed.setRange(0, 2**31 - 1)  # as a lesson file allows
        self.seed.setKeyboardTracking(False)
        self.seed.valueChanged.connect(self._on_batch_edited)
        self.batch_row = QWidget()
        batch = QGridLayout(self.batch_row)
        batch.setContentsMargins(0, 0, 0, 0)
        # The data set: how many rows (the boxes show row 1), then how many a step uses.
        self.rows_note = QLabel()
        self.rows_note.setObjectName("rows_note")
        batch.addWidget(self.rows_note, 0, 0, 1, 2)
        batch.addWidget(self.batch_size, 1, 0)
        batch.addWidget(self.seed, 1, 1)

        self.target = NumberBox(-1e6, 1e6, 1.0)
        self.target.setObjectName("target")
        self.target.valueChanged.connect(session.set_target)
        self.target.refused.connect(session.refuse_input)

        self.learning_rate = NumberBox(0.0, 10.0, 0.001)
        self.learning_rate.setObjectName("learning_rate")
        self.learning_rate.setStepType(QSpinBox.StepType.AdaptiveDecimalStepType)
        self.learning_rate.valueChanged.connect(session.set_learning_rate)
        self.learning_rate.refused.connect(session.refuse_input)
        self.critical_label = QLabel()
        self.critical_label.setObjectName("critical_rate")
        self.critical_label.setTextFormat(Qt.TextFormat.RichText)
        self.critical_label.setWordWrap(True)  # a narrow panel, or large text: more lines
        self.critical_label.setMinimumWidth(1)  # wraps to the panel, never widens it
        self.optimizer = OptimizerControls(session)

        self.rows = QGridLayout()
        self.rows.setHorizontalSpacing(8)
        self.headings = []
        for column in range(len(HEADINGS)):
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.rows.addWidget(label, 0, column)
            self.headings.append(label)
        self.weights_heading = QLabel()
        self.slopes_heading = QLabel()
        self.slopes_heading.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.input_names: list[QLabel] = []
        self.input_boxes: list[NumberBox] = []
        self.weight_names: list[QLabel] = []
        self.weight_boxes: list[NumberBox] = []
        self.slope_labels: list[QLabel] = []
        rows_widget = QWidget()
        rows_widget.setLayout(self.rows)
        self.rows_area = FittingScrollArea()
        self.rows_area.setWidget(rows_widget)
        self.rows_area.setWidgetResizable(True)
        self.rows_area.setFrameShape(QFrame.Shape.NoFrame)
        self.rows_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        top = QGridLayout()
        self.captions = [QLabel() for _caption in CAPTIONS]  # Inputs, Hidden layer, ...
        top.addWidget(self.captions[0], 0, 0)
        top.addWidget(self.input_count, 0, 1)
        top.addWidget(self.captions[1], 1, 0)
        network = QHBoxLayout()
        network.addWidget(self.hidden_count)
        network.addWidget(self.activation, 1)
        top.addLayout(network, 1, 1)
        top.addWidget(self.captions[2], 2, 0)
        top.addWidget(self.target, 2, 1)
        top.addWidget(self.captions[3], 3, 0)
        top.addWidget(self.learning_rate, 3, 1)
        top.addWidget(self.critical_label, 4, 0, 1, 2)
        top.addWidget(self.optimizer, 5, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.batch_row)
        layout.addWidget(self.rows_area)
        self.retranslate()

    def retranslate(self) -> None:
        """The panel's words in the language in use; the boxes key on their objectName."""
        self.setTitle(_("The problem"))
        for index in range(self.activation.count()):
            self.activation.setItemText(
                index, _(ACTIVATION_TITLES[self.activation.itemData(index)])
            )
        words = {
            self.input_count: (
                _("Number of inputs"), _("Inputs per data row (1 to 8): a new problem")
            ),
            self.hidden_count: (
                _("Hidden nodes"), _("Nodes in the hidden layer; 0: no hidden layer (the slides)")
            ),
            self.activation: (
                _("Activation of the hidden layer"), _("What each hidden node does to its sum")
            ),
            self.batch_size: (
                _("Rows per step (mini-batch size)"),
                _(
                    "Rows each step learns from: all rows (full batch), or a random few "
                    "(mini-batch)"
                ),
            ),
            self.seed: (
                _("Random seed for the mini-batches"),
                _("The same seed draws the same batches: a run can be replayed"),
            ),
        }
        for widget, (name, tip) in words.items():
            widget.setAccessibleName(name)
            widget.setToolTip(tip)
        self.hidden_count.setSpecialValueText(_("none"))
        self.batch_size.setSpecialValueText(_("all rows"))
        # TRANSLATORS: written before the seed's number in its box ("seed 7"); keep the space.
        self.seed.setPrefix(_("seed "))
        for box in (self.hidden_count, self.batch_size, self.seed):
            box.updateGeometry()  # Qt forgets its size for the new word but tells no layout
        self.rows_note.setToolTip(_("The boxes above show row 1; every row is in the Data tab"))
        self.target.setAccessibleName(_("Target"))
        self.learning_rate.setAccessibleName(_("Learning rate"))
        for label, heading in zip(self.headings, HEADINGS):
            label.setText(f"<b>{_(heading)}</b>" if heading else "")
        self.weights_heading.setText("<b>{}</b>".format(_("weight")))
        self.slopes_heading.setText("<b>{}</b>".format(_("slope")))
        for label, caption in zip(self.captions, CAPTIONS):
            label.setText(_(caption))
        self.optimizer.retranslate()
        if self.input_boxes:
            self.show_problem()

    def _on_batch_edited(self, *_) -> None:
        self._session.set_batch(self.batch_size.value(), self.seed.value())

    def _on_network_edited(self, *_) -> None:
        self._session.set_network(self.hidden_count.value(), self.activation.currentData())

    def _ensure_rows(self, inputs: int, weights: int) -> None:
        """Create rows on demand (never destroy them) and show the ones this problem needs."""
        while len(self.input_boxes) < inputs:
            i = len(self.input_boxes)
            name = QLabel(f"x{i + 1}")
            box = ValueBox(-1e6, 1e6, 1.0)
            box.setObjectName(f"input_{i}")
            box.setAccessibleName(_("Input {number}").format(number=i + 1))
            box.valueChanged.connect(lambda v, i=i: self._session.set_input(i, v))
            box.refused.connect(self._session.refuse_input)
            self.rows.addWidget(name, i + 1, 0)
            self.rows.addWidget(box, i + 1, 1)
            self.input_names.append(name)
            self.input_boxes.append(box)
        while len(self.weight_boxes) < weights:
            k = len(self.weight_boxes)
            name = QLabel()
            box = ValueBox(-BIG_NUMBER, BIG_NUMBER, 0.1)
            box.setObjectName(f"weight_{k}")
            box.valueChanged.connect(lambda v, k=k: self._session.set_weight(k, v))
            box.refused.connect(self._session.refuse_input)
            slope = NumberLabel()  # rounded to fit, never cut ("13.2328" for −13.2328)
            slope.setObjectName(f"slope_{k}")
            slope.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            slope.setMinimumWidth(slope.fontMetrics().horizontalAdvance(WIDEST_USUAL_VALUE))
            self.weight_names.append(name)
            self.weight_boxes.append(box)
            self.slope_labels.append(slope)
        for i, (name, box) in enumerate(zip(self.input_names, self.input_boxes)):
            name.setVisible(i < inputs)
            box.setVisible(i < inputs)
        # The weights follow the inputs, one per row with its slope: the panel stays narrow
        # enough to leave the arithmetic and the plots the width of a projector's screen.
        beside = False
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
            self.weight_boxes[k].setAccessibleName(_("Weight {name}").format(name=name))
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
        self.rows_note.setText(
            ngettext("{count:,} row · step:", "{count:,} rows · step:", rows).format(count=rows)
        )
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
        self.optimizer.show_problem()
        self.show_rate()
        self.show_state()

    def show_rate(self) -> None:
        problem = self._session.shown_problem
        self.learning_rate.show_value(problem.learning_rate)
        critical = self._session.critical_learning_rate
        if critical is None:
            self.critical_label.setText(
                _("A hidden layer's loss is no parabola:<br>no single critical rate")
            )
            return
        if critical == float("inf"):
            self.critical_label.setText(_("Every input is 0:<br>no learning rate diverges."))
            return
        rate = problem.learning_rate
        if rate > critical:
            verdict = _("Diverges above <b>{rate}</b><br><b style='color:#A33A00'>⚠ this rate is "
                        "too big: it diverges</b>")
        elif rate > critical / 2:
            verdict = _(
                "Diverges above <b>{rate}</b><br>this rate overshoots: the error flips sign"
            )
        elif rate == 0:
            verdict = _("Diverges above <b>{rate}</b><br>a rate of 0 never moves the weights")
        else:
            verdict = _("Diverges above <b>{rate}</b><br>this rate converges without overshooting")
        self.critical_label.setText(verdict.format(rate=format_number(critical)))

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
            exact = repr(float(slope))
            label.setToolTip(
                _("hidden: the quiz asks for it")
                if hide_slopes
                else _("slope of the loss for this weight: {slope}").format(slope=exact)
            )


class Readout(QFrame):
    """Iteration, prediction, error and loss, large enough for the back of a classroom."""

    FIELDS = ("iteration", "prediction", "error", "loss")
    #: Each field's caption, in the language in use (the field's id stays its key).
    CAPTIONS = {
        "iteration": N_("iteration"),
        "prediction": N_("prediction"),
        "error": N_("error"),
        "loss": N_("loss"),
    }

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self._session = session
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QGridLayout(self)
        layout.setHorizontalSpacing(24)
        # Compact: at 1280 × 800 the editing panel above leaves it little height, and its error
        # and loss were scrolled out of sight.
        layout.setVerticalSpacing(0)
        layout.setContentsMargins(6, 4, 6, 4)
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for position, field in enumerate(self.FIELDS):
            row, column = divmod(position, 2)
            title = QLabel(_(self.CAPTIONS[field]))
            title.setObjectName(f"{field}_caption")
            self.captions[field] = title
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

    def retranslate(self) -> None:
        for field, label in self.captions.items():
            label.setText(_(self.CAPTIONS[field]))

    def show_state(self) -> None:
        session = self._session
        current = session.shown
        iteration = str(session.shown_index)
        if not session.is_showing_latest:
            iteration = _("{shown} of {last}").format(shown=iteration, last=session.iteration)
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


class FittingScrollArea(QScrollArea):
    """Scrolls up and down, never sideways: always as wide as what it holds."""

    def _width(self) -> int:
        # What it holds at its preferred width: a list or a box squeezed to its bare minimum
        # may still cut its text.
        content = self.widget().sizeHint().width() if self.widget() else 0
        return content + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        height = self.widget().sizeHint().height() if self.widget() else 100
        return QSize(self._width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self._width(), super().minimumSizeHint().height())


class EditingPanel(FittingScrollArea):
    """The problem's editing controls and the readout, in a column the teacher can hide
    (View ▸ Editing panel). It scrolls rather than clips when larger text makes it long."""

    def __init__(self, parameters: ParameterPanel, readout: Readout, parent=None):
        super().__init__(parent)
        self.setObjectName("editing_panel")
        self.setAccessibleName(_("The problem's editing controls"))
        content = QWidget()
        content.setObjectName("editing_content")
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(parameters)
        column.addWidget(readout)
        column.addStretch(1)
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self._width(), 120)
