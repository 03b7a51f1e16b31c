// The page's one loader of plotly.js, shared by the preload (assets/preload_plotly.js,
// which starts the partial bundle's download at the top of the first run) and the live
// charts (assets/live_plotly_chart.js): pages/shared/preload.py and
// pages/shared/live_chart.py put this file before each. Whichever runs first defines it.
//
// Two bundles of one plotly.js version (pages/shared/plotly_js.py): the partial one
// (the 1-D and 2-D trace types) and the full one (also 3-D). The page holds one
// window.Plotly, never two copies fighting over it: the partial bundle until a chart
// needs the full one; from then on the full one, for every chart: a chart asking for
// the partial bundle gets the full one, and a graph the partial copy drew is drawn again
// by the full one (live_plotly_chart.js: `adopt`, and the "gmm:plotly-full" event sent
// here). A partial bundle arriving after the full one does not take window.Plotly back.
(() => {
  if (window.__gmmPlotly) return;
  const loading = {}; // "partial" | "full": the promise of that bundle's Plotly
  const loader = { full: null };

  // The Plotly of bundle `kind`, loaded from `url` once (again after a failure).
  loader.load = (kind, url) => {
    if (loading[kind]) return loading[kind];
    performance.mark(`gmm:plotly-${kind}-requested`); // read by the benchmarks and tests
    loading[kind] = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => {
        const Plotly = window.Plotly; // what this script has just defined
        if (kind === "full") loader.full = Plotly;
        if (loader.full) window.Plotly = loader.full;
        performance.mark(`gmm:plotly-${kind}-ready`);
        resolve(Plotly);
        if (kind === "full") window.dispatchEvent(new Event("gmm:plotly-full"));
      };
      script.onerror = () => {
        script.remove();
        loading[kind] = undefined;
        reject(new Error(`could not load plotly.js from ${url}`));
      };
      document.head.appendChild(script);
    });
    loading[kind].catch(() => {}); // a chart that waits on it says what went wrong
    return loading[kind];
  };

  // The Plotly a chart draws with. plotly: {partial, full} (the URLs), full_needed.
  loader.forChart = (plotly) =>
    plotly.full_needed || loading.full
      ? loader.load("full", plotly.full)
      : loader.load("partial", plotly.partial);

  window.__gmmPlotly = loader;
})();
