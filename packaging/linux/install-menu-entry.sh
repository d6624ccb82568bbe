#!/bin/sh
# Per-user menu entry for an unpacked tarball (no root): copies the desktop entry and the icons
# into ~/.local/share, with Exec pointing at this folder's program. Run it again after moving the folder.
set -eu
bundle=$(cd "$(dirname "$0")/.." && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$data/applications"
sed "s|@BUNDLE@|$bundle|g" "$bundle/share/applications/meddisseg-studio.desktop" \
  > "$data/applications/meddisseg-studio.desktop"
cp -R "$bundle/share/icons" "$data/"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" || true
echo "Menu entry installed: $data/applications/meddisseg-studio.desktop"
