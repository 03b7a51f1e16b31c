// The Explore page's history, played in the browser (pages/shared/history_player.py).
//
// Back, Forward, the half-step slider, a click on the log-likelihood curve, Play/Pause
// and the speed move `position` here, with no server rerun: each half-step is drawn from
// the template the server drew last (its points, axes, legend...) and the frames of the
// history (blocks of compact typed arrays, drawn with GmmFrames from gmm/figures/frames.js,
// which history_player.py puts before this file, with assets/frame_canvas.js and
// assets/frame_figure.js). In 2-D the frame is painted on a canvas over the chart
// (GmmCanvas), with no Plotly redraw; in 1-D too while the density axis stays (Plotly
// keeps its bars and axes), else Plotly draws the frame's curves and the canvas its rug;
// in 3-D over Plotly's scene, whose traces skip their draws (GmmCanvas3d, from
// assets/frame_canvas_3d.js). The status line and the curve's mark follow. The server
// learns the position ~300 ms after the last input (at once on Pause and at the end of
// playback) through the "sync" element's state, and then sends the side panel, formulas,
// downloads... for that half-step.
//
// `token` changes only when the server itself moves the view (a step, a run, a new run,
// a link): a rerun with the same token never yanks the browser back while the user scrubs.
//
// One component, several roles (data.role): "block" (bytes: one block of the history,
// registered by run and start), "sync" (the run's manifest, the server's view and token,
// the state that reports the position), "back" (the Back button among the step
// buttons), "timeline" (slider, Forward, Play/Pause, speed) and "status" (the status line).

const REPORT_AFTER_MS = 300;

function history() {
  if (!window.__gmmHistory) {
    window.__gmmHistory = {
      runs: new Map(), // run id -> {blocks: Map(start -> block), ahead}
      run: null, manifest: null, token: null,
      position: 0, last: 0, serverView: 0,
      playing: false, speed: 1, showChanges: true,
      controls: new Set(), // redraw functions of the controls on the page
      report: null, reportTimer: null, painting: false, painted: -1,
      forward: null, // what → does at the last half-step (the next half-step)
    };
  }
  const H = window.__gmmHistory;
  // For assets/live_plotly_chart.js: a click on the curve, a template to draw from.
  H.go = (i) => go(H, i);
  H.paint = () => schedulePaint(H);
  H.charted = (view) => { // the live chart drew the server's figure of `view`
    H.painted = view;
    const chart = window.__gmmCharts && window.__gmmCharts.scatter;
    if (!chart) return;
    if (window.GmmCanvas) window.GmmCanvas.clear(chart.gd, true);
    chart.plotted = chart.template;
  };
  return H;
}

// ------------------------------------------------------------------ blocks
async function unpackBlock(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return GmmFrames.unpack(await new Response(stream).arrayBuffer());
}

function runOf(H, id) {
  if (!H.runs.has(id)) {
    H.runs.set(id, { blocks: new Map(), ahead: null });
    while (H.runs.size > 3) H.runs.delete(H.runs.keys().next().value);
  }
  return H.runs.get(id);
}

async function registerBlock(H, data) {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data)
    : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : null;
  if (!bytes) return;
  const { manifest, arrays } = await unpackBlock(bytes);
  const block = { manifest, arrays, drawer: null };
  const run = runOf(H, manifest.run);
  if (manifest.ahead) run.ahead = block; else run.blocks.set(manifest.start, block);
  if (manifest.run === H.run) schedulePaint(H);
}

// The block and local step of half-step i; the speculative block past the end.
function stepAt(H, i) {
  const run = H.runs.get(H.run);
  if (!run || i < 0) return null;
  const size = H.manifest.block;
  let block = run.blocks.get(Math.floor(i / size) * size);
  if (i > H.last || !block || i - block.manifest.start >= block.manifest.steps.length) {
    block = run.ahead && run.ahead.manifest.base === H.last ? run.ahead : null;
  }
  if (!block) return null;
  if (!block.drawer) { // the run's recipe (outline, curve, mesh) with the block's numbers
    block.drawer = GmmFrames.drawer(Object.assign({}, H.manifest, block.manifest), block.arrays);
  }
  const local = i - block.manifest.start;
  const step = block.manifest.steps[local];
  return step ? { block, step, local } : null;
}

// The colour codes of half-step i: its own E-step's, or the latest before it.
function colorsAt(H, i) {
  for (let j = i; j >= 0; j--) {
    const at = stepAt(H, j);
    if (!at) return null;
    if (at.step.color >= 0) {
      const frames = at.block.colorFrames || (at.block.colorFrames = new Map());
      if (!frames.has(at.step.color)) {
        const m = at.block.arrays.colors.length / at.block.manifest.steps.filter((s) => s.color >= 0).length;
        frames.set(at.step.color, at.block.arrays.colors.subarray(at.step.color * m, (at.step.color + 1) * m));
      }
      return frames.get(at.step.color);
    }
  }
  return null;
}

// The server's figure on screen again: the overlay cleared, or Plotly given the template
// first if it still shows an older figure.
function unframe(H, chart) {
  const template = chart.template;
  const redraw = chart.plotted !== template;
  return (redraw ? chart.draw(template.figure) : Promise.resolve()).then(() => {
    if (window.GmmCanvas) window.GmmCanvas.clear(chart.gd, redraw);
    chart.plotted = template;
    chart.framed = false;
    return true;
  });
}

// In 3-D, Plotly's drawing of the scene costs ~300 ms at 10,000 points in software
// WebGL: the server's own half-step, reached while a frame is up, is painted as a frame
// too, and Plotly's drawing (with its hover) comes back once the user rests.
const SCENE_SETTLE_MS = 600;
function settleScene(H, chart, i) {
  clearTimeout(H.sceneSettle);
  H.sceneSettle = setTimeout(() => {
    const still = H.position === i && !H.playing && chart.framed && chart.template.history.view === i;
    if (still) unframe(H, chart);
  }, SCENE_SETTLE_MS);
}

function paintChart(H, i) {
  const chart = window.__gmmCharts && window.__gmmCharts.scatter;
  if (!chart || !chart.template || !window.Plotly) return Promise.resolve(false);
  const template = chart.template;
  if (template.history.run !== H.run) return Promise.resolve(false);
  const own = template.history.view === i; // the server's own figure of it
  if (own && !chart.framed) return Promise.resolve(true);
  if (own && !sceneOnCanvas(H)) return unframe(H, chart);
  if (template.imageReady && !template.image) { // the image mode's mask, decoded once
    return template.imageReady.then(() => (template.image ? paintChart(H, i) : false));
  }
  const figure = frameFigure(H, template, i);
  if (!figure) return own ? unframe(H, chart) : Promise.resolve(false);
  if (own) settleScene(H, chart, i);
  const gd = chart.gd;
  gd.__gmmVersion = (gd.__gmmVersion || 0) + 1; // a server figure queued before is stale
  const done = () => {
    chart.framed = true;
    gd.dataset.frame = String(i);
    gd.dataset.drawn = String(gd.__gmmVersion);
    return true;
  };
  const colorOf = (code, channels) => {
    const rgb = latticeRgb(code, H.manifest);
    return channels ? rgb : `rgb(${rgb.join(",")})`;
  };
  const options = { colorOf, current: () => Boolean(chart.template) };
  const overlaid = (extra) => { // the whole frame on the canvas, no Plotly draw
    figure.hover = template.history.hover;
    // After the draws queued before it (a server figure), so that it lands on top.
    const painted = (gd.__gmmQueue || Promise.resolve())
      .then(() => (extra.painter || window.GmmCanvas).paint(gd, figure, Object.assign(extra, options)));
    gd.__gmmQueue = painted.catch(() => {}); // the live chart's next draw still runs
    return painted.then((ok) => (ok ? done() : false));
  };
  if (onCanvas(H) && gd._fullLayout && gd._fullLayout.xaxis) return overlaid({});
  if (sceneOnCanvas(H)) {
    return overlaid({ painter: window.GmmCanvas3d }); // Plotly keeps its axes
  }
  const rug = rugOnCanvas(H) ? figure.data.find((t) => roleOf(t) === "points") : null;
  if (rug && rug.codes && sameAxis(gd, figure.layout.yaxis)) {
    return overlaid({ layers: "scatter" }); // Plotly keeps its bars and axes
  }
  if (rugOnCanvas(H)) { // a new y axis: Plotly draws all but the rug, the canvas the rug
    const plotted = Object.assign({}, figure, {
      data: figure.data.map((t) => (t === rug ? emptied(t) : t)),
    });
    chart.plotted = plotted;
    return chart.draw(plotted).then(() => {
      if (rug && rug.codes) { // else the image mode: Plotly draws the frame's image
        window.GmmCanvas.paint(gd, figure, Object.assign({ only: "points" }, options));
      }
      return done();
    });
  }
  chart.plotted = figure; // Plotly draws it: the server's figure must be drawn again
  return chart.draw(figure).then(done);
}

// Whether the chart's y axis is `yaxis` (range and ticks): then a 1-D frame needs no
// Plotly draw (the density axis steps only as the mixture's peak grows).
function sameAxis(gd, yaxis) {
  const now = gd.layout && gd.layout.yaxis;
  const same = (a, b) => Boolean(a) && Boolean(b) && a.length === b.length
    && Array.from(a).every((v, i) => Math.abs(v - b[i]) <= 1e-12 * Math.max(1, Math.abs(v)));
  return Boolean(now && yaxis) && same(now.range, yaxis.range)
    && same(now.tickvals || [], yaxis.tickvals || []);
}

// Plotly's own data of the mark (a restyle, a redraw of the curve) follow once the user
// rests, so that a later redraw of the curve keeps the mark where it is.
const CURVE_SETTLE_MS = 1000;
function paintCurve(H, i) {
  const chart = window.__gmmCharts && window.__gmmCharts.curve;
  const at = stepAt(H, i);
  if (!chart || !chart.gd._fullData || !at || !window.Plotly) return;
  const gd = chart.gd;
  const ring = gd.data.findIndex((t) => roleOf(t) === "current");
  if (ring < 0 || i > H.last) return;
  const value = at.block.arrays.loglik[at.local];
  const restyle = () => window.Plotly.restyle(gd, { x: [[i]], y: [[value]], customdata: [[i]] }, [ring]);
  clearTimeout(H.curveSettle);
  if (!GmmCanvas.moveMark(gd, ring, i, value)) restyle(); // its SVG, no redraw
  else {
    H.curveSettle = setTimeout(() => { // if the curve is still the one of this run
      const same = gd.isConnected && gd.data && gd.data[ring] && roleOf(gd.data[ring]) === "current";
      if (same && !H.playing && H.position === i && stepAt(H, i)) restyle();
    }, CURVE_SETTLE_MS);
  }
}

// The curve's mark after the chart's frame is on screen.
function scheduleCurve(H) {
  if (H.curvePending) return;
  H.curvePending = true;
  requestAnimationFrame(() => {
    H.curvePending = false;
    paintCurve(H, H.position);
  });
}

function statusText(H, i) {
  const at = stepAt(H, i);
  if (!at) return null;
  return `${at.step.status} · half-step ${i} of ${Math.max(H.last, i)}`;
}

// Draw the position (the newest one wanted), then the controls and the status.
function schedulePaint(H) {
  if (H.painting) return H.painting;
  H.painting = Promise.resolve().then(async () => { // runs after this assignment
    try {
      while (H.painted !== H.position && H.manifest) {
        const i = H.position;
        const ok = await paintChart(H, i);
        scheduleCurve(H);
        H.painted = i;
        if (!ok) H.painted = -1;
        if (!ok) break;
      }
    } catch (error) {
      console.error("history player:", error);
      H.painted = -1;
    } finally {
      H.painting = null;
      H.controls.forEach((redraw) => redraw());
      document.documentElement.dataset.gmmPosition = String(H.position);
    }
  });
  return H.painting;
}

// ------------------------------------------------------------------ position
function report(H, now) {
  clearTimeout(H.reportTimer);
  const send = () => {
    if (H.report && !H.playing) H.report("view", { view: H.position, token: H.token });
  };
  if (now) send(); else H.reportTimer = setTimeout(send, REPORT_AFTER_MS);
}

function go(H, i, { keepPlaying = false } = {}) {
  if (!keepPlaying) setPlaying(H, false, false);
  const to = Math.max(0, Math.min(H.last, Math.round(i)));
  H.position = to;
  H.controls.forEach((redraw) => redraw());
  schedulePaint(H);
  report(H, false);
}

function setPlaying(H, on, tell = true) {
  if (H.playing === on) return;
  H.playing = on;
  cancelAnimationFrame(H.playFrame);
  if (on) {
    if (H.position >= H.last) H.position = 0;
    H.nextAt = performance.now();
    H.playFrame = requestAnimationFrame((t) => tick(H, t));
    schedulePaint(H);
  } else {
    scheduleCurve(H);
    if (tell) report(H, true);
  }
  H.controls.forEach((redraw) => redraw());
}

// One half-step per due frame, never skipping one: a slow paint slows playback down.
async function tick(H, now) {
  if (!H.playing) return;
  if (now >= H.nextAt && !H.painting) {
    if (H.position >= H.last) {
      setPlaying(H, false);
      return;
    }
    H.position += 1;
    H.nextAt = Math.max(H.nextAt + 1000 / H.speed, now);
    H.controls.forEach((redraw) => redraw());
    await schedulePaint(H);
    if (H.position >= H.last) {
      setPlaying(H, false);
      return;
    }
  }
  H.playFrame = requestAnimationFrame((t) => tick(H, t));
}

// The server's view, taken only when the server moved it (a new token).
function serverView(H, h) {
  if (h.run !== H.run || h.token !== H.token) {
    const fresh = h.run !== H.run;
    H.run = h.run;
    H.token = h.token;
    H.last = h.last;
    H.position = h.view;
    H.serverView = h.view;
    if (fresh || h.view !== H.painted) H.painted = -1;
    setPlaying(H, false, false);
    clearTimeout(H.reportTimer);
    return true;
  }
  return false;
}

// A step button pressed: paint the half-step it makes before the server answers.
function paintAhead(H, action) {
  const at = stepAt(H, H.position);
  if (!at || H.playing) return;
  let next = H.position + 1;
  if (action === "step") {
    const phase = at.step.phase;
    next = phase === "E" ? H.position + 1 : H.position + 2;
  }
  if (!stepAt(H, next)) return;
  report(H, true);
  H.position = next; // past the last half-step: the speculative block (stepAt)
  schedulePaint(H);
}

// Whether the chart on screen shows a run of the history (not the data alone, after
// Reset or while starting means are picked).
function playable(H) {
  const chart = window.__gmmCharts && window.__gmmCharts.scatter;
  return Boolean(H.run && chart && chart.template && chart.template.history.run === H.run);
}

function installKeys(H) {
  if (H.keysInstalled) return;
  H.keysInstalled = true;
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || !playable(H)) return;
    if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) && target.type !== "range") return;
    if (target.isContentEditable) return;
    const allowed = H.allowed || {};
    if ((event.key === "ArrowLeft" || event.key === "PageUp") && allowed.back) {
      if (target.type === "range") return; // the slider moves itself
      event.preventDefault();
      event.stopPropagation();
      go(H, H.position - 1);
    } else if ((event.key === "ArrowRight" || event.key === "PageDown") && allowed.next) {
      if (target.type === "range") return;
      event.preventDefault();
      event.stopPropagation();
      if (H.position < H.last) go(H, H.position + 1);
      else if (H.forward) H.forward();
    } else if ((event.key === "p" || event.key === "P") && allowed.play) {
      event.preventDefault();
      event.stopPropagation();
      setPlaying(H, !H.playing);
    }
  }, true);
  // A step button: paint the speculative half-step at once; tell the server where we are.
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button");
    if (!button || !playable(H)) return;
    const holder = button.closest("[class*='st-key-']");
    const key = holder && Array.from(holder.classList).find((c) => c.startsWith("st-key-"));
    const action = { "st-key-next_half_step": "half", "st-key-step_em": "step" }[key];
    if (action && !button.disabled) paintAhead(H, action);
  }, true);
}

// ------------------------------------------------------------------ controls
function element(tag, attributes = {}, text = "") {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  if (text) el.textContent = text;
  return el;
}

function backButton(H, parent) {
  let button = parent.querySelector("button.gmm-back");
  if (!button) {
    button = element("button", { class: "gmm-back gmm-button", type: "button",
      title: "Show the previous half-step (← or PageUp). Stepping from there discards the later ones." });
    button.innerHTML = '<span class="gmm-icon" aria-hidden="true">←</span> Back';
    button.addEventListener("click", () => go(H, H.position - 1));
    parent.appendChild(button);
  }
  const redraw = () => { button.disabled = !H.run || H.position <= 0; };
  return { redraw, root: button };
}

function timeline(H, parent, data) {
  let root = parent.querySelector(".gmm-timeline");
  if (!root) {
    root = element("div", { class: "gmm-timeline" });
    const label = element("span", { class: "gmm-step-label", "aria-live": "polite" });
    const slider = element("input", { type: "range", min: "0", step: "1", "aria-label": "Half-step",
      class: "gmm-slider", title: "Scrub through the history; the picture follows." });
    const forward = element("button", { type: "button", class: "gmm-forward gmm-button",
      title: "Show the next half-step of the history (→)" }, "Forward");
    const play = element("button", { type: "button", class: "gmm-play gmm-button" }, "Play");
    const speed = element("select", { class: "gmm-speed", "aria-label": "Speed" });
    slider.addEventListener("input", () => go(H, Number(slider.value)));
    forward.addEventListener("click", () => go(H, H.position + 1));
    play.addEventListener("click", () => setPlaying(H, !H.playing));
    speed.addEventListener("change", () => { H.speed = Number(speed.value); });
    root.append(slider, label, forward, play, speed);
    parent.appendChild(root);
  }
  const [slider, label, forward, play, speed] = root.children;
  slider.hidden = !data.slider;
  label.hidden = !data.slider;
  play.hidden = speed.hidden = !data.play;
  if (speed.options.length !== data.speeds.length) {
    speed.replaceChildren(...data.speeds.map(([name, rate]) => {
      const option = element("option", { value: String(rate) }, name);
      if (rate === H.speed) option.selected = true;
      return option;
    }));
  }
  const redraw = () => {
    slider.max = String(H.last);
    slider.value = String(Math.min(H.position, H.last));
    label.textContent = (data.labels[H.position] || "") + ` (${H.position} of ${H.last})`;
    forward.disabled = H.position >= H.last;
    play.textContent = H.playing ? "Pause" : "Play";
    play.title = H.playing ? "Stop playback at the half-step on screen (P)."
      : "Play the history from the half-step on screen to the last one (from the start if the last one is on screen) (P).";
    speed.value = String(H.speed);
  };
  return { redraw, root };
}

function statusLine(H, parent, data) {
  let line = parent.querySelector(".gmm-history-status");
  if (!line) {
    line = element("div", { class: "gmm-history-status", "data-testid": "stMarkdownContainer" });
    parent.appendChild(line);
  }
  const redraw = () => {
    const text = H.position === data.view && H.token === data.token ? data.html : statusText(H, H.position);
    if (text !== null) line.innerHTML = `<p>${text}</p>`;
  };
  return { redraw, root: line };
}

const ROLES = { back: backButton, timeline, status: statusLine };

export default function ({ parentElement, data, setStateValue }) {
  const H = history();
  installKeys(H);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    registerBlock(H, data).catch((error) => console.error("history block:", error));
    return undefined;
  }
  if (data.role === "sync") {
    H.manifest = data.manifest;
    H.report = setStateValue;
    H.showChanges = data.show_changes;
    H.allowed = data.allowed;
    H.labels = data.labels;
    H.forward = () => {
      const button = document.querySelector(".st-key-next_half_step button");
      if (button && !button.disabled) button.click();
    };
    if (serverView(H, data)) schedulePaint(H);
    H.controls.forEach((redraw) => redraw());
    return undefined;
  }
  const control = ROLES[data.role](H, parentElement, data);
  H.controls.add(control.redraw);
  control.redraw();
  return () => {
    setTimeout(() => { if (!control.root.isConnected) H.controls.delete(control.redraw); }, 0);
  };
}
