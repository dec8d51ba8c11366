"""The error plot's envelope: the one that grows with a run gives, frame after frame, exactly the
envelope of the whole history in its buckets, and every low and high of the history is in it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_desktop.core import drawing
from gd_desktop.core.envelope import (
    GrowingEnvelope,
    bucket_envelope,
    growing_bucket,
    peak_envelope,
)

histories = st.builds(
    lambda seed, length, rounded: _history(seed, length, rounded),
    st.integers(0, 2**32 - 1),
    st.integers(1, 6000),
    st.booleans(),
)


def _history(seed: int, length: int, rounded: bool) -> np.ndarray:
    """A random walk (rounded: many equal values, so ties are chosen as argmin does)."""
    values = np.cumsum(np.random.default_rng(seed).normal(size=length))
    return np.round(values) if rounded else values


@settings(max_examples=150, deadline=None)
@given(
    history=histories,
    columns=st.integers(1, 400),
    chunks=st.lists(st.integers(1, 2500), min_size=1, max_size=40),
    first_x=st.sampled_from([0.0, 1.0]),
)
def test_the_growing_envelope_is_the_whole_historys_at_every_frame(
    history, columns, chunks, first_x
):
    """Grown frame by frame (chunks of any size, buckets merging as it grows), it equals the
    envelope computed at once from all of the history, in the same buckets."""
    envelope = GrowingEnvelope(first_x=first_x)
    length = 0
    for chunk in chunks:
        length = min(history.shape[0], length + chunk)
        xs, ys = envelope.update(history[:length], columns)
        bucket = growing_bucket(length, columns)
        assert envelope.bucket == bucket
        expected_x, expected_y = bucket_envelope(history[:length], bucket, first_x)
        np.testing.assert_array_equal(xs, expected_x)
        np.testing.assert_array_equal(ys, expected_y)
        # Every low and high is drawn, in order, and no more points than the paused plot's
        # envelope has (a low and a high a column, and the newest few).
        assert ys.min() == history[:length].min() and ys.max() == history[:length].max()
        assert np.all(np.diff(xs) > 0) and xs[-1] <= first_x + length - 1
        paused_x, _ = peak_envelope(np.arange(length), history[:length], 2 * columns)
        assert xs.shape[0] <= max(paused_x.shape[0], 2 * columns + 3)


@settings(max_examples=60, deadline=None)
@given(history=histories, columns=st.integers(1, 200), cut=st.floats(0.0, 1.0))
def test_a_history_cut_back_or_replaced_is_read_again(history, columns, cut):
    """A run cut back (a look back, an Undo) or a new run: the envelope starts again from it."""
    envelope = GrowingEnvelope()
    envelope.update(history, columns)
    shorter = history[: max(1, int(cut * history.shape[0]))]
    for changed in (shorter, shorter + 1.0):
        xs, ys = envelope.update(changed, columns)
        expected = bucket_envelope(changed, growing_bucket(changed.shape[0], columns))
        np.testing.assert_array_equal(xs, expected[0])
        np.testing.assert_array_equal(ys, expected[1])


def test_a_history_cut_back_a_little_has_the_finer_buckets_of_its_length():
    """89 values in 11 columns are drawn in buckets of 16; the first 83 of them (a look back of
    six steps) in buckets of 8, as the paused plot would: not in the 16 the envelope had."""
    history = _history(0, 89, False)
    envelope = GrowingEnvelope()
    envelope.update(history, 11)
    assert envelope.bucket == 16
    xs, ys = envelope.update(history[:83], 11)
    assert envelope.bucket == 8
    expected_x, expected_y = bucket_envelope(history[:83], 8)
    np.testing.assert_array_equal(xs, expected_x)
    np.testing.assert_array_equal(ys, expected_y)


def test_buckets_double_and_draw_at_most_a_point_a_column_each_side():
    """Every value up to two a column; beyond, powers of two, at most one bucket a column."""
    assert growing_bucket(800, 400) == 1
    assert growing_bucket(801, 400) == 4
    for count in (801, 5_000, 123_457, 1_000_000):
        bucket = growing_bucket(count, 400)
        assert bucket & (bucket - 1) == 0
        assert count / bucket <= 400 < 2 * count / bucket


def test_numbers_too_large_to_draw_are_held_at_the_bound():
    """Like the paused plot's, the running envelope never hands the plot inf, NaN or 1e300."""
    history = np.array([1.0, 1e300, -np.inf, np.nan, 2.0] * 200)
    xs, ys = GrowingEnvelope().update(history, 50)
    assert np.all(np.abs(ys) <= drawing.LARGEST_DRAWN) and np.all(np.isfinite(xs))
    assert ys.max() == drawing.LARGEST_DRAWN and ys.min() == -drawing.LARGEST_DRAWN
