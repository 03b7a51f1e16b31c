// Builds assets/vendor/plotly-partial-<version>.min.js: plotly.js with only the trace
// types the app's 1-D and 2-D charts draw, and assets/vendor/plotly-partial.json, which
// says what is in it. Run by build.sh (npm ci, then this) with the versions pinned in
// package-lock.json; the built file is committed, so the app and CI never run it.
//
// esbuild's options follow plotly.js's own esbuild-config.js for v4.1.1 (the glsl and
// environment plugins, stream-browserify, global as window, es2016), with minify on, as
// in plotly.min.js. One difference: the map module's style sheet, which plotly's
// registry requires only when a map trace is registered (none is here), becomes an empty
// module instead of inlined CSS, whose id would hash this folder's absolute path and
// make the build differ from one checkout to another.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";
import { environmentPlugin } from "esbuild-plugin-environment";
import { glsl } from "esbuild-plugin-glsl";

const here = path.dirname(fileURLToPath(import.meta.url));
const vendor = path.resolve(here, "..");
const require = createRequire(import.meta.url);

// The trace types of every 1-D and 2-D chart the app draws with its live chart
// (tests/figures/test_plotly_partial.py checks that the figures need no other).
// scatter3d, mesh3d and surface are left to the full bundle.
const TRACES = ["scatter", "scattergl", "bar", "box", "heatmap", "contour", "image"];

// The map module's style sheet, never used without map traces: an empty module.
const noMapStyles = {
  name: "no-map-styles",
  setup(build) {
    build.onResolve({ filter: /maplibre-gl\.css$/ }, (args) => ({ path: args.path, namespace: "empty" }));
    build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
  },
};

const plotlyPackage = JSON.parse(readFileSync(require.resolve("plotly.js/package.json"), "utf8"));
const version = plotlyPackage.version;
const esbuildVersion = JSON.parse(readFileSync(require.resolve("esbuild/package.json"), "utf8")).version;

const entry = [
  "'use strict';",
  "var Plotly = require('plotly.js/lib/core');",
  "Plotly.register([",
  ...TRACES.map((name) => `    require('plotly.js/lib/${name}'),`),
  "]);",
  "module.exports = Plotly;",
].join("\n");

const banner = [
  "/**",
  `* plotly.js v${version} (partial bundle: ${TRACES.join(", ")})`,
  "* Copyright 2012-2026, Plotly, Inc.",
  "* All rights reserved.",
  "* Licensed under the MIT license",
  "*",
  `* Built from the npm package plotly.js@${version} with esbuild ${esbuildVersion} by`,
  "* assets/vendor/build/build.sh in the GMM Explorer repository.",
  "*/",
].join("\n");

const outfile = path.join(vendor, `plotly-partial-${version}.min.js`);
await esbuild.build({
  stdin: { contents: entry, resolveDir: here, sourcefile: "plotly-partial-entry.js" },
  outfile,
  format: "iife",
  globalName: "Plotly",
  bundle: true,
  minify: true,
  sourcemap: false,
  legalComments: "eof",
  banner: { js: banner },
  plugins: [noMapStyles, glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
  alias: { stream: "stream-browserify" },
  define: { global: "window" },
  target: "es2016",
  logLevel: "info",
});

const manifest = {
  file: path.basename(outfile),
  plotly_js_version: version,
  traces: TRACES,
  built_with: { esbuild: esbuildVersion },
};
writeFileSync(path.join(vendor, "plotly-partial.json"), `${JSON.stringify(manifest, null, 2)}\n`);
