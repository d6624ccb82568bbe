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
#    (about 2.7 GB with its NVIDIA libraries). Where that index cannot be reached, torch==2.13.0+cpu
#    is looked for where pip is configured to look (find-links, a local index); if it is not there
#    either, the script says so and stops: it never takes the CUDA build unless asked.
#      TORCH_INDEX=URL       another index that serves the CPU build (a mirror of PyTorch's)
#      TORCH_WHEEL=FILE      a torch wheel downloaded by hand
#      TORCH_INDEX=pypi      PyPI's (CUDA) build on purpose, for a workstation with an NVIDIA GPU
# 4. This package, editable, with its GUI extras (and dev extras with --dev).
# Each step prints a line as it starts, apt and pip a line per package; a failed step names itself,
# shows the end of its log and what to try.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="app"
for arg in "$@"; do
  case "$arg" in
    --dev) extras="app,dev" ;;
    -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done
venv="${VENV:-.venv}"
say() { echo "== install: $*"; }
logs=$(mktemp -d "${TMPDIR:-/tmp}/meddisseg-install.XXXXXX")
step_failed() {  # WHAT LOG ADVICE: the end of the log, then one plain sentence on what to do
  echo "== install: FAILED: $1. The last lines of its output (all of it: $2):" >&2
  tail -n 15 "$2" | sed 's/^/   | /' >&2
  [ -n "${3:-}" ] && echo "== install: $3" >&2
  exit 1
}
# Run a command with its output in LOG, printing one short progress line per package as it goes.
# Returns the command's own exit status.
progress() {  # LOG PATTERN PREFIX COMMAND...
  local log=$1 pattern=$2 prefix=$3
  shift 3
  set +e
  "$@" 2>&1 | tee "$log" | { grep --line-buffered -E "$pattern" | sed -u -E "s/^(.{0,110}).*/   $prefix: \1/" || true; }
  local status=${PIPESTATUS[0]}
  set -e
  return "$status"
}
apt_progress() {  # LOG apt-get ARGS...
  local log=$1
  shift
  progress "$log" '^(Get:[0-9]+ |Setting up )' apt "$@"
}
pip_install() {  # LOG pip-install ARGS...
  local log=$1
  shift
  progress "$log" '^(Collecting|Downloading|Processing|Installing collected|Successfully installed)' pip \
    "$py" -m pip install --progress-bar off "$@"
}

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
      say "system libraries: installing ${#missing[@]} packages with apt-get: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      # A fresh system has no package lists yet: update once when the first try cannot find them.
      if ! apt_progress "$logs/apt-first.log" "${sudo[@]}" apt-get install -y -q "${missing[@]}"; then
        say "system libraries: reading the package lists (apt-get update)"
        apt_progress "$logs/apt-update.log" "${sudo[@]}" apt-get update -q ||
          step_failed "apt-get update" "$logs/apt-update.log" "check the network or the sources in /etc/apt/sources.list"
        apt_progress "$logs/apt-install.log" "${sudo[@]}" apt-get install -y -q "${missing[@]}" ||
          step_failed "apt-get install" "$logs/apt-install.log" \
            "install them by hand (apt-get install -y ${missing[*]}), then run this script again"
      fi
    else
      say "system libraries missing and neither root nor sudo here; ask for: apt-get install -y ${missing[*]}"
    fi
  fi
else
  say "not a Debian/Ubuntu system: install the X11/xcb, EGL/OpenGL, fontconfig and D-Bus libraries with its package manager"
fi

if [ ! -x "$venv/bin/python" ]; then
  say "virtual environment in $venv"
  python3 -m venv "$venv" >"$logs/venv.log" 2>&1 ||
    step_failed "python3 -m venv $venv" "$logs/venv.log" "install the python3-venv package (apt-get install -y python3-venv), then run this script again"
fi
py="$venv/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

if "$py" -c "import torch, sys; sys.exit(torch.__version__.split('+')[0] != '2.13.0')" 2>/dev/null; then
  say "torch $("$py" -c 'import torch; print(torch.__version__)') already installed"
elif [ -n "${TORCH_WHEEL:-}" ]; then
  say "torch from $TORCH_WHEEL"
  pip_install "$logs/torch.log" "$TORCH_WHEEL" || step_failed "installing $TORCH_WHEEL" "$logs/torch.log"
elif [ "${TORCH_INDEX:-cpu}" = pypi ]; then
  say "torch 2.13.0 from PyPI (the CUDA build, about 2.7 GB, as TORCH_INDEX=pypi asks)"
  pip_install "$logs/torch.log" "torch==2.13.0" || step_failed "installing torch from PyPI" "$logs/torch.log"
else
  index="${TORCH_INDEX:-https://download.pytorch.org/whl/cpu}"
  [ "$index" = cpu ] && index=https://download.pytorch.org/whl/cpu
  say "torch 2.13.0, CPU build, from $index"
  if ! pip_install "$logs/torch.log" --retries 1 --timeout 20 "torch==2.13.0" --index-url "$index"; then
    # The CPU index cannot be reached (or does not serve it). The "+cpu" version cannot be the CUDA
    # build, so it is safe to look for it wherever pip is configured to look (find-links, a mirror).
    say "PyTorch's CPU index did not answer or lacks torch 2.13.0 ($index); looking for torch==2.13.0+cpu where pip is configured to look"
    pip_install "$logs/torch-local.log" "torch==2.13.0+cpu" || step_failed \
      "torch's CPU build could not be installed: $index cannot be reached and no torch==2.13.0+cpu wheel is configured" \
      "$logs/torch.log" \
      "to go on, set TORCH_INDEX=URL to an index that serves the CPU build, or TORCH_WHEEL=/path/to/torch-2.13.0+cpu-....whl (downloaded by hand from $index/torch/), or TORCH_INDEX=pypi to take PyPI's 2.7 GB CUDA build on purpose; then run this script again"
  fi
fi

say "meddisseg-studio[$extras] (editable)"
pip_install "$logs/package.log" -e ".[$extras]" ||
  step_failed "installing meddisseg-studio[$extras]" "$logs/package.log" "check the network or pip's configuration, then run this script again"
"$py" -c "import torch, PySide6; print('== install: done: torch', torch.__version__, '· PySide6', PySide6.__version__, '· in $venv')"
rm -rf "$logs"
