// Usage: tokens, requests and cost per day as a chart, and per key, adapter and model as tables, over a range.
import { api, query } from './api.js';
import { h, field, messageLine, section, table } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const METRICS = { total_tokens: 'Tokens', requests: 'Requests', cost_usd: 'Cost (USD)' };

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/** A bar per day; each bar's title gives its day and value, and the table below carries the same figures. */
function barChart(series, metric) {
  const width = 640;
  const height = 220;
  const pad = 28;
  const max = Math.max(1e-9, ...series.map((s) => Number(s[metric]) || 0));
  const step = (width - pad) / Math.max(1, series.length);
  const bars = series.map((s, i) => {
    const v = Number(s[metric]) || 0;
    const bh = (v / max) * (height - pad - 8);
    const day = String(s.bucket).slice(0, 10);
    const bar = svg('rect', { x: pad + i * step + 2, y: height - pad - bh, width: Math.max(1, step - 4), height: bh, class: 'bar' },
      svg('title', {}, `${day}: ${v}`));
    return bar;
  });
  const labels = series.map((s, i) => (series.length <= 14 || i % Math.ceil(series.length / 14) === 0
    ? svg('text', { x: pad + i * step + step / 2, y: height - 8, 'text-anchor': 'middle', class: 'axis' }, String(s.bucket).slice(5, 10))
    : null)).filter(Boolean);
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': `${METRICS[metric]} per day, up to ${max}` },
    svg('line', { x1: pad, y1: height - pad, x2: width, y2: height - pad, class: 'axis-line' }),
    svg('text', { x: 2, y: 12, class: 'axis' }, String(Math.round(max * 100) / 100)), ...bars, ...labels);
}

function groupTable(title, groups) {
  return table(title, [{ label: 'Name', value: (g) => (g.label ? `${g.label} (${g.key})` : g.key) },
    { label: 'Requests', value: (g) => String(g.requests) }, { label: 'Tokens', value: (g) => String(g.total_tokens) },
    { label: 'Cost (USD)', value: (g) => String(g.cost_usd) + (g.unpriced ? ' (some unpriced)' : '') }], groups);
}

export default async function usage(container) {
  const line = messageLine();
  const days = h('select', { name: 'days' }, [1, 7, 30, 90, 365].map((d) => h('option', { value: d, selected: d === 7 }, `${d} days`)));
  const metric = h('select', { name: 'metric' }, Object.entries(METRICS).map(([k, v]) => h('option', { value: k }, v)));
  const totals = h('p', { id: 'usage-totals' });
  const chart = h('figure', { class: 'chart-box' });
  const tables = h('div', { class: 'groups' });
  let last = null;
  const draw = () => {
    if (!last) return;
    chart.replaceChildren(barChart(last.series, metric.value), h('figcaption', {}, `${METRICS[metric.value]} per day (UTC)`));
  };
  const load = async () => {
    try {
      const q = (group) => api('GET', '/admin/observability/usage' + query({ days: days.value, group_by: group, limit_groups: 20 }));
      const [byKey, byAdapter, byModel] = await Promise.all([q('api_key'), q('adapter_name'), q('model')]);
      last = byKey;
      const t = byKey.totals;
      totals.textContent = `${t.requests} requests, ${t.total_tokens} tokens, $${t.cost_usd} over ${days.value} days`
        + (t.unpriced_requests ? ` (${t.unpriced_requests} requests without a price)` : '') + '.';
      draw();
      tables.replaceChildren(groupTable('Per API key', byKey.groups), groupTable('Per adapter', byAdapter.groups),
        groupTable('Per model', byModel.groups),
        table('Per day', [{ label: 'Day', value: (s) => String(s.bucket).slice(0, 10) }, { label: 'Requests', value: (s) => String(s.requests) },
          { label: 'Tokens', value: (s) => String(s.total_tokens) }, { label: 'Cost (USD)', value: (s) => String(s.cost_usd) }], byKey.series));
    } catch (e) {
      line.fail(e);
    }
  };
  days.addEventListener('change', load);
  metric.addEventListener('change', draw);
  container.append(section('Range', h('div', { class: 'inline-form' }, field('Range', days), field('Chart shows', metric)), line, totals, chart, tables));
  await load();
}
