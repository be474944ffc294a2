// The report's only script of our own: turns the chart specifications in #burstlab-data into uPlot charts.
// Everything about the run was computed when the report was written; this file only draws. It builds no HTML from
// data (labels reach the page through uPlot, which sets textContent) and fetches nothing.
/* global uPlot */
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('burstlab-data').textContent);
  const SYNC_KEY = 'burstlab-time';
  const plots = [];

  const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  const seconds = (v) => {
    if (v == null) return '–';
    if (v < 1) return v.toFixed(2) + ' s';
    if (v < 60) return (v < 10 ? v.toFixed(1) : Math.round(v)) + ' s';
    if (v < 3600) return (v / 60).toFixed(v < 600 ? 1 : 0) + ' min';
    return (v / 3600).toFixed(1) + ' h';
  };
  const formatters = {
    count: (v) => (v == null ? '–' : compact.format(v)),
    rps: (v) => (v == null ? '–' : compact.format(v) + '/s'),
    usd: (v) => (v == null ? '–' : '$' + compact.format(v)),
    usdPerHour: (v) => (v == null ? '–' : '$' + compact.format(v) + '/h'),
    fraction: (v) => (v == null ? '–' : Math.round(v * 1000) / 10 + '%'),
  };
  // Latency axes are logarithmic; ticks at round durations read better than powers of ten.
  const LATENCY_TICKS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 60, 120, 300, 600, 1200, 3600, 7200];
  const latencyLabel = (v) => (v < 60 ? v + ' s' : v < 3600 ? v / 60 + ' min' : v / 3600 + ' h');
  const clock = (v) => new Date(v * 1000).toISOString().slice(11, 16);
  const clockLong = (v) => new Date(v * 1000).toISOString().slice(11, 19);
  const withAlpha = (hex, alpha) => hex + alpha;

  // Phase names live in a band reserved above the plot area (the chart's top padding), so no curve can run
  // through them; the phases' alternating shading runs from the band down through the plot.
  const PHASE_BAND = 18;
  // Narrower than this, a phase's name would be a letter and an ellipsis: the shading and its tooltip are enough.
  const MIN_LABEL_PX = 36;

  function phaseLabels(u, shiftS) {
    let band = u.root.querySelector('.phase-band');
    if (!band) {
      band = document.createElement('div');
      band.className = 'phase-band';
      u.over.parentNode.appendChild(band);
    }
    const over = u.over.style;
    band.style.left = over.left;
    band.style.width = over.width;
    band.style.height = PHASE_BAND + 'px';
    band.style.top = parseFloat(over.top) - PHASE_BAND + 'px';
    const width = parseFloat(over.width);
    const labels = [];
    for (const p of data.phases) {
      const x0 = Math.max(0, u.valToPos(p.startS + shiftS, 'x'));
      const x1 = Math.min(width, u.valToPos(p.endS + shiftS, 'x'));
      const room = x1 - x0 - 6;
      if (!(room >= MIN_LABEL_PX)) continue;
      const label = document.createElement('span');
      label.className = 'phase-label';
      label.textContent = p.name;
      label.title = p.name;
      label.style.left = x0 + 3 + 'px';
      label.style.maxWidth = room + 'px';
      labels.push(label);
    }
    band.replaceChildren(...labels);
  }

  // Phases as alternating bands behind the series, faults as red lines in front, on every time chart.
  function markers(shiftS) {
    return {
      opts: (_u, opts) => (data.phases.length ? { ...opts, padding: [PHASE_BAND, null, null, null] } : opts),
      hooks: {
        drawClear: [
          (u) => {
            const { ctx, bbox } = u;
            const top = data.phases.length ? bbox.top - PHASE_BAND * devicePixelRatio : bbox.top;
            ctx.save();
            data.phases.forEach((p, i) => {
              const x0 = Math.max(bbox.left, u.valToPos(p.startS + shiftS, 'x', true));
              const x1 = Math.min(bbox.left + bbox.width, u.valToPos(p.endS + shiftS, 'x', true));
              if (x1 <= x0 || i % 2 === 0) return;
              ctx.fillStyle = 'rgba(73, 80, 87, 0.06)';
              ctx.fillRect(x0, top, x1 - x0, bbox.top + bbox.height - top);
            });
            // Each fault's impact window, until its displaced pods were Ready again on every arm.
            ctx.fillStyle = 'rgba(224, 49, 49, 0.08)';
            for (const f of data.faults) {
              if (f.untilS === undefined) continue;
              const x0 = Math.max(bbox.left, u.valToPos(f.tS + shiftS, 'x', true));
              const x1 = Math.min(bbox.left + bbox.width, u.valToPos(f.untilS + shiftS, 'x', true));
              if (x1 > x0) ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
            }
            ctx.restore();
          },
        ],
        draw: [
          (u) => data.phases.length && phaseLabels(u, shiftS),
          (u) => {
            const { ctx, bbox } = u;
            ctx.save();
            ctx.strokeStyle = '#e03131';
            ctx.fillStyle = '#e03131';
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.setLineDash([5 * devicePixelRatio, 3 * devicePixelRatio]);
            ctx.font = `bold ${Math.round(10 * devicePixelRatio)}px system-ui, sans-serif`;
            ctx.textBaseline = 'top';
            ctx.textAlign = 'left';
            // Labels of faults close in time go on separate rows instead of over each other.
            const rowEnds = [];
            for (const f of data.faults) {
              const x = Math.round(u.valToPos(f.tS + shiftS, 'x', true));
              if (x < bbox.left || x > bbox.left + bbox.width) continue;
              ctx.beginPath();
              ctx.moveTo(x, bbox.top);
              ctx.lineTo(x, bbox.top + bbox.height);
              ctx.stroke();
              const text = '⚡ ' + f.label;
              const width = ctx.measureText(text).width;
              const tx = Math.min(x + 4 * devicePixelRatio, bbox.left + bbox.width - width);
              let row = rowEnds.findIndex((end) => tx > end);
              if (row < 0) row = rowEnds.length;
              rowEnds[row] = tx + width + 6 * devicePixelRatio;
              ctx.fillText(text, tx, bbox.top + (3 + 12 * row) * devicePixelRatio);
            }
            ctx.restore();
          },
          (u) => disruptionMarks(u, shiftS),
        ],
      },
    };
  }

  // Disruption decisions as dotted purple lines; with few in view, a label each along the bottom (faults label the top).
  const DISRUPTION_LABELS_MAX = 12;
  function disruptionMarks(u, shiftS) {
    const marks = data.disruptions || [];
    if (!marks.length) return;
    const { ctx, bbox } = u;
    const inView = marks.filter((d) => {
      const x = u.valToPos(d.tS + shiftS, 'x', true);
      return x >= bbox.left && x <= bbox.left + bbox.width;
    });
    ctx.save();
    ctx.strokeStyle = '#7048e8';
    ctx.fillStyle = '#7048e8';
    ctx.lineWidth = devicePixelRatio;
    ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
    ctx.font = `${Math.round(10 * devicePixelRatio)}px system-ui, sans-serif`;
    ctx.textBaseline = 'bottom';
    ctx.textAlign = 'left';
    const rowEnds = [];
    for (const d of inView) {
      const x = Math.round(u.valToPos(d.tS + shiftS, 'x', true));
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
      if (inView.length > DISRUPTION_LABELS_MAX) continue;
      const text = '✂ ' + d.label;
      const width = ctx.measureText(text).width;
      const tx = Math.min(x + 3 * devicePixelRatio, bbox.left + bbox.width - width);
      let row = rowEnds.findIndex((end) => tx > end);
      if (row < 0) row = rowEnds.length;
      rowEnds[row] = tx + width + 6 * devicePixelRatio;
      ctx.fillText(text, tx, bbox.top + bbox.height - (3 + 12 * row) * devicePixelRatio);
    }
    ctx.restore();
  }

  // Quantile guides on CDFs: where each curve crosses them is that arm's p50 / p90 / p99.
  const quantileGuides = {
    hooks: {
      drawClear: [
        (u) => {
          const { ctx, bbox } = u;
          ctx.save();
          ctx.strokeStyle = '#adb5bd';
          ctx.fillStyle = '#868e96';
          ctx.lineWidth = devicePixelRatio;
          ctx.setLineDash([3 * devicePixelRatio, 3 * devicePixelRatio]);
          ctx.font = `${Math.round(10 * devicePixelRatio)}px system-ui, sans-serif`;
          ctx.textAlign = 'left';
          ctx.textBaseline = 'bottom';
          for (const [q, label] of [[0.5, 'p50'], [0.9, 'p90'], [0.99, 'p99']]) {
            const y = Math.round(u.valToPos(q, 'y', true));
            ctx.beginPath();
            ctx.moveTo(bbox.left, y);
            ctx.lineTo(bbox.left + bbox.width, y);
            ctx.stroke();
            ctx.fillText(label, bbox.left + 4 * devicePixelRatio, y - 2 * devicePixelRatio);
          }
          ctx.restore();
        },
      ],
    },
  };

  // Layer k is drawn as the running total of layers 0..k; each band fills between a layer and the one below it.
  function stack(columns) {
    const acc = new Array(columns[0] ? columns[0].length : 0).fill(0);
    const stacked = columns.map((col) => col.map((v, i) => (acc[i] += v)));
    const bands = columns.slice(1).map((_, k) => ({ series: [k + 2, k + 1] }));
    return { stacked, bands };
  }

  // A CDF is a step function, and the arms share one x axis with gaps where an arm has no point of its own: the
  // legend reads each arm's share at or below the hovered latency, not a gap.
  function carryForward(values) {
    let last = 0;
    return values.map((v) => (v == null ? last : (last = v)));
  }

  // The legend names the series until the cursor is on a chart; then it shows every value at that instant (on all
  // time charts at once, through the cursor sync) instead of a row of dashes.
  const legendHooks = {
    setLegend: [(u) => u.root.querySelector('.u-legend').classList.toggle('legend-idle', u.legend.idx == null)],
  };

  function optionsFor(spec, width) {
    const fmt = formatters[spec.unit];
    const time = spec.kind === 'time';
    const shiftS = data.time.shiftS;
    const focus = spec.axis === 'focus';
    const xs = time ? (focus ? data.focus.x : data.time.x).map((v) => v + shiftS) : spec.x;
    const raw = spec.series.map((s) => s.values);
    const { stacked, bands } = spec.stacked ? stack(raw) : { stacked: raw, bands: [] };
    const shown = spec.kind === 'cdf' ? raw.map(carryForward) : raw;
    const xLabel = time ? 'Time' : spec.kind === 'cdf' ? 'Latency' : 'Bin from';
    const opts = {
      width,
      height: time ? 190 : 240,
      cursor: time ? { sync: { key: focus ? SYNC_KEY + '-focus' : SYNC_KEY, setSeries: false } } : {},
      legend: { live: true },
      scales: {
        x: time ? { time: true } : { time: false, distr: 3, log: 10 },
        y: spec.kind === 'cdf' ? { range: [0, 1] } : { range: (_u, _min, max) => [0, spec.yMax || (max > 0 ? max * 1.08 : 1)] },
      },
      axes: [
        time
          ? { values: (_u, splits) => splits.map(clock), stroke: '#495057', grid: { stroke: '#f1f3f5' }, ticks: { stroke: '#dee2e6' } }
          : {
              splits: (_u, _i, min, max) => LATENCY_TICKS.filter((v) => v >= min * 0.999 && v <= max * 1.001),
              // uPlot labels only powers of ten on log axes by default; every one of these ticks is worth a label.
              filter: (_u, splits) => splits,
              values: (_u, splits) => splits.map((v) => (v == null ? '' : latencyLabel(v))),
              stroke: '#495057',
              grid: { stroke: '#f1f3f5' },
              ticks: { stroke: '#dee2e6' },
            },
        { values: (_u, splits) => splits.map((v) => (v == null ? '' : fmt(v))), size: 62, stroke: '#495057', grid: { stroke: '#f1f3f5' }, ticks: { stroke: '#dee2e6' } },
      ],
      series: [
        { label: xLabel, value: time ? (_u, v) => (v == null ? '–' : clockLong(v) + ' ' + data.time.zone) : (_u, v) => seconds(v) },
        ...spec.series.map((s, i) => ({
          label: s.label,
          stroke: s.color,
          width: spec.stacked ? 1 : 1.75,
          dash: s.dash ? [6, 4] : undefined,
          fill: s.fill ? withAlpha(s.color, spec.stacked ? 'b0' : '26') : undefined,
          spanGaps: spec.kind === 'cdf',
          points: { show: false },
          paths: spec.kind === 'histogram' ? uPlot.paths.stepped({ align: 1 }) : undefined,
          value: (_u, _v, _si, idx) => (idx == null ? '–' : fmt(shown[i][idx])),
        })),
      ],
      bands,
      plugins: time ? [markers(shiftS)] : spec.kind === 'cdf' ? [quantileGuides] : [],
      hooks: time && !focus ? { ...legendHooks, setScale: [(u, key) => key === 'x' && zoomAll(u, u.scales.x.min, u.scales.x.max)] } : legendHooks,
    };
    return { opts, chartData: [xs, ...stacked] };
  }

  // Dragging across one time chart zooms all of them; double-click or "whole run" zooms back out.
  let zooming = false;
  function zoomAll(source, min, max) {
    if (zooming) return;
    zooming = true;
    for (const p of plots) if (p.time && p.u !== source) p.u.setScale('x', { min, max });
    zooming = false;
  }

  function render(spec, figure) {
    const el = figure.querySelector('.plot');
    const { opts, chartData } = optionsFor(spec, el.clientWidth || 600);
    const u = new uPlot(opts, chartData, el);
    legendHooks.setLegend[0](u);
    plots.push({ u, el, time: spec.kind === 'time' && spec.axis !== 'focus' });
    const points = chartData.slice(1).reduce((n, col) => n + col.filter((v) => v != null && v !== 0).length, 0);
    figure.dataset.rendered = 'true';
    figure.dataset.points = String(points);
    if (plots.length === 1) performance.mark('burstlab:first-chart');
  }

  const byId = new Map(data.charts.map((c) => [c.id, c]));
  let failed = 0;
  for (const figure of document.querySelectorAll('figure[data-chart]')) {
    const spec = byId.get(figure.dataset.chart);
    try {
      if (!spec) throw new Error('no data for chart ' + figure.dataset.chart);
      render(spec, figure);
    } catch (err) {
      failed++;
      figure.dataset.error = String(err && err.message);
      console.error('burstlab: chart ' + figure.dataset.chart + ' failed:', err);
    }
  }
  performance.mark('burstlab:all-charts');

  for (const button of document.querySelectorAll('button[data-zoom-start]')) {
    button.addEventListener('click', () => {
      const min = Number(button.dataset.zoomStart) + data.time.shiftS;
      const max = Number(button.dataset.zoomEnd) + data.time.shiftS;
      zoomAll(null, min, max);
    });
  }
  document.documentElement.dataset.charts = failed ? 'failed' : 'ready';

  let pending = false;
  addEventListener('resize', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      for (const { u, el } of plots) u.setSize({ width: el.clientWidth, height: u.height });
    });
  });
})();
