// Loads the partial plotly.js bundle as soon as a page's first run starts, before any
// chart asks for it: the download and compilation overlap the rest of the page's first
// run and drawing, instead of starting when the first chart's component has been drawn.
// The charts wait on the same load (assets/plotly_loader.js, which
// pages/shared/preload.py puts before this, with the bundle's URL filled in). A page
// whose first chart is 3-D loads the full bundle when that chart asks for it. (With a
// plotly package whose plotly.js is not the partial bundle's, every chart and this take
// the full bundle: pages/shared/plotly_js.py, PARTIAL_MATCHES.)
window.__gmmPlotly.load(__PLOTLY_KIND__, __PLOTLY_URL__);
