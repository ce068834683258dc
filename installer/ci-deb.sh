#!/usr/bin/env bash
# Builds the .deb, installs it on this machine, checks the installed copy and removes it again (issue 14).
#   installer/ci-deb.sh          build, install, smoke-test with the network cut, doctor, upgrade, remove
# Needs root (dpkg -i) on a Debian-family system; installs fakeroot and dpkg-dev with apt-get when missing.
# Uses a throwaway SOVEREIGN_HOME; your own data directory is never touched. Prints one line per step.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
step() { printf '\n== %s\n' "$*"; }
started=$(date +%s)

if [ "$(id -u)" != 0 ]; then
    echo "installer/ci-deb.sh installs a package, so it runs as root (CI does)." >&2
    exit 2
fi
if ! command -v fakeroot >/dev/null || ! command -v dpkg-deb >/dev/null || ! command -v dpkg-shlibdeps >/dev/null; then
    step "Installing the packaging tools (fakeroot, dpkg-dev)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fakeroot dpkg-dev >/dev/null
fi
installed() { dpkg-query -W -f '${Status}' sovereign 2>/dev/null | grep -q 'ok installed'; }
if installed; then
    echo "A sovereign package is installed already; remove it first (dpkg -r sovereign)." >&2
    exit 2
fi

step "Building the .deb (./mvnw -Pinstaller,deb -DskipTests package)"
./mvnw -B -ntp -q -Pinstaller,deb -DskipTests package -pl installer -am
deb=$(ls installer/target/image/sovereign_*_amd64.deb)
version=$(dpkg-deb -f "$deb" Version)
echo "Built $deb ($(du -m "$deb" | cut -f1) MB, version $version)"
deb_mb=$(( $(stat -c %s "$deb") / 1048576 ))
if [ "$deb_mb" -gt 120 ]; then
    echo "The .deb is $deb_mb MB, over the 120 MB target." >&2
    exit 1
fi

work=$(mktemp -d)
cleanup() {
    dpkg --purge sovereign >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
export SOVEREIGN_HOME="$work/home"
export SOVEREIGN_PASSPHRASE="ci deb check passphrase"

install_deb() {
    if ! dpkg -i "$1" >"$work/dpkg.log" 2>&1; then
        # libraries the desktop needs (GTK, ALSA, ...) come from the system: fetch the missing ones
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -f >/dev/null
        installed || { cat "$work/dpkg.log" >&2; exit 1; }
    fi
}

step "Installing it (dpkg -i)"
install_deb "$deb"
command -v sovereign
if [ -d /etc/xdg/menus ]; then
    test -f /usr/share/applications/sovereign-sovereign.desktop
else
    echo "(no desktop menu system on this machine, so no menu entry was added)"
fi
sovereign --version

step "Smoke test of the installed copy with no network at all (unshare -n), the window on a virtual display"
if ! command -v xvfb-run >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth >/dev/null
fi
unshare -n xvfb-run -a sovereign --smoke-test | tee "$work/smoke.log"
grep -q "Opened and closed the main window" "$work/smoke.log"

step "sovereign doctor"
sovereign doctor

step "A vault made by version $version"
sovereign vault init --argon2-memory-mib 64 --argon2-iterations 1 --no-default-pack
test -f "$SOVEREIGN_HOME/vault.db"

step "Upgrade: the same build as a later version, installed over it; the vault still unlocks"
next="${version%%-*}"
next="${next%.*}.$(( ${next##*.} + 1 ))-1"
# the same files under the next version number, repacked (fast gzip): what an upgrade does to the installed files
# and scripts is what this checks
dpkg-deb -R "$deb" "$work/next"
sed -i "s/^Version: .*/Version: $next/" "$work/next/DEBIAN/control"
mkdir -p "$work/next-deb"
dpkg-deb -Zgzip -z1 --root-owner-group -b "$work/next" "$work/next-deb/sovereign_${next}_amd64.deb" >/dev/null
install_deb "$(ls "$work"/next-deb/sovereign_*.deb)"
test "$(dpkg-query -W -f '${Version}' sovereign)" = "$next"
sovereign audit verify --unlock

step "Removing it (dpkg -r): the program goes, the data stays"
dpkg -r sovereign >/dev/null
! command -v sovereign >/dev/null
test ! -e /opt/sovereign
test -f "$SOVEREIGN_HOME/vault.db"
echo "The vault is still there: $SOVEREIGN_HOME/vault.db"

echo
echo "The .deb checks passed in $(( $(date +%s) - started )) s."
