// The history player's 3-D frames painted on a canvas over Plotly's scene
// (assets/history_player.js), instead of a Plotly redraw per frame (issue 15).
//
// Plotly's gl3d scene redraws everything whatever a frame changes, and in software WebGL
// a scene of 10,000 points costs about 300 ms a redraw, most of it the points (their
// markers are triangulated glyphs). So while a frame is up, Plotly's trace objects skip
// their draws (its axes, grid and legend stay), and this file paints the frame's points,
// ellipsoids, means, labels, rings and the truth's rings itself, projected with Plotly's
// own camera (scene.glplot.cameraParams: model, view, projection, on the scene's data
// scale), so that it matches Plotly's picture and follows a rotation as it happens.
//
// - The points: discs of the marker's size and opacity, far to near, the rings round
//   the changed points and the truth's dotted rings among them at their depth.
// - The ellipsoids: ray-cast per pixel (each mesh of the server is this surface,
//   gmm/figures/geometry.py ellipsoid_mesh); both surfaces of each, clipped to the axis
//   box like Plotly's, lit as Plotly's mesh3d lights them (ambient + diffuse, its light
//   on the camera's upper right), and blended over the points as Plotly blends them.
// - The means' diamonds and their labels go on top (the selected point's ring too).
//
// GmmCanvas3d.paint(gd, frame, options) puts the frame up; GmmCanvas.clear(gd) (the
// 2-D painter's, assets/frame_canvas.js, whose helpers this file uses) takes it down and
// lets Plotly's traces draw again.
(function (root) {
  "use strict";
  if (root.GmmCanvas3d) return;
  const C = root.GmmCanvas;
  const SILENT = () => {};
  const DRAWS = ["draw", "drawTransparent", "drawPick"];
  const LIGHT = [1e5, 1e5, 0]; // Plotly's default lightposition, in clip space
  // gl-scatter3d draws its markers as text glyphs ("●", "○", "◆"): measured against
  // Plotly's own picture, each symbol's width is this many times marker.size.
  const GLYPH_SCALE = { circle: 1.8, "circle-open": 0.9, diamond: 1.05 };
  const LABEL_RISE = 0.9; // a "top center" label's baseline above its point, in font sizes
  // gl-line3d's lines, measured the same way: its width, and its dashes' period, this
  // many times the 2-D ones (a dotted line of width 3: dots of 1.6 px, 4 px apart).
  const LINE_SCALE = { width: 0.55, period: 0.7 };

  // ------------------------------------------------------------------ 4 x 4 matrices
  // Column-major, as gl-matrix and Plotly's cameraParams store them.
  function multiply(a, b) {
    const out = new Float64Array(16);
    for (let c = 0; c < 4; c++) {
      for (let r = 0; r < 4; r++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += a[4 * k + r] * b[4 * c + k];
        out[4 * c + r] = s;
      }
    }
    return out;
  }

  function invert(m) { // Gauss-Jordan with partial pivoting on the row-major copy
    const a = [], inv = [];
    for (let r = 0; r < 4; r++) {
      a.push([m[r], m[4 + r], m[8 + r], m[12 + r]]);
      inv.push([0, 1, 2, 3].map((c) => (c === r ? 1 : 0)));
    }
    for (let c = 0; c < 4; c++) {
      let p = c;
      for (let r = c + 1; r < 4; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
      [a[c], a[p]] = [a[p], a[c]];
      [inv[c], inv[p]] = [inv[p], inv[c]];
      const pivot = a[c][c];
      if (!pivot) return null;
      for (let k = 0; k < 4; k++) { a[c][k] /= pivot; inv[c][k] /= pivot; }
      for (let r = 0; r < 4; r++) {
        if (r === c) continue;
        const f = a[r][c];
        for (let k = 0; k < 4; k++) { a[r][k] -= f * a[c][k]; inv[r][k] -= f * inv[c][k]; }
      }
    }
    const out = new Float64Array(16);
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) out[4 * c + r] = inv[r][c];
    return out;
  }

  const apply = (m, x, y, z, w = 1) => [0, 1, 2, 3].map(
    (r) => m[r] * x + m[4 + r] * y + m[8 + r] * z + m[12 + r] * w);

  // ------------------------------------------------------------------ the scene
  // Plotly's scene of the chart, its camera and where it is drawn (CSS px in the chart).
  function sceneOf(gd) {
    const full = gd._fullLayout, scene = full && full.scene && full.scene._scene;
    if (!scene || !scene.glplot || !scene.glplot.cameraParams) return null;
    const camera = scene.glplot.cameraParams, s = scene.dataScale || [1, 1, 1];
    const toClip = multiply(camera.projection, multiply(camera.view, multiply(camera.model,
      Float64Array.from([s[0], 0, 0, 0, 0, s[1], 0, 0, 0, 0, s[2], 0, 0, 0, 0, 1]))));
    const fromClip = invert(toClip);
    const box = scene.glplot.canvas.getBoundingClientRect();
    const home = gd.getBoundingClientRect();
    const ranges = ["xaxis", "yaxis", "zaxis"].map((a) => scene.fullSceneLayout[a].range);
    // Plotly's light, in the model's (scaled data) coordinates, as gl-mesh3d puts it.
    const back = invert(multiply(camera.projection, multiply(camera.view, camera.model)));
    const lit = back ? apply(back, ...LIGHT) : [1, 1, 0, 1];
    return {
      scene, toClip, fromClip, scale: s, key: Array.from(toClip).join(","),
      lo: ranges.map((r) => Math.min(...r)), hi: ranges.map((r) => Math.max(...r)), // the axis box
      light: [lit[0] / lit[3], lit[1] / lit[3], lit[2] / lit[3]],
      left: box.left - home.left, top: box.top - home.top, width: box.width, height: box.height,
    };
  }

  // Plotly's trace objects skip their draws (hidden) or draw again, until Plotly's next
  // draw of the scene; whether any changed.
  function hideTraces(scene, hidden) {
    let changed = false;
    for (const object of scene.glplot.objects) {
      if (Boolean(object.__gmmDraws) === hidden) continue;
      changed = true;
      if (hidden) {
        object.__gmmDraws = DRAWS.map((name) => object[name]);
        for (const name of DRAWS) if (object[name]) object[name] = SILENT;
      } else {
        DRAWS.forEach((name, i) => { if (object.__gmmDraws[i]) object[name] = object.__gmmDraws[i]; });
        delete object.__gmmDraws;
      }
    }
    return changed;
  }

  // A CSS colour (hex, rgb(), a name) as [r, g, b], 0-255, as the browser reads it.
  const colors = new Map();
  function rgbOf(color) {
    if (!colors.has(color)) {
      const probe = document.createElement("canvas").getContext("2d");
      probe.fillStyle = "#808080";
      probe.fillStyle = String(color || "");
      const read = probe.fillStyle; // "#rrggbb", or "rgba(r, g, b, a)"
      colors.set(color, read.startsWith("#") ? [1, 3, 5].map((i) => parseInt(read.slice(i, i + 2), 16))
        : read.slice(read.indexOf("(") + 1).split(",").slice(0, 3).map(Number));
    }
    return colors.get(color);
  }

  // Point p of a scatter3d trace projected ([px, py, depth]), or null: a gap (NaN, null),
  // outside the axis box (Plotly's clipBounds: it draws nothing there) or behind the camera.
  function placed(trace, p, view, project) {
    const at = [trace.x[p], trace.y[p], trace.z[p]];
    const inside = at.every((v, k) => Number.isFinite(v) && v >= view.lo[k] && v <= view.hi[k]);
    return inside ? project(...at) : null;
  }

  // Data to device px of the scene's raster (W x Hh): [px, py, ndc depth], or null behind
  // the camera.
  function projector(view, W, Hh) {
    const m = view.toClip;
    return (x, y, z) => {
      const c = apply(m, x, y, z);
      if (!(c[3] > 0)) return null;
      return [(1 + c[0] / c[3]) * 0.5 * W, (1 - c[1] / c[3]) * 0.5 * Hh, c[2] / c[3]];
    };
  }

  // ------------------------------------------------------------------ the points
  // The points' raster positions and depths, far first: kept while the camera, the raster
  // and the positions stay (a frame changes only their colours).
  function projected(trace, view, W, Hh) {
    const key = [view.key, W, Hh].join(" "), kept = projected.kept;
    if (kept && kept.x === trace.x && kept.key === key) return kept;
    const { x, y, z } = trace, n = x.length, m = view.toClip;
    const px = new Float32Array(n), py = new Float32Array(n), pz = new Float32Array(n);
    const ahead = [];
    for (let p = 0; p < n; p++) {
      const w = m[3] * x[p] + m[7] * y[p] + m[11] * z[p] + m[15];
      if (!(w > 0)) continue; // behind the camera
      px[p] = (1 + (m[0] * x[p] + m[4] * y[p] + m[8] * z[p] + m[12]) / w) * 0.5 * W;
      py[p] = (1 - (m[1] * x[p] + m[5] * y[p] + m[9] * z[p] + m[13]) / w) * 0.5 * Hh;
      pz[p] = (m[2] * x[p] + m[6] * y[p] + m[10] * z[p] + m[14]) / w;
      ahead.push(p);
    }
    const order = Int32Array.from(ahead).sort((a, b) => pz[b] - pz[a]);
    projected.kept = { x: trace.x, key, px, py, pz, order };
    return projected.kept;
  }

  // Discs of the marker's size and opacity, far to near, and `marks` (the rings round the
  // changed points, the truth's dots: [px, py, depth, kernel, rgb, alpha], far first)
  // among them at their own depth, so that nearer points cover them as in Plotly's
  // picture.
  function rasterPoints(trace, marks, view, d, W, Hh, dpr, colorOf) {
    const marker = trace.marker || {}, codes = trace.codes;
    const size = typeof marker.size === "number" ? marker.size : 4;
    const alpha = (trace.opacity === undefined ? 1 : trace.opacity) * (marker.opacity === undefined ? 1 : marker.opacity);
    const { px, py, pz, order } = projected(trace, view, W, Hh);
    const made = C.discKernels((GLYPH_SCALE.circle * size / 2) * dpr), rgbs = [];
    const mark = (m) => C.splat(d, W, Hh, m[3], m[0], m[1], m[4], m[5]);
    let next = 0;
    for (let o = 0; o < order.length; o++) {
      const p = order[o], code = codes[p];
      for (; next < marks.length && marks[next][2] >= pz[p]; next++) mark(marks[next]);
      const rgb = rgbs[code] || (rgbs[code] = colorOf(code, true));
      C.splat(d, W, Hh, made, px[p], py[p], rgb, alpha);
    }
    for (; next < marks.length; next++) mark(marks[next]);
  }

  // The rings round the changed points as marks: gl-scatter3d's "○", its width
  // GLYPH_SCALE of marker.size, its stroke about 3/4 of marker.line.width.
  function ringMarks(trace, view, project, dpr) {
    const marker = trace.marker || {}, line = marker.line || {}, out = [];
    const outer = (GLYPH_SCALE["circle-open"] * (marker.size || 12) / 2) * dpr;
    const stroke = 0.75 * (line.width === undefined ? 1 : line.width) * dpr;
    const made = C.discKernels(outer, Math.max(0, outer - stroke));
    const rgb = rgbOf(marker.color || line.color), alpha = trace.opacity === undefined ? 1 : trace.opacity;
    for (let p = 0; p < trace.x.length; p++) {
      const at = placed(trace, p, view, project);
      if (at) out.push([at[0], at[1], at[2], made, rgb, alpha]);
    }
    return out;
  }

  // A polyline (broken at NaN and outside the axis box) as marks: a dot of the line's
  // width at each of its dashes' starts, or every half width (solid).
  function lineMarks(trace, view, project, dpr) {
    const line = trace.line || {}, given = (line.width === undefined ? 2 : line.width) * dpr, out = [];
    const dashes = C.dashArray(line.dash, given), width = LINE_SCALE.width * given;
    const step = dashes.length ? LINE_SCALE.period * dashes.reduce((a, b) => a + b, 0) : width / 2;
    const made = C.discKernels(width / 2), rgb = rgbOf(line.color || "#444");
    const alpha = trace.opacity === undefined ? 1 : trace.opacity;
    let last = null, carry = 0;
    for (let p = 0; p < trace.x.length; p++) {
      const at = placed(trace, p, view, project);
      if (!at) { last = null; continue; }
      if (last) {
        const length = Math.hypot(at[0] - last[0], at[1] - last[1]);
        for (; carry <= length; carry += step) {
          const f = length ? carry / length : 0;
          out.push([last[0] + f * (at[0] - last[0]), last[1] + f * (at[1] - last[1]),
            last[2] + f * (at[2] - last[2]), made, rgb, alpha]);
        }
        carry -= length;
      } else carry = 0;
      last = at;
    }
    return out;
  }

  // ------------------------------------------------------------------ the ellipsoids
  // One ellipsoid trace as the ray caster needs it: the affine map from data space to
  // the unit sphere's, its normals' map, its bounding box on the raster, colour, opacity
  // and Plotly's lighting of it.
  function surfaceOf(trace, view, project) {
    const e = trace._ellipsoid;
    if (!e) return null;
    const A = e.axes, r = e.radius, c = e.center;
    // data = c + r A u  =>  u = (A^-1 / r)(data - c), as a 4 x 4 (column-major)
    const a = Float64Array.from([A[0], A[3], A[6], 0, A[1], A[4], A[7], 0, A[2], A[5], A[8], 0,
      c[0] / r, c[1] / r, c[2] / r, 1 / r]);
    const toUnit = invert(a); // homogeneous: its last row is (0, 0, 0, 1) up to scale
    if (!toUnit) return null;
    const w = toUnit[15];
    for (let i = 0; i < 16; i++) toUnit[i] /= w;
    // The normal in data space is A^-T u: row k of A^-T is column k of A^-1.
    const inv = invert(Float64Array.from([A[0], A[3], A[6], 0, A[1], A[4], A[7], 0,
      A[2], A[5], A[8], 0, 0, 0, 0, 1]));
    if (!inv) return null;
    const normal = Float64Array.from([inv[0], inv[1], inv[2], inv[4], inv[5], inv[6], inv[8], inv[9], inv[10]]);
    let box = [Infinity, Infinity, -Infinity, -Infinity];
    for (let corner = 0; corner < 8; corner++) {
      const sign = [corner & 1 ? 1 : -1, corner & 2 ? 1 : -1, corner & 4 ? 1 : -1];
      const at = [0, 1, 2].map((d) => c[d] + sign[d] * r * Math.hypot(A[3 * d], A[3 * d + 1], A[3 * d + 2]));
      const p = project(...at);
      if (!p) { box = null; break; }
      box = [Math.min(box[0], p[0]), Math.min(box[1], p[1]), Math.max(box[2], p[0]), Math.max(box[3], p[1])];
    }
    const lighting = trace.lighting || {};
    return {
      toUnit, normal, box,
      rgb: rgbOf(trace.color), alpha: trace.opacity === undefined ? 1 : trace.opacity,
      ambient: lighting.ambient === undefined ? 0.8 : lighting.ambient,
      diffuse: lighting.diffuse === undefined ? 0.8 : lighting.diffuse,
    };
  }

  // Every pixel's surfaces: two per ellipsoid its ray meets inside the axis box, far
  // first. A pixel's ray runs from the near plane (t = 0) to the far plane (t = 1); an
  // affine map (data to the unit sphere's space) keeps t, so all surfaces compare by it.
  // Returns the pixels with any (`pixels`) and their hits' premultiplied colours, far
  // first (`rgba`, pixel q's from `from[q]` to `from[q + 1]`).
  function castSurfaces(surfaces, view, W, Hh) {
    const M = view.fromClip, s = view.scale, light = view.light;
    const { lo, hi } = view;
    let x0 = W, y0 = Hh, x1 = 0, y1 = 0;
    for (const f of surfaces) {
      const b = f.box || [0, 0, W, Hh];
      x0 = Math.min(x0, b[0]); y0 = Math.min(y0, b[1]); x1 = Math.max(x1, b[2]); y1 = Math.max(y1, b[3]);
    }
    x0 = Math.max(0, Math.floor(x0)); y0 = Math.max(0, Math.floor(y0));
    x1 = Math.min(W - 1, Math.ceil(x1)); y1 = Math.min(Hh - 1, Math.ceil(y1));
    const most = 2 * surfaces.length, pixels = [], from = [0];
    let rgba = new Float32Array(4 << 16), count = 0;
    const hitT = new Float64Array(most), hitC = new Float64Array(4 * most), order = new Int32Array(most);
    for (let j = y0; j <= y1; j++) {
      const ny = 1 - (2 * (j + 0.5)) / Hh;
      for (let i = x0; i <= x1; i++) {
        const nx = (2 * (i + 0.5)) / W - 1;
        // the ray's ends in data space: near (ndc z = -1) and far (+1)
        const wn = M[3] * nx + M[7] * ny - M[11] + M[15], wf = wn + 2 * M[11];
        const nX = (M[0] * nx + M[4] * ny - M[8] + M[12]) / wn, fX = (M[0] * nx + M[4] * ny + M[8] + M[12]) / wf;
        const nY = (M[1] * nx + M[5] * ny - M[9] + M[13]) / wn, fY = (M[1] * nx + M[5] * ny + M[9] + M[13]) / wf;
        const nZ = (M[2] * nx + M[6] * ny - M[10] + M[14]) / wn, fZ = (M[2] * nx + M[6] * ny + M[10] + M[14]) / wf;
        let hits = 0;
        for (let e = 0; e < surfaces.length; e++) {
          const f = surfaces[e], b = f.box;
          if (b && (i < b[0] - 1 || i > b[2] + 1 || j < b[1] - 1 || j > b[3] + 1)) continue;
          const U = f.toUnit; // data to the unit sphere's space (affine, column-major)
          const ox = U[0] * nX + U[4] * nY + U[8] * nZ + U[12], oy = U[1] * nX + U[5] * nY + U[9] * nZ + U[13];
          const oz = U[2] * nX + U[6] * nY + U[10] * nZ + U[14];
          const ex = U[0] * fX + U[4] * fY + U[8] * fZ + U[12] - ox, ey = U[1] * fX + U[5] * fY + U[9] * fZ + U[13] - oy;
          const ez = U[2] * fX + U[6] * fY + U[10] * fZ + U[14] - oz;
          const qa = ex * ex + ey * ey + ez * ez, qb = ox * ex + oy * ey + oz * ez;
          const disc = qb * qb - qa * (ox * ox + oy * oy + oz * oz - 1);
          if (!(disc > 0) || !(qa > 0)) continue;
          const root2 = Math.sqrt(disc);
          for (let side = -1; side <= 1; side += 2) {
            const at = (-qb + side * root2) / qa;
            if (!(at > 0 && at < 1)) continue;
            const ax = nX + at * (fX - nX), ay = nY + at * (fY - nY), az = nZ + at * (fZ - nZ);
            if (ax < lo[0] || ax > hi[0] || ay < lo[1] || ay > hi[1] || az < lo[2] || az > hi[2]) continue;
            // Plotly's light on the surface: its normal A^-T u, in model space (/ scale)
            const ux = ox + at * ex, uy = oy + at * ey, uz = oz + at * ez, N = f.normal;
            const mx = (N[0] * ux + N[1] * uy + N[2] * uz) / s[0], my = (N[3] * ux + N[4] * uy + N[5] * uz) / s[1];
            const mz = (N[6] * ux + N[7] * uy + N[8] * uz) / s[2];
            const lx = light[0] - ax * s[0], ly = light[1] - ay * s[1], lz = light[2] - az * s[2];
            const cos = Math.abs(mx * lx + my * ly + mz * lz) / (Math.hypot(mx, my, mz) * Math.hypot(lx, ly, lz) || 1);
            const shade = Math.min(f.ambient + f.diffuse * cos, 1) * f.alpha;
            hitT[hits] = at;
            hitC[4 * hits] = f.rgb[0] * shade;
            hitC[4 * hits + 1] = f.rgb[1] * shade;
            hitC[4 * hits + 2] = f.rgb[2] * shade;
            hitC[4 * hits + 3] = f.alpha;
            order[hits] = hits;
            hits++;
          }
        }
        if (!hits) continue;
        for (let a = 1; a < hits; a++) { // insertion sort, far (large t) first
          const h = order[a];
          let b = a - 1;
          while (b >= 0 && hitT[order[b]] < hitT[h]) { order[b + 1] = order[b]; b--; }
          order[b + 1] = h;
        }
        if (4 * (count + hits) > rgba.length) { // grow
          const grown = new Float32Array(2 * rgba.length);
          grown.set(rgba);
          rgba = grown;
        }
        for (let k = 0; k < hits; k++, count++) rgba.set(hitC.subarray(4 * order[k], 4 * order[k] + 4), 4 * count);
        pixels.push(j * W + i);
        from.push(count);
      }
    }
    return { pixels: Int32Array.from(pixels), from: Int32Array.from(from), rgba };
  }

  // Each pixel's surfaces (castSurfaces: one cast pixel per step x step pixels of `d`,
  // W x Hh), far to near over its points' colour, as Plotly blends them: its points are
  // translucent (opacity 0.9), and gl-plot3d draws all translucent objects in trace order
  // with no depth writes, so the ellipsoids (after the points) tint every point they
  // cover, nearer or not.
  function blendSurfaces(cast, d, W, Hh) {
    const { pixels, from, rgba, step, width } = cast;
    for (let q = 0; q < pixels.length; q++) {
      const ci = (pixels[q] % width) * step, cj = Math.floor(pixels[q] / width) * step;
      for (let j = cj; j < Math.min(cj + step, Hh); j++) {
        for (let i = ci; i < Math.min(ci + step, W); i++) {
          const at = 4 * (j * W + i), pa = d[at + 3] / 255;
          let r = d[at] * pa, g = d[at + 1] * pa, b = d[at + 2] * pa, a = pa;
          for (let h = from[q]; h < from[q + 1]; h++) {
            const ca = rgba[4 * h + 3];
            r = rgba[4 * h] + r * (1 - ca); g = rgba[4 * h + 1] + g * (1 - ca);
            b = rgba[4 * h + 2] + b * (1 - ca); a = ca + a * (1 - ca);
          }
          d[at] = r / a;
          d[at + 1] = g / a;
          d[at + 2] = b / a;
          d[at + 3] = a * 255;
        }
      }
    }
  }

  // The surfaces of the frame's ellipsoids, cast once per set of them, camera and raster
  // (an E-step's frame has the same ellipsoids as the M-step's before it), on a grid of
  // CSS pixels (`step` device pixels each): their shading is smooth, and a cast at a
  // device pixel ratio of 2 would cost four times as much.
  function surfacesOf(meshes, view, W, Hh, dpr) {
    const step = Math.max(1, Math.round(dpr)), width = Math.ceil(W / step), height = Math.ceil(Hh / step);
    const key = [view.key, W, Hh, step].join(" "), kept = surfacesOf.kept;
    if (kept && kept.key === key && kept.meshes.length === meshes.length
      && kept.meshes.every((m, i) => m === meshes[i])) return kept.cast;
    const project = projector(view, width, height);
    const surfaces = meshes.map((t) => surfaceOf(t, view, project)).filter(Boolean);
    const cast = Object.assign(castSurfaces(surfaces, view, width, height), { step, width });
    surfacesOf.kept = { key, meshes, cast };
    return cast;
  }

  // ------------------------------------------------------------------ marks on top
  function markers(ctx, trace, project, dpr, family, view) {
    const marker = trace.marker || {}, line = marker.line || {};
    const symbol = String(marker.symbol || "circle"), open = symbol.endsWith("-open");
    const font = trace.textfont || {}, textSize = font.size || 12;
    for (let p = 0; p < trace.x.length; p++) {
      const at = placed(trace, p, view, project);
      if (!at) continue;
      const cx = at[0] / dpr, cy = at[1] / dpr;
      const size = Array.isArray(marker.size) ? marker.size[p] : marker.size === undefined ? 6 : marker.size;
      if (size > 0) {
        const glyph = GLYPH_SCALE[symbol] || GLYPH_SCALE[symbol.replace(/-open$/, "")] || 1;
        const shape = C.symbolPath(symbol, size * glyph), width = line.width === undefined ? (open ? 1 : 0) : line.width;
        ctx.save();
        ctx.translate(cx, cy);
        if (!open) { ctx.fillStyle = marker.color || "#444"; ctx.fill(shape); }
        if (width > 0) {
          ctx.lineWidth = width;
          ctx.strokeStyle = open ? marker.color || line.color : line.color || "#444";
          ctx.stroke(shape);
        }
        ctx.restore();
      }
      const text = trace.text && trace.text[p];
      if (text) { // "top center" (the 3-D view's only place), as gl-scatter3d puts it
        ctx.font = `${font.weight || "normal"} ${textSize}px ${font.family || family}`;
        ctx.fillStyle = font.color || "#444";
        ctx.textAlign = "center";
        ctx.textBaseline = "bottom";
        ctx.fillText(text, cx, cy - LABEL_RISE * textSize);
      }
    }
  }

  // ------------------------------------------------------------------ the frame
  function draw(gd, view = sceneOf(gd)) {
    const frame = gd.__gmmFrame, options = gd.__gmmFrameOptions;
    const canvas = C.overlay(gd), full = gd._fullLayout;
    if (!frame || !view || !canvas || !(view.width > 0)) return false;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(full.width * dpr) || canvas.height !== Math.round(full.height * dpr)) {
      canvas.width = Math.round(full.width * dpr);
      canvas.height = Math.round(full.height * dpr);
      canvas.style.width = `${full.width}px`;
      canvas.style.height = `${full.height}px`;
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, full.width, full.height);
    const W = Math.max(1, Math.round(view.width * dpr)), Hh = Math.max(1, Math.round(view.height * dpr));
    const layer = C.layerOf(draw, W, Hh), d = layer.image.data;
    const project = projector(view, W, Hh);
    const hidden = new Set((gd._fullData || []).filter((t) => t.visible === "legendonly")
      .map((t) => t.legendgroup).filter(Boolean));
    const shown = frame.data.filter((t) => t.visible !== false && t.visible !== "legendonly"
      && !(t.legendgroup && hidden.has(t.legendgroup)))
      .map((t) => (t.x && t.x.bdata ? Object.assign({}, t, // the server's base64 arrays
        { x: C.decoded(t.x), y: C.decoded(t.y), z: C.decoded(t.z) }) : t));
    const role = (t) => (t.meta && t.meta.role) || null;
    // The rings and the lines go among the points, at their depth
    const among = (t) => t.type === "scatter3d" && (role(t) === "changed" || String(t.mode).includes("lines"));
    const marks = shown.filter(among).flatMap((t) => (role(t) === "changed" ? ringMarks : lineMarks)(t, view, project, dpr))
      .sort((a, b) => b[2] - a[2]);
    for (const t of shown) {
      if (role(t) === "points" && t.codes && t.z) rasterPoints(t, marks, view, d, W, Hh, dpr, options.colorOf);
    }
    blendSurfaces(surfacesOf(shown.filter((t) => t.type === "mesh3d"), view, W, Hh, dpr), d, W, Hh);
    layer.getContext("2d").putImageData(layer.image, 0, 0);
    ctx.save();
    ctx.translate(view.left, view.top);
    ctx.drawImage(layer, 0, 0, view.width, view.height);
    const family = (full.font && full.font.family) || "sans-serif";
    for (const t of shown) {
      if (t.type !== "scatter3d" || role(t) === "points" || among(t)) continue;
      ctx.save();
      ctx.globalAlpha = t.opacity === undefined ? 1 : t.opacity;
      markers(ctx, t, project, dpr, family, view);
      ctx.restore();
    }
    ctx.restore();
    canvas.style.visibility = "";
    draw.count = (draw.count || 0) + 1;
    return true;
  }

  // Put `frame` up over the chart's scene: Plotly's traces skip their draws, Plotly
  // redraws the scene (its axes alone), and the canvas paints the frame with the camera
  // of that redraw, and again at each of Plotly's redraws (a rotation, a resize).
  function paint(gd, frame, options) {
    const view = sceneOf(gd);
    if (!view) return false;
    const glplot = view.scene.glplot, again = gd.__gmmFrame === frame;
    gd.__gmmFrame = frame;
    gd.__gmmFrameOptions = options;
    gd.__gmmUnframe = unframe;
    if (glplot.__gmmOnrender !== glplot.onrender) { // Plotly's hover and spikes, then ours
      const plotly = glplot.onrender;
      glplot.onrender = glplot.__gmmOnrender = function () { // before the scene's draws
        if (plotly) plotly.apply(this, arguments);
        if (!gd.__gmmFrame || gd.__gmmUnframe !== unframe) return;
        const scene = gd._fullLayout.scene && gd._fullLayout.scene._scene;
        if (scene && scene.glplot === glplot) hideTraces(scene, true); // a trace Plotly made since
        draw(gd);
      };
    }
    C.follow(gd); // a relayout (a resize) redraws Plotly's texts: set again below
    // A first frame: Plotly draws its scene without the traces, and its onrender paints
    // the frame; later frames keep that scene and its camera. The same frame again (a
    // relayout): Plotly's own redraw of the scene, if any, has repainted it.
    const before = draw.count;
    if (hideTraces(view.scene, true)) glplot.redraw();
    if (draw.count === before && !again && !draw(gd, view)) return false;
    C.setTexts(gd, frame);
    C.quietHover(gd, frame);
    return true;
  }

  // Plotly's traces draw again (GmmCanvas.clear calls this).
  function unframe(gd) {
    gd.__gmmUnframe = null;
    const view = sceneOf(gd);
    if (!view) return;
    hideTraces(view.scene, false);
    view.scene.glplot.redraw();
  }

  // Where the frame puts data (x, y, z) on the chart: [px, py] in CSS px, and its depth
  // (for the tests).
  function project(gd, x, y, z) {
    const view = sceneOf(gd);
    const at = view && projector(view, view.width, view.height)(x, y, z);
    return at ? [view.left + at[0], view.top + at[1], at[2]] : null;
  }

  // Whether this Plotly's scene has what the painter takes from it (gl-plot3d's objects,
  // camera, redraw and onrender); else the player lets Plotly draw the frames.
  function usable(gd) {
    const full = gd && gd._fullLayout, scene = full && full.scene && full.scene._scene;
    const glplot = scene && scene.glplot;
    return Boolean(glplot && Array.isArray(glplot.objects) && glplot.cameraParams
      && typeof glplot.redraw === "function" && "onrender" in glplot && scene.dataScale);
  }

  root.GmmCanvas3d = { paint, project, usable };
})(typeof window !== "undefined" ? window : globalThis);
