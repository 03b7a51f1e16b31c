// A Plotly chart that stays the same graph across Streamlit reruns.
//
// Streamlit calls this module's default export on every rerun that sends a new figure,
// always with the same parentElement. The graph div is made once and then updated with
// Plotly.react, so the user's zoom, pan and 3-D camera survive (layout.uirevision) and
// no new WebGL context is built per EM step. See pages/shared/live_chart.py.
//
// Every chart follows the width of its column: a ResizeObserver redraws it at the new
// size when the column changes (the sidebar opens or closes), which Plotly's own
// `responsive` (window resizes only) does not see. A chart given `fit_window` also
// reaches from its top edge down to the bottom of the window, within [min, max] px.
//
// data: {figure: {data, layout}, config, plotly: {partial, full, full_needed}, height,
//        selectable, after_paint,
//        fit_window: [min, max] or null, name, history: null or {run, view, token, drawn,
//        hover} (the main chart), plays_history (the curve)}
//
// The Explore page's history player (assets/history_player.js) draws other half-steps
// into the charts registered in window.__gmmCharts by name. The server's figure of
// half-step `history.view` is the player's template; it is drawn unless the browser
// shows another half-step of the same history (same token): then the player draws that
// half-step from the new template instead, so a rerun never takes the user back.

const GRAPH_CLASS = "gmm-live-chart";
const BOTTOM_MARGIN = 12; // px left below a chart that fits the window

// plotly.js comes from window.__gmmPlotly (assets/plotly_loader.js, put before this
// file): the partial bundle, or the full one once any chart has needed it.
function loadPlotly(plotly) {
  return window.__gmmPlotly.forChart(plotly);
}

// The copy of plotly.js that draws `gd`: a graph drawn by another copy (the partial
// bundle, before a 3-D chart brought the full one) is released by that copy first, and
// its click and selection listeners are added again after the next draw.
function adopt(gd, Plotly) {
  if (gd.__gmmPlotly && gd.__gmmPlotly !== Plotly) {
    gd.__gmmPlotly.purge(gd);
    gd.__gmmListening = false;
  }
  gd.__gmmPlotly = Plotly;
  return Plotly;
}

// When the full bundle arrives, the graphs the partial one drew are drawn again by it,
// so that the page's one window.Plotly (which the history player also calls) drew them:
// at each graph's turn, what it shows then, unless a newer figure was drawn meanwhile.
if (!window.__gmmRedrawOnFull) {
  window.__gmmRedrawOnFull = true;
  window.addEventListener("gmm:plotly-full", () => {
    for (const chart of Object.values(window.__gmmCharts || {})) {
      const gd = chart.gd;
      if (!gd) continue;
      gd.__gmmQueue = (gd.__gmmQueue || Promise.resolve()).then(() => {
        if (!gd.isConnected || !gd.__gmmPlotly || gd.__gmmPlotly === window.Plotly) return undefined;
        return chart.drawNow({ data: gd.data, layout: gd.__gmmLayout });
      }).catch(() => {});
    }
  });
}

// Resolves once the browser has painted a frame: a secondary chart waits for it, so
// the main chart's new picture reaches the screen first.
function nextPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

// The height a chart that fits the window gets: from its top edge (in the page, so
// scrolling changes nothing) to the window's bottom, within [min, max].
function fittedHeight(gd, [min, max]) {
  let scrolled = window.scrollY;
  for (let el = gd.parentElement; el; el = el.parentElement) scrolled += el.scrollTop || 0;
  const top = gd.getBoundingClientRect().top + scrolled;
  const room = window.innerHeight - top - BOTTOM_MARGIN;
  return Math.round(Math.min(max, Math.max(min, room)));
}

function setHeight(gd) {
  const height = `${gd.__gmmFit ? fittedHeight(gd, gd.__gmmFit) : gd.__gmmHeight}px`;
  if (gd.style.height !== height) gd.style.height = height; // the observer redraws it
}

// Redraw at the graph div's new size, once per frame, after any draw under way.
function scheduleResize(gd) {
  if (gd.__gmmResizing) return;
  gd.__gmmResizing = true;
  requestAnimationFrame(() => {
    gd.__gmmResizing = false;
    gd.__gmmQueue = (gd.__gmmQueue || Promise.resolve())
      .then(() => {
        if (gd.isConnected && gd._fullLayout && gd.__gmmPlotly) {
          return gd.__gmmPlotly.Plots.resize(gd);
        }
      })
      .catch(() => {}); // a chart that was removed meanwhile
  });
}

function graphDiv(parentElement) {
  let gd = parentElement.querySelector(`.${GRAPH_CLASS}`);
  if (!gd) {
    gd = document.createElement("div");
    gd.className = GRAPH_CLASS;
    gd.style.width = "100%";
    parentElement.appendChild(gd);
    gd.__gmmObserver = new ResizeObserver(() => {
      setHeight(gd); // a new width can move the chart's top edge (rows above rewrap)
      scheduleResize(gd);
    });
    gd.__gmmObserver.observe(gd);
    gd.__gmmOnWindowResize = () => setHeight(gd);
    window.addEventListener("resize", gd.__gmmOnWindowResize);
    // What is drawn above the chart after it (a line that wraps, late type, a notice)
    // moves its top edge without resizing it: refit when the page's content resizes.
    // (The chart's own new height resizes the page too; setHeight then changes nothing.)
    const content = parentElement.closest('[data-testid="stMainBlockContainer"]') || document.body;
    gd.__gmmPageObserver = new ResizeObserver(() => setHeight(gd));
    gd.__gmmPageObserver.observe(content);
  }
  return gd;
}

function release(gd) {
  if (gd.__gmmObserver) gd.__gmmObserver.disconnect();
  if (gd.__gmmPageObserver) gd.__gmmPageObserver.disconnect();
  window.removeEventListener("resize", gd.__gmmOnWindowResize);
  if (gd.__gmmPlotly) gd.__gmmPlotly.purge(gd);
}

// The picked points as Python reads them: Streamlit's own selection shape, trimmed.
function selectionOf(event) {
  const points = ((event && event.points) || []).map((p) => ({
    x: p.x, y: p.y, z: p.z,
    curve_number: p.curveNumber,
    point_index: p.pointIndex ?? p.pointNumber,
  }));
  return { points };
}

function listen(Plotly, gd) {
  if (gd.__gmmListening) return;
  gd.__gmmListening = true;
  const send = (event) => {
    const H = window.__gmmHistory;
    if (gd.__gmmPlaysHistory && H && H.go && event && event.points && event.points.length) {
      H.go(event.points[0].x); // the curve: the browser shows that half-step, no rerun
      return;
    }
    if (!gd.__gmmSelectable || !gd.__gmmSend) return;
    const selection = selectionOf(event);
    if (!selection.points.length) return;
    gd.__gmmSend("selection", selection);
    // The pick is recorded: clear the box or lasso so the next pick starts afresh.
    Plotly.relayout(gd, { selections: [] });
  };
  gd.on("plotly_selected", send);
  gd.on("plotly_click", send);
}

function themed(layout, parentElement, fit) {
  const style = getComputedStyle(parentElement);
  const family = style.getPropertyValue("--st-font").trim();
  const color = style.getPropertyValue("--st-text-color").trim();
  const font = { ...(layout.font || {}) };
  if (family && !font.family) font.family = family;
  if (color && !font.color) font.color = color;
  const themedLayout = { ...layout, font, autosize: true };
  if (fit) delete themedLayout.height; // the graph div's height rules
  return themedLayout;
}

// The points' positions, decoded once per template (Plotly's base64 typed arrays).
function decoded(value) {
  if (!value || typeof value !== "object" || !value.bdata) return value;
  const raw = atob(value.bdata), bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  const Typed = { f8: Float64Array, f4: Float32Array, i4: Int32Array, u4: Uint32Array,
    i2: Int16Array, u2: Uint16Array, i1: Int8Array, u1: Uint8Array }[value.dtype];
  return Typed ? new Typed(bytes.buffer) : value;
}

// The image mode (gmm/figures/raster_traces.py): the pixels of the server's picture
// that hold points, in the order of the grid's `occupied`, and their opacity (it follows
// the counts, which no half-step changes); the history player repaints their colours.
function imageMask(trace) {
  const [rows, cols] = trace.meta.shape;
  const picture = new Image();
  picture.src = trace.source;
  return picture.decode().then(() => {
    const canvas = document.createElement("canvas");
    canvas.width = cols;
    canvas.height = rows;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(picture, 0, 0);
    const rgba = context.getImageData(0, 0, cols, rows).data;
    const occupied = [], alpha = [];
    for (let p = 0; p < rows * cols; p++) {
      if (rgba[4 * p + 3] > 0) {
        occupied.push(p);
        alpha.push(rgba[4 * p + 3]);
      }
    }
    return { rows, cols, occupied: Uint32Array.from(occupied), alpha: Uint8Array.from(alpha),
      pictures: new WeakMap() };
  });
}

function templateOf(figure, history) {
  const points = figure.data.find((t) => t.meta && t.meta.role === "points");
  const where = points ? { x: decoded(points.x), y: decoded(points.y), z: decoded(points.z) } : null;
  if (where) where.n = where.x ? where.x.length : 0;
  // The layout as the server sent it: Plotly writes the user's zoom into the layout it
  // is given, and a frame must hand it the server's values, or uirevision sees a change.
  const layout = JSON.parse(JSON.stringify(figure.layout || {}));
  const template = { figure: { data: figure.data, layout }, history, points: where };
  const image = figure.data.find((t) => t.meta && t.meta.role === "image");
  if (image) {
    template.imageReady = imageMask(image)
      .then((mask) => { template.image = mask; })
      .catch(() => {}); // frames then leave the picture to the server
  }
  return template;
}

// The chart in window.__gmmCharts[name], with a `draw` that the history player uses.
function registered(gd, data, parentElement) {
  window.__gmmCharts = window.__gmmCharts || {};
  const chart = window.__gmmCharts[data.name] || {};
  chart.gd = gd;
  chart.drawNow = (figure) => { // in the graph's queue, with the page's window.Plotly
    const copy = JSON.parse(JSON.stringify(figure.layout)); // Plotly writes into it
    const layout = themed(copy, parentElement, Boolean(gd.__gmmFit));
    gd.__gmmLayout = figure.layout;
    const Plotly = adopt(gd, window.Plotly);
    return Plotly.react(gd, figure.data, layout, data.config).then(() => listen(Plotly, gd));
  };
  chart.draw = (figure) => {
    gd.__gmmQueue = (gd.__gmmQueue || Promise.resolve()).then(() => chart.drawNow(figure)).then(() => {
      gd.dataset.drawn = String(gd.__gmmVersion); // what the tests wait for
    }).catch(() => {});
    return gd.__gmmQueue;
  };
  window.__gmmCharts[data.name] = chart;
  return chart;
}

export default function ({ parentElement, data, setTriggerValue }) {
  const gd = graphDiv(parentElement);
  gd.__gmmHeight = data.height;
  gd.__gmmFit = data.fit_window || null;
  setHeight(gd);
  gd.__gmmSend = setTriggerValue;
  gd.__gmmSelectable = Boolean(data.selectable);
  const version = (gd.__gmmVersion || 0) + 1;
  gd.__gmmVersion = version;

  // Draws run one after another; a figure that a newer one replaced before its turn is
  // skipped, so a burst of steps ends on the newest picture without drawing each one.
  gd.__gmmPlaysHistory = Boolean(data.plays_history);
  const chart = registered(gd, data, parentElement);
  const H = window.__gmmHistory;
  const h = data.history;
  const elsewhere = H && h && H.run === h.run && H.token === h.token && H.position !== h.view;
  chart.template = h ? templateOf(data.figure, h) : null; // no run: nothing to play

  gd.__gmmQueue = (gd.__gmmQueue || Promise.resolve())
    .then(() => (data.after_paint ? nextPaint() : undefined))
    .then(() => loadPlotly(data.plotly))
    .then((Plotly) => {
      if (gd.__gmmVersion !== version) return;
      setHeight(gd); // where the chart is now, after the page around it was drawn
      if (elsewhere) {
        H.painted = -1; // the browser's half-step, drawn from the new template (after
        setTimeout(() => H.paint().then(() => { // this queue's turn: the player draws
          gd.dataset.drawn = String(gd.__gmmVersion); // through it too)
        }), 0);
        return undefined;
      }
      gd.__gmmLayout = JSON.parse(JSON.stringify(data.figure.layout || {}));
      const layout = themed(data.figure.layout || {}, parentElement, Boolean(gd.__gmmFit));
      return adopt(gd, Plotly).react(gd, data.figure.data, layout, data.config).then(() => {
        chart.framed = false;
        listen(Plotly, gd);
        gd.dataset.drawn = String(version);
        if (H && H.charted && h) H.charted(h.view);
      });
    })
    .catch((error) => {
      gd.textContent = `The chart could not be drawn: ${error.message}`;
    });

  // Streamlit calls this before each new figure and when the chart leaves the page;
  // only in the second case is the graph gone from the document, and then its WebGL
  // contexts, resize observer and window listener are released.
  return () => {
    setTimeout(() => {
      if (!gd.isConnected) release(gd);
    }, 0);
  };
}
