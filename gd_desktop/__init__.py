"""gd-desktop: the course's gradient descent, live and step by step."""

import os

# The lesson's products are small (at most 10⁵ × 10): one BLAS thread does them in well under a
# millisecond, while OpenBLAS's thread hand-off costs ~7 ms each on a 2-core machine (measured).
# Set before numpy is first imported; a value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
