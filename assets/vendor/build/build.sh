#!/bin/sh
# Rebuilds assets/vendor/plotly-partial-<version>.min.js and plotly-partial.json from the
# npm packages pinned in package-lock.json (plotly.js, esbuild and plotly's own esbuild
# plugins). Needs node >= 20 and the npm registry; the app and CI never run it: the
# built file is committed. See assets/vendor/README.md.
set -eu
cd "$(dirname "$0")"
npm ci --ignore-scripts --no-audit --no-fund
node build.mjs
