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
# Depends is computed from the bundle's files, not typed by hand: dpkg-shlibdeps reads every ELF
# file, and each library they need that the bundle does not carry becomes a dependency on its
# package, with the version its symbols require (from the packages' symbols/shlibs files). The
# libraries the bundle carries are listed in a local shlibs file as provided by gd-desktop itself,
# so they add nothing. The build machine must have each needed system library installed (it says
# which one it cannot find). Added by hand, because no ELF file names them: the font configuration
# and the keyboard maps the bundled fontconfig and xkbcommon read (fontconfig-config, xkb-data),
# and a font (fonts-dejavu-core).
#
# Prints the path of the .deb on its last line. Needs dpkg-deb, dpkg-shlibdeps (dpkg-dev) and
# objdump (binutils), which dpkg-shlibdeps runs.
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

for tool in dpkg-deb dpkg dpkg-shlibdeps objdump; do
    command -v "$tool" >/dev/null 2>&1 \
        || die "$tool not found (on Debian/Ubuntu: apt-get install dpkg dpkg-dev binutils)"
done
[ -x "$bundle/$name" ] || die "no bundle at $bundle (run: pyinstaller --noconfirm build.spec)"
[ -d "$bundle/_internal" ] || die "$bundle is not a one-folder bundle (no _internal/)"

# The version from the bundle itself, which also proves that it starts.
version="$("$bundle/$name" --version | awk '{print $2}')" \
    || die "$bundle/$name --version failed"
[ -n "$version" ] || die "$bundle/$name --version printed no version"
arch="$(dpkg --print-architecture)"

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
# Depends, from the files as installed (see the top of this file).
shlibs_depends() {
    local work="$stage/shlibdeps" path file base elf=()
    mkdir -p "$work/debian"
    printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$name" "$name" >"$work/debian/control"
    # "libfoo.so.6" is "libfoo 6" in shlibs; "libfoo-1.2.so" is "libfoo 1.2".
    while IFS= read -r -d '' path; do
        file="$(basename "$path")"
        case "$file" in
            *.so.*) printf '%s %s %s\n' "${file%%.so.*}" "${file#*.so.}" "$name" ;;
            *-[0-9]*.so) base="${file%.so}"; printf '%s %s %s\n' "${base%-*}" "${base##*-}" "$name" ;;
        esac
    done < <(find "$pkg/opt/$name" -name '*.so*' \( -type f -o -type l \) -print0) \
        | sort -u >"$work/debian/shlibs.local"
    while IFS= read -r -d '' path; do
        [ "$(head -c 4 "$path" | od -An -c | tr -d ' ')" = '177ELF' ] && elf+=("$path")
    done < <(find "$pkg/opt/$name" -type f -print0)
    [ "${#elf[@]}" -gt 0 ] || die "no ELF file in $bundle"
    (cd "$work" && dpkg-shlibdeps -O -x"$name" --ignore-missing-info "${elf[@]}" 2>"$work/log") \
        | sed -n 's/^shlibs:Depends=//p' \
        || { grep 'error' "$work/log" >&2; die "dpkg-shlibdeps failed (see above)"; }
}
shlibs="$(shlibs_depends)"
[ -n "$shlibs" ] || die "dpkg-shlibdeps found no library the bundle needs from the system"
depends="$shlibs, fontconfig-config, xkb-data, fonts-dejavu-core"

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
Recommends: fonts-noto-cjk
Section: education
Priority: optional
Description: see why a weight moves: gradient descent, step by step
 A desktop lesson on gradient descent: type the inputs, weights, target and
 learning rate of a small linear neuron, press Step, and watch the prediction,
 the error, the slopes and the loss parabola change, with every number of the
 update written out. Works offline; Python, Qt and numpy are bundled in
 /opt/$name. In English, German, Spanish, French, Brazilian Portuguese,
 Simplified Chinese and Ukrainian (Chinese needs a CJK font: fonts-noto-cjk).
EOF

mkdir -p "$out_dir"
deb="$out_dir/${name}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"$compression" --build "$pkg" "$deb" >&2
echo "$deb"
