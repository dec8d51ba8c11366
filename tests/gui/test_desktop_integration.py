"""Icons, desktop entry, lesson MIME type and ``--install-desktop-entry``, checked with the tools
a desktop uses (desktop-file-validate, update-mime-database), and the package data of a wheel.

scripts/_setup.sh installs those tools (desktop-file-utils, shared-mime-info) when run as root.
"""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from gd_desktop.gui import desktop_integration as di
from tests.conftest import need_tool

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import make_icons  # noqa: E402


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.RawConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def validate(path: Path) -> None:
    result = subprocess.run(
        [need_tool("desktop-file-validate", "desktop-file-utils"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "error" not in result.stdout, result.stdout + result.stderr


def test_resources_are_found_from_the_source_tree():
    assert di.resources_dir() == ROOT / "resources"
    for size in di.ICON_SIZES:
        assert di.icon_png(size).is_file()


def test_pngs_have_their_sizes_and_match_the_svg(qapp):
    """Every committed PNG is the size its folder says, and is the SVG as it is now."""
    from PySide6.QtGui import QImage

    pngs = make_icons.read_pngs()  # checks each PNG's dimensions
    assert sorted(pngs) == sorted(di.ICON_SIZES)
    for size in (16, 48, 256):
        committed = QImage(str(di.icon_png(size)))
        rendered = make_icons.render_png(make_icons.SVG, size)
        differences = [
            abs(committed.pixelColor(x, y).alpha() - rendered.pixelColor(x, y).alpha())
            + abs(committed.pixelColor(x, y).red() - rendered.pixelColor(x, y).red())
            for x in range(0, size, max(1, size // 32))
            for y in range(0, size, max(1, size // 32))
        ]
        assert sum(differences) / len(differences) < 4, (
            f"the {size}px PNG is not the SVG any more: run python packaging/make_icons.py"
        )
        assert committed.pixelColor(size // 2, size // 2).alpha() == 255  # an opaque icon


def test_ico_holds_the_pngs_up_to_256():
    pngs = make_icons.read_pngs()
    data = make_icons.ico_bytes(pngs)
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    for index, size in enumerate(make_icons.ICO_SIZES):
        entry = data[6 + 16 * index : 6 + 16 * (index + 1)]
        width, height, _, _, planes, bits, length, offset = struct.unpack("<BBBBHHII", entry)
        assert (width or 256, height or 256, planes, bits) == (size, size, 1, 32)
        assert data[offset : offset + length] == pngs[size]


def test_icns_holds_the_pngs():
    pngs = make_icons.read_pngs()
    data = make_icons.icns_bytes(pngs)
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found, position = {}, 8
    while position < len(data):
        kind, length = (
            data[position : position + 4],
            struct.unpack(">I", data[4 + position : 8 + position])[0],
        )
        found[kind] = make_icons.png_dimensions(data[position + 8 : position + length])
        position += length
    assert found[b"ic09"] == (512, 512) and found[b"icp4"] == (16, 16)
    assert found[b"ic14"] == (512, 512)  # 256 pt at 2x
    assert len(found) == len(make_icons.ICNS_TYPES)


def test_desktop_entry_is_valid_and_declares_the_lesson_type():
    path = ROOT / "resources" / di.DESKTOP_FILE
    validate(path)
    entry = desktop_entry(path)
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "gd-desktop %f"
    assert entry["Icon"] == di.APP_ID
    assert di.MIME_TYPE in entry["MimeType"].split(";")
    assert entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == di.APP_ID


def test_mime_type_is_read_by_shared_mime_info(tmp_path):
    """update-mime-database accepts the XML and maps *.gdlesson to the lesson type."""
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / di.MIME_FILE, packages / "gd-desktop.xml")
    result = subprocess.run(
        [need_tool("update-mime-database", "shared-mime-info"), "-V", str(tmp_path / "mime")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    globs = (tmp_path / "mime" / "globs2").read_text()
    assert f"{di.MIME_TYPE}:*.gdlesson" in globs
    assert f"{di.MIME_TYPE}:{di.APP_ID}" in (tmp_path / "mime" / "generic-icons").read_text()


@pytest.mark.parametrize(
    ("argument", "written"),
    [
        ("/usr/bin/gd-desktop", "/usr/bin/gd-desktop"),
        ("/home/a b/gd-desktop", '"/home/a b/gd-desktop"'),
        ('/x/"q"$`\\', '"/x/\\\\"q\\\\"\\\\$\\\\`\\\\\\\\"'),
        ("/x/100%", "/x/100%%"),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_says(argument, written):
    assert di.exec_argument(argument) == written


def test_install_desktop_entry_writes_a_valid_entry_and_the_icons(tmp_path):
    command = ["/opt/my apps/gd-desktop"]
    installed = di.install_desktop_entry(tmp_path, command=command, refresh=False)
    entry_path = tmp_path / "applications" / di.DESKTOP_FILE
    assert entry_path in installed.written
    validate(entry_path)
    entry = desktop_entry(entry_path)
    assert entry["Exec"] == '"/opt/my apps/gd-desktop" %f'
    assert entry["TryExec"] == "/opt/my apps/gd-desktop"
    assert entry["Icon"] == di.APP_ID
    for size in di.ICON_SIZES:
        icon = tmp_path / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "gd-desktop.png"
        assert icon.read_bytes() == di.icon_png(size).read_bytes()
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "gd-desktop.svg").is_file()
    assert (tmp_path / "mime" / "packages" / "gd-desktop.xml").is_file()
    # Installing again replaces the files and leaves no temporary file behind.
    di.install_desktop_entry(tmp_path, command=command, refresh=False)
    assert not list(tmp_path.rglob(".*.tmp"))


def test_install_desktop_entry_command(tmp_path):
    """The command installs under $XDG_DATA_HOME, and the entry's Exec starts this installation."""
    gd_desktop = Path(sys.executable).parent / "gd-desktop"
    assert gd_desktop.is_file(), "the gd-desktop console script (pip install -e .) is missing"
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"), HOME=str(tmp_path))
    result = subprocess.run(
        [str(gd_desktop), "--install-desktop-entry"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "applications menu" in result.stdout
    entry_path = tmp_path / "data" / "applications" / di.DESKTOP_FILE
    validate(entry_path)
    entry = desktop_entry(entry_path)
    executable = entry["Exec"].removesuffix(" %f")
    assert executable == str(gd_desktop.absolute())
    assert "update-mime-database" in result.stdout  # the system has it (shared-mime-info)
    assert "*.gdlesson" in (tmp_path / "data" / "mime" / "globs2").read_text()
    started = subprocess.run(
        [executable, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert started.returncode == 0 and started.stdout.startswith("gd-desktop ")
    again = subprocess.run(
        [str(gd_desktop), "--install-desktop-entry", "x"], env=env, capture_output=True, text=True
    )
    assert again.returncode == 2


def test_every_subpackage_is_listed_in_pyproject():
    """pyproject.toml lists the packages by hand (for the resources/ mapping): none forgotten."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in ROOT.glob("gd_desktop/**/__init__.py")
    }
    assert on_disk <= listed, f"add {sorted(on_disk - listed)} to packages in pyproject.toml"
    assert config["package-dir"]["gd_desktop.resources"] == "resources"


def test_wheel_carries_the_resources_and_finds_them(tmp_path):
    """A pip install (a wheel) has the icons and desktop files, and resources_dir() finds them."""
    # From a copy of what the wheel is made of, so that no build/ folder appears in the checkout.
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("gd_desktop", "resources"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, source / name)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = tmp_path.glob("gd_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (di.DESKTOP_FILE, di.SVG_FILE, di.MIME_FILE):
        assert f"gd_desktop/resources/{name}" in names
    for size in di.ICON_SIZES:
        assert f"gd_desktop/resources/icons/hicolor/{size}x{size}/apps/gd-desktop.png" in names
    from gd_desktop.core.i18n import SHIPPED

    for code in SHIPPED:  # the compiled translations
        assert f"gd_desktop/resources/locale/{code}/LC_MESSAGES/gd_desktop.mo" in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    found = subprocess.run(
        [
            sys.executable,
            "-S",  # no site-packages, so not the editable install: only the wheel's files
            "-c",
            f"import sys; sys.path.insert(0, {str(target)!r}); "
            "from gd_desktop.gui.desktop_integration import resources_dir; print(resources_dir())",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()) == target / "gd_desktop" / "resources"
