#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The second command of README.md's Quick start: on Debian 12 (root, or a
# user with sudo), install whatever is missing (the build packages of
# scripts/test.sh plus gnuplot-nox for the plots), configure build/ (once),
# build, and run the default A/B comparison of bench/zswap-ab: IAA
# (deflate-iaa) with compression batches of 1 and 8 against zstd, 64 KB
# folios, modelled timing, the built-in corpus. Prints the table and
# writes the plots to zswap-ab-plots/ (docs/benchmarks.md).
#
#   scripts/quickstart.sh                 the default comparison
#   scripts/quickstart.sh --reps 3 ...    extra options go to zswap-ab
#   BUILD_DIR=dir PLOT_DIR=dir scripts/quickstart.sh
#
# Works without a terminal (CI=true, stdin closed) like scripts/test.sh.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR=${BUILD_DIR:-build}
PLOT_DIR=${PLOT_DIR:-zswap-ab-plots}

log() { printf '== %s\n' "$*"; }

# The build's packages, through scripts/test.sh (which knows the list).
bash scripts/test.sh --deps-only

# gnuplot for the SVG and PNG plots: wanted, not required.
if ! command -v gnuplot >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
	log "installing gnuplot-nox for the plots"
	if [[ $(id -u) -eq 0 ]]; then
		sudo=()
	elif [[ -t 0 && -z ${CI:-} ]]; then
		sudo=(sudo)
	else
		sudo=(sudo -n)
	fi
	{ "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
	  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends gnuplot-nox; } ||
		log "could not install gnuplot-nox: the plots' data and scripts are still written"
fi

if [[ ! -f $BUILD_DIR/meson-private/coredata.dat ]]; then
	log "meson setup $BUILD_DIR"
	meson setup "$BUILD_DIR"
fi
log "ninja -C $BUILD_DIR bench/zswap-ab"
ninja -C "$BUILD_DIR" bench/zswap-ab

log "$BUILD_DIR/bench/zswap-ab --compressor deflate-iaa,zstd --batch 1,8 --folio 64k --plot $PLOT_DIR $*"
"$BUILD_DIR/bench/zswap-ab" --compressor deflate-iaa,zstd --batch 1,8 --folio 64k \
	--plot "$PLOT_DIR" "$@"
