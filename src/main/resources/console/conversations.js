// Conversations: find sessions by key, user or time; read one as a transcript with tokens, times and votes; delete.
import { api, query } from './api.js';
import { h, field, messageLine, act, section, table, pager, when, confirmed } from './ui.js';

const PAGE = 20;

function isoOf(localValue) {
  return localValue ? new Date(localValue).toISOString() : '';
}

async function transcript(sessionId, panel, may, reload) {
  const line = messageLine();
  const id = encodeURIComponent(sessionId);
  let history;
  try {
    history = await api('GET', `/admin/chat-history/${id}?limit=500`);
  } catch (e) {
    line.fail(e);
    panel.replaceChildren(line);
    return;
  }
  const votes = new Map();
  if (may('feedback.read')) {
    try {
      for (const f of (await api('GET', `/admin/sessions/${id}/feedback`)).feedbacks) votes.set(f.message_id, f);
    } catch (e) {
      line.fail(e);
    }
  }
  const messages = history.messages.map((m) => {
    const vote = votes.get(m.message_id);
    return h('li', { class: `msg ${m.role}` },
      h('div', { class: 'meta' }, `${m.role} · ${when(m.timestamp)} · ${m.token_count ?? '?'} tokens`
        + (m.metadata && m.metadata.model ? ` · ${m.metadata.model}` : '')),
      h('div', { class: 'content' }, m.content),
      vote ? h('div', { class: 'vote' }, `Feedback: ${vote.feedback_type === 'up' ? 'helpful (up)' : 'not helpful (down)'}`
        + (vote.comment ? ` — “${vote.comment}”` : '')) : null);
  });
  const del = h('button', { type: 'button', class: 'danger', hidden: !may('conversations.manage') }, 'Delete conversation');
  del.addEventListener('click', () => act(del, line, async () => {
    if (!confirmed(`Delete conversation ${sessionId} with its votes and threads?`)) return;
    await api('DELETE', `/admin/sessions/${id}`);
    panel.replaceChildren(h('p', { class: 'message ok', role: 'status' }, `Deleted ${sessionId}.`));
    await reload();
  }));
  panel.replaceChildren(section(`Conversation ${sessionId}`, line,
    h('ol', { class: 'transcript', id: 'transcript' }, messages), h('div', { class: 'actions' }, del)));
  panel.querySelector('h2').setAttribute('tabindex', '-1');
  panel.querySelector('h2').focus();
}

export default async function conversations(container, { may }) {
  const line = messageLine();
  const key = h('input', { name: 'api_key', placeholder: 'key id or key' });
  const user = h('input', { name: 'user_id' });
  const since = h('input', { type: 'datetime-local', name: 'since' });
  const until = h('input', { type: 'datetime-local', name: 'until' });
  const list = h('div', { id: 'session-list' });
  const panel = h('div', { id: 'session-panel' });
  const nav = pager(PAGE, (offset) => load(offset));
  const load = async (offset = 0) => {
    try {
      const page = await api('GET', '/admin/sessions' + query({ api_key: key.value.trim(), user_id: user.value.trim(),
        since: isoOf(since.value), until: isoOf(until.value), limit: PAGE, offset }));
      list.replaceChildren(table('Sessions', [
        { label: 'Session', value: (s) => h('button', { type: 'button', class: 'link', onclick: () => transcript(s.session_id, panel, may, () => load(nav.offset())) }, s.session_id) },
        { label: 'Key', value: (s) => (s.api_key ? `${s.api_key.client_name} (${s.api_key.masked})` : '(deleted key)') },
        { label: 'User', value: (s) => s.user_id || '' }, { label: 'Messages', value: (s) => String(s.message_count) },
        { label: 'Started', value: (s) => when(s.created_at) }, { label: 'Last active', value: (s) => when(s.last_activity) }], page.sessions));
      nav.update(page.sessions.length, page.total);
    } catch (e) {
      line.fail(e);
    }
  };
  const filters = h('form', { class: 'inline-form', role: 'search', id: 'find-sessions' }, field('API key', key), field('User id', user),
    field('Active since', since), field('Started before', until), h('button', { type: 'submit' }, 'Find'));
  filters.addEventListener('submit', (ev) => { ev.preventDefault(); nav.reset(); load(0); });
  container.append(section('Find sessions', filters, line, list, nav), panel);
  await load(0);
}
