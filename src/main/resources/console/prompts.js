// Prompts: list, create, edit in a text editor with the version shown, delete, and the keys that use each.
import { api, query } from './api.js';
import { h, field, messageLine, act, section, table, pager, when, confirmed } from './ui.js';

const PAGE = 20;

async function usedBy(promptId) {
  // The keys tied to the prompt, from the key listing (the API has no reverse lookup).
  const keys = await api('GET', '/admin/api-keys?limit=1000');
  return keys.filter((k) => k.system_prompt_id === promptId);
}

async function editor(prompt, panel, reload) {
  const line = messageLine();
  const id = encodeURIComponent(prompt._id || prompt.id);
  const text = h('textarea', { id: 'prompt-text', rows: 14, value: prompt.prompt, spellcheck: 'false' });
  text.value = prompt.prompt;
  const version = h('input', { id: 'prompt-version', value: prompt.version, size: 8 });
  const save = h('button', { type: 'submit', id: 'save-prompt' }, 'Save');
  const form = h('form', {}, field(`Text of ${prompt.name}`, text),
    field('Version (leave as is to raise it by one)', version), h('div', { class: 'actions' }, save), line);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(save, line, async () => {
      const body = { prompt: text.value };
      if (version.value !== prompt.version) body.version = version.value;
      const saved = await api('PUT', `/admin/prompts/${id}`, body);
      prompt.prompt = saved.prompt;
      prompt.version = saved.version;
      version.value = saved.version;
      line.ok(`Saved as version ${saved.version}.`);
      await reload();
    });
  });
  const del = h('button', { type: 'button', class: 'danger' }, 'Delete prompt');
  del.addEventListener('click', () => act(del, line, async () => {
    if (!confirmed(`Delete prompt ${prompt.name}? Keys using it lose it.`)) return;
    await api('DELETE', `/admin/prompts/${id}`);
    panel.replaceChildren();
    await reload();
  }));
  const keys = h('div');
  usedBy(prompt._id || prompt.id).then((list) => keys.replaceChildren(h('p', {}, list.length === 0 ? 'No key uses this prompt.'
    : `Used by: ${list.map((k) => `${k.client_name} (${k.api_key})`).join(', ')}`))).catch((e) => keys.replaceChildren(h('p', {}, e.message)));
  panel.replaceChildren(section(`Prompt ${prompt.name} · version ${prompt.version}`, form, keys, h('div', { class: 'actions' }, del)));
  text.focus();
}

export default async function prompts(container) {
  const line = messageLine();
  const panel = h('div', { id: 'prompt-panel' });
  const list = h('div', { id: 'prompt-list' });
  const search = h('input', { type: 'search', placeholder: 'name contains' });
  const nav = pager(PAGE, (offset) => load(offset));
  const load = async (offset = 0) => {
    try {
      const rows = await api('GET', '/admin/prompts' + query({ name_filter: search.value.trim(), limit: PAGE, offset }));
      list.replaceChildren(table('Prompts', [
        { label: 'Name', value: (p) => p.name }, { label: 'Version', value: (p) => p.version },
        { label: 'Updated', value: (p) => when(p.updated_at) },
        { label: 'Text', value: (p) => (p.prompt.length > 80 ? p.prompt.slice(0, 80) + '…' : p.prompt) },
        { label: 'Actions', value: (p) => h('button', { type: 'button', onclick: () => editor(p, panel, () => load(nav.offset())) }, `Edit ${p.name}`) }], rows));
      nav.update(rows.length);
    } catch (e) {
      line.fail(e);
    }
  };
  const createLine = messageLine();
  const name = h('input', { name: 'name', required: true });
  const text = h('textarea', { name: 'prompt', rows: 4, required: true });
  const version = h('input', { name: 'version', value: '1.0', size: 8 });
  const create = h('button', { type: 'submit' }, 'Create prompt');
  const form = h('form', { id: 'create-prompt' }, field('Name', name), field('Text', text), field('Version', version), create, createLine);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(create, createLine, async () => {
      const p = await api('POST', '/admin/prompts', { name: name.value, prompt: text.value, version: version.value || '1.0' });
      createLine.ok(`Saved prompt ${p.name}.`);
      form.reset();
      await load(nav.offset());
    });
  });
  const filters = h('form', { class: 'inline-form', role: 'search' }, field('Search', search), h('button', { type: 'submit' }, 'Search'));
  filters.addEventListener('submit', (ev) => { ev.preventDefault(); nav.reset(); load(0); });
  container.append(section('All prompts', filters, line, list, nav), panel, section('New prompt', form));
  await load(0);
}
