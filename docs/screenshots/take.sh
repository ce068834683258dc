#!/usr/bin/env sh
# Saves a PNG of each main screen of the workstation into docs/screenshots/ (used in the README).
# Not part of CI: it builds a demo vault with the bundled embedding pack and a few notes, opens the real window
# headless (Monocle) and snapshots each screen. Run from anywhere:  docs/screenshots/take.sh
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
./mvnw -B -q test -pl app -am -Dtest=ScreenshotTour -Dsurefire.failIfNoSpecifiedTests=false \
    -Dscreenshots.dir="$root/docs/screenshots"
ls -l "$root"/docs/screenshots/*.png
