"""Numbers rounded until they fit, never cut; rounding noise written as the value it stands for."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gd_desktop.core.number_fit import (
    digits_to_show_difference,
    fit_to_characters,
    format_digits,
    number_texts,
    rounding_noise,
    shown_value,
)
from gd_desktop.core.numbers import MINUS, format_number


@pytest.mark.parametrize(
    ("value", "characters", "text"),
    [
        (-13.2328, 8, "−13.2328"),
        (-13.2328, 6, "−13.23"),
        (1.7881e-06, 7, "1.8e−06"),
        (-0.546491, 7, "−0.5465"),
        (-0.7312345, 5, "−0.73"),
        (-154.61, 4, "−155"),
        (2.24, 9, "2.24"),
    ],
)
def test_a_number_is_rounded_until_it_fits(value, characters, text):
    """The issue's cut numbers: each keeps its sign and its power of ten, with fewer digits."""
    assert fit_to_characters(value, characters) == text


def test_nothing_fits_gives_the_shortest_never_a_cut():
    """A place too small for any rounding gets the shortest whole text (the view must widen)."""
    assert fit_to_characters(-1.5e300, 3) == "−2e+300"


@given(
    st.floats(-1e307, 1e307).filter(lambda v: v == 0 or abs(v) > 1e-300),
    st.integers(1, 12),
)
def test_every_fitted_text_is_the_value_rounded(value, characters):
    """Whatever the width, the text reads back as the value to within its shown digits."""
    text = fit_to_characters(value, characters)
    back = float(text.replace(MINUS, "-"))
    assert (back < 0) == (value < 0) or value == 0
    assert back == pytest.approx(value, rel=0.5, abs=0) or value == 0
    if value != 0:
        assert math.floor(math.log10(abs(back))) - math.floor(math.log10(abs(value))) in (0, 1)


def test_texts_go_from_most_to_least_precise():
    texts = list(number_texts(-0.546491))
    assert texts[0] == format_number(-0.546491)
    assert "−0.5" in texts[-2:]


def test_noise_is_relative_to_the_operands():
    """10 − 10 computed as −3.5527e−15 is noise of 10; the same number from operands of 1e−14 is
    not."""
    assert shown_value(-3.5527e-15, rounding_noise(10.0, 10.0)) == 0.0
    assert shown_value(-3.5527e-15, rounding_noise(1e-14, 2e-14)) == -3.5527e-15
    assert shown_value(-4.0, rounding_noise(6.0, 10.0)) == -4.0


def test_operands_get_the_digits_their_difference_needs():
    assert digits_to_show_difference(6.0, 10.0, -4.0) is None
    digits = digits_to_show_difference(9.99999999037, 10.0, -9.63e-09)
    assert format_digits(9.999999990374014, digits) == "9.99999999037"


def test_evaluation_noise_has_one_figure_per_row_and_weight_with_a_hidden_layer():
    """The ReLU lesson: noise for each row's error and each of the four weights, tiny and finite."""
    import numpy as np

    from gd_desktop.core import engine
    from gd_desktop.core.number_fit import evaluation_noise
    from gd_desktop.core.presets import PRESETS

    preset = next(p for p in PRESETS if p.id == "relu-fits-abs")
    problem = preset.problem
    evaluation = engine.evaluate(problem, np.array(preset.weights))
    noise = evaluation_noise(problem, evaluation.weights, evaluation.hidden_values)
    assert noise.errors.shape == (problem.row_count,)
    assert noise.slopes.shape == (problem.weight_count,)
    assert np.all(np.isfinite(noise.slopes)) and 0 < noise.loss < 1e-20
    assert np.all(noise.slopes < 1e-12)
