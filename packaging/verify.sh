#!/usr/bin/env bash
# Verify the BUILT artifacts, not the checkout (issue 11, item 6). Needs root (dpkg -i, apt-get)
# and an apt mirror for the .deb's dependencies, on Debian 12 or Ubuntu 22.04+.
#
#   1. build the bundle, the .deb and the tarball (packaging/build.sh);
#   2. install the .deb with dpkg -i (apt-get -f install pulls its Depends), unpack the tarball into
#      an empty folder;
#   3. for both installs, under `env -i` with only PATH, HOME (fresh) and the display set, and with no
#      network (unshare -n, where allowed), run: --version; --self-test (QT_QPA_PLATFORM=offscreen);
#      the real window under Xvfb on generated samples, screenshot checked not blank; one
#      `meddisseg predict` and a one-epoch `meddisseg train` through the bundled CLI;
#   4. remove the package again.
#
# Usage: bash packaging/verify.sh            (MEDDISSEG_VERIFY_REUSE=1: use dist/ as built, skip step 1)
# Writes its work, screenshots and logs to build/verify/. Exit status 0 only if every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
W=$ROOT/build/verify
PY=$ROOT/build/venv-cpu/bin/python  # the build environment: runs the checkers, never the app
start=$(date +%s)
failures=0
say() { echo "== [$(($(date +%s) - start)) s] $*"; }
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

[ "$(id -u)" = 0 ] || { echo "verify.sh needs root (dpkg -i, apt-get)" >&2; exit 2; }

if [ "${MEDDISSEG_VERIFY_REUSE:-0}" != 1 ]; then
  say "build"
  bash packaging/build.sh cpu
fi
DEB=$(ls dist/meddisseg-studio_*_amd64.deb)
TARBALL=$(ls dist/meddisseg-studio-*-linux-x86_64-cpu.tar.gz)

say "tools for the checks (Xvfb, xwd)"
if ! command -v Xvfb >/dev/null || ! command -v xwd >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends xvfb x11-apps
fi

rm -rf "$W" && mkdir -p "$W/tar"
say "install $DEB (dpkg -i, then its Depends from apt)"
if ! dpkg -i "$DEB" >"$W/dpkg.log" 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq --no-install-recommends >>"$W/dpkg.log" 2>&1
fi
if dpkg -s meddisseg-studio 2>/dev/null | grep -q "Status: install ok installed"; then
  pass ".deb installed: $(dpkg -s meddisseg-studio | grep ^Version)"
else
  fail ".deb did not install (see $W/dpkg.log)"; cat "$W/dpkg.log"; exit 1
fi
trap 'dpkg -r meddisseg-studio >/dev/null 2>&1 || true; [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null || true' EXIT
if [ -f /usr/share/applications/meddisseg-studio.desktop ] &&
  [ -f /usr/share/icons/hicolor/scalable/apps/meddisseg-studio.svg ] && [ -x /usr/bin/meddisseg ]; then
  pass "launchers, desktop entry and icon installed"
else fail "a launcher, the desktop entry or the icon is missing"; fi

say "unpack $TARBALL into an empty folder"
tar -xzf "$TARBALL" -C "$W/tar"

say "inputs: generated samples, a tiny model when no default model ships"
"$PY" resources/samples/make_samples.py "$W/samples" -n 4 >/dev/null
"$PY" resources/samples/make_samples.py "$W/train/images" -n 6 --truth "$W/train/masks" >/dev/null
echo '{"network": "tiny", "progress": false, "data": {"image_size": 32}}' >"$W/tiny-train.json"
WEIGHTS=()
if [ ! -f resources/models/default.safetensors ]; then
  "$PY" - "$W/tiny.safetensors" <<'EOF'
import sys
from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
from meddisseg_core.nn import NetworkConfig, build_network
config = NetworkConfig.tiny(1)
save_model(sys.argv[1], build_network(config), ModelMetadata(network=config, input=InputConvention(size=(64, 64)), name="verify-tiny"))
EOF
  WEIGHTS=(--weights "$W/tiny.safetensors")
fi

DISPLAY_NUM=:$((90 + RANDOM % 9))
Xvfb "$DISPLAY_NUM" -screen 0 1920x1200x24 -nolisten tcp >"$W/xvfb.log" 2>&1 &
XVFB_PID=$!
sleep 2
# No network for the app (a fresh network namespace has only a loopback that is down).
NONET=()
unshare -n true 2>/dev/null && NONET=(unshare -n)

check_install() {  # NAME DIRECTORY_OF_PROGRAMS
  local name=$1 bin=$2 home=$W/home-$1 out=$W/$1
  mkdir -p "$home" "$out"
  local clean=(env -i "PATH=$bin:/usr/sbin:/usr/bin:/sbin:/bin" "HOME=$home" "DISPLAY=$DISPLAY_NUM")
  say "[$name] --version"
  if "${NONET[@]}" "${clean[@]}" meddisseg-studio --version >"$out/version.txt" 2>&1 &&
    grep -q "^meddisseg-studio [0-9]" "$out/version.txt"; then
    pass "[$name] --version: $(cat "$out/version.txt")"
  else fail "[$name] --version: $(cat "$out/version.txt")"; fi

  say "[$name] --self-test (offscreen)"
  if "${NONET[@]}" "${clean[@]}" QT_QPA_PLATFORM=offscreen meddisseg-studio --self-test >"$out/selftest.txt" 2>&1; then
    pass "[$name] --self-test"
  else fail "[$name] --self-test"; fi
  sed 's/^/      /' "$out/selftest.txt"

  say "[$name] the real window under Xvfb on the samples"
  "${NONET[@]}" "${clean[@]}" meddisseg-studio "$W/samples" >"$out/window.log" 2>&1 &
  local app=$!
  if "$PY" packaging/screen.py wait-painted --display "$DISPLAY_NUM" --timeout 300 --pid "$app" --out "$out/window.png" \
    >"$out/screen.txt"; then
    pass "[$name] window: $(cat "$out/screen.txt") -> $out/window.png"
  else fail "[$name] window: $(cat "$out/screen.txt") (log: $out/window.log)"; fi
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  if ls "$home"/.local/state/meddisseg-studio/log/meddisseg-studio.log >/dev/null 2>&1; then
    pass "[$name] log file in the platformdirs folder ~/.local/state/meddisseg-studio/log"
  else fail "[$name] no log file under $home/.local/state/meddisseg-studio/log"; fi

  say "[$name] meddisseg predict through the bundled CLI"
  if "${NONET[@]}" "${clean[@]}" meddisseg predict "${WEIGHTS[@]}" --input "$W/samples" --output "$out/masks" \
    >"$out/predict.txt" 2>&1 && "$PY" - "$W/samples" "$out/masks" <<'EOF'
import sys
from pathlib import Path
from meddisseg_core.imageio import read_image, read_mask
images, masks = Path(sys.argv[1]), Path(sys.argv[2])
for image in sorted(images.glob("*.png")):
    mask = read_mask(masks / image.name, expected_shape=read_image(image).shape[:2])
    assert set(mask.ravel().tolist()) <= {0, 1}
print(len(list(masks.glob("*.png"))), "masks at the images' sizes")
EOF
  then pass "[$name] predict: $(ls "$out/masks" | wc -l) masks written at the images' sizes"
  else fail "[$name] predict (see $out/predict.txt)"; cat "$out/predict.txt"; fi

  say "[$name] meddisseg train, one epoch of a tiny network (the app runs training through this program)"
  if "${NONET[@]}" "${clean[@]}" meddisseg train --data "$W/train" --stage 1 --config "$W/tiny-train.json" \
    --epochs 1 --batch-size 2 --out "$out/run" >"$out/train.txt" 2>&1 && [ -f "$out/run/model.safetensors" ]; then
    pass "[$name] train: $(tail -1 "$out/train.txt")"
  else fail "[$name] train (see $out/train.txt)"; tail -20 "$out/train.txt"; fi
}

check_install deb /usr/bin
check_install tarball "$W/tar/meddisseg-studio"

say "sizes"
du -sh --apparent-size dist/meddisseg-studio "$DEB" "$TARBALL"
elapsed=$(($(date +%s) - start))
if [ "$failures" = 0 ]; then
  echo "verify: OK ($elapsed s)"
else
  echo "verify: $failures FAILED ($elapsed s)"
  exit 1
fi
