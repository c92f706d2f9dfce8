#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The test command of README.md's Quick start: on Debian 12 (root, or a user
# with sudo), install whatever build and test packages are missing,
# configure build/ (once), build, and run the default test suites.
#
#   scripts/test.sh                      everything, in ./build
#   scripts/test.sh --deps-only          only install missing packages
#   BUILD_DIR=dir scripts/test.sh        another build directory
#   scripts/test.sh -Dlockdep=false      extra options for a NEW build dir
#                                        (which gets -Dknown_races=true first)
#
# Exits non-zero when a package cannot be installed, the build fails or a
# test fails. Works without a terminal (CI=true, stdin closed): apt runs
# non-interactively and sudo never prompts then.
set -euo pipefail

# Debian packages the build and the test suites need. libc6-dev is listed
# because gcc only recommends it.
PACKAGES=(gcc libc6-dev meson ninja-build pkg-config
	  liburcu-dev libjemalloc-dev libzstd-dev liblz4-dev libisal-dev zlib1g-dev
	  python3
	  libcmocka-dev)

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR=${BUILD_DIR:-build}

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

if [[ -f $BUILD_DIR/meson-private/coredata.dat ]]; then
	# Already configured: ninja re-runs meson itself when a meson.build
	# changed. Extra options go to meson configure.
	if [[ $# -gt 0 ]]; then
		log "meson configure $BUILD_DIR $*"
		meson configure "$BUILD_DIR" "$@"
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
