"""Every icon gd-desktop ships, made from the one source, ``resources/gd-desktop.svg``.

    python packaging/make_icons.py                 # re-render the committed PNGs from the SVG
    python packaging/make_icons.py --ico X.ico --icns X.icns   # Windows / macOS icons from them

The PNGs (``resources/icons/hicolor/NxN/apps/gd-desktop.png``, the layout of an XDG icon theme)
are rendered with Qt's SVG renderer and committed: the .deb, ``--install-desktop-entry`` and the
window use them as they are. Run this after editing the SVG, and commit the result.

The Windows ``.ico`` and the macOS ``.icns`` are containers of those same PNGs; ``build.spec``
writes them into PyInstaller's work folder at each build (pure Python, no Qt needed), so they can
never drift from the PNGs and no binary copy of them is committed.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
SVG = RESOURCES / "gd-desktop.svg"
ICON_NAME = "gd-desktop"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an .ico holds
# The .icns element types that hold a PNG, by pixel size (a "@2x" type shares a size's pixels).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic11", 32),  # 16 pt @2x
    (b"ic12", 64),  # 32 pt @2x
    (b"ic13", 256),  # 128 pt @2x
    (b"ic14", 512),  # 256 pt @2x
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_path(size: int, resources: Path = RESOURCES) -> Path:
    return resources / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"


def png_dimensions(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    return struct.unpack(">II", data[16:24])


def read_pngs(resources: Path = RESOURCES) -> dict[int, bytes]:
    """The committed PNGs by size, each checked to be the size its folder says."""
    pngs = {}
    for size in PNG_SIZES:
        data = png_path(size, resources).read_bytes()
        if png_dimensions(data) != (size, size):
            raise ValueError(f"{png_path(size, resources)} is not {size}x{size}")
        pngs[size] = data
    return pngs


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An .ico holding PNG images (read by Windows Vista and later)."""
    sizes = [size for size in ICO_SIZES if size in pngs]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        # Width and height 0 mean 256; 32 bits per pixel; the PNG's bytes at ``offset``.
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An .icns holding PNG images (read by macOS 10.8 and later)."""
    body = b""
    for kind, size in ICNS_TYPES:
        if size in pngs:
            body += kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_ico(path: Path, resources: Path = RESOURCES) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ico_bytes(read_pngs(resources)))
    return path


def write_icns(path: Path, resources: Path = RESOURCES) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(icns_bytes(read_pngs(resources)))
    return path


def render_png(svg: Path, size: int):
    """The SVG drawn into a transparent ``size`` x ``size`` QImage (needs a QGuiApplication)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def render_pngs(svg: Path = SVG, resources: Path = RESOURCES) -> list[Path]:
    """Render the SVG at every size into the icon-theme folders; the paths written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 (kept alive)
    written = []
    for size in PNG_SIZES:
        path = png_path(size, resources)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not render_png(svg, size).save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ico", type=Path, help="write a Windows .ico here (from the PNGs)")
    parser.add_argument("--icns", type=Path, help="write a macOS .icns here (from the PNGs)")
    args = parser.parse_args(argv)
    if args.ico is None and args.icns is None:
        for path in render_pngs():
            print(path.relative_to(ROOT))
    if args.ico is not None:
        print(write_ico(args.ico))
    if args.icns is not None:
        print(write_icns(args.icns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
