#!/usr/bin/env bash
# Build gd-desktop's .deb from the one-folder PyInstaller bundle:
#
#     bash packaging/build_deb.sh [BUNDLE_DIR [OUT_DIR]]     # defaults: dist/gd-desktop dist
#
# BUNDLE_DIR is what `pyinstaller build.spec` made (the folder with the gd-desktop executable and
# _internal/). The package installs it to /opt/gd-desktop, with
#   /usr/bin/gd-desktop                 -> ../../opt/gd-desktop/gd-desktop (relative symlink)
#   /usr/share/applications/gd-desktop.desktop
#   /usr/share/icons/hicolor/{16x16..512x512,scalable}/apps/gd-desktop.{png,svg}
#   /usr/share/mime/packages/gd-desktop.xml   (the lesson file type)
#   /usr/share/doc/gd-desktop/copyright
# dpkg's triggers refresh the menu, icon and MIME caches: no maintainer scripts are needed.
#
# Depends lists what the bundle needs from the system and does not carry: the C library (at
# least the newest GLIBC_ symbol version any bundled file asks for), OpenGL/EGL (drivers are
# the system's), libxcb and the Wayland client libraries (PyInstaller never bundles them), the
# fontconfig configuration the bundled fontconfig reads, and a font. tests/gui/test_bundle.py checks
# this list against the libraries the bundled files link to.
#
# Prints the path of the .deb on its last line. Needs dpkg-deb and readelf (binutils).
# GD_DEB_COMPRESSION: xz (default, smallest download), gzip (faster to build), zstd or none.
# GD_DEB_MAINTAINER: the Maintainer field.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="${1:-$root/dist/gd-desktop}"
out_dir="${2:-$root/dist}"
compression="${GD_DEB_COMPRESSION:-xz}"
maintainer="${GD_DEB_MAINTAINER:-gd-desktop developers <gd-desktop@invalid>}"
name="gd-desktop"

die() { printf 'build_deb.sh: error: %s\n' "$*" >&2; exit 1; }

for tool in dpkg-deb dpkg readelf; do
    command -v "$tool" >/dev/null 2>&1 \
        || die "$tool not found (on Debian/Ubuntu: apt-get install dpkg binutils)"
done
[ -x "$bundle/$name" ] || die "no bundle at $bundle (run: pyinstaller --noconfirm build.spec)"
[ -d "$bundle/_internal" ] || die "$bundle is not a one-folder bundle (no _internal/)"

# The version from the bundle itself, which also proves that it starts.
version="$("$bundle/$name" --version | awk '{print $2}')" \
    || die "$bundle/$name --version failed"
[ -n "$version" ] || die "$bundle/$name --version printed no version"
arch="$(dpkg --print-architecture)"

# The newest GLIBC_x.y that any bundled ELF file asks for.
glibc="$(
    find "$bundle" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
        | xargs -0 readelf -V 2>/dev/null \
        | grep -o 'GLIBC_2\.[0-9]*' | sed 's/GLIBC_//' | sort -t. -k1,1n -k2,2n -u | tail -n 1
)"
[ -n "$glibc" ] || die "could not read the GLIBC versions the bundle needs"

depends="libc6 (>= $glibc), libgl1, libegl1, libxcb1, libwayland-client0, libwayland-cursor0"
depends+=", libwayland-egl1, libfontconfig1, fonts-dejavu-core"

stage="$(mktemp -d)"
trap 'rm -rf -- "$stage"' EXIT
pkg="$stage/pkg"
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
    "$pkg/usr/share/mime/packages" "$pkg/usr/share/doc/$name"
cp -a "$bundle" "$pkg/opt/$name"
ln -s "../../opt/$name/$name" "$pkg/usr/bin/$name"
cp "$root/resources/$name.desktop" "$pkg/usr/share/applications/$name.desktop"
cp "$root/resources/$name-mime.xml" "$pkg/usr/share/mime/packages/$name.xml"
for png in "$root"/resources/icons/hicolor/*/apps/"$name".png; do
    size_dir="$(basename "$(dirname "$(dirname "$png")")")"
    mkdir -p "$pkg/usr/share/icons/hicolor/$size_dir/apps"
    cp "$png" "$pkg/usr/share/icons/hicolor/$size_dir/apps/$name.png"
done
mkdir -p "$pkg/usr/share/icons/hicolor/scalable/apps"
cp "$root/resources/$name.svg" "$pkg/usr/share/icons/hicolor/scalable/apps/$name.svg"
cat >"$pkg/usr/share/doc/$name/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: $name
Comment: /opt/$name bundles CPython (PSF License), Qt and PySide6 (LGPL-3.0), pyqtgraph (MIT)
 and numpy with OpenBLAS (BSD-3-Clause), as built by PyInstaller (GPL-2.0 with a bootloader
 exception), and shared libraries of the Debian system it was built on.

Files: *
Copyright: gd-desktop developers
License: MIT
EOF

# Files 644, folders and executables 755, whatever the umask of the build.
chmod -R u=rwX,go=rX "$pkg"
installed_size="$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)"
cat >"$pkg/DEBIAN/control" <<EOF
Package: $name
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends
Section: education
Priority: optional
Description: see why a weight moves: gradient descent, step by step
 A desktop lesson on gradient descent: type the inputs, weights, target and
 learning rate of a small linear neuron, press Step, and watch the prediction,
 the error, the slopes and the loss parabola change, with every number of the
 update written out. Works offline; Python, Qt and numpy are bundled in
 /opt/$name.
EOF

mkdir -p "$out_dir"
deb="$out_dir/${name}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"$compression" --build "$pkg" "$deb" >&2
echo "$deb"
