"""Every limit and fixed choice of the app, each in one place: the core, the window, lesson files
and trace all read them from here."""

from __future__ import annotations

# --- problems ---------------------------------------------------------------------------------
MAX_INPUTS = 10  # a data set or a lesson may have up to 10 inputs
TYPED_INPUTS_MAX = 8  # the window offers 1 to 8 inputs to type
MAX_HIDDEN = 8  # nodes of the hidden layer
MAX_ROWS = 1_000_000  # data rows of a data set, a lesson or trace's --data
MAX_SEED = 2**31 - 1
# Runs keep the errors of at most this many rows per iteration (all rows of a small data set):
# 10⁵ rows a step would fill memory in minutes, and the views show the first row's error.
ERROR_ROWS_KEPT = 16
# From this many rows, curves along a weight use the parabola's closed form (three means over the
# rows) instead of evaluating every row at every grid point; smaller data sets get the direct sum.
LARGE_DATA = 2_000

# The course's two-input example, ready to step when the window opens.
DEFAULT_WEIGHTS = (1.0, 2.0)
DEFAULT_INPUTS = (3.0, 4.0)
DEFAULT_TARGET = 6.0
DEFAULT_LEARNING_RATE = 0.01

# --- runs -------------------------------------------------------------------------------------
# A run stops at this many iterations, or sooner when a record is big (a hidden layer's many
# weights), so that the history stays under HISTORY_BYTES.
MAX_HISTORY = 1_000_000
HISTORY_BYTES = 200_000_000
# Steps per second offered by the speed control; ``None`` means as fast as the machine allows.
SPEEDS: tuple[float | None, ...] = (0.5, 1, 2, 5, 10, 30, 100, 1000, None)
DEFAULT_SPEED_INDEX = SPEEDS.index(10)

# --- lesson files -----------------------------------------------------------------------------
LESSON_EXTENSION = ".gdlesson"
LESSON_MIME_TYPE = "application/x-gdlesson+json"  # as declared in resources/gd-desktop-mime.xml
MAX_LESSON_BYTES = 200_000_000  # 200 MB, checked before a file is read
MAX_TITLE = 200  # characters
MAX_NOTES = 100_000  # characters

# --- CSV files (the Data tab's import and trace's --data) --------------------------------------
# A million rows of ten inputs at 20 characters a number is about 220 MB; real classroom data is
# far smaller. 100 MB is refused from its size alone, before a byte is read.
MAX_CSV_BYTES = 100_000_000
# A line of eleven numbers needs a few hundred characters; a longer line is not a data row.
MAX_CSV_LINE = 10_000  # characters
MAX_CSV_CELL = 1_000  # characters (Python's csv module stops at 131,072 with an error)
EXCERPT = 20  # characters of a bad value quoted in a message, then "…"

# --- trace ------------------------------------------------------------------------------------
# trace prints a value per row and per weight at every step: steps × (rows + weights) beyond
# this would print gigabytes for minutes (measured: 1,000 steps of 100,000 rows took 146 s and
# 2.1 GB of CSV), so such a run is refused before it starts.
MAX_TRACE_VALUES = 30_000_000
