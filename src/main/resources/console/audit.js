// Audit: admin and chat events, newest first, with filters and paging.
import { api, query } from './api.js';
import { h, field, messageLine, section, table, pager, when } from './ui.js';

const PAGE = 25;

export default async function audit(container) {
  const line = messageLine();
  const source = h('select', { name: 'source' }, ['all', 'admin', 'chat'].map((s) => h('option', { value: s }, s)));
  const prefix = h('input', { name: 'event_prefix', placeholder: 'e.g. admin.api_key' });
  const actor = h('input', { name: 'actor_id' });
  const success = h('select', { name: 'success' }, h('option', { value: '' }, 'any'), h('option', { value: 'true' }, 'succeeded'), h('option', { value: 'false' }, 'failed'));
  const text = h('input', { type: 'search', name: 'q', placeholder: 'actor, path, address, chat text' });
  const list = h('div', { id: 'audit-list' });
  const nav = pager(PAGE, (offset) => load(offset));
  const load = async (offset = 0) => {
    try {
      const page = await api('GET', '/admin/audit/events' + query({ source: source.value, event_prefix: prefix.value.trim(),
        actor_id: actor.value.trim(), success: success.value, q: text.value.trim(), limit: PAGE, offset }));
      list.replaceChildren(table('Events', [
        { label: 'Time', value: (e) => when(e.timestamp) }, { label: 'Event', value: (e) => e.event_type || e.audit_kind },
        { label: 'Actor', value: (e) => e.actor_username || e.actor_id || '' },
        { label: 'What', value: (e) => [e.title, e.subtitle].filter(Boolean).join(' · ') || e.path || '' },
        { label: 'Result', value: (e) => (e.success === false ? `failed ${e.status_code ?? ''}` : 'ok') }], page.events));
      nav.update(page.returned, page.total);
    } catch (e) {
      line.fail(e);
    }
  };
  const filters = h('form', { class: 'inline-form', role: 'search', id: 'audit-filters' }, field('Source', source), field('Event type starts with', prefix),
    field('Actor id', actor), field('Result', success), field('Text', text), h('button', { type: 'submit' }, 'Filter'));
  filters.addEventListener('submit', (ev) => { ev.preventDefault(); nav.reset(); load(0); });
  container.append(section('Events', filters, line, list, nav));
  await load(0);
}
