// Drawing EM's half-steps from compact frames, shared by the standalone animation
// (gmm/figures/standalone.js) and the Explore page's history player
// (assets/history_player.js): each component's outlines (2-D), curves and intervals
// (1-D) or ellipsoids (3-D) from its mean and square-root factor, exactly as the
// Python figure builders draw them (the browser tests compare the two).
//
// GmmFrames.unpack(buffer) reads a block of gmm/figures/packing.py.
// GmmFrames.drawer(manifest, arrays) takes the numbers of some sets of parameters:
//   manifest: dim, n_components, drawn [start, stop), styles (per trace of set 0),
//             style_changes (per later set), and the view's recipe: outline (2-D),
//             curve and axes (1-D) or mesh (3-D);
//   arrays:   factors (per set and component), labels (2-D: per set and trace).
// and returns {components(set)}: the traces that replace figure.data[start:stop].
(function (root) {
  "use strict";
  if (root.GmmFrames) return;
  const TYPED = {
    uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array,
    float32: Float32Array, float64: Float64Array,
  };

  // A block of gmm/figures/packing.py, uncompressed: {script, manifest, arrays}.
  function unpack(buffer) {
    const view = new DataView(buffer);
    const scriptLength = view.getUint32(0, true);
    const manifestLength = view.getUint32(4 + scriptLength, true);
    const utf8 = new TextDecoder("utf-8");
    const script = utf8.decode(new Uint8Array(buffer, 4, scriptLength));
    const manifest = JSON.parse(
      utf8.decode(new Uint8Array(buffer, 8 + scriptLength, manifestLength)));
    const start = 8 + scriptLength + manifestLength;
    const arrays = {};
    for (const [name, spec] of Object.entries(manifest.arrays)) {
      const Typed = TYPED[spec.dtype];
      if (!spec.shuffled) {
        arrays[name] = new Typed(buffer, start + spec.offset, spec.length);
        continue;
      }
      // Byte-shuffled: all first bytes, then all second bytes, ... (packing.py).
      const size = Typed.BYTES_PER_ELEMENT, n = spec.length;
      const planes = new Uint8Array(buffer, start + spec.offset, n * size);
      const bytes = new Uint8Array(n * size);
      for (let b = 0; b < size; b++) {
        for (let i = 0, from = b * n; i < n; i++) bytes[i * size + b] = planes[from + i];
      }
      arrays[name] = new Typed(bytes.buffer);
    }
    return { script, manifest, arrays };
  }


  // np.interp(where, xp, fp) for increasing `where`, as NumPy computes it.
  function interp(where, xp, fp) {
    const out = new Float64Array(where.length), last = xp.length - 1;
    let j = 0;
    for (let i = 0; i < where.length; i++) {
      const x = where[i];
      if (x >= xp[last]) { out[i] = fp[last]; continue; }
      if (x < xp[0]) { out[i] = fp[0]; continue; }
      while (j < last - 1 && xp[j + 1] <= x) j++;
      const slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
      let y = slope * (x - xp[j]) + fp[j];
      if (Number.isNaN(y)) {
        y = slope * (x - xp[j + 1]) + fp[j + 1];
        if (Number.isNaN(y) && fp[j] === fp[j + 1]) y = fp[j];
      }
      out[i] = y;
    }
    return out;
  }

  // One component's outline at one mass level, as gmm/figures/components_2d.py draws it:
  // mean + radius · A u on the closed unit circle, cut into dashes evenly in arc length
  // (each dash `perDash` points, then a gap), and the mass label's point after a gap.
  function outline(f, level, recipe, label) {
    const n = recipe.points, r = level.radius, step = (2 * Math.PI) / (n - 1);
    const px = new Float64Array(n), py = new Float64Array(n);
    for (let i = 0; i < n - 1; i++) {
      const c = Math.cos(i * step), s = Math.sin(i * step);
      px[i] = f[0] + r * (f[2] * c + f[3] * s);
      py[i] = f[1] + r * (f[4] * c + f[5] * s);
    }
    px[n - 1] = px[0];
    py[n - 1] = py[0];
    const arc = new Float64Array(n);
    for (let i = 1; i < n; i++) {
      const dx = px[i] - px[i - 1], dy = py[i] - py[i - 1];
      arc[i] = arc[i - 1] + Math.sqrt(dx * dx + dy * dy);
    }
    let x = Array.from(px), y = Array.from(py);
    if (level.dashes > 0 && arc[n - 1] !== 0) {
      const per = recipe.per_dash, period = arc[n - 1] / level.dashes;
      const where = [];
      for (let d = 0; d < level.dashes; d++) {
        for (let k = 0; k < per; k++) {
          const within = k === per - 1 ? level.drawn : k * (level.drawn / (per - 1));
          where.push((d + within) * period);
        }
      }
      const wx = interp(where, arc, px), wy = interp(where, arc, py);
      x = []; y = [];
      for (let d = 0; d < level.dashes; d++) {
        for (let k = 0; k < per; k++) { x.push(wx[d * per + k]); y.push(wy[d * per + k]); }
        x.push(NaN); y.push(NaN);
      }
    }
    if (label) { x.push(NaN, label[0]); y.push(NaN, label[1]); }
    return { x, y };
  }

  // np.linspace(start, stop, n), as NumPy computes it: i · step + start, then stop.
  function linspace(start, stop, n) {
    const out = new Float64Array(n), step = (stop - start) / (n - 1);
    for (let i = 0; i < n; i++) out[i] = i * step + start;
    out[n - 1] = stop;
    return out;
  }

  // gmm/figures/components_1d.py's density_grid: the padded data range, and μ_k ± 8 σ_k
  // for each component, sorted without repeats (np.unique).
  function densityGrid(recipe, means, sds) {
    const [lo, hi, n] = recipe.grid, [width, p] = recipe.local;
    const values = Array.from(linspace(lo, hi, n));
    const local = linspace(-width, width, p);
    means.forEach((m, k) => { for (const u of local) values.push(m + sds[k] * u); });
    values.sort((a, b) => a - b);
    return Float64Array.from(values.filter((v, i) => i === 0 || v !== values[i - 1]));
  }

  // The colorscale that puts colour table[i] exactly at value i.
  function colorscale(table) {
    const m = table.length / 3;
    const stops = [];
    for (let i = 0; i < m; i++) {
      const rgb = `rgb(${table[3 * i]},${table[3 * i + 1]},${table[3 * i + 2]})`;
      stops.push([m > 1 ? i / (m - 1) : 0, rgb]);
    }
    return stops;
  }

  function drawer(manifest, arrays) {
    const nComponents = manifest.n_components;
    const nTraces = manifest.drawn[1] - manifest.drawn[0];
    const geometryCache = new Map();

    // The style of redrawn trace t in a set: the first set's, with the set's changes.
    function styleOf(set, t) {
      const style = Object.assign({}, manifest.styles[t]);
      if (set > 0) {
        for (const [key, value] of Object.entries(manifest.style_changes[set - 1][t])) {
          if (value === null) delete style[key]; else style[key] = value;
        }
      }
      return style;
    }

    // The traces of one set of parameters: per component its outlines, then its mean.
    function outlines(set) {
      const recipe = manifest.outline, levels = recipe.levels, out = [];
      for (let k = 0; k < nComponents; k++) {
        const f = arrays.factors.subarray((set * nComponents + k) * 6, (set * nComponents + k + 1) * 6);
        for (let t = k * (levels.length + 1), j = 0; j <= levels.length; j++, t++) {
          const style = styleOf(set, t);
          const at = (set * nTraces + t) * 2;
          const place = Number.isNaN(arrays.labels[at]) ? null : [arrays.labels[at], arrays.labels[at + 1]];
          const drawn = j < levels.length ? outline(f, levels[j], recipe, place) : { x: [f[0]], y: [f[1]] };
          const trace = Object.assign({}, style, drawn);
          if (style.label !== undefined) {
            trace.text = new Array(drawn.x.length).fill("");
            trace.text[drawn.x.length - 1] = style.label;
            delete trace.label;
          }
          out.push(trace);
        }
      }
      return out;
    }

    // The traces of one set of parameters in 1-D, as gmm/figures/view_1d.py draws them:
    // the stacked shares, each π_k N(x | μ_k, σ_k²), the mixture, then per component its
    // interval brackets and its mean, all from (μ_k, σ_k², π_k) on density_grid's grid.
    function curves1d(set) {
      const recipe = manifest.curve, top = manifest.axes[set].range[1];
      const means = [], vars = [], weights = [], sds = [];
      for (let k = 0; k < nComponents; k++) {
        const at = (set * nComponents + k) * 3;
        means.push(arrays.factors[at]);
        vars.push(Math.max(arrays.factors[at + 1], recipe.floor));
        weights.push(arrays.factors[at + 2]);
        sds.push(Math.sqrt(vars[k]));
      }
      const grid = densityGrid(recipe, means, sds);
      const root = Math.sqrt(2.0 * Math.PI);
      const weighted = means.map((m, k) => grid.map((g) => {
        const z = (g - m) / sds[k];
        return weights[k] * (Math.exp(-0.5 * (z * z)) / (sds[k] * root));
      }));
      const mixture = new Float64Array(grid.length);
      for (const curve of weighted) for (let g = 0; g < grid.length; g++) mixture[g] += curve[g];
      const drawn = [];
      for (let k = 0; k < nComponents; k++) {  // the shares, with γ_k(x) for the hover
        const gamma = weighted[k].map((v, g) => (mixture[g] > 0 ? v / mixture[g] : NaN));
        drawn.push({ x: grid, y: weighted[k], customdata: Float32Array.from(gamma) });
      }
      for (let k = 0; k < nComponents; k++) drawn.push({ x: grid, y: weighted[k] });
      drawn.push({ x: grid, y: mixture });
      const [left, right] = recipe.view, tick = recipe.tick;
      const clip = (v) => Math.min(Math.max(v, left), right);
      for (let k = 0; k < nComponents; k++) {
        const y = recipe.rows[k], m = means[k];
        recipe.z.forEach((z, j) => {
          const half = z * Math.sqrt(Math.max(vars[k], 0)), lo = m - half, hi = m + half;
          const x = [lo, lo, NaN, lo, hi, NaN, hi, hi];
          const ys = [y - tick, y + tick, NaN, y, y, NaN, y - tick, y + tick];
          if (j === recipe.z.length - 1) {  // the outermost: "k=1" and its mass beside it
            x.push(NaN, clip(lo), NaN, clip(hi));
            ys.push(NaN, y, NaN, y);
          }
          drawn.push({ x, y: ys });
        });
        const peak = weights[k] / Math.sqrt(2.0 * Math.PI * vars[k]);
        drawn.push({ x: [m, m], y: [y, Math.min(peak, top)] });
      }
      return drawn.map((d, t) => Object.assign(styleOf(set, t), d));
    }

    // The triangles of a (rows, cols) grid of vertices, as gmm/figures/geometry.py's
    // grid_triangles: per cell (corner, below, right), then (right, below, diagonal).
    function gridTriangles(rows, cols) {
      const first = [[], [], []], second = [[], [], []];
      for (let a = 0; a < rows - 1; a++) {
        for (let b = 0; b < cols - 1; b++) {
          const corner = a * cols + b, right = corner + 1, below = corner + cols;
          [corner, below, right].forEach((v, c) => first[c].push(v));
          [right, below, below + 1].forEach((v, c) => second[c].push(v));
        }
      }
      return first.map((column, c) => Int32Array.from(column.concat(second[c])));
    }

    // The unit sphere of gmm/figures/geometry.py (latitude-major, longitude wrapping).
    function unitSphere(nU, nV) {
      const u = linspace(0, 2 * Math.PI, nU), v = linspace(0, Math.PI, nV), out = [];
      for (let a = 0; a < nV; a++) {
        for (let b = 0; b < nU; b++) {
          const c = b === nU - 1 ? 0 : b;
          out.push([Math.cos(u[c]) * Math.sin(v[a]), Math.sin(u[c]) * Math.sin(v[a]), Math.cos(v[a])]);
        }
      }
      return out;
    }

    let sphere = null, triangles = null;

    // The traces of one set of parameters in 3-D, as gmm/figures/components_3d.py draws
    // them: per component an ellipsoid mean + r A u per mass, then its mean and label.
    function ellipsoids(set) {
      const mesh = manifest.mesh, levels = mesh.radius, out = [];
      if (!sphere) {
        sphere = unitSphere(mesh.n_u, mesh.n_v);
        triangles = gridTriangles(mesh.n_v, mesh.n_u);
      }
      for (let k = 0; k < nComponents; k++) {
        const f = arrays.factors.subarray((set * nComponents + k) * 12, (set * nComponents + k + 1) * 12);
        let top = null;
        levels.forEach((r, j) => {
          const n = sphere.length, xyz = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
          sphere.forEach((p, at) => {
            for (let d = 0; d < 3; d++) {
              const row = 3 + 3 * d;
              xyz[d][at] = f[d] + r * (p[0] * f[row] + p[1] * f[row + 1] + p[2] * f[row + 2]);
            }
          });
          top = xyz;
          out.push(Object.assign(styleOf(set, out.length), {
            x: xyz[0], y: xyz[1], z: xyz[2], i: triangles[0], j: triangles[1], k: triangles[2],
            // the surface itself, for a painter that is not Plotly (frame_canvas_3d.js)
            _ellipsoid: { center: f.subarray(0, 3), axes: f.subarray(3, 12), radius: r },
          }));
        });
        let high = 0;  // the label on the outermost ellipsoid's highest vertex (np.argmax)
        for (let at = 1; at < top[2].length; at++) if (top[2][at] > top[2][high]) high = at;
        out.push(Object.assign(styleOf(set, out.length), {
          x: [f[0], top[0][high]], y: [f[1], top[1][high]], z: [f[2], top[2][high]],
        }));
      }
      return out;
    }

    function components(set) {
      if (geometryCache.has(set)) return geometryCache.get(set);
      const views = { 1: curves1d, 2: outlines, 3: ellipsoids };
      const out = views[manifest.dim](set);
      if (geometryCache.size > 8) geometryCache.delete(geometryCache.keys().next().value);
      geometryCache.set(set, out);
      return out;
    }
    return { components };
  }

  // `traces` as they are drawn over the points trace `points`: SVG over SVG points, since
  // Plotly draws every WebGL trace above every SVG one, and a filled one hovering on its
  // points, as in WebGL (gmm/figures/svg_or_webgl.py).
  function matching(traces, points) {
    if (!points || points.type !== "scatter") return traces;
    const twin = (t) => Object.assign({}, t, { type: "scatter" },
      t.fill && t.fill !== "none" ? { hoveron: "points" } : {});
    return traces.map((t) => (t.type === "scattergl" ? twin(t) : t));
  }

  root.GmmFrames = { unpack, drawer, colorscale, outline, interp, linspace, densityGrid, matching };
})(typeof window !== "undefined" ? window : globalThis);
