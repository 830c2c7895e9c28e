// Draws a stream's charts from the history embedded in the page (#console-config) and keeps them
// live over server-sent events. Plain script, no build step; uPlot is served by the console itself.
(function () {
  "use strict";
  const configElement = document.getElementById("console-config");
  if (!configElement || typeof uPlot === "undefined") return;
  const config = JSON.parse(configElement.textContent);
  const windows = config.windows.slice();
  const palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];
  const width = () => Math.max(320, document.querySelector("main").clientWidth - 20);

  // Rolling share of rejected windows over the last `config.rolling` windows, one value per window.
  function rates() {
    const out = [];
    let rejected = 0;
    for (let i = 0; i < windows.length; i++) {
      rejected += windows[i].alert ? 1 : 0;
      if (i >= config.rolling) rejected -= windows[i - config.rolling].alert ? 1 : 0;
      out.push(rejected / Math.min(i + 1, config.rolling));
    }
    return out;
  }

  function layerNames() {
    const names = new Set();
    for (const w of windows) for (const name of Object.keys(w.layers)) names.add(name);
    return Array.from(names).sort();
  }

  function rateData() {
    const times = windows.map(w => w.time / 1000);
    return [times, rates(), times.map(() => config.baseline), times.map(() => config.alpha)];
  }

  function pvalueData(names) {
    const times = windows.map(w => w.time / 1000);
    // p-values of 0 cannot be drawn on a log axis: shown at 1e-4, the smallest a permutation test reports here.
    const series = names.map(n => windows.map(w => (n in w.layers ? Math.max(w.layers[n], 1e-4) : null)));
    return [times, ...series, times.map(() => config.alpha)];
  }

  const rateChart = new uPlot({
    width: width(), height: 260,
    scales: { y: { range: [0, 1] } },
    axes: [{ label: "time (local)" }, { label: "share of windows rejected", values: (u, ticks) => ticks.map(t => Math.round(t * 100) + " %") }],
    series: [
      {},
      { label: `detection rate (rolling ${config.rolling})`, stroke: "#1f77b4", width: 2, value: (u, v) => v == null ? "–" : (v * 100).toFixed(1) + " %" },
      { label: "clean baseline", stroke: "#888", dash: [8, 4], width: 1.5, value: (u, v) => v == null ? "none yet" : (v * 100).toFixed(1) + " %" },
      { label: "α", stroke: "#d62728", dash: [2, 4], width: 1.5, value: (u, v) => v == null ? "–" : (v * 100).toFixed(1) + " %" },
    ],
  }, rateData(), document.getElementById("rate-chart"));

  let names = layerNames();
  function pvalueOptions() {
    return {
      width: width(), height: 260,
      scales: { y: { distr: 3, range: [1e-4, 1] } },
      axes: [{ label: "time (local)" }, { label: "p-value (log)" }],
      series: [{}, ...names.map((n, i) => ({ label: n, stroke: palette[i % palette.length], width: 1.5 })), { label: "α", stroke: "#d62728", dash: [2, 4], width: 1.5 }],
    };
  }
  const pvalueElement = document.getElementById("pvalue-chart");
  let pvalueChart = new uPlot(pvalueOptions(), pvalueData(names), pvalueElement);

  function redraw() {
    rateChart.setData(rateData());
    const now = layerNames();
    if (now.join("\u0000") !== names.join("\u0000")) {
      names = now;
      pvalueChart.destroy();
      pvalueChart = new uPlot(pvalueOptions(), pvalueData(names), pvalueElement);
    } else {
      pvalueChart.setData(pvalueData(names));
    }
    window.consoleCharts.rates = rates();
  }

  // For people and tests alike: what the charts show.
  window.consoleCharts = { windows: windows, rates: rates(), rateChart: rateChart };

  const status = document.getElementById("live-status");
  const source = new EventSource(config.live);
  source.addEventListener("open", () => { status.textContent = "live updates: on"; status.className = "live on"; });
  source.addEventListener("error", () => { status.textContent = "live updates: reconnecting…"; status.className = "live off"; });
  source.addEventListener("window", event => {
    const point = JSON.parse(event.data);
    if (windows.some(w => w.windowId === point.windowId)) return;
    windows.push(point);
    windows.sort((a, b) => a.time - b.time);
    const tested = document.getElementById("windows-tested");
    if (tested) tested.textContent = String(Number(tested.textContent) + 1);
    redraw();
  });
  window.addEventListener("resize", () => { rateChart.setSize({ width: width(), height: 260 }); pvalueChart.setSize({ width: width(), height: 260 }); });
})();
