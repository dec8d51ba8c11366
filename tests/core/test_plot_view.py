"""What the plots keep in view: the point, its tangent, the trail and the minimum inside with
margins, and a height that spans the drawn curve (never a parabola squeezed to a line)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_desktop.core import plot_view
from gd_desktop.core.plot_view import inside_with_margin

finite = st.floats(-1e3, 1e3, allow_nan=False)
curvatures = st.floats(1e-3, 1e3)
shares = st.floats(0.05, 0.25)


def parabola_view(bottom, curvature, weight, trail, share):
    """The view a loss plot would choose for the parabola curvature·(w − bottom)²."""
    loss = curvature * (weight - bottom) ** 2
    slope = 2 * curvature * (weight - bottom)
    landing = weight - 0.01 * slope
    window = plot_view.weight_window([weight, *trail, landing, bottom], share, weight)
    grid = np.linspace(*window, 401)
    curve = curvature * (grid - bottom) ** 2
    trail_losses = curvature * (np.array(trail) - bottom) ** 2
    landing_loss = curvature * (landing - bottom) ** 2
    marked = (np.append(trail, landing), np.append(trail_losses, landing_loss))
    view = plot_view.loss_view(window, (grid, curve), marked, weight, loss, slope, (share, share))
    return view, loss, curve, marked


@settings(max_examples=300, deadline=None)
@given(finite, curvatures, finite, st.lists(finite, max_size=5), shares)
def test_the_point_trail_minimum_and_tangent_are_inside_with_margins(
    bottom, curvature, weight, trail, share
):
    """Whatever the numbers, every mark lies inside the view, ``share`` clear of each edge."""
    view, loss, curve, marked = parabola_view(bottom, curvature, weight, trail, share)
    for x in [weight, bottom, *marked[0], *view.tangent_x]:
        assert inside_with_margin(x, view.x, share * 0.999)
    for y in [loss, 0.0, *marked[1], *view.tangent_y]:
        assert inside_with_margin(y, view.y, share * 0.999)


@settings(max_examples=300, deadline=None)
@given(finite, curvatures, finite, shares)
def test_the_height_spans_the_drawn_curve_and_the_width_never_collapses(
    bottom, curvature, weight, share
):
    """Near convergence the view zoomed to 1e−9 and the parabola became a vertical line: the
    height now holds the whole curve drawn across the width, and the width a least span."""
    view, _, curve, _ = parabola_view(bottom, curvature, bottom + weight * 1e-12, [], share)
    width = view.x[1] - view.x[0]
    assert width >= plot_view.LEAST_WIDTH * 0.999
    rise = float(curve.max() - curve.min())
    height = view.y[1] - view.y[0]
    assert rise <= height <= rise / (1 - 2 * share) * 1.001 + 1e-9
    # The curve fills the height (less the margins): its shape is there to see.
    assert rise >= (1 - 2 * share) * height * 0.999


@settings(max_examples=200, deadline=None)
@given(finite, curvatures, st.floats(1, 1e3), shares)
def test_a_steep_tangent_is_shortened_inside_the_view_but_never_vanishes(
    bottom, curvature, distance, share
):
    """At the start the tangent left the top of the plot; now it stops inside, and still has
    a visible length each side."""
    view, _, _, _ = parabola_view(bottom, curvature, bottom + distance, [], share)
    width = view.x[1] - view.x[0]
    reach_left = (bottom + distance) - view.tangent_x[0]
    reach_right = view.tangent_x[1] - (bottom + distance)
    least = 0.9 * plot_view.TANGENT_LEAST_REACH * width
    assert reach_left > least and reach_right > least
    assert reach_left <= plot_view.TANGENT_REACH * width * 1.0001


def test_the_iteration_view_holds_the_data_and_zero_with_margins_and_moves_in_steps():
    """The error plot: the data and the line of no error inside, ``share`` clear; the view is
    kept while the data stays well inside it, and renewed once it does not."""
    share = (0.05, 0.1)
    x, y = plot_view.iteration_view(3, (2.0, 5.0), None, share)
    assert inside_with_margin(3, x, 0.05 * 0.999) and inside_with_margin(0, x, 0.05 * 0.999)
    for value in (0.0, 5.0, 2.0):
        assert inside_with_margin(value, y, 0.1 * 0.999)
    assert plot_view.iteration_view(4, (1.0, 5.0), (x, y), share) == (x, y)
    later = plot_view.iteration_view(40, (-3.0, 5.0), (x, y), share)
    assert later[0][1] > 40 and inside_with_margin(-3.0, later[1], 0.1 * 0.999)


def test_a_marker_large_against_a_small_plot_gets_a_larger_margin():
    """A 16 px marker in a 60 px plot needs more than a tenth of the range to be whole."""
    assert plot_view.marker_share(16, 60) > plot_view.MARGIN
    assert plot_view.marker_share(16, 600) == plot_view.MARGIN


def test_a_running_error_plot_moves_less_often_and_a_pause_keeps_its_view():
    """While running, a view that must move gets RUNNING_ROOM times the run's length (fewer
    moves, each of which redraws the axes); the run still fills enough of it that the paused
    plot's own rule keeps it, so pausing does not make the view jump."""
    share = (0.04, 0.1)
    shown = plot_view.iteration_view(100, (0.5, 5.0), None, share)
    paused = plot_view.iteration_view(1000, (0.5, 5.0), shown, share)
    running = plot_view.iteration_view(1000, (0.5, 5.0), shown, share, plot_view.RUNNING_ROOM)
    assert running[0][1] > paused[0][1] and inside_with_margin(1000, running[0], 0.04 * 0.999)
    assert plot_view.iteration_view(1000, (0.5, 5.0), running, share) == running
    moves, view = 0, None
    for last in range(10, 1_000_000, 5_000):
        new = plot_view.iteration_view(last, (0.5, 5.0), view, share, plot_view.RUNNING_ROOM)
        moves, view = moves + (new != view), new
    assert moves <= 7  # (at ROOM the same run moves the view 12 times)


def test_a_running_range_that_moves_gets_headroom_the_pause_keeps():
    """The loss plot's range, widened while running, still holds what must be seen with
    more than the share a kept view needs."""
    wanted = (2.0, 6.0)
    low, high = plot_view.with_headroom(wanted, plot_view.RUNNING_HEADROOM)
    assert low < 2.0 and high > 6.0 and (low + high) / 2 == 4.0
    assert (6.0 - 2.0) / (high - low) > plot_view.LEAST_FILL
