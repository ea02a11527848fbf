// API keys: list with search and filters, create (the key shown once), rename, deactivate, delete, prompt, quota.
import { api, query } from './api.js';
import { h, field, messageLine, act, section, table, pager, when, confirmed } from './ui.js';

const PAGE = 20;

async function promptOptions(selected) {
  try {
    const prompts = await api('GET', '/admin/prompts?limit=100');
    return [h('option', { value: '' }, '(none)'),
      ...prompts.map((p) => h('option', { value: p._id || p.id, selected: (p._id || p.id) === selected }, `${p.name} (v${p.version})`))];
  } catch (e) {
    return [h('option', { value: '' }, '(prompts unavailable)')];
  }
}

function shownOnce(key) {
  const line = messageLine();
  const value = h('input', { id: 'new-key', readonly: true, value: key, 'aria-label': 'New API key', size: 40 });
  const copy = h('button', { type: 'button', id: 'copy-key' }, 'Copy');
  copy.addEventListener('click', async () => {
    value.select();
    try {
      await navigator.clipboard.writeText(key);
      line.ok('Copied.');
    } catch (e) {
      line.ok('Selected: press Ctrl+C to copy.');
    }
  });
  return h('div', { class: 'once', role: 'alert' },
    h('p', {}, 'This is the only time the key is shown. Store it now.'), value, copy, line);
}

function createForm(reload, out) {
  const line = messageLine();
  const client = h('input', { name: 'client_name', required: true });
  const adapter = h('input', { name: 'adapter_name', required: true });
  const notes = h('input', { name: 'notes' });
  const prompt = h('select', { name: 'system_prompt_id' });
  promptOptions('').then((opts) => prompt.replaceChildren(...opts));
  const button = h('button', { type: 'submit' }, 'Create key');
  const form = h('form', { id: 'create-key', class: 'inline-form' }, field('Client name', client), field('Adapter', adapter),
    field('Notes', notes), field('Prompt', prompt), button, line);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(button, line, async () => {
      const created = await api('POST', '/admin/api-keys', { client_name: client.value, adapter_name: adapter.value,
        notes: notes.value || undefined, system_prompt_id: prompt.value || undefined });
      out.replaceChildren(shownOnce(created.api_key));
      form.reset();
      await reload();
    });
  });
  return section('New key', form, out);
}

// A limit as the quota reply gives it (null: unlimited) and as the editor takes it (0: unlimited).
function limitText(limit) {
  return limit == null ? 'unlimited' : String(limit);
}

async function quotaPanel(key, line, reload) {
  const box = h('div', { class: 'quota', id: 'key-quota' });
  const path = `/admin/api-keys/${encodeURIComponent(key.id)}/quota`;
  const usage = h('p', { id: 'quota-usage' });
  const daily = h('input', { type: 'number', min: 0, step: 1, name: 'daily_limit' });
  const monthly = h('input', { type: 'number', min: 0, step: 1, name: 'monthly_limit' });
  const shown = new Map();
  const show = async () => {
    const q = await api('GET', path);
    usage.textContent = `Used today: ${q.usage.daily_used} of ${limitText(q.quota.daily_limit)}; `
      + `this month: ${q.usage.monthly_used} of ${limitText(q.quota.monthly_limit)}.`;
    for (const input of [daily, monthly]) {
      input.value = q.quota[input.name] ?? 0;
      shown.set(input, input.value);
    }
  };
  try {
    await show();
  } catch (e) {
    box.append(h('p', { class: 'message' }, e.unavailable ? 'Quotas: not available on this server.' : `Quotas: ${e.message}`));
    return box;
  }
  const save = h('button', { type: 'submit' }, 'Save quota');
  const reset = h('button', { type: 'button', id: 'quota-reset' }, "Reset today's usage");
  const form = h('form', { class: 'inline-form', id: 'quota-form' }, field('Daily limit (0: unlimited, empty: server default)', daily),
    field('Monthly limit (0: unlimited, empty: server default)', monthly), save, reset);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(save, line, async () => {
      // Only the limits edited are sent: the reply shows the limit in force, the key's own or the configured
      // default, so sending an untouched one would pin today's default to the key. The server stores 0 as
      // "unlimited" and null as "the configured default".
      const changes = {};
      for (const input of [daily, monthly]) {
        if (input.value !== shown.get(input)) changes[input.name] = input.value === '' ? null : Number(input.value);
      }
      if (Object.keys(changes).length === 0) {
        line.ok('Nothing changed.');
        return;
      }
      await api('PUT', path, changes);
      await show();
      line.ok('Quota saved.');
    });
  });
  reset.addEventListener('click', () => act(reset, line, async () => {
    await api('POST', `${path}/reset?period=daily`);
    await show();
    await reload();
    line.ok("Today's usage reset.");
  }));
  box.append(h('h3', {}, 'Quota'), usage, form);
  return box;
}

async function manage(key, panel, reload) {
  const line = messageLine();
  const id = encodeURIComponent(key.id);
  const newKey = h('input', { name: 'new_api_key', minlength: 8 });
  const rename = h('button', { type: 'submit' }, 'Rename');
  const renameForm = h('form', { class: 'inline-form' }, field('New key value (at least 8 characters)', newKey), rename);
  renameForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(rename, line, async () => {
      const r = await api('PATCH', `/admin/api-keys/${id}/rename`, { new_api_key: newKey.value });
      line.ok(`Renamed: now ${r.new_api_key_masked}.`);
      await reload();
    });
  });
  const prompt = h('select', {}, await promptOptions(key.system_prompt_id));
  const tie = h('button', { type: 'submit' }, 'Use prompt');
  const promptForm = h('form', { class: 'inline-form' }, field('Prompt', prompt), tie);
  promptForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(tie, line, async () => {
      if (prompt.value) await api('POST', `/admin/api-keys/${id}/prompt`, { prompt_id: prompt.value });
      else await api('PUT', `/admin/api-keys/${id}`, { client_name: key.client_name, adapter_name: key.adapter_name, notes: key.notes, system_prompt_id: null });
      line.ok('Prompt set.');
      await reload();
    });
  });
  const deactivate = h('button', { type: 'button', disabled: !key.active }, 'Deactivate');
  deactivate.addEventListener('click', () => act(deactivate, line, async () => {
    await api('POST', `/admin/api-keys/${id}/deactivate`);
    line.ok('Deactivated.');
    await reload();
  }));
  const del = h('button', { type: 'button', class: 'danger' }, 'Delete');
  del.addEventListener('click', () => act(del, line, async () => {
    if (!confirmed(`Delete key ${key.api_key} of ${key.client_name}?`)) return;
    await api('DELETE', `/admin/api-keys/${id}`);
    panel.replaceChildren();
    await reload();
  }));
  panel.replaceChildren(section(`Key ${key.api_key} · ${key.client_name}`, line, renameForm, promptForm,
    await quotaPanel(key, line, reload), h('div', { class: 'actions' }, deactivate, del)));
  panel.querySelector('h2').setAttribute('tabindex', '-1');
  panel.querySelector('h2').focus();
}

export default async function keys(container) {
  const line = messageLine();
  const created = h('div');
  const panel = h('div', { id: 'key-panel' });
  const search = h('input', { type: 'search', placeholder: 'client, notes or last characters' });
  const adapter = h('input', { name: 'adapter' });
  const activeOnly = h('input', { type: 'checkbox' });
  const list = h('div', { id: 'key-list' });
  const nav = pager(PAGE, (offset) => load(offset));
  const usage = new Map();
  // Read with each listing, so that a key just created or used shows its count.
  const loadUsage = async () => {
    usage.clear();
    try {
      const report = await api('GET', '/admin/quotas/usage-report?period=daily&limit=100');
      // Keyed by the key's id: two keys may share their masked form ("***" + last 4).
      for (const u of report.usage) usage.set(u.api_key_id, u.used);
    } catch (e) {
      // quotas off or not on this server: the column shows a dash
    }
  };
  const load = async (offset = 0) => {
    try {
      await loadUsage();
      let rows = await api('GET', '/admin/api-keys' + query({ adapter: adapter.value, active_only: activeOnly.checked || undefined, limit: PAGE, offset }));
      const count = rows.length;
      const q = search.value.trim().toLowerCase();
      if (q) rows = rows.filter((k) => [k.client_name, k.notes, k.api_key, k.adapter_name].some((v) => (v || '').toLowerCase().includes(q)));
      list.replaceChildren(table('API keys', [
        { label: 'Key', value: (k) => k.api_key }, { label: 'Client', value: (k) => k.client_name },
        { label: 'Adapter', value: (k) => k.adapter_name }, { label: 'Prompt', value: (k) => k.system_prompt_name || '' },
        { label: 'Active', value: (k) => (k.active ? 'yes' : 'no') }, { label: 'Created', value: (k) => when(k.created_at) },
        { label: 'Used today', value: (k) => (usage.has(k.id) ? String(usage.get(k.id)) : '–') },
        { label: 'Actions', value: (k) => h('button', { type: 'button', onclick: () => manage(k, panel, () => load(nav.offset())) }, 'Manage') }], rows));
      nav.update(count);
    } catch (e) {
      line.fail(e);
    }
  };
  const filters = h('form', { class: 'inline-form', role: 'search' }, field('Search', search), field('Adapter', adapter),
    field('Active only', activeOnly), h('button', { type: 'submit' }, 'Filter'));
  filters.addEventListener('submit', (ev) => { ev.preventDefault(); nav.reset(); load(0); });
  container.append(createForm(() => load(nav.offset()), created), section('All keys', filters, line, list, nav), panel);
  await load(0);
}
