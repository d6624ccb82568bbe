#!/usr/bin/env bash
# Install Med-DisSeg Studio from this checkout into ./.venv (the README's "From source" commands).
#
#   bash scripts/install.sh          the app and the CLI
#   bash scripts/install.sh --dev    the same plus what the tests, ruff and lint-imports need
#
# 1. On Debian/Ubuntu, the system libraries Qt needs (found with ldd on PySide6 and its X11
#    plugin; packaging/linux/depends.py), with apt-get as root or through sudo. Elsewhere, or
#    without either, it says what to install and goes on: the CLI works without them, and
#    `meddisseg-studio` names anything still missing when it starts.
# 2. A virtual environment in ./.venv (VENV=... to put it elsewhere).
# 3. torch 2.13.0, CPU build, from PyTorch's CPU index: PyPI's Linux wheel is the CUDA 13 build
#    (about 2.7 GB with its NVIDIA libraries). Where that index cannot be reached (a mirror that
#    serves local wheels, say), the plain requirement is tried. TORCH_INDEX=pypi takes PyPI's
#    (CUDA) build on purpose, for a workstation with an NVIDIA GPU.
# 4. This package, editable, with its GUI extras (and dev extras with --dev).
set -euo pipefail
cd "$(dirname "$0")/.."

extras="app"
for arg in "$@"; do
  case "$arg" in
    --dev) extras="app,dev" ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done
venv="${VENV:-.venv}"
say() { echo "== install: $*"; }

# The Debian packages of the system libraries PySide6's xcb plugin and Qt libraries link to
# (tests/app/installer/test_install_script_packages.py checks the list against readelf).
APT_PACKAGES=(python3-venv libdbus-1-3 libegl1 libfontconfig1 libfreetype6 libgl1 libglib2.0-0 libx11-6 libx11-xcb1
  libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0
  libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
  libxkbcommon0 libxkbcommon-x11-0)

if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "system libraries: all ${#APT_PACKAGES[@]} installed"
  else
    sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo)
    if [ ${#sudo[@]} -eq 0 ] || command -v sudo >/dev/null; then
      say "system libraries: installing ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      # A fresh system has no package lists yet: update once when the first try cannot find them.
      "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
        { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null; }
    else
      say "system libraries missing and neither root nor sudo here; ask for: apt-get install -y ${missing[*]}"
    fi
  fi
else
  say "not a Debian/Ubuntu system: install the X11/xcb, EGL/OpenGL, fontconfig and D-Bus libraries with its package manager"
fi

if [ ! -x "$venv/bin/python" ]; then
  say "virtual environment in $venv"
  python3 -m venv "$venv"
fi
py="$venv/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

if "$py" -c "import torch, sys; sys.exit(torch.__version__.split('+')[0] != '2.13.0')" 2>/dev/null; then
  say "torch $("$py" -c 'import torch; print(torch.__version__)') already installed"
elif [ "${TORCH_INDEX:-cpu}" = pypi ]; then
  say "torch 2.13.0 from PyPI (the CUDA build)"
  "$py" -m pip install --quiet "torch==2.13.0"
else
  say "torch 2.13.0, CPU build"
  "$py" -m pip install --quiet --retries 1 --timeout 20 "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu 2>/dev/null ||
    "$py" -m pip install --quiet "torch==2.13.0"
fi

say "meddisseg-studio[$extras] (editable)"
"$py" -m pip install --quiet -e ".[$extras]"
"$py" -c "import torch, PySide6; print('== install: done: torch', torch.__version__, '· PySide6', PySide6.__version__, '· in $venv')"
