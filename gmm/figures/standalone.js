// The player of a standalone GMM Explorer animation (gmm/figures/standalone.py).
// It unpacks the block written by gmm/figures/packing.py (base 85, then gzip through the
// browser's DecompressionStream), runs plotly.js from it, and draws each half-step from
// the typed arrays of the manifest (with GmmFrames, gmm/figures/frames.js, which
// _script() puts before this file): no network, no server.
(function () {
  "use strict";
  // The digits of base 93 (gmm/figures/packing.py): "!" to "~" but "<".
  const ALPHABET = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i))
    .filter((c) => c !== "<").join("");
  const PAIR_BITS = 13;
  const $ = (id) => document.getElementById(id);
  const status = $("gmm-status");

  function fail(message) {
    status.textContent = message;
    status.className = "error";
    status.hidden = false;
    document.documentElement.dataset.gmmState = "failed";
  }

  // Base 93 text (13 bits per two digits, most significant first) to nBytes bytes.
  function decode93(text, nBytes) {
    const lookup = new Uint8Array(128);
    for (let i = 0; i < ALPHABET.length; i++) lookup[ALPHABET.charCodeAt(i)] = i;
    const out = new Uint8Array(nBytes);
    let buffer = 0, held = 0, o = 0;
    for (let c = 0; c + 1 < text.length && o < nBytes; c += 2) {
      const value = lookup[text.charCodeAt(c)] * 93 + lookup[text.charCodeAt(c + 1)];
      buffer = ((buffer << PAIR_BITS) | value) & 0x1fffff; // at most 20 bits are held
      held += PAIR_BITS;
      while (held >= 8 && o < nBytes) {
        held -= 8;
        out[o++] = (buffer >>> held) & 255;
      }
    }
    return out;
  }

  async function unpack() {
    const element = $("gmm-data");
    const bytes = decode93(element.textContent, Number(element.dataset.bytes));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    const buffer = await new Response(stream).arrayBuffer();
    return GmmFrames.unpack(buffer);
  }


  function runScript(code) {
    window.PlotlyConfig = { MathJaxConfig: "local" };
    const element = document.createElement("script");
    element.textContent = code;
    document.head.appendChild(element);
    if (!window.Plotly) throw new Error("plotly.js did not start");
  }


  function player({ manifest, arrays }) {
    const figure = manifest.figure;
    const last = manifest.captions.length - 1;
    const nPoints = manifest.n_points;
    const nSets = manifest.n_color_sets;
    const components = GmmFrames.drawer(manifest, arrays).components;
    const colorscale = GmmFrames.colorscale;
    const table = arrays.table;
    const points = figure.data[0];
    points.x = arrays.x;
    points.y = arrays.y;
    if (arrays.z) points.z = arrays.z;
    points.marker.colorscale = colorscale(table);
    points.marker.cmin = 0;
    points.marker.cmax = Math.max(table.length / 3 - 1, 1);
    // Traces that stay (the histogram, the mass key...) before and after the redrawn ones.
    const head = figure.data.slice(1, manifest.drawn[0]);
    const tail = figure.data.slice(manifest.drawn[1]);
    const bannerAt = (figure.layout.annotations || []).findIndex((a) => a.name === "banner");
    const colorCache = new Map();
    const chart = $("gmm-chart");
    const curve = $("gmm-curve");
    const slider = $("gmm-slider");
    const play = $("gmm-play");
    const speed = $("gmm-speed");
    const caption = $("gmm-caption");
    const config = { responsive: true, displaylogo: false };
    let shown = -1, wanted = 0, drawing = false, playing = false, timer = null;

    function colors(set) {
      if (!colorCache.has(set)) {
        const column = new (arrays.colors.constructor)(nPoints);
        for (let p = 0, at = set; p < nPoints; p++, at += nSets) column[p] = arrays.colors[at];
        if (colorCache.size > 8) colorCache.delete(colorCache.keys().next().value);
        colorCache.set(set, column);
      }
      return colorCache.get(set);
    }


    function curveFigure(i) {
      const curves = manifest.curves;
      const zoomed = curves.zoom && i >= curves.zoom_from;
      const spec = zoomed ? curves.zoom : curves.full;
      const data = spec.data.slice();
      const ring = data.length - 1; // the ring at the current half-step comes last
      data[ring] = Object.assign({}, data[ring], {
        x: [i], y: [arrays.loglik[i]], customdata: [i],
      });
      return { data, layout: spec.layout };
    }

    async function draw(i) {
      const data = [
        Object.assign({}, points, {
          marker: Object.assign({}, points.marker, { color: colors(manifest.color_set[i]) }),
        }),
        ...head,
        ...GmmFrames.matching(components(manifest.param_set[i]), points),
        ...tail,
      ];
      const layout = Object.assign({}, figure.layout);
      if (manifest.axes) {  // 1-D: the density axis steps up as the mixture's peak grows
        layout.yaxis = Object.assign({}, layout.yaxis, manifest.axes[manifest.param_set[i]]);
      }
      if (bannerAt >= 0) {
        layout.annotations = layout.annotations.slice();
        layout.annotations[bannerAt] = Object.assign(
          {}, layout.annotations[bannerAt], { text: manifest.banners[i] });
      }
      const line = curveFigure(i);
      await Promise.all([
        Plotly.react(chart, data, layout, config),
        Plotly.react(curve, line.data, line.layout, config),
      ]);
      shown = i;
      slider.value = String(i);
      caption.textContent = manifest.captions[i];
      document.documentElement.dataset.gmmShown = String(i);
    }

    // Draw the wanted half-step; if another is wanted meanwhile, draw that one next.
    async function show(i) {
      wanted = Math.max(0, Math.min(last, i));
      if (drawing) return;
      drawing = true;
      try {
        while (shown !== wanted) await draw(wanted);
      } finally {
        drawing = false;
      }
    }

    function setPlaying(on) {
      playing = on;
      clearTimeout(timer);
      play.textContent = on ? "❚❚ Pause" : shown >= last ? "↺ Replay" : "▶ Play";
      if (on) tick();
    }

    async function tick() {
      if (!playing) return;
      const began = performance.now();
      await show(wanted >= last ? 0 : wanted + 1);
      if (shown >= last) return setPlaying(false);
      const wait = Number(speed.value) * 1000 - (performance.now() - began);
      timer = setTimeout(tick, Math.max(0, wait));
    }

    play.addEventListener("click", () => setPlaying(!playing));
    $("gmm-back").addEventListener("click", () => { setPlaying(false); show(wanted - 1); });
    $("gmm-forward").addEventListener("click", () => { setPlaying(false); show(wanted + 1); });
    slider.addEventListener("input", () => { setPlaying(false); show(Number(slider.value)); });
    document.addEventListener("keydown", (event) => {
      if (event.target.tagName === "SELECT" || event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      const moves = { ArrowLeft: wanted - 1, ArrowRight: wanted + 1, Home: 0, End: last };
      if (event.key === " " && event.target.tagName !== "BUTTON") {
        event.preventDefault();
        setPlaying(!playing);
      } else if (event.key in moves && event.target !== slider) {
        event.preventDefault();
        setPlaying(false);
        show(moves[event.key]);
      }
    });
    return show(0).then(() => {
      status.hidden = true;
      document.documentElement.dataset.gmmState = "ready";
    });
  }

  async function start() {
    if (typeof DecompressionStream === "undefined") {
      fail("This browser cannot unpack the animation: it lacks DecompressionStream. " +
           "Open the file in a current Chrome, Edge, Firefox (113 or later) or Safari " +
           "(16.4 or later); no network is needed.");
      return;
    }
    let unpacked;
    try {
      unpacked = await unpack();
      runScript(unpacked.script);
    } catch (error) {
      fail(`The animation could not be unpacked (${error.message}): the file may be ` +
           "damaged or cut short. Download it again.");
      return;
    }
    try {
      await player(unpacked);
    } catch (error) {
      fail(`The animation could not be drawn: ${error.message}`);
    }
  }

  start();
})();
