#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The test command of README.md's Quick start; `scripts/test.sh --help`
# prints what it does, its arguments and its environment (usage below).
set -euo pipefail

usage() {
	cat <<'EOT'
usage: scripts/test.sh [--deps-only] [MESON_OPTION...]
       scripts/test.sh --help

The test command of README.md's Quick start. On Debian 12 (as root, or as a
user with sudo): install whichever build and test packages are missing,
configure the build directory with -Dknown_races=true, build, and run the
default test suites (meson test --print-errorlogs), the known-races suite
among them. Exits non-zero when a package cannot be installed, the build
fails or a test fails.

  --deps-only      only install the missing packages (scripts/quickstart.sh
                   uses it), then exit
  -h, --help       this text
  MESON_OPTION...  extra meson options, e.g. -Dlockdep=false: a new build
                   directory is set up with -Dknown_races=true and them (so
                   they win); an existing one gets them through meson
                   configure, after -Dknown_races=true if it lacks that (a
                   build directory scripts/quickstart.sh set up does), so
                   the run does not depend on which script configured it

Environment:
  BUILD_DIR   the build directory (default: build, in the repository root)
  CI          when set, or when stdin is not a terminal, sudo never prompts
              (sudo -n); apt-get always runs non-interactively
EOT
}

# Debian packages the build and the test suites need. libc6-dev is listed
# because gcc only recommends it.
PACKAGES=(gcc libc6-dev meson ninja-build pkg-config
	  liburcu-dev libjemalloc-dev libzstd-dev liblz4-dev libisal-dev zlib1g-dev
	  python3
	  libcmocka-dev)

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR=${BUILD_DIR:-build}

for arg in "$@"; do
	if [[ $arg == -h || $arg == --help ]]; then
		usage
		exit 0
	fi
done
deps_only=false
if [[ ${1:-} == --deps-only ]]; then
	deps_only=true
	shift
fi

log() { printf '== %s\n' "$*"; }

# Run a command as root: directly when we are root, through sudo otherwise
# (never prompting when there is no terminal to prompt on).
as_root() {
	if [[ $(id -u) -eq 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		if [[ -t 0 && -z ${CI:-} ]]; then
			sudo "$@"
		else
			sudo -n "$@"
		fi
	else
		echo "scripts/test.sh: need root or sudo to run: $*" >&2
		return 1
	fi
}

install_missing() {
	local missing=() p status

	if ! command -v dpkg-query >/dev/null 2>&1; then
		log "not a Debian system: not installing packages (need: ${PACKAGES[*]})"
		return 0
	fi
	for p in "${PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[[ $status == installed ]] || missing+=("$p")
	done
	if [[ ${#missing[@]} -eq 0 ]]; then
		log "all required Debian packages are installed"
		return 0
	fi
	log "installing missing Debian packages: ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_missing
$deps_only && exit 0

# The value of meson option $1 in the configured $BUILD_DIR ("True",
# "False", ...; empty when meson cannot tell).
option_value() {
	meson introspect "$BUILD_DIR" --buildoptions | python3 -c '
import json, sys
print(next((o["value"] for o in json.load(sys.stdin) if o["name"] == sys.argv[1]), ""))
' "$1"
}

if [[ -f $BUILD_DIR/meson-private/coredata.dat ]]; then
	# Already configured: ninja re-runs meson itself when a meson.build
	# changed. The known-race corpus if it is not on (a build directory of
	# scripts/quickstart.sh's), then the extra options, go to meson
	# configure; a later -Dknown_races=false in them wins.
	options=()
	if [[ $(option_value known_races || true) != True ]]; then
		options=(-Dknown_races=true)
	fi
	options+=("$@")
	if [[ ${#options[@]} -gt 0 ]]; then
		log "meson configure $BUILD_DIR ${options[*]}"
		meson configure "$BUILD_DIR" "${options[@]}"
	fi
else
	# The known-race corpus (suite known-races) is part of the default run;
	# a later -Dknown_races=false in the arguments wins.
	log "meson setup $BUILD_DIR -Dknown_races=true $*"
	meson setup "$BUILD_DIR" -Dknown_races=true "$@"
fi

log "ninja -C $BUILD_DIR"
ninja -C "$BUILD_DIR"

log "meson test -C $BUILD_DIR --print-errorlogs"
meson test -C "$BUILD_DIR" --print-errorlogs
