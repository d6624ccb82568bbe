#!/usr/bin/env bash
# Build the workstation installer into dist/:
#   dist/meddisseg-studio/                              the one-folder bundle (both programs)
#   dist/meddisseg-studio_<version>_amd64.deb           (Linux) installs it under /opt/meddisseg-studio
#   dist/meddisseg-studio-<version>-linux-x86_64-<variant>.tar.gz   the same folder, for installs without root
#
# Usage: bash packaging/build.sh [cpu|cuda]       (default cpu; see packaging/README.md for cuda)
# Environment: PYTHON (default python3, 3.11+ built with a shared libpython), MEDDISSEG_DEB_COMPRESSION
# (zstd, the default: fast; xz: about 20% smaller, 20x the CPU time), MEDDISSEG_SKIP_PACKAGES=1 (bundle only).
#
# The build runs in its own virtual environment (build/venv-<variant>, created once, reused) that
# holds only what the app needs, so nothing from a developer's environment leaks into the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VARIANT=${1:-cpu}
PYTHON=${PYTHON:-python3}
VENV=build/venv-$VARIANT
TORCH_VERSION=2.13.0
# cpu: PyTorch's CPU index. cuda: PyPI, whose Linux wheel of torch 2.13.0 is the CUDA 13.0 build
# (MEDDISSEG_TORCH_INDEX may point at another CUDA build, e.g. PyTorch's cu12x index, for older drivers).
case "$VARIANT" in
  cpu) TORCH_INDEX=${MEDDISSEG_TORCH_INDEX:-https://download.pytorch.org/whl/cpu} ;;
  cuda) TORCH_INDEX=${MEDDISSEG_TORCH_INDEX:-https://pypi.org/simple} ;;
  *) echo "usage: bash packaging/build.sh [cpu|cuda]" >&2; exit 2 ;;
esac
VERSION=$("$PYTHON" -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])")
start=$(date +%s)
say() { echo "== [$(($(date +%s) - start)) s] $*"; }

if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  "$PYTHON" -m venv "$VENV"
  if [ "$VARIANT" = cpu ]; then
    # The CPU wheel: a local wheel where pip is configured for one, else PyTorch's CPU index.
    "$VENV/bin/python" -m pip install --quiet "torch==$TORCH_VERSION" ||
      "$VENV/bin/python" -m pip install --quiet "torch==$TORCH_VERSION" --index-url "$TORCH_INDEX"
    "$VENV/bin/python" -c "import torch, sys; sys.exit(torch.version.cuda is not None)" ||
      { echo "error: $VENV got a CUDA build of torch; the cpu variant needs the CPU wheel" >&2; exit 1; }
  else
    # Without this machine's pip configuration: a local CPU wheel there would win over the CUDA build.
    PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS="" \
      "$VENV/bin/python" -m pip install --quiet "torch==$TORCH_VERSION" --index-url "$TORCH_INDEX"
    "$VENV/bin/python" -c "import torch, sys; sys.exit(torch.version.cuda is None)" ||
      { echo "error: $VENV got a CPU build of torch; the cuda variant needs the CUDA wheel" >&2; exit 1; }
  fi
  "$VENV/bin/python" -m pip install --quiet ".[app]" "pyinstaller==6.22.3" "pyinstaller-hooks-contrib==2026.9"
fi
say "installing this checkout into $VENV"
"$VENV/bin/python" -m pip install --quiet --no-deps --no-build-isolation --force-reinstall .
rm -rf build/lib build/bdist.* ./*.egg-info  # setuptools' leftovers; they must not shadow the checkout

say "drawing the icons"
"$VENV/bin/python" packaging/make_icon.py build/icons >/dev/null

say "PyInstaller ($VARIANT)"
rm -rf dist/meddisseg-studio
MEDDISSEG_ROOT=$ROOT nice -n 10 "$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath "build/pyinstaller-$VARIANT" packaging/bundle/meddisseg.spec
cp packaging/bundle/README-INSTALL.txt dist/meddisseg-studio/
echo "$VERSION $VARIANT torch $("$VENV/bin/python" -c 'import torch; print(torch.__version__)')" \
  > dist/meddisseg-studio/BUILD-INFO.txt
say "bundle: $(du -sh dist/meddisseg-studio | cut -f1)"

if [ "${MEDDISSEG_SKIP_PACKAGES:-0}" = 1 ] || [ "$(uname -s)" != Linux ]; then
  exit 0
fi
say "Depends: ldd over every library in the bundle"
DEPENDS=$("$VENV/bin/python" packaging/linux/depends.py dist/meddisseg-studio --report build/depends-report.txt)
echo "Depends: $DEPENDS"
say "packages (.deb with ${MEDDISSEG_DEB_COMPRESSION:-zstd}, .tar.gz)"
rm -f dist/*.deb dist/*.tar.gz
nice -n 10 "$VENV/bin/python" packaging/linux/make_deb.py dist/meddisseg-studio build/icons dist \
  --version "$VERSION" --variant "$VARIANT" --depends "$DEPENDS" \
  --compression "${MEDDISSEG_DEB_COMPRESSION:-zstd}"
say "done"
du -sh --apparent-size dist/meddisseg-studio dist/*.deb dist/*.tar.gz
