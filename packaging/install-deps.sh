#!/usr/bin/env bash
# Installs what Touchstone needs to build, test and run on Debian 12 (bookworm).
# Idempotent: when every package is already there it prints nothing and exits 0.
set -euo pipefail

packages=(
    build-essential cmake pkg-config ninja-build
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev qt6-httpserver-dev qt6-websockets-dev
    qt6-tools-dev qt6-l10n-tools libgl-dev libqt6opengl6-dev libxkbcommon-dev
    libsqlite3-dev libcurl4-openssl-dev nlohmann-json3-dev libcmark-dev libdtl-dev
    libyaml-cpp-dev libexpected-dev qtkeychain-qt6-dev
    libprotobuf-dev protobuf-compiler libeigen3-dev zlib1g-dev json-schema-test-suite libsimdjson-dev
    qt6-qpa-plugins xvfb xauth imagemagick fonts-dejavu-core
)
# Optional extras for screenshots are cheap; the GUI itself needs only the Qt runtime above.

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
