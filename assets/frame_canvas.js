// The history player's frames painted on a canvas laid over the chart's plot area
// (assets/history_player.js), instead of a Plotly redraw per frame (issue 15).
//
// A frame is the figure the player builds for a half-step ({data, layout}, the same traces
// the server's figure has). GmmCanvas.paint(gd, frame, options) hides what Plotly drew of
// the server's figure that the frame replaces (the WebGL canvases: points, outlines,
// means, rings, ghosts; the SVG traces: the density, the image, and all of the above in
// a view of at most 1,000 points, gmm/figures/svg_or_webgl.py; the server's arrows) and
// draws the frame's own traces on the overlay instead, mapping data to pixels with the
// chart's current axes; the banner's text is set in Plotly's own SVG text. Plotly's
// traces stay where they are, invisible, for hover, clicks and selections.
// GmmCanvas.clear(gd) shows Plotly's figure again; after a zoom, a pan or a resize the
// frame is painted again. 1-D: options.layers "scatter" hides only Plotly's scatter
// traces (its bars and axes stay); options.only "points" paints the rug's ticks alone
// over Plotly's drawing of the rest, hiding nothing (a frame with a new y axis).
//
// Drawn as Plotly draws them: markers (circle, circle-open, x, circle-x, diamond, star
// paths of Plotly's symbol table, size = diameter in px, one or one per point), the 1-D
// rug's ticks, lines broken at NaN with Plotly's dashes, the "toself" fill and stacked
// areas (stackgroup), text at its textposition (one or one per point; outside the plot
// area where cliponaxis is false), the `image` trace pixelated, and the arrows of
// annotations (arrowhead 2 of Plotly's table, its backoff and standoff).
//
// Also: moveMark (the curve's mark moved in its SVG). The 3-D view's painter is
// assets/frame_canvas_3d.js; the colours of a frame are assets/frame_figure.js's.
(function (root) {
  "use strict";
  if (root.GmmCanvas) return;
  const CLASS = "gmm-frame-canvas";
  const SQRT2 = Math.SQRT2;
  const TEXT_GAP = 0.375; // measured on Plotly's scattergl labels, as a share of the font size

  // Plotly's symbol paths (src/components/drawing/symbol_defs.js) for radius r.
  const round2 = (v) => Math.round(v * 100) / 100;
  const SYMBOLS = {
    circle: (r) => { const c = round2(r); return `M${c},0A${c},${c} 0 1,1 0,-${c}A${c},${c} 0 0,1 ${c},0Z`; },
    x: (r) => {
      const i = round2((r * 0.8) / SQRT2), ne = `l${i},${i}`, se = `l${i},-${i}`;
      const sw = `l-${i},-${i}`, nw = `l-${i},${i}`;
      return `M0,${i}${ne}${se}${sw}${se}${sw}${nw}${sw}${nw}${ne}${nw}${ne}Z`;
    },
    "circle-x": (r) => {
      const c = round2(r), d = round2(r / SQRT2);
      return `M${d},${d}L-${d},-${d}M${d},-${d}L-${d},${d}M${c},0A${c},${c} 0 1,1 0,-${c}A${c},${c} 0 0,1 ${c},0Z`;
    },
    diamond: (r) => { const d = round2(r * 1.3); return `M${d},0L0,${d}L-${d},0L0,-${d}Z`; },
    star: (r) => {
      const rs = r * 1.4, points = [];
      for (let k = 0; k < 10; k++) {
        const a = (k * Math.PI) / 5, radius = k % 2 ? rs * 0.382 : rs;
        points.push(`${round2(radius * Math.sin(a))},${round2(-radius * Math.cos(a))}`);
      }
      return `M${points.join("L")}Z`;
    },
  };
  // Plotly's arrowhead 2 (src/components/annotations/arrow_paths.js).
  const ARROWHEAD = { path: "M-3.7,-2.5V2.5L1.3,0Z", backoff: 1.3 };

  function overlay(gd) {
    let canvas = gd.querySelector(`canvas.${CLASS}`);
    const container = gd.querySelector(".svg-container");
    if (!canvas && container) {
      canvas = document.createElement("canvas");
      canvas.className = CLASS;
      canvas.style.cssText = "position:absolute;top:0;left:0;pointer-events:none;";
      const gl = container.querySelector(".gl-container");
      container.insertBefore(canvas, gl ? gl.nextSibling : container.children[1] || null);
    }
    return canvas;
  }

  // What the frame replaces of Plotly's drawing: hidden while a frame is on the overlay.
  // scatterOnly (the 1-D view): Plotly's bars and axes stay, its scatter traces go.
  function plotlyParts(gd, scatterOnly = false) {
    const drawn = scatterOnly ? ".cartesianlayer .overplot .scatterlayer" : ".cartesianlayer .overplot";
    const parts = [...gd.querySelectorAll(`.gl-container, ${drawn}`)];
    (gd.layout.annotations || []).forEach((a, i) => {
      if (String(a.name || "").startsWith("moved ")) {
        parts.push(...gd.querySelectorAll(`.annotation[data-index="${i}"]`));
      }
    });
    return parts;
  }

  // Shown: all that either way of hiding hid (the scatter layers within the overplot too).
  function showPlotly(gd, shown, scatterOnly = false) {
    const parts = shown ? [...plotlyParts(gd), ...plotlyParts(gd, true)] : plotlyParts(gd, scatterOnly);
    for (const part of parts) part.style.visibility = shown ? "" : "hidden";
  }

  // A text of Plotly's own SVG (its font, place and size stay Plotly's) set to the
  // frame's, or back to the server's (text null).
  // text undefined: Plotly has just drawn the server's texts, which stay.
  function swapText(node, text) {
    if (!node) return;
    const ours = node.__gmmFrameText !== undefined && node.textContent === node.__gmmFrameText;
    if (!ours) node.__gmmServerText = node.textContent; // Plotly wrote it since
    if (text === null || text === undefined) {
      if (ours && text === null) node.textContent = node.__gmmServerText;
      delete node.__gmmFrameText;
      return;
    }
    node.textContent = node.__gmmFrameText = text;
  }

  // The banner ("Iteration 3 · after the E-step") and the legend's names (π_k) of the
  // frame, in Plotly's SVG; null: the server's back; undefined: Plotly's own stay.
  function setTexts(gd, frame, restore = true) {
    const notes = gd.layout.annotations || [];
    const at = notes.findIndex((a) => a.name === "banner");
    const banner = frame && (frame.layout.annotations || []).find((a) => a.name === "banner");
    if (at >= 0 && (banner || !frame)) {
      const text = frame ? banner.text : restore ? null : undefined;
      swapText(gd.querySelector(`.annotation[data-index="${at}"] .annotation-text`), text);
    }
    for (const item of gd.querySelectorAll(".legend .traces")) {
      const datum = item.__data__ && item.__data__[0], trace = datum && datum.trace;
      const meta = trace && trace.meta;
      if (!meta || meta.component === undefined) continue;
      const same = frame && frame.data.find((t) => t.meta && t.meta.role === meta.role
        && t.meta.component === meta.component && t.meta.mass === meta.mass); // 3-D: per mass
      if (frame && !same) continue;
      swapText(item.querySelector(".legendtext"), frame ? same.name : restore ? null : undefined);
    }
  }

  // Hover during a frame: the server's numbers belong to another half-step, so the points
  // say only where they are (the frame's `hover`), and the redrawn marks say nothing.
  // Traces whose hover would tell the server's numbers, not the frame's: no hover.
  const QUIET = new Set(["ellipse", "mean", "changed", "ghost", "density", "samples", "share",
    "mixture", "interval"]);
  function quietHover(gd, frame) {
    (gd.calcdata || []).forEach((cd) => {
      const trace = cd && cd[0] && cd[0].trace;
      if (!trace || !trace.meta) return;
      if (trace.__gmmHover === undefined) trace.__gmmHover = [trace.hovertemplate, trace.hoverinfo];
      if (!frame) {
        [trace.hovertemplate, trace.hoverinfo] = trace.__gmmHover;
        delete trace.__gmmHover;
      } else if (trace.meta.role === "points") {
        trace.hovertemplate = frame.hover;
      } else if (QUIET.has(trace.meta.role)) {
        trace.hoverinfo = "skip";
      }
    });
  }

  // Data to pixels with the chart's axes: lx, ly within the plot area, px, py in the
  // chart. `ranges` (a pan under way: plotly_relayouting's "xaxis.range[0]"...) stand in
  // for the axes' own, which Plotly sets when the drag ends.
  function axes(gd, ranges) {
    const full = gd._fullLayout, xa = full.xaxis, ya = full.yaxis;
    const linear = (axis, name, flip) => {
      const lo = ranges && ranges[`${name}.range[0]`], hi = ranges && ranges[`${name}.range[1]`];
      if (typeof lo !== "number" || typeof hi !== "number" || axis.type !== "linear") {
        return (v) => axis.l2p(v);
      }
      const scale = axis._length / (hi - lo);
      return flip ? (v) => (hi - v) * scale : (v) => (v - lo) * scale;
    };
    const lx = linear(xa, "xaxis", false), ly = linear(ya, "yaxis", true);
    return {
      lx, ly,
      px: (x) => xa._offset + lx(x),
      py: (y) => ya._offset + ly(y),
      clip: [xa._offset, ya._offset, xa._length, ya._length],
    };
  }

  // An array as the server sent it: a list, or Plotly's base64 typed array
  // ({dtype, bdata}), decoded once per object (GmmCanvas.decoded).
  const ARRAYS = { f8: Float64Array, f4: Float32Array, i4: Int32Array, u4: Uint32Array,
    i2: Int16Array, u2: Uint16Array, i1: Int8Array, u1: Uint8Array };
  const decodedArrays = new WeakMap();
  function values(v) {
    if (!v || !v.bdata || !ARRAYS[v.dtype]) return v;
    if (!decodedArrays.has(v)) {
      const bytes = Uint8Array.from(atob(v.bdata), (c) => c.charCodeAt(0));
      decodedArrays.set(v, new ARRAYS[v.dtype](bytes.buffer));
    }
    return decodedArrays.get(v);
  }

  const opacityOf = (trace) => (trace.opacity === undefined ? 1 : trace.opacity);

  // A polyline broken at NaN (connectgaps false), optionally filled "toself".
  // Plotly's dash names as lengths (src/components/drawing: dashStyle), or "5px,10px".
  function dashArray(dash, width) {
    const w = Math.max(width, 3);
    const named = { solid: [], dot: [w, w], dash: [3 * w, 3 * w], longdash: [5 * w, 5 * w],
      dashdot: [3 * w, w, w, w], longdashdot: [5 * w, 2 * w, w, 2 * w] };
    if (!dash) return [];
    return named[dash] || String(dash).split(",").map((v) => parseFloat(v)).filter((v) => v >= 0);
  }

  // A stackgroup's area (the 1-D shares): from the group's stack so far (`base`, the
  // same x) up to base + y, filled; the stack grows by y.
  function stacked(ctx, trace, map, stacks) {
    const { x, y } = trace, base = stacks.get(trace.stackgroup) || new Float64Array(x.length);
    const top = Float64Array.from(y, (v, i) => base[i] + (Number.isFinite(v) ? v : 0));
    const path = new Path2D();
    for (let i = 0; i < x.length; i++) path[i ? "lineTo" : "moveTo"](map.px(x[i]), map.py(top[i]));
    for (let i = x.length - 1; i >= 0; i--) path.lineTo(map.px(x[i]), map.py(base[i]));
    path.closePath();
    if (trace.fillcolor) {
      ctx.fillStyle = trace.fillcolor;
      ctx.fill(path);
    }
    stacks.set(trace.stackgroup, top);
  }

  function lines(ctx, trace, map) {
    const { x, y } = trace;
    const path = new Path2D();
    let pen = false;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i], yi = y[i];
      if (xi === null || yi === null || Number.isNaN(xi) || Number.isNaN(yi)) { pen = false; continue; }
      const px = map.px(xi), py = map.py(yi);
      if (pen) path.lineTo(px, py); else path.moveTo(px, py);
      pen = true;
    }
    if (trace.fill === "toself" && trace.fillcolor) {
      ctx.fillStyle = trace.fillcolor;
      ctx.fill(path);
    }
    const line = trace.line || {};
    if (line.width === 0) return;
    ctx.strokeStyle = line.color || "#444";
    ctx.lineWidth = line.width === undefined ? 2 : line.width;
    ctx.lineJoin = "round";
    ctx.setLineDash(dashArray(line.dash, ctx.lineWidth));
    ctx.stroke(path);
    ctx.setLineDash([]);
  }

  function symbolPath(symbol, size) {
    const base = String(symbol || "circle").replace(/-open$/, "");
    const make = SYMBOLS[base] || SYMBOLS.circle;
    return new Path2D(make(size / 2));
  }

  // An antialiased disc of radius r device px, for each of SUB x SUB sub-pixel offsets
  // of its centre: the pixels it covers (dx, dy from the centre's pixel) and how much
  // (SS x SS samples per pixel).
  const SUB = 4, SS = 4, kernelCache = new Map();
  function discKernels(r, inner = 0) { // inner > 0: a ring, from radius inner to r
    const key = `${r}/${inner}`;
    if (kernelCache.has(key)) return kernelCache.get(key);
    const K = Math.ceil(r) + 1, kernels = [];
    for (let sy = 0; sy < SUB; sy++) {
      for (let sx = 0; sx < SUB; sx++) {
        const cx = (sx + 0.5) / SUB, cy = (sy + 0.5) / SUB, dx = [], dy = [], cover = [];
        for (let j = -K; j <= K; j++) {
          for (let i = -K; i <= K; i++) {
            let inside = 0;
            for (let b = 0; b < SS; b++) {
              for (let a = 0; a < SS; a++) {
                const ux = i + (a + 0.5) / SS - cx, uy = j + (b + 0.5) / SS - cy;
                if (ux * ux + uy * uy <= r * r && ux * ux + uy * uy >= inner * inner) inside++;
              }
            }
            if (inside) { dx.push(i); dy.push(j); cover.push(inside / (SS * SS)); }
          }
        }
        kernels.push({ dx: Int16Array.from(dx), dy: Int16Array.from(dy), cover: Float32Array.from(cover) });
      }
    }
    const made = { K, kernels };
    kernelCache.set(key, made);
    return made;
  }

  // One disc (discKernels `made`) centred at (fx, fy) device px, blended source-over at
  // `alpha` into the RGBA pixels `d` (W x Hh).
  function splat(d, W, Hh, made, fx, fy, rgb, alpha) {
    const { K, kernels } = made;
    if (!(fx > -K && fy > -K && fx < W + K && fy < Hh + K)) return;
    const ix = Math.floor(fx), iy = Math.floor(fy);
    const { dx, dy, cover } = kernels[Math.min(SUB - 1, Math.floor((fy - iy) * SUB)) * SUB
      + Math.min(SUB - 1, Math.floor((fx - ix) * SUB))];
    const inside = ix >= K && iy >= K && ix < W - K && iy < Hh - K;
    for (let e = 0; e < cover.length; e++) {
      const px = ix + dx[e], py = iy + dy[e];
      if (!inside && (px < 0 || py < 0 || px >= W || py >= Hh)) continue;
      const at = 4 * (py * W + px), sa = alpha * cover[e], a0 = d[at + 3];
      if (a0 === 0) {
        d[at] = rgb[0];
        d[at + 1] = rgb[1];
        d[at + 2] = rgb[2];
        d[at + 3] = sa * 255;
        continue;
      }
      const keep = (a0 / 255) * (1 - sa), oa = sa + keep;
      d[at] = (rgb[0] * sa + d[at] * keep) / oa;
      d[at + 1] = (rgb[1] * sa + d[at + 1] * keep) / oa;
      d[at + 2] = (rgb[2] * sa + d[at + 2] * keep) / oa;
      d[at + 3] = oa * 255;
    }
  }

  // A canvas of W x Hh device px with its ImageData, kept between frames (one per use).
  function layerOf(owner, W, Hh) {
    let layer = owner.layer;
    if (!layer || layer.width !== W || layer.height !== Hh) {
      layer = owner.layer = document.createElement("canvas");
      layer.width = W;
      layer.height = Hh;
      layer.image = layer.getContext("2d").createImageData(W, Hh);
    }
    layer.image.data.fill(0);
    return layer;
  }

  // The points (one colour code each): discs blended one after another in data order,
  // source-over at `alpha`, as Plotly's WebGL markers are, into the plot area's pixels.
  function rasterPoints(ctx, trace, map, size, alpha, colorOf) {
    const dpr = window.devicePixelRatio || 1, [left, top, width, height] = map.clip;
    const W = Math.max(1, Math.ceil(width * dpr)), Hh = Math.max(1, Math.ceil(height * dpr));
    const layer = layerOf(rasterPoints, W, Hh), d = layer.image.data;
    const made = discKernels((size / 2) * dpr), rgbs = [];
    const { x, y, codes } = trace;
    const { lx, ly } = map;
    for (let p = 0; p < x.length; p++) {
      const code = codes[p];
      const rgb = rgbs[code] || (rgbs[code] = colorOf(code, true));
      splat(d, W, Hh, made, lx(x[p]) * dpr, ly(y[p]) * dpr, rgb, alpha);
    }
    layer.getContext("2d").putImageData(layer.image, 0, 0);
    ctx.save();
    ctx.globalAlpha = 1;
    ctx.drawImage(layer, left, top, W / dpr, Hh / dpr);
    ctx.restore();
  }

  // The 1-D rug: a vertical stroke of `size` px per point (line-ns), one path per colour.
  function ticks(ctx, trace, map, size, width, colorOf) {
    const paths = new Map(), { x, y, codes } = trace, half = size / 2;
    for (let p = 0; p < x.length; p++) {
      let path = paths.get(codes[p]);
      if (!path) paths.set(codes[p], (path = new Path2D()));
      const px = map.px(x[p]), py = map.py(y[p]);
      path.moveTo(px, py - half);
      path.lineTo(px, py + half);
    }
    ctx.lineWidth = width;
    for (const [code, path] of paths) {
      ctx.strokeStyle = colorOf(code, false);
      ctx.stroke(path);
    }
  }

  // Markers of one style (the points trace has many colours: `codes` and `colorOf`).
  function markers(ctx, trace, map, colorOf) {
    const marker = trace.marker || {}, sizes = typeof marker.size === "object" ? marker.size : null;
    const size = sizes ? Math.max(0, ...sizes) : marker.size === undefined ? 6 : marker.size;
    if (!(size > 0)) return;
    const symbol = String(marker.symbol || "circle"), open = symbol.endsWith("-open");
    const line = marker.line || {};
    ctx.globalAlpha = opacityOf(trace) * (marker.opacity === undefined ? 1 : marker.opacity);
    const { x, y } = trace;
    if (trace.codes && symbol.startsWith("line-ns")) {
      ticks(ctx, trace, map, size, line.width === undefined ? 1 : line.width, colorOf);
      return;
    }
    if (trace.codes) {
      rasterPoints(ctx, trace, map, size, ctx.globalAlpha, colorOf);
      return;
    }
    const shape = symbolPath(symbol, size);
    const width = line.width === undefined ? (open ? 1 : 0) : line.width;
    for (let i = 0; i < x.length; i++) {
      if (x[i] === null || Number.isNaN(x[i]) || (sizes && !(sizes[i] > 0))) continue;
      const point = sizes && sizes[i] !== size ? symbolPath(symbol, sizes[i]) : shape;
      ctx.save();
      ctx.translate(map.px(x[i]), map.py(y[i]));
      if (!open) {
        ctx.fillStyle = marker.color || "#444";
        ctx.fill(point);
      }
      if (width > 0) {
        ctx.lineWidth = width;
        ctx.strokeStyle = open ? marker.color || line.color : line.color || "#444";
        ctx.stroke(point);
      }
      ctx.restore();
    }
  }

  // Text beside its point, as `textposition` says ("middle right", "top left", ...).
  function texts(ctx, trace, map, family) {
    const font = trace.textfont || {}, size = font.size || 12;
    ctx.font = `${font.weight || "normal"} ${size}px ${font.family || family}`;
    ctx.fillStyle = font.color || "#444";
    // WebGL text (gl-text) stands off its marker's edge by about 3/8 of the font size.
    const marker = String(trace.mode).includes("markers") && trace.marker ? trace.marker.size || 0 : 0;
    const gap = TEXT_GAP * size + (typeof marker === "number" ? marker : 0) / 2;
    const place = (position) => { // one textposition, or one per point (1-D brackets)
      const [vertical, horizontal] = String(position || "middle center").split(" ");
      ctx.textAlign = { left: "right", right: "left" }[horizontal] || "center";
      ctx.textBaseline = { top: "bottom", bottom: "top" }[vertical] || "middle";
      return [{ left: -gap, right: gap }[horizontal] || 0, { top: -gap, bottom: gap }[vertical] || 0];
    };
    const each = Array.isArray(trace.textposition);
    let [dx, dy] = place(each ? null : trace.textposition);
    ctx.strokeStyle = "white"; // textfont.shadow "auto": Plotly's white halo round dark text
    ctx.lineWidth = font.shadow === "auto" ? 3 : 0;
    trace.text.forEach((text, i) => {
      if (!text || trace.x[i] === null || Number.isNaN(trace.x[i])) return;
      if (each) [dx, dy] = place(trace.textposition[i]);
      const x = map.px(trace.x[i]) + dx, y = map.py(trace.y[i]) + dy;
      if (ctx.lineWidth) ctx.strokeText(text, x, y);
      ctx.fillText(text, x, y);
    });
  }

  // The image trace's picture (a canvas, one pixel per cell, row 0 at y0), pixelated.
  function image(ctx, trace, map) {
    const picture = trace.picture, cols = picture.width, rows = picture.height;
    const x0 = trace.x0 || 0, dx = trace.dx || 1, y0 = trace.y0 || 0, dy = trace.dy || 1;
    const left = map.px(x0 - dx / 2), right = map.px(x0 + (cols - 0.5) * dx);
    const first = map.py(y0 - dy / 2), last = map.py(y0 + (rows - 0.5) * dy);
    ctx.save();
    ctx.imageSmoothingEnabled = false;
    ctx.globalAlpha = opacityOf(trace);
    ctx.translate(left, first);
    ctx.scale((right - left) / cols, (last - first) / rows);
    ctx.drawImage(picture, 0, 0);
    ctx.restore();
  }

  // An annotation's arrow from (ax, ay) to (x, y), as Plotly draws arrowhead 2.
  function arrow(ctx, a, map) {
    const tx = map.px(a.ax), ty = map.py(a.ay), hx = map.px(a.x), hy = map.py(a.y);
    const angle = Math.atan2(hy - ty, hx - tx), length = Math.hypot(hx - tx, hy - ty);
    const width = a.arrowwidth || 1, scale = width * (a.arrowsize || 1);
    const standoff = a.standoff || 0, backoff = ARROWHEAD.backoff * scale + standoff;
    if (length <= backoff) return;
    ctx.save();
    ctx.globalAlpha = a.opacity === undefined ? 1 : a.opacity;
    ctx.strokeStyle = ctx.fillStyle = a.arrowcolor || "#444";
    ctx.lineWidth = width;
    ctx.translate(tx, ty);
    ctx.rotate(angle);
    ctx.beginPath();
    ctx.moveTo(0, 0);
    ctx.lineTo(length - backoff, 0);
    ctx.stroke();
    ctx.translate(length - standoff, 0);
    ctx.scale(scale, scale);
    ctx.fill(new Path2D(ARROWHEAD.path));
    ctx.restore();
  }

  // Draw `frame` ({data, layout, hover}) over the chart. options.colorOf(code): the
  // points' colours (as [r, g, b] when asked for); options.current(): whether the frame
  // still belongs on the chart when Plotly has drawn another figure (not after Reset). Returns what was drawn, for the tests (also gd.__gmmFrame).
  function paint(gd, frame, options, ranges = null) {
    const canvas = overlay(gd), full = gd._fullLayout;
    if (!canvas || !full || !full.xaxis || !full.yaxis) return false;
    const dpr = window.devicePixelRatio || 1, width = full.width, height = full.height;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const map = axes(gd, ranges), family = (full.font && full.font.family) || "sans-serif";
    ctx.save();
    ctx.beginPath();
    ctx.rect(...map.clip);
    ctx.clip();
    // A component the user hid with a click on the legend stays hidden.
    const hidden = new Set((gd._fullData || []).filter((t) => t.visible === "legendonly")
      .map((t) => t.legendgroup).filter(Boolean));
    // options.only "points": the points alone, over Plotly's own drawing of the rest (1-D)
    const alone = options.only === "points";
    const stacks = new Map(), unclipped = []; // stackgroups' tops; texts that may leave the plot
    for (const sent of frame.data) {
      if (alone && !(sent.meta && sent.meta.role === "points")) continue;
      if (sent.visible === false || sent.visible === "legendonly" || !sent.x && !sent.picture) continue;
      if (sent.legendgroup && hidden.has(sent.legendgroup)) continue;
      const trace = sent.x && sent.x.bdata ? Object.assign({}, sent, { x: values(sent.x), y: values(sent.y) }) : sent;
      ctx.save();
      if (trace.type === "image") image(ctx, trace, map);
      else if (trace.type === "scattergl" || trace.type === "scatter") {
        const mode = String(trace.mode || "markers");
        ctx.globalAlpha = opacityOf(trace);
        if (trace.stackgroup) stacked(ctx, trace, map, stacks);
        else if (mode.includes("lines")) lines(ctx, trace, map);
        if (mode.includes("markers")) markers(ctx, trace, map, options.colorOf);
        ctx.globalAlpha = opacityOf(trace);
        if (mode.includes("text") && trace.text) {
          if (trace.cliponaxis === false) unclipped.push(trace);
          else texts(ctx, trace, map, family);
        }
      }
      ctx.restore();
    }
    ctx.restore();
    for (const trace of unclipped) { // the 1-D brackets' labels, also in the margins
      ctx.save();
      ctx.globalAlpha = opacityOf(trace);
      texts(ctx, trace, map, family);
      ctx.restore();
    }
    for (const a of alone ? [] : frame.layout.annotations || []) {
      if (a.showarrow && a.xref === "x" && a.axref === "x") arrow(ctx, a, map);
    }
    canvas.style.visibility = "";
    if (!alone) {
      showPlotly(gd, false, options.layers === "scatter");
      setTexts(gd, frame);
      quietHover(gd, frame);
    }
    gd.__gmmFrame = frame;
    gd.__gmmFrameOptions = options;
    follow(gd);
    return true;
  }

  // A frame follows Plotly's redraws (zoom, pan, autoscale, resize): painted again by its
  // painter (options.painter: assets/frame_canvas_3d.js in 3-D), or taken down when
  // Plotly has drawn a figure of no run (after Reset).
  function follow(gd) {
    if (gd.__gmmCanvasListening || !gd.on) return;
    gd.__gmmCanvasListening = true;
    const again = (ranges) => {
      const frame = gd.__gmmFrame, options = gd.__gmmFrameOptions;
      if (!frame) return;
      if (options.current && !options.current()) clear(gd, true);
      else (options.painter ? options.painter.paint : paint)(gd, frame, options, ranges);
    };
    gd.on("plotly_relayout", () => again(null));
    gd.on("plotly_relayouting", (ranges) => again(ranges));
    gd.on("plotly_afterplot", () => again(null));
  }

  // Plotly's figure on screen again, the overlay empty. redrawn: Plotly has just drawn
  // a figure (its texts are its own); else the texts the frame set go back.
  function clear(gd, redrawn = false) {
    const canvas = gd.querySelector(`canvas.${CLASS}`);
    if (canvas) canvas.style.visibility = "hidden";
    if (!gd.__gmmFrame) return;
    gd.__gmmFrame = null;
    if (gd.__gmmUnframe) gd.__gmmUnframe(gd); // the 3-D view: Plotly's traces drawn again
    setTexts(gd, null, !redrawn);
    quietHover(gd, null);
    showPlotly(gd, true);
  }

  // A one-point SVG scatter trace (the curve's "current" ring) moved to (x, y) in Plotly's
  // own SVG, with no redraw. False when it is not one (the gain view's line) or not drawn.
  function moveMark(gd, index, x, y) {
    const full = gd._fullLayout, trace = gd._fullData && gd._fullData[index];
    if (!full || !full.xaxis || !trace || trace.mode !== "markers") return false;
    const group = Array.from(gd.querySelectorAll(".scatterlayer .trace")).find((g) => {
      const datum = g.__data__ && g.__data__[0];
      return datum && datum.trace && datum.trace.index === index;
    });
    const point = group && group.querySelector("path.point");
    if (!point) return false;
    point.setAttribute("transform", `translate(${full.xaxis.l2p(x)},${full.yaxis.l2p(y)})`);
    return true;
  }

  root.GmmCanvas = { paint, clear, moveMark, SYMBOLS, decoded: values,
    // for assets/frame_canvas_3d.js
    overlay, follow, setTexts, quietHover, symbolPath, dashArray, discKernels, splat, layerOf };
})(typeof window !== "undefined" ? window : globalThis);
