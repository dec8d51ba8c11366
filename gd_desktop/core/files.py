"""Reading and writing a teacher's files safely. No Qt: lessons, CSV and the exports share it.

A write goes to a temporary file of ours in the same folder, is flushed to disk and checked, then
replaces the target in one step (and the rename is made durable). On any failure the temporary
file is removed, the previous file is left as it was, and :class:`FileWriteError` says why in one
plain sentence. Only regular files are replaced or read: a FIFO, a device or a folder is refused
(and never opened for writing: opening a FIFO for writing waits for a reader, for ever).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from gd_desktop.core.i18n import N_, _

TEMPORARY_MARK = ".gd-desktop-"
TEMPORARY_SUFFIX = ".tmp"

# One whole sentence per reason, for a target that existed ("kept") and for a new one.
_SENTENCES = {
    "full": (
        N_("The disk is full: {name} was not saved; the old file is unchanged."),
        N_("The disk is full: {name} was not saved."),
    ),
    "read_only": (
        N_("The disk is read-only: {name} was not saved; the old file is unchanged."),
        N_("The disk is read-only: {name} was not saved."),
    ),
    "permission": (
        N_(
            "There is no permission to write there: {name} was not saved; the old file is "
            "unchanged."
        ),
        N_("There is no permission to write there: {name} was not saved."),
    ),
    "no_folder": (
        N_("The folder does not exist: {name} was not saved."),
        N_("The folder does not exist: {name} was not saved."),
    ),
    "check": (
        N_("The written file did not read back correctly ({detail}): {name} was not saved; "
        "the old file is unchanged."),
        N_("The written file did not read back correctly ({detail}): {name} was not saved."),
    ),
    "other": (
        N_("The file could not be written ({detail}): {name} was not saved; the old file is "
        "unchanged."),
        N_("The file could not be written ({detail}): {name} was not saved."),
    ),
    "special": (
        N_("{name} is not a regular file (a folder, a device or a pipe): it was not replaced."),
        N_("{name} is not a regular file (a folder, a device or a pipe): it was not replaced."),
    ),
}
_REASONS = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EFBIG: "full",
    errno.EROFS: "read_only",
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.ENOENT: "no_folder",
    errno.ENOTDIR: "no_folder",
}


class FileWriteError(OSError):
    """A save that did not happen; ``str(error)`` is the one sentence to show."""

    def __init__(self, reason: str, name: str, existed: bool, detail: str = "") -> None:
        sentence = _(_SENTENCES[reason][0 if existed else 1]).format(name=name, detail=detail)
        super().__init__(sentence)
        self.reason = reason
        self.sentence = sentence
        self.strerror = sentence

    def __str__(self) -> str:
        return self.sentence


class FileReadError(OSError):
    """A file that is not read: ``reason`` is "special" or "too_big" (then ``size`` is known)."""

    def __init__(self, reason: str, size: int = 0) -> None:
        self.reason = reason
        self.size = size
        text = (
            _("it is not a regular file (a folder, a device or a pipe)")
            if reason == "special"
            else _("it is too big ({size:,} bytes)").format(size=size)
        )
        super().__init__(text)
        self.strerror = text


def read_regular_file(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, never blocking on a FIFO.

    The size is checked on the open descriptor before anything is read, and at most ``limit + 1``
    bytes are read in any case (a file may grow while it is read).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise FileReadError("special")
        if status.st_size > limit:
            raise FileReadError("too_big", status.st_size)
        with open(descriptor, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise FileReadError("too_big", len(data))
    return data


def is_our_temporary(name: str) -> bool:
    return name.startswith(".") and TEMPORARY_MARK in name and name.endswith(TEMPORARY_SUFFIX)


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files of ours left by a save that was killed: they are nobody's work."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if is_our_temporary(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _reason(error: OSError) -> str:
    return _REASONS.get(error.errno, "other")


def replace_atomically(
    path: str | os.PathLike,
    write: Callable[[Path], None],
    check: Callable[[Path], None] | None = None,
) -> None:
    """Let ``write`` fill a new temporary file (by its path), check it, then put it in place.

    ``check`` reads the temporary file back and raises (any exception, its text a short detail)
    when it is not what was meant to be saved. Any failure is a :class:`FileWriteError`.
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()  # replace the file the link points to, not the link
    name = target.name
    try:
        status = os.stat(target)
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise FileWriteError(_reason(error), name, False, error.strerror or "") from error
    existed = status is not None
    if existed and not stat.S_ISREG(status.st_mode):
        raise FileWriteError("special", name, True)
    remove_stale_temporaries(target.parent)
    try:
        temporary = _create_temporary(target)
    except OSError as error:
        raise FileWriteError(_reason(error), name, existed, error.strerror or "") from error
    try:
        write(temporary)
        with open(temporary, "rb+") as stream:
            stream.flush()
            os.fsync(stream.fileno())
            size = os.fstat(stream.fileno()).st_size
        if size == 0:
            raise FileWriteError("check", name, existed, _("the file is empty"))
        if check is not None:
            try:
                check(temporary)
            except Exception as error:  # noqa: BLE001 (any failed check means: do not replace)
                raise FileWriteError("check", name, existed, str(error)[:80]) from error
        if status is not None:
            os.chmod(temporary, status.st_mode & 0o7777)  # a file replaced keeps its permissions
        os.replace(temporary, target)
    except FileWriteError:
        _remove(temporary)
        raise
    except OSError as error:
        _remove(temporary)
        raise FileWriteError(_reason(error), name, existed, error.strerror or str(error)) from error
    except BaseException:
        _remove(temporary)
        raise
    _sync_folder(target.parent)


def _create_temporary(target: Path) -> Path:
    while True:
        temporary = target.with_name(
            f".{target.name}{TEMPORARY_MARK}{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"
        )
        try:
            # 0o666 less the umask, like any new file (mkstemp would make it private: 0o600).
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return temporary
        except FileExistsError:
            continue


def _remove(temporary: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def write_bytes_atomically(
    path: str | os.PathLike, data: bytes, check: Callable[[bytes], None] | None = None
) -> None:
    """Write ``data``; it is read back and compared (and given to ``check``) before the rename."""

    def check_bytes(temporary: Path) -> None:
        written = temporary.read_bytes()
        if written != data:
            raise ValueError(_("the bytes read back differ"))
        if check is not None:
            check(written)

    replace_atomically(path, lambda temporary: temporary.write_bytes(data), check_bytes)


def write_text_atomically(
    path: str | os.PathLike, text: str, check: Callable[[bytes], None] | None = None
) -> None:
    write_bytes_atomically(path, text.encode("utf-8"), check)


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
