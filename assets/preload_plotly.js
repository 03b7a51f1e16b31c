// Loads plotly.js as soon as a page's first run starts, before any chart asks for it,
// and keeps it in the browser's Cache Storage for later visits: Streamlit's component
// route serves it with "Cache-Control: public" and no validator, so the HTTP cache
// fetches all 4.6 MB again on every visit.
//
// The promise of window.Plotly is window.__gmmPlotlyLoading, which
// assets/live_plotly_chart.js waits on instead of loading plotly.js itself. Where Cache
// Storage is missing (a page served over plain http from another host), or anything in
// it fails, plotly.js is loaded from its URL as before. Only the newest version is kept.
// The URL of plotly.js is filled in by pages/shared/preload.py.
(() => {
  if (window.Plotly || window.__gmmPlotlyLoading) return;
  performance.mark("gmm:plotly-preload"); // read by benchmarks/bench_first_chart.py
  const url = new URL(__PLOTLY_URL__, document.baseURI).href;
  const CACHE = "gmm-explorer-plotly";

  const run = (src) =>
    new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = () => {
        performance.mark("gmm:plotly-ready");
        if (src.startsWith("blob:")) URL.revokeObjectURL(src);
        if (window.Plotly) resolve(window.Plotly);
        else reject(new Error(`no Plotly in ${src}`));
      };
      script.onerror = () => {
        script.remove();
        reject(new Error(`could not load plotly.js from ${src}`));
      };
      document.head.appendChild(script);
    });

  // A blob: URL of plotly.js from Cache Storage (fetched and stored on a miss), or null.
  const fromCache = async () => {
    if (!window.isSecureContext || !window.caches) return null;
    const cache = await caches.open(CACHE);
    let response = await cache.match(url);
    performance.mark(response ? "gmm:plotly-cached" : "gmm:plotly-fetch");
    if (!response) {
      response = await fetch(url);
      if (!response.ok) return null;
      for (const old of await cache.keys()) await cache.delete(old);
      await cache.put(url, response.clone());
    }
    return URL.createObjectURL(await response.blob());
  };

  window.__gmmPlotlyLoading = fromCache()
    .catch(() => null)
    .then((blob) => (blob ? run(blob).catch(() => run(url)) : run(url)))
    .catch((error) => {
      window.__gmmPlotlyLoading = undefined; // the chart will try again itself
      throw error;
    });
  window.__gmmPlotlyLoading.catch(() => {});
})();
