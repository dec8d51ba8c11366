"""What every test shares, Qt or not: a clear failure when a system tool is missing."""

import shutil

import pytest


def need_tool(name: str, package: str) -> str:
    """The path of a system tool the test needs; a clear failure (not a skip) without it."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: apt-get install {package} (scripts/_setup.sh does this "
            "when run as root)"
        )
    return path
