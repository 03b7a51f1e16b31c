// Loads plotly.js as soon as a page's first run starts, before any chart asks for it:
// the download and compilation overlap the rest of the page's first run and drawing,
// instead of starting when the first chart's component has been drawn.
//
// The promise of window.Plotly is window.__gmmPlotlyLoading, which
// assets/live_plotly_chart.js waits on instead of loading plotly.js itself. On failure
// the promise is cleared, so that the chart tries again on its own. The URL of
// plotly.js is filled in by pages/shared/preload.py.
(() => {
  if (window.Plotly || window.__gmmPlotlyLoading) return;
  performance.mark("gmm:plotly-preload"); // read by benchmarks/bench_first_chart.py
  const url = __PLOTLY_URL__;
  window.__gmmPlotlyLoading = new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.onload = () => {
      performance.mark("gmm:plotly-ready");
      resolve(window.Plotly);
    };
    script.onerror = () => {
      script.remove();
      window.__gmmPlotlyLoading = undefined;
      reject(new Error(`could not load plotly.js from ${url}`));
    };
    document.head.appendChild(script);
  });
  window.__gmmPlotlyLoading.catch(() => {});
})();
