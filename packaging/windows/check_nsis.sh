#!/usr/bin/env bash
# Compile the NSIS script on Linux (makensis from Debian's `nsis`) against a stub bundle, warnings as
# errors. It checks the script, the defines, the pages and the icon; the real setup.exe is built on
# Windows from the real bundle (packaging/windows/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
stub=build/nsis-check/meddisseg-studio
rm -rf build/nsis-check && mkdir -p "$stub/_internal"
for f in meddisseg-studio.exe meddisseg.exe README-INSTALL.txt BUILD-INFO.txt _internal/python311.dll; do
  echo "stub" > "$stub/$f"
done
python3 packaging/make_icon.py build/icons >/dev/null
makensis -V2 -WX -DVERSION=0.1.0 -DBUNDLE="$PWD/$stub" -DICON="$PWD/build/icons/meddisseg-studio.ico" \
  -DOUTFILE="$PWD/build/nsis-check/meddisseg-studio-0.1.0-windows-x64-check.exe" packaging/windows/meddisseg-studio.nsi
ls -l build/nsis-check/meddisseg-studio-0.1.0-windows-x64-check.exe
