#!/usr/bin/env bash
# Run the README's two "From source" commands, as written, in a fresh Debian 12 (debootstrap, minbase)
# with only python3 and git installed: the first must open the app's window on X, the second (install
# the test tools, run the whole suite) must end with no failed test.
#
# Usage (root; needs debootstrap, Xvfb, xwd and a Debian mirror):
#   bash packaging/linux/fresh_debian_check.sh [CHROOT_DIR]      (default /srv/meddisseg-bookworm)
#   SHARED=DIR (default ../shared beside this checkout) is bind-mounted read-only beside the chroot's
#   checkout, as CI lays it. ONLY=run|tests runs one of the two commands.
# The chroot is kept for inspection; remove it with:
#   umount -R CHROOT_DIR/{proc,sys,dev,opt/*,root/shared,tmp/.X11-unix}.
#
# Where this machine's pip is configured for local wheels (find-links, extra indexes, a constraints file,
# a CA bundle for a proxy), the same configuration is bind-mounted into the chroot, so pip behaves
# there as it does here; elsewhere the chroot uses PyPI and PyTorch's index directly.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
C=${1:-/srv/meddisseg-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
PY=${PY:-$ROOT/build/venv-cpu/bin/python}  # runs the screenshot check on the host
SHARED=${SHARED:-$ROOT/../shared}
ONLY=${ONLY:-}
start=$(date +%s)
say() { echo "== [$(($(date +%s) - start)) s] $*"; }

if [ ! -x "$C/usr/bin/apt-get" ]; then
  say "debootstrap bookworm into $C"
  debootstrap --variant=minbase bookworm "$C" "$MIRROR" >/dev/null
fi
cp /etc/resolv.conf "$C/etc/resolv.conf"
printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
  "$MIRROR" "$MIRROR" >"$C/etc/apt/sources.list"
bind() {  # SOURCE TARGET [OPTIONS]: a folder, or a file (its target is made); kept from a last run
  [ -e "$C$2" ] && mountpoint -q "$C$2" && return 0
  if [ -d "$1" ]; then mkdir -p "$C$2"; else mkdir -p "$(dirname "$C$2")" && touch "$C$2"; fi
  mount --bind ${3:+-o "$3"} "$1" "$C$2"
}
mountpoint -q "$C/proc" || mount -t proc proc "$C/proc"
mountpoint -q "$C/sys" || mount -t sysfs sysfs "$C/sys"
bind /dev /dev
bind /dev/pts /dev/pts  # apt and the tests' pseudo-terminals
mkdir -p /tmp/.X11-unix && chmod 1777 /tmp/.X11-unix  # Xvfb makes it too, but only once it runs
bind /tmp/.X11-unix /tmp/.X11-unix

# This workplace's pip may be configured through the environment (local wheel folders): pass that on.
run() {
  chroot "$C" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb DEBIAN_FRONTEND=noninteractive \
    ${PIP_FIND_LINKS:+PIP_FIND_LINKS=$PIP_FIND_LINKS} ${PIP_INDEX_URL:+PIP_INDEX_URL=$PIP_INDEX_URL} "$@"
}
say "python3 and git only"
run sh -c 'apt-get update -qq && apt-get install -y -qq python3 git >/dev/null'

for d in /opt/wheels /opt/pypi /opt/pypi-more ${PIP_FIND_LINKS:-}; do [ -d "$d" ] && bind "$d" "$d" ro; done
[ -f /etc/pip.conf ] && cp /etc/pip.conf "$C/etc/pip.conf"
[ -d /etc/xdg/pip ] && mkdir -p "$C/etc/xdg/pip" && cp /etc/xdg/pip/* "$C/etc/xdg/pip/"
[ -f /root/.config/pip/pip.conf ] && mkdir -p "$C/root/.config/pip" && cp /root/.config/pip/pip.conf "$C/root/.config/pip/"
grep -qs "cert" /etc/pip.conf && bind /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt ro

say "a git checkout of HEAD (committed files) into /root/meddisseg-studio"
rm -rf "$C/root/meddisseg-studio" "$C/root/.venvs"
# A clone, as the README's reader has (some tests list the tracked files with git ls-files).
git clone -q --no-local --no-checkout "$ROOT" "$C/root/meddisseg-studio"
git -C "$C/root/meddisseg-studio" checkout -q --detach "$(git rev-parse HEAD)"
mkdir -p "$ROOT/build"  # the window's screenshot goes there
# The README's "From source" commands, taken from the README itself.
"$PY" - "$ROOT/README.md" "$C/root" <<'EOF'
import re, sys
from pathlib import Path
text = Path(sys.argv[1]).read_text(encoding="utf-8")
section = text[text.index("**From source**"):]
blocks = re.findall(r"```bash\n(.*?)\n```", section, re.S)
# The first installs and runs the app; the second installs the test tools and runs the tests.
for number, block in enumerate(blocks[:2], 1):
    Path(sys.argv[2], f"readme-{number}.sh").write_text("cd /root/meddisseg-studio\n" + block + "\n")
EOF
# ../shared beside the checkout, read-only (as CI lays it), for the second command.
[ -d "$SHARED/reference" ] || { echo "no $SHARED/reference: set SHARED=DIR (the tests need it)" >&2; exit 2; }
bind "$(cd "$SHARED" && pwd)" /root/shared ro
result=0
if [ "$ONLY" != tests ]; then
DISPLAY_NUM=:$((80 + RANDOM % 9))
Xvfb "$DISPLAY_NUM" -screen 0 1920x1200x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 2

say "README command 1 (install and run), as root, DISPLAY=$DISPLAY_NUM"
cat "$C/root/readme-1.sh"
run DISPLAY="$DISPLAY_NUM" bash /root/readme-1.sh >"$C/root/readme-1.log" 2>&1 &
app=$!
if "$PY" packaging/screen.py wait-painted --display "$DISPLAY_NUM" --timeout 1800 --pid "$app" \
  --out "$ROOT/build/fresh-debian-window.png"; then
  echo "PASS: the window opened in a fresh Debian 12 ($ROOT/build/fresh-debian-window.png)"
else
  result=1
  echo "FAIL: no window; the last lines of the run:"
  tail -20 "$C/root/readme-1.log"
fi
descendants() { local child; for child in $(ps -o pid= --ppid "$1"); do descendants "$child"; echo "$child"; done; }
kill $(descendants "$app") "$app" 2>/dev/null || true  # the app, started by the README's command
wait "$app" 2>/dev/null || true
fi

if [ "$ONLY" != run ]; then
  say "README command 2 (install the test tools, run the tests), as root; log: $C/root/readme-2.log"
  cat "$C/root/readme-2.sh"
  set +e
  run bash /root/readme-2.sh >"$C/root/readme-2.log" 2>&1
  status=$?
  set -e
  # pytest -q's closing line ("707 passed, 1 skipped in 1234.5s"), with or without "=" around it
  summary=$(grep -E "^(=+ )?[0-9]+ (passed|failed|errors?|skipped)(, [0-9]+ [a-z]+)* in [0-9.]+s" \
    "$C/root/readme-2.log" | tail -1)
  if [ "$status" = 0 ] && [ -n "$summary" ] && ! grep -qE "[0-9]+ (failed|error)" <<<"$summary"; then
    echo "PASS: the tests in a fresh Debian 12: $summary"
  else
    result=1
    echo "FAIL: the tests in a fresh Debian 12 (exit $status): ${summary:-no pytest summary}; failures:"
    grep -E "^(FAILED|ERROR) " "$C/root/readme-2.log" | head -30 || tail -30 "$C/root/readme-2.log"
  fi
fi
say "done"
exit $result
