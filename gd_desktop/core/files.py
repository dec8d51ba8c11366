"""Writing a file all at once or not at all. No Qt: the lesson format and the exports share it.

The data goes to a temporary file in the same folder, is flushed to disk, then replaces the
target in one step (and the rename is made durable); on any failure the temporary file is removed
and a previous file is left as it was. A replaced file keeps its permissions; a symbolic link's
target is what is replaced.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path


def replace_atomically(path: str | os.PathLike, write: Callable[[Path], None]) -> None:
    """Let ``write`` fill a new temporary file (by its path), then put it in place at once."""
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()  # replace the file the link points to, not the link
    mode = None
    with contextlib.suppress(OSError):
        mode = target.stat().st_mode & 0o7777  # a file replaced keeps its permissions
    while True:
        temporary = target.with_name(f".{target.stem}.{secrets.token_hex(4)}.tmp{target.suffix}")
        try:
            # 0o666 less the umask, like any new file (mkstemp would make it private: 0o600).
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            break
        except FileExistsError:
            continue
    try:
        write(temporary)
        with open(temporary, "rb+") as stream:
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)


def write_bytes_atomically(path: str | os.PathLike, data: bytes) -> None:
    replace_atomically(path, lambda temporary: temporary.write_bytes(data))


def write_text_atomically(path: str | os.PathLike, text: str) -> None:
    replace_atomically(
        path, lambda temporary: temporary.write_text(text, encoding="utf-8", newline="")
    )


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); not possible, and not needed, on Windows."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
