"""A curve over iterations drawn as its peak envelope: every low and high kept. No Qt.

A history of a million iterations is drawn in a plot a thousand pixels wide: each bucket of
iterations (about a pixel column) becomes its lowest and its highest value, in the order they
came, so every peak stays visible and nothing else is drawn.

:func:`peak_envelope` computes it from the whole history, as a paused plot shows it. During a
run the history only grows, and recomputing the envelope of all of it at every frame cost the
window a few milliseconds a frame; :class:`GrowingEnvelope` keeps the envelope of the buckets it
has seen and adds only the new ones. Its buckets are a power of two iterations long, so that
they change size rarely (and then two become one, exactly): between one and two columns each,
where the paused picture's are about one, so a running plot draws no more points than a paused
one. Paused, the plot is drawn by :func:`peak_envelope` again.
"""

from __future__ import annotations

import numpy as np

from gd_desktop.core import drawing


def peak_envelope(x: np.ndarray, y: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``max_points`` points that keep each bucket's minimum and maximum, in order."""
    n = y.shape[0]
    if n <= max_points:
        return np.array(x, dtype=float), np.array(y, dtype=float)
    bucket = -(-n // (max_points // 2))
    full = (n // bucket) * bucket
    blocks = y[:full].reshape(-1, bucket)
    lows = blocks.min(axis=1)
    highs = blocks.max(axis=1)
    low_first = blocks.argmin(axis=1) <= blocks.argmax(axis=1)
    starts = x[:full:bucket].astype(float)
    out_x = np.repeat(starts, 2) + np.tile([0.0, bucket / 2], starts.shape[0])
    out_y = np.empty(2 * starts.shape[0])
    out_y[0::2] = np.where(low_first, lows, highs)
    out_y[1::2] = np.where(low_first, highs, lows)
    if full < n:  # the newest points, always drawn exactly
        out_x = np.concatenate([out_x, x[full:].astype(float)])
        out_y = np.concatenate([out_y, y[full:]])
    return out_x, out_y


def bucket_envelope(
    y: np.ndarray, bucket: int, first_x: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """The envelope of ``y`` (at x = ``first_x``, ``first_x`` + 1, …) in buckets of ``bucket``
    values, computed at once: what :class:`GrowingEnvelope` gives, bit for bit, for the same
    bucket (the newest values that fill no bucket give their low, their high and the newest
    one, at their own places). Values are held within the drawable bound
    (:func:`drawing.clipped`)."""
    y = drawing.clipped(y)
    n = y.shape[0]
    if bucket == 1:  # every value as it is
        return first_x + np.arange(n, dtype=float), np.array(y, dtype=float)
    full = (n // bucket) * bucket
    blocks = y[:full].reshape(-1, bucket)
    lows, highs = blocks.min(axis=1), blocks.max(axis=1)
    low_first = blocks.argmin(axis=1) <= blocks.argmax(axis=1)
    return _points(lows, highs, low_first, bucket, first_x, y[full:])


def _points(lows, highs, low_first, bucket: int, first_x: float, tail: np.ndarray):
    """The buckets' lows and highs in order, then the values after them that fill no bucket:
    their low and high too, then the newest value (where the plot's marker sits)."""
    count = lows.shape[0]
    starts = first_x + bucket * np.arange(count, dtype=float)
    tail_x = first_x + bucket * count + np.arange(tail.shape[0], dtype=float)
    if tail.shape[0] > 3:
        kept = sorted({int(tail.argmin()), int(tail.argmax()), tail.shape[0] - 1})
        tail_x, tail = tail_x[kept], tail[kept]
    out_x = np.empty(2 * count + tail.shape[0])
    out_y = np.empty(out_x.shape[0])
    out_x[0 : 2 * count : 2] = starts
    out_x[1 : 2 * count : 2] = starts + bucket / 2
    out_y[0 : 2 * count : 2] = np.where(low_first, lows, highs)
    out_y[1 : 2 * count : 2] = np.where(low_first, highs, lows)
    out_x[2 * count :] = tail_x
    out_y[2 * count :] = tail
    return out_x, out_y


def growing_bucket(count: int, columns: int) -> int:
    """The bucket for ``count`` values in ``columns`` pixel columns: 1 (every value drawn as
    it is) up to two values a column, as :func:`peak_envelope` does; beyond, the least power of
    two that leaves at most one bucket a column (so at most as many points as it draws)."""
    if count <= 2 * columns:
        return 1
    bucket = 2
    while count > columns * bucket:
        bucket *= 2
    return bucket


class GrowingEnvelope:
    """The envelope of a curve that only grows (a running history), extended frame by frame.

    :meth:`update` takes the whole curve each time; the buckets already filled are kept, and
    only the values since are read. A curve that is not the one seen before, grown (shorter, or
    changed in what was seen, or cut back so far that its buckets would be finer), is read again
    from its start; :meth:`clear` forgets it.
    """

    def __init__(self, first_x: float = 0.0):
        self.first_x = first_x
        self.clear()

    def clear(self) -> None:
        self.bucket = 1
        self._lows = np.zeros(0)
        self._highs = np.zeros(0)
        self._low_at = np.zeros(0, dtype=np.int64)  # where each bucket's low and high are
        self._high_at = np.zeros(0, dtype=np.int64)
        self._covered = 0  # values inside the kept buckets
        self._first = self._last = 0.0  # the first and last covered values, as a check

    def update(self, y: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
        """The envelope of ``y`` for a plot ``columns`` pixel columns wide: x and y to draw,
        every number within the drawable bound."""
        n = y.shape[0]
        bucket = growing_bucket(n, columns)
        if bucket == 1 or bucket < self.bucket or not self._still_holds(y):
            self.clear()  # a short curve, one cut back to finer buckets, or another curve
        if bucket == 1:  # a short history: every value as it is (no buckets kept)
            return bucket_envelope(y, 1, self.first_x)
        while self.bucket < bucket:
            self._merge_pairs()
        full = (n // self.bucket) * self.bucket
        if full > self._covered:
            self._extend(drawing.clipped(y[self._covered : full]))
        if self._covered:
            self._first, self._last = float(y[0]), float(y[self._covered - 1])
        tail = drawing.clipped(y[self._covered :])
        low_first = self._low_at <= self._high_at
        return _points(self._lows, self._highs, low_first, self.bucket, self.first_x, tail)

    def _still_holds(self, y: np.ndarray) -> bool:
        """Whether ``y`` is the curve seen last time, grown: its covered values the same (the
        first and the last of them compared, which any cut or new run changes in practice)."""
        if self._covered == 0:
            return True
        if y.shape[0] < self._covered:
            return False
        return float(y[0]) == self._first and float(y[self._covered - 1]) == self._last

    def _extend(self, values: np.ndarray) -> None:
        """Add the buckets of ``values`` (whole buckets, from the covered end on)."""
        bucket = self.bucket
        blocks = values.reshape(-1, bucket)
        offsets = self._covered + bucket * np.arange(blocks.shape[0], dtype=np.int64)
        self._lows = np.concatenate([self._lows, blocks.min(axis=1)])
        self._highs = np.concatenate([self._highs, blocks.max(axis=1)])
        self._low_at = np.concatenate([self._low_at, offsets + blocks.argmin(axis=1)])
        self._high_at = np.concatenate([self._high_at, offsets + blocks.argmax(axis=1)])
        self._covered += values.shape[0]

    def _merge_pairs(self) -> None:
        """Buckets twice as long: each pair becomes one, its low the lower (the earlier of
        equal ones, as ``argmin`` chooses), its high likewise; an odd last bucket is dropped,
        its values read again with the new ones."""
        pairs = self._lows.shape[0] // 2
        self.bucket *= 2
        lows = self._lows[: 2 * pairs].reshape(-1, 2)
        highs = self._highs[: 2 * pairs].reshape(-1, 2)
        low_at = self._low_at[: 2 * pairs].reshape(-1, 2)
        high_at = self._high_at[: 2 * pairs].reshape(-1, 2)
        right_low = lows[:, 1] < lows[:, 0]
        right_high = highs[:, 1] > highs[:, 0]
        self._lows = np.where(right_low, lows[:, 1], lows[:, 0])
        self._highs = np.where(right_high, highs[:, 1], highs[:, 0])
        self._low_at = np.where(right_low, low_at[:, 1], low_at[:, 0])
        self._high_at = np.where(right_high, high_at[:, 1], high_at[:, 0])
        self._covered = pairs * self.bucket
