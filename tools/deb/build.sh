#!/bin/sh
# build.sh - a Debian binary package from a staged `make install`
# (DESTDIR=DIR/root, PREFIX=/usr): strips the binaries, compresses the man
# pages, adds copyright, changelog, the ldconfig trigger and shlibs, works
# out Depends with dpkg-shlibdeps, and builds it with dpkg-deb.
#   usage: build.sh DIR VERSION OUT.deb
set -eu
dir=$1 version=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$dir/root
arch=$(dpkg --print-architecture)
maintainer=${DEB_MAINTAINER:-iamguard developers <iamguard@example.org>}
# Reproducible: dates and file times from the last commit, not from now.
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)}

strip --remove-section=.comment --remove-section=.note "$root/usr/bin/iamguard"
strip --remove-section=.comment --remove-section=.note --strip-unneeded \
    "$root/usr/lib/libiamguard.so.$version"
strip --strip-debug "$root/usr/lib/libiamguard.a"
gzip -9nf "$root"/usr/share/man/man1/*.1

doc=$root/usr/share/doc/iamguard
mkdir -p "$doc"
install -m 644 "$here/copyright" "$doc/copyright"
sed -e "s/@VERSION@/$version/" -e "s/@MAINTAINER@/$maintainer/" \
    -e "s/@DATE@/$(date -u -R -d "@$epoch")/" "$here/changelog.in" | gzip -9n >"$doc/changelog.gz"
chmod 644 "$doc/changelog.gz"

mkdir -p "$root/DEBIAN" "$dir/debian"
# dpkg-shlibdeps wants a debian/control beside it; the package's libraries
# are found in the staged tree.
printf 'Source: iamguard\n\nPackage: iamguard\nArchitecture: any\n' >"$dir/debian/control"
depends=$(cd "$dir" && dpkg-shlibdeps -O -l"$root/usr/lib" \
    -e"$root/usr/bin/iamguard" -e"$root/usr/lib/libiamguard.so.$version" 2>/dev/null |
    sed -n 's/^shlibs:Depends=//p')
echo "libiamguard ${version%%.*} iamguard (>= $version)" >"$root/DEBIAN/shlibs"
echo "activate-noawait ldconfig" >"$root/DEBIAN/triggers"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@MAINTAINER@/$maintainer/" \
    -e "s/@DEPENDS@/$depends/" -e "s/@SIZE@/$size/" "$here/control.in" >"$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | sort |
    xargs md5sum) >"$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/"*
find "$root" -exec touch -h -d "@$epoch" {} +
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "  DEB     $out"
