"""gd-desktop: the course's gradient descent, live and step by step."""

__version__ = "0.1.0"
