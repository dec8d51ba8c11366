"""The live plots as a student at the back of the room sees them: the real ViewBox ranges after
real Steps, at the start and near convergence, on both classroom screens; the next-step marker
where the optimizer will go; legends on one row; messages whole, in the pseudo-language too."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QLabel, QSlider

from gd_desktop.app import prepare_application
from gd_desktop.core import engine, i18n
from tests.gui.helpers import choose_preset, click, find, open_window, type_into
from tests.gui.test_layout import SCREENS, place_on_screen


def marker_whole(plot, marker) -> bool:
    """Whether ``marker`` is drawn whole inside the plot's data area (not cut at an edge)."""
    view = plot.getPlotItem().vb
    centre = view.mapViewToScene(QPointF(*marker.position()))
    half = marker.boundingRect().width() / 2
    return view.sceneBoundingRect().adjusted(half, half, -half, -half).contains(centre)


def inside(value: float, limits, share: float = 0.02) -> bool:
    low, high = limits
    pad = share * (high - low)
    return low + pad <= value <= high - pad


def drawn_curve(plot):
    xs, ys = plot.curve.getData()
    return np.asarray(xs), np.asarray(ys)


@pytest.mark.parametrize("screen", ["1024x768", "1280x800"])
def test_at_the_start_the_point_its_tangent_and_the_minimum_are_in_view(qtbot, window, screen):
    """At the start the point sat on the right edge and the tangent left the top."""
    place_on_screen(qtbot, window, SCREENS[screen])
    choose_preset(qtbot, window, "slide-one-weight")
    QApplication.processEvents()
    plot = window.loss_plot
    x_range, y_range = plot.getPlotItem().vb.viewRange()
    assert marker_whole(plot, plot.point) and marker_whole(plot, plot.next_marker)
    tangent_x, tangent_y = plot.tangent.getData()
    assert len(tangent_x) == 2
    for x, y in zip(tangent_x, tangent_y):
        assert inside(x, x_range) and inside(y, y_range)
    bottom = engine.minimum_along_weight(window.session.problem, window.session.shown.weights, 0)
    assert inside(bottom, x_range, 0.05)


def test_near_convergence_the_parabola_keeps_its_shape(qtbot, window):
    """Near convergence the view zoomed to 1e−9 and the parabola became a vertical line."""
    choose_preset(qtbot, window, "slide-one-weight")
    for _ in range(120):
        click(qtbot, window, "step_button")
    assert abs(window.session.shown.errors[0]) < 1e-8  # converged, to the eye
    plot = window.loss_plot
    (x_low, x_high), (y_low, y_high) = plot.getPlotItem().vb.viewRange()
    xs, ys = drawn_curve(plot)
    assert x_high - x_low >= 0.5
    rise = ys.max() - ys.min()
    assert rise > 1.0  # the curve climbs well away from its bottom inside the view ...
    assert rise >= 0.6 * (y_high - y_low)  # ... and fills the plot's height: a parabola
    assert marker_whole(plot, plot.point)


def test_with_one_weight_the_next_step_sits_on_the_drawn_curve(qtbot, window):
    choose_preset(qtbot, window, "slide-one-weight")
    click(qtbot, window, "step_button")
    plot = window.loss_plot
    x, y = plot.next_marker.position()
    assert x == pytest.approx(window.session.next_weights[0])
    xs, ys = drawn_curve(plot)
    assert y == pytest.approx(float(np.interp(x, xs, ys)), rel=1e-3)
    assert "next step" in plot.legend_label.text().replace("&nbsp;", " ")


def test_with_two_weights_the_next_step_is_named_as_the_loss_after_it(qtbot, window):
    """Off the drawn curve (a slice along one weight), the marker says what it is."""
    choose_preset(qtbot, window, "too-big-learning-rate")
    plot = window.loss_plot
    x, y = plot.next_marker.position()
    problem = window.session.problem
    assert y == pytest.approx(engine.loss_of(problem, window.session.next_weights))
    xs, ys = drawn_curve(plot)
    assert abs(y - float(np.interp(x, xs, ys))) > 1  # off the slice: hence the words
    assert "loss after the step" in plot.legend_label.text().replace("&nbsp;", " ")


def test_the_next_step_marker_follows_the_optimizer_not_the_plain_rule(qtbot, window):
    """With momentum the next step carries the velocity: the marker goes where Step will."""
    choose_preset(qtbot, window, "slide-one-weight")
    assert window.session.set_fields(optimizer="momentum")
    for _ in range(2):
        click(qtbot, window, "step_button")
    shown = window.session.shown
    plain = shown.weights[0] - window.session.problem.learning_rate * shown.gradient[0]
    x, _ = window.loss_plot.next_marker.position()
    assert x != pytest.approx(plain)
    click(qtbot, window, "step_button")
    assert window.session.shown.weights[0] == pytest.approx(x)


@pytest.mark.parametrize("screen", ["1024x768", "1280x800"])
def test_the_error_plot_keeps_its_data_and_zero_in_view(qtbot, window, screen):
    place_on_screen(qtbot, window, SCREENS[screen])
    choose_preset(qtbot, window, "oscillates")
    plot = window.error_plot
    for _ in range(12):
        click(qtbot, window, "step_button")
        QApplication.processEvents()
        x_range, y_range = plot.getPlotItem().vb.viewRange()
        errors = window.session.history.errors[:, 0]
        for value in (errors.min(), errors.max(), 0.0):
            assert inside(value, y_range), (value, y_range)
        assert inside(len(errors) - 1, x_range)
        assert marker_whole(plot, plot.current_marker)


# The least height of each plot's data area, in pixels, at the font gd-desktop starts with: by
# screen, for a lesson without and with a hidden layer (whose diagram needs more of the column).
PLOT_HEIGHTS = {"1024x768": (110, 92), "1280x800": (120, 108)}


@pytest.mark.parametrize("screen", ["1024x768", "1280x800"])
@pytest.mark.parametrize("preset", ["slide-two-inputs", "relu-fits-abs"])
def test_legends_take_one_row_and_the_plots_are_tall_enough(qtbot, screen, preset):
    """Legends took two rows and the plots' data were 57 px high at 1024 × 768; a student at the
    back reads them (the window at its real 12 pt, maximised)."""
    prepare_application(QApplication.instance())
    window = open_window(qtbot)
    place_on_screen(qtbot, window, SCREENS[screen])
    if screen == "1024x768":
        window.set_editing_panel_shown(False)  # as it starts on a screen this narrow
    choose_preset(qtbot, window, preset)
    click(qtbot, window, "step_button")
    qtbot.wait(200)  # the side column shares itself out again for the lesson's diagram
    least = PLOT_HEIGHTS[screen][preset == "relu-fits-abs"]
    for plot in (window.error_plot, window.loss_plot):
        legend = find(window, QLabel, f"{plot.objectName()}_legend")
        line = QFontMetrics(legend.font()).lineSpacing()
        assert legend.heightForWidth(legend.width()) < 1.6 * line, plot.objectName()
        height = plot.getPlotItem().vb.sceneBoundingRect().height()
        assert height >= least, (plot.objectName(), height)


def test_in_the_pseudo_language_the_too_large_message_is_whole(qtbot, window):
    """"…e too large to draw: lower the learning rate a…": the message was cut at both ends."""
    choose_preset(qtbot, window, "slide-one-weight")
    window.language.choose(i18n.PSEUDO)
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "10")
    assert window.session.problem.learning_rate == 10
    plot = window.loss_plot
    for _ in range(40):
        if plot.too_large.isVisible():
            break
        click(qtbot, window, "step_button")
    QApplication.processEvents()
    message = plot.too_large
    assert message.isVisible()
    assert message.toPlainText().startswith("⟦")
    box = message.mapRectToScene(message.boundingRect())
    assert plot.getPlotItem().vb.sceneBoundingRect().contains(box)
    size = message.textItem.font().pointSizeF()
    window.appearance.larger_text()  # Ctrl+: the message grows with the text, still whole
    QApplication.processEvents()
    assert message.textItem.font().pointSizeF() > size
    box = message.mapRectToScene(message.boundingRect())
    assert plot.getPlotItem().vb.sceneBoundingRect().contains(box)


def test_in_an_exported_picture_the_point_on_view_grows_with_the_rest(qtbot, window, tmp_path):
    """In exports the point on view was tiny under the trail's big "earlier" squares."""
    from PySide6.QtGui import QImage

    from gd_desktop.gui.exports import export_plot

    choose_preset(qtbot, window, "slide-one-weight")
    for _ in range(3):
        click(qtbot, window, "step_button")
    plot = window.loss_plot
    plot.tangent.setData([], [])  # the same colour as the point: counted apart from it
    plot.next_step.setData([], [])
    plot.next_marker.setVisible(False)
    path = tmp_path / "loss.png"
    export_plot(plot, path)
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    scale = image.width() / plot.width()
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), -1, 4)
    blue, green, red = (pixels[..., k].astype(int) for k in range(3))
    vermilion = (abs(red - 213) < 12) & (abs(green - 94) < 12) & (blue < 20)
    radius = plot.point.boundingRect().width() / 2 - 2  # the fill, inside the black rim
    expected = np.pi * (radius * scale) ** 2
    assert vermilion.sum() > 0.6 * expected
    assert plot.point.scale() == 1  # on screen again at its own size


def test_the_plots_and_the_diagram_switch_language_live(qtbot, window):
    """View ▸ Language redraws the plots' words and the diagram's; German writes a comma."""
    choose_preset(qtbot, window, "slide-two-inputs")
    click(qtbot, window, "step_button")
    window.language.choose(i18n.PSEUDO)
    for plot in (window.error_plot, window.loss_plot):
        item = plot.getPlotItem()
        assert item.titleLabel.text.startswith("⟦"), plot.objectName()
        assert plot.getAxis("left").labelText.startswith("⟦"), plot.objectName()
        assert "⟦" in plot.legend_label.text(), plot.objectName()
    assert window.network_view.accessibleName().startswith("⟦")
    window.network_view.repaint()
    assert "⟦" in window.network_view.toolTip()
    window.language.choose("de")
    axis = window.loss_plot.getAxis("bottom")
    assert axis.tickStrings([0.5, 1.0], 1.0, 0.5) == ["0,5", "1,0"]


def test_the_plots_take_back_the_height_a_hidden_layer_lent_the_diagram(qtbot):
    """After the hidden-layer lesson the diagram kept its larger least height: plots 10 px short."""
    prepare_application(QApplication.instance())
    window = open_window(qtbot)
    choose_preset(qtbot, window, "relu-fits-abs")
    place_on_screen(qtbot, window, SCREENS["1280x800"])
    qtbot.wait(100)
    choose_preset(qtbot, window, "slide-two-inputs")
    qtbot.wait(200)
    for plot in (window.error_plot, window.loss_plot):
        height = plot.getPlotItem().vb.sceneBoundingRect().height()
        assert height >= PLOT_HEIGHTS["1280x800"][0], (plot.objectName(), height)


def test_a_full_speed_run_draws_every_peak_and_a_pause_draws_the_whole_history(qtbot, window):
    """Running, the error plot grows its envelope frame by frame (a low and a high of every
    bucket, the view moving now and then); paused, it is the whole history's exact envelope,
    as it was before the running envelope existed, and the view holds the run."""
    from gd_desktop.core.envelope import bucket_envelope, growing_bucket, peak_envelope

    plot, session = window.error_plot, window.session
    slider = find(window, QSlider, "speed_slider")
    slider.setValue(slider.maximum())
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "0.0000001")
    columns = max(100, plot.viewport().width())
    frames = []

    def check_frame() -> None:  # after the window's own slots have redrawn the frame
        errors = session.history.errors[:, 0]
        xs, ys = (np.asarray(a) for a in plot.history_curve.getData())
        expected = bucket_envelope(errors, growing_bucket(errors.shape[0], columns))
        frames.append(
            session.is_running
            and np.array_equal(xs, expected[0])
            and np.array_equal(ys, expected[1])
        )

    session.stepped.connect(check_frame)
    click(qtbot, window, "run_button")
    qtbot.waitUntil(lambda: session.iteration > 50 * columns and len(frames) >= 5, timeout=20_000)
    click(qtbot, window, "run_button")
    session.stepped.disconnect(check_frame)
    assert all(frames[:-1]), frames  # (the last may be the frame the pause came in)
    errors = session.history.errors[:, 0]
    xs, ys = (np.asarray(a) for a in plot.history_curve.getData())
    expected = peak_envelope(np.arange(errors.shape[0]), errors, 2 * columns)
    np.testing.assert_array_equal(xs, expected[0])
    np.testing.assert_array_equal(ys, expected[1])
    x_range, y_range = plot.getPlotItem().vb.viewRange()
    assert inside(errors.shape[0] - 1, x_range)
    # The run fills a fair share of the view: the paused rule's 40 %, which counts the margins
    # (a view moved while running gives the run 1 / 2.4 of it, margins included).
    assert errors.shape[0] - 1 > 0.35 * (x_range[1] - x_range[0])
    for value in (errors.min(), errors.max(), 0.0):
        assert inside(value, y_range), (value, y_range)
