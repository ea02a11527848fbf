// Overview: this gateway, its database, traffic from the metrics, and pausing chat.
import { api } from './api.js';
import { h, messageLine, act, section, table, when } from './ui.js';

function duration(seconds) {
  const d = Math.floor(seconds / 86400);
  const hrs = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${d ? d + 'd ' : ''}${hrs}h ${m}m`;
}

// The chat routes as the metrics name them (the route template of each request).
const CHAT_ROUTES = ['/v1/chat', '/v1/chat/completions'];

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

async function serverSection(container) {
  const line = messageLine();
  container.append(section('Server', line));
  try {
    const o = await api('GET', '/admin/overview');
    const s = container.lastChild;
    s.append(facts([['Version', o.version], ['Backend', o.backend], ['Database', o.database],
      ['Started', when(o.started_at)], ['Uptime', duration(o.uptime_seconds)], ['Process', String(o.pid)]]));
    s.append(table('Rows per collection', [{ label: 'Collection', value: (r) => r[0] }, { label: 'Rows', value: (r) => String(r[1]) }],
      Object.entries(o.collections)));
  } catch (e) {
    line.fail(e);
  }
}

async function metricsSection(container) {
  const line = messageLine();
  const s = section('Traffic', line);
  s.id = 'traffic';
  container.append(s);
  try {
    const m = await api('GET', '/metrics/json');
    const r = m.requests || {};
    // /metrics/json gives this process's chat count only as a total per route, so the rate is the average since
    // it started; its last-minute figures (per_second, a whole number, and error_rate, a percentage) cover all routes.
    const chats = (m.endpoint_stats || []).filter((e) => e.method === 'POST' && CHAT_ROUTES.includes(e.endpoint))
      .reduce((sum, e) => sum + e.total_requests, 0);
    const minutes = Math.max(1, (m.system?.uptime_seconds || 0) / 60);
    s.append(facts([['Chats per minute (average since start)', (chats / minutes).toFixed(2)],
      ['Chat requests', String(chats)],
      ['Requests per minute (last minute, all routes)', String((r.per_second || 0) * 60)],
      ['Error rate (last minute, all routes)', `${(r.error_rate || 0).toFixed(1)} %`],
      ['Requests since start', String(r.total ?? 0)], ['p95 response time', `${Math.round(r.p95_response_time || 0)} ms`]]));
  } catch (e) {
    line.fail(e);
  }
}

async function pauseSection(container) {
  const line = messageLine();
  const state = h('p', { id: 'pause-state' });
  const pause = h('button', { type: 'button', id: 'pause' }, 'Pause chat');
  const resume = h('button', { type: 'button', id: 'resume' }, 'Resume chat');
  const show = async () => {
    const info = await api('GET', '/admin/info');
    const paused = info.status === 'paused';
    state.textContent = paused ? 'Chat is paused: /v1/chat answers 503.' : 'Chat is running.';
    pause.hidden = paused;
    resume.hidden = !paused;
  };
  pause.addEventListener('click', () => act(pause, line, async () => { await api('POST', '/admin/pause'); await show(); line.ok('Paused.'); }));
  resume.addEventListener('click', () => act(resume, line, async () => { await api('POST', '/admin/resume'); await show(); line.ok('Resumed.'); }));
  container.append(section('Pause', state, h('div', { class: 'actions' }, pause, resume), line));
  try {
    await show();
  } catch (e) {
    line.fail(e);
  }
}

export default async function overview(container, { may }) {
  await serverSection(container);
  await pauseSection(container);
  if (may('metrics.read')) await metricsSection(container);
}
