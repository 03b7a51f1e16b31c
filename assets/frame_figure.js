// The figure of one half-step, built in the browser from the template (the server's
// last figure) and the history's frames, for assets/history_player.js, which
// pages/shared/history_player.py puts after this file (one module: stepAt, colorsAt and
// the player's state are that file's).

// The server's marks of its own half-step, left out of every frame.
const SKIPPED_ROLES = new Set(["changed", "ghost", "moved", "density"]);

// A lattice code (gmm/figures/history_frames.py: color_codes) as [r, g, b], 0-255.
function latticeRgb(code, { levels, color_step: colorStep }) {
  const channel = (level) => Math.min(255, level * colorStep);
  return [Math.floor(code / (levels * levels)), Math.floor(code / levels) % levels, code % levels]
    .map(channel);
}

// The image mode's picture for one set of colour codes (one per non-empty pixel of
// `mask`: assets/live_plotly_chart.js imageMask), as the server's gmm/figures/raster.py
// rgba_image draws it: the lattice colour, the pixel's own opacity, on a canvas of one
// pixel per cell (row 0 first: the lowest y). Made once per E-step and kept while its
// codes (its block) live.
function pictureOf(mask, codes, manifest) {
  const offsets = mask.pictures.get(codes.buffer) || new Map();
  mask.pictures.set(codes.buffer, offsets);
  if (offsets.has(codes.byteOffset)) return offsets.get(codes.byteOffset);
  const canvas = document.createElement("canvas");
  canvas.width = mask.cols;
  canvas.height = mask.rows;
  const context = canvas.getContext("2d");
  const image = context.createImageData(mask.cols, mask.rows);
  for (let j = 0; j < mask.occupied.length; j++) {
    const rgb = latticeRgb(codes[j], manifest), at = 4 * mask.occupied[j];
    image.data[at] = rgb[0];
    image.data[at + 1] = rgb[1];
    image.data[at + 2] = rgb[2];
    image.data[at + 3] = mask.alpha[j];
  }
  context.putImageData(image, 0, 0);
  offsets.set(codes.byteOffset, canvas);
  return canvas;
}

// Lattice codes to Plotly's index + colorscale (a 3-D frame Plotly draws: the fallback).
function pointColors(codes, manifest) {
  const distinct = Array.from(new Set(codes)).sort((a, b) => a - b);
  if (distinct.length === 1) distinct.push(distinct[0]);
  const rank = new Map(distinct.map((c, r) => [c, r]));
  const index = new Uint16Array(codes.length);
  for (let p = 0; p < codes.length; p++) index[p] = rank.get(codes[p]);
  const stops = distinct.map((c, r) => [r / (distinct.length - 1), `rgb(${latticeRgb(c, manifest).join(",")})`]);
  return { index, stops, cmax: distinct.length - 1 };
}

// ------------------------------------------------------------------ the chart
const roleOf = (trace) => (trace.meta && trace.meta.role) || null;

// The rings round the drawn points (places `rows`) whose component changed.
function rings(H, points, rows) {
  const ring = Object.assign({}, H.manifest.ring);
  for (const axis of ["x", "y", "z"]) {
    if (!points[axis] || (axis === "z" && H.manifest.dim !== 3)) continue;
    ring[axis] = Array.from(rows, (r) => points[axis][r]);
  }
  ring.meta = { role: "changed", n_changed: rows.length };
  return ring;
}

// Component k's numbers at half-step `at` (its parameter set's row in the block's
// factors: 6 per component in 2-D, mean, variance and weight in 1-D).
function factorsOf(H, at, k) {
  const K = H.manifest.n_components, width = H.manifest.dim === 2 ? 6 : 3;
  const row = at.step.param * K + k;
  return at.block.arrays.factors.subarray(row * width, (row + 1) * width);
}

// After an M-step in 2-D: the previous outlines, dashed, and arrows to the new means.
function ghosts(H, before, after) {
  const g = H.manifest.ghost, recipe = H.manifest.outline, traces = [], arrows = [];
  g.colors.forEach((color, k) => {
    const old = factorsOf(H, before, k), x = [], y = [];
    for (const level of recipe.levels) {
      const drawn = GmmFrames.outline(old, { radius: level.radius, dashes: g.dashes, drawn: g.drawn }, recipe, null);
      x.push(...drawn.x, NaN);
      y.push(...drawn.y, NaN);
    }
    traces.push({ type: "scattergl", x, y, name: `component ${k + 1} before`,
      meta: { role: "ghost", component: k }, mode: "lines", line: { color, width: 1.5 },
      opacity: g.opacity, connectgaps: false, hoverinfo: "skip", showlegend: false });
    const now = factorsOf(H, after, k);
    if (Math.abs(now[0] - old[0]) > g.min_move[0] || Math.abs(now[1] - old[1]) > g.min_move[1]) {
      arrows.push(arrow(old, now, k, color));
    }
  });
  return { traces, arrows };
}

// An arrow from `old` to `now` (x, y), as gmm/figures/changes.py's _arrow draws it.
const arrow = (old, now, k, color) => ({ x: now[0], y: now[1], ax: old[0], ay: old[1],
  xref: "x", yref: "y", axref: "x", ayref: "y", text: "", showarrow: true, arrowhead: 2,
  arrowsize: 1.3, arrowwidth: 2.5, standoff: 9, arrowcolor: color, opacity: 0.9,
  name: `moved ${k + 1}` });

// After an M-step in 1-D: the previous curves π_k N_k(x), dotted, and an arrow from each
// old peak to the new one (gmm/figures/changes.py's ghosts_1d), in the frame's `layout`.
function ghosts1d(H, before, after, layout) {
  const g = H.manifest.ghost, top = layout.yaxis.range[1];
  const [left, right] = layout.xaxis.range, traces = [], arrows = [];
  const curves = before.block.drawer.components(before.step.param).filter((t) => roleOf(t) === "density");
  const peak = (at, k) => { // (mean, height of the peak under the top) of component k
    const f = factorsOf(H, at, k);
    return [f[0], Math.min(f[2] / Math.sqrt(2 * Math.PI * f[1]), top)];
  };
  curves.forEach((curve, k) => {
    const color = g.colors[k];
    traces.push({ type: "scatter", x: curve.x, y: Array.from(curve.y, (v) => Math.min(v, top)),
      name: `component ${k + 1} before`, meta: { role: "ghost", component: k }, mode: "lines",
      line: { color, width: 2.5, dash: "dot" }, opacity: g.opacity, hoverinfo: "skip", showlegend: false });
    const old = peak(before, k), now = peak(after, k);
    if (Math.abs(now[0] - old[0]) > g.min_share * (right - left) || Math.abs(now[1] - old[1]) > g.min_share * top) {
      arrows.push(arrow(old, now, k, color));
    }
  });
  return { traces, arrows };
}

// Whether half-step frames go on the overlay canvas (assets/frame_canvas.js): the 2-D
// view wholly; the 1-D view wholly while its density axis stays, else Plotly draws the
// frame's curves and brackets (SVG) and the canvas its rug (a WebGL rug of 10,000 points
// costs Plotly about 300 ms a redraw in software WebGL); the 3-D view wholly, over
// Plotly's axes (assets/frame_canvas_3d.js).
const onCanvas = (H) => H.manifest && H.manifest.dim === 2 && Boolean(window.GmmCanvas);
const rugOnCanvas = (H) => H.manifest && H.manifest.dim === 1 && Boolean(window.GmmCanvas);
const sceneOnCanvas = (H) => H.manifest && H.manifest.dim === 3 && Boolean(window.GmmCanvas3d)
  && Boolean(window.__gmmCharts && window.__gmmCharts.scatter)
  && window.GmmCanvas3d.usable(window.__gmmCharts.scatter.gd);

// The points trace of a frame: the overlay paints `codes` itself; Plotly gets an index
// and a colorscale, one trace object per colour frame (an M-step reuses its E-step's,
// and Plotly.react skips what has not changed).
function pointsTrace(H, template, served, codes) {
  const points = template.points, h = template.history;
  if (onCanvas(H) || rugOnCanvas(H) || sceneOnCanvas(H)) {
    return Object.assign({}, served, { x: points.x, y: points.y, z: points.z, codes, customdata: undefined });
  }
  const cache = template.pointTraces || (template.pointTraces = new Map());
  if (!cache.has(codes)) {
    const colors = pointColors(codes, H.manifest);
    const trace = Object.assign({}, served, {
      x: points.x, y: points.y, customdata: undefined, hovertemplate: h.hover,
      marker: Object.assign({}, served.marker, {
        color: colors.index, colorscale: colors.stops, cmin: 0, cmax: Math.max(colors.cmax, 1),
      }),
    });
    if (points.z) trace.z = points.z;
    if (cache.size > 16) cache.delete(cache.keys().next().value);
    cache.set(codes, trace);
  }
  return cache.get(codes);
}

// The rug as Plotly draws it under the canvas's: one point at NaN, so that its legend
// entry stays (Plotly hides a trace with no points, legend and all), in the colour of
// the served rug's first point, which its legend symbol shows.
function emptied(rug) {
  const colors = GmmCanvas.decoded(rug.marker.color); // an index per point, or one colour
  const color = colors && typeof colors === "object" && colors.length ? [colors[0]] : colors;
  return Object.assign({}, rug, { x: [NaN], y: [NaN], codes: undefined, customdata: undefined,
    marker: Object.assign({}, rug.marker, { color }) });
}

// Half-step i drawn from the template (the server's last figure) and the frames.
function frameFigure(H, template, i) {
  const at = stepAt(H, i), codes = colorsAt(H, i);
  if (!at || !codes) return null;
  const { figure, history: h } = template;
  const data = figure.data.slice();
  const pointsAt = data.findIndex((t) => roleOf(t) === "points");
  const points = pointsAt >= 0 ? template.points : null;
  const imageAt = data.findIndex((t) => roleOf(t) === "image");
  if (imageAt >= 0) { // the image mode: codes per non-empty pixel, trace 0 its markers
    const mask = template.image;
    if (!mask || codes.length !== mask.occupied.length) return null;
    const picture = pictureOf(mask, codes, H.manifest);
    data[imageAt] = Object.assign({}, data[imageAt], onCanvas(H) ? { picture }
      : { source: picture.__gmmSource || (picture.__gmmSource = picture.toDataURL("image/png")) });
    if (pointsAt >= 0) { // transparent markers: Plotly's own stay for the hover
      data[pointsAt] = Object.assign({}, data[pointsAt], onCanvas(H) ? { visible: false } : { hovertemplate: h.hover });
    }
  } else if (points && codes.length === points.n) {
    data[pointsAt] = pointsTrace(H, template, data[pointsAt], codes);
  }
  const served = pointsAt >= 0 ? figure.data[pointsAt] : null; // SVG or WebGL: marks match
  const drawn = GmmFrames.matching(at.block.drawer.components(at.step.param), served);
  // The server's marks of its own half-step go (not the frame's traces: 1-D's "density"
  // is a component's curve, 2-D's the log-density overlay).
  const kept = (t) => !SKIPPED_ROLES.has(roleOf(t));
  const traces = [...data.slice(0, h.drawn[0]).filter(kept), ...drawn, ...data.slice(h.drawn[1]).filter(kept)];
  const layout = Object.assign({}, figure.layout);
  let annotations = (layout.annotations || []).filter((a) => !String(a.name || "").startsWith("moved "));
  annotations = annotations.map((a) => (a.name === "banner" ? Object.assign({}, a, { text: at.step.banner }) : a));
  if (at.block.manifest.axes) {
    layout.yaxis = Object.assign({}, layout.yaxis, at.block.manifest.axes[at.step.param]);
  }
  if (H.showChanges && i > 0) {
    if (at.step.changed && points) {
      const [offset, count] = at.step.changed;
      traces.push(...GmmFrames.matching([rings(H, points, at.block.arrays.changed.subarray(offset, offset + count))], served));
    } else if (at.step.phase === "M" && H.manifest.dim < 3) {
      const before = stepAt(H, i - 1);
      if (before) {
        const marks = H.manifest.dim === 2 ? ghosts(H, before, at) : ghosts1d(H, before, at, layout);
        traces.push(...GmmFrames.matching(marks.traces, served));
        annotations = annotations.concat(marks.arrows);
      }
    }
  }
  layout.annotations = annotations;
  return { data: traces, layout };
}
