// Users: list and search, create, roles, activate/deactivate, reset password, delete; blacklist rules.
import { api, query } from './api.js';
import { h, field, messageLine, act, section, table, pager, when, confirmed } from './ui.js';

const PAGE = 20;

function createForm(roles, reload) {
  const line = messageLine();
  const username = h('input', { name: 'username', autocomplete: 'off', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true });
  const role = h('select', { name: 'role' }, roles.map((r) => h('option', { value: r, selected: r === 'user' }, r)));
  const button = h('button', { type: 'submit' }, 'Create user');
  const form = h('form', { id: 'create-user', class: 'inline-form' }, field('Username', username),
    field('Password', password), field('Role', role), button, line);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(button, line, async () => {
      const u = await api('POST', '/auth/register', { username: username.value, password: password.value, roles: [role.value] });
      line.ok(`Created user ${u.username}.`);
      form.reset();
      await reload();
    });
  });
  return section('New user', form);
}

function userActions(user, roles, line, reload) {
  const roleSelect = h('select', { 'aria-label': `Roles of ${user.username}`, multiple: true, size: 3 },
    roles.map((r) => h('option', { value: r, selected: (user.roles || []).includes(r) }, r)));
  const setRoles = h('button', { type: 'button' }, 'Set roles');
  setRoles.addEventListener('click', () => act(setRoles, line, async () => {
    const chosen = [...roleSelect.selectedOptions].map((o) => o.value);
    await api('PUT', `/auth/users/${encodeURIComponent(user.id)}/roles`, { roles: chosen });
    line.ok(`Roles of ${user.username}: ${chosen.join(', ')}.`);
    await reload();
  }));
  const toggle = h('button', { type: 'button' }, user.active ? 'Deactivate' : 'Activate');
  toggle.addEventListener('click', () => act(toggle, line, async () => {
    await api('POST', `/auth/users/${encodeURIComponent(user.id)}/${user.active ? 'deactivate' : 'activate'}`);
    line.ok(`${user.username} ${user.active ? 'deactivated' : 'activated'}.`);
    await reload();
  }));
  const password = h('input', { type: 'password', autocomplete: 'new-password', 'aria-label': `New password for ${user.username}`,
    placeholder: 'new password' });
  const reset = h('button', { type: 'button' }, 'Reset password');
  reset.addEventListener('click', () => act(reset, line, async () => {
    await api('POST', '/auth/reset-password', { user_id: user.id, new_password: password.value });
    password.value = '';
    line.ok(`Password of ${user.username} reset; their sessions ended.`);
  }));
  const del = h('button', { type: 'button', class: 'danger' }, 'Delete');
  del.addEventListener('click', () => act(del, line, async () => {
    if (!confirmed(`Delete user ${user.username}? This cannot be undone.`)) return;
    await api('DELETE', `/auth/users/${encodeURIComponent(user.id)}`);
    line.ok(`Deleted ${user.username}.`);
    await reload();
  }));
  return h('div', { class: 'row-actions' }, roleSelect, setRoles, toggle, password, reset, del);
}

function blacklistSection() {
  const line = messageLine();
  const list = h('div', { id: 'blacklist' });
  const pattern = h('input', { name: 'pattern', required: true, placeholder: '*@example.com' });
  const type = h('select', { name: 'entry_type' }, ['email', 'username', 'user_id'].map((t) => h('option', { value: t }, t)));
  const reason = h('input', { name: 'reason' });
  const add = h('button', { type: 'submit' }, 'Add rule');
  const form = h('form', { class: 'inline-form', id: 'blacklist-form' }, field('Pattern', pattern), field('Matches', type), field('Reason', reason), add);
  const load = async () => {
    try {
      const rules = await api('GET', '/auth/blacklist');
      list.replaceChildren(table('Blacklist rules', [
        { label: 'Pattern', value: (r) => r.pattern }, { label: 'Matches', value: (r) => r.entry_type },
        { label: 'Reason', value: (r) => r.reason || '' }, { label: 'Created', value: (r) => when(r.created_at) },
        { label: 'Actions', value: (r) => {
          const b = h('button', { type: 'button', class: 'danger' }, `Remove ${r.pattern}`);
          b.addEventListener('click', () => act(b, line, async () => {
            await api('DELETE', `/auth/blacklist/${encodeURIComponent(r.id)}`);
            line.ok('Rule removed.');
            await load();
          }));
          return b;
        } }], rules));
    } catch (e) {
      line.fail(e);
      form.hidden = e.unavailable;
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(add, line, async () => {
      const r = await api('POST', '/auth/blacklist', { pattern: pattern.value, entry_type: type.value, reason: reason.value || undefined });
      line.ok(`Rule added; ${r.matched_users ?? 0} users matched, ${r.revoked_sessions ?? 0} sessions ended.`);
      form.reset();
      await load();
    });
  });
  load();
  return section('Blacklist', form, line, list);
}

export default async function users(container) {
  const line = messageLine();
  let roles = ['admin', 'operator', 'auditor', 'analyst', 'user-manager', 'user'];
  try {
    roles = (await api('GET', '/auth/roles')).roles;
  } catch (e) {
    line.fail(e);
  }
  const search = h('input', { type: 'search', name: 'q', placeholder: 'username contains' });
  const roleFilter = h('select', { name: 'role' }, h('option', { value: '' }, 'any'), roles.map((r) => h('option', { value: r }, r)));
  const list = h('div', { id: 'user-list' });
  const nav = pager(PAGE, (offset) => load(offset));
  const load = async (offset = 0) => {
    try {
      // The API filters by role; the name search is over the page the API returned.
      let rows = await api('GET', '/auth/users' + query({ role: roleFilter.value, limit: PAGE, offset }));
      const count = rows.length;
      const q = search.value.trim().toLowerCase();
      if (q) rows = rows.filter((u) => u.username.toLowerCase().includes(q) || (u.email || '').toLowerCase().includes(q));
      list.replaceChildren(table('Users', [
        { label: 'Username', value: (u) => u.username }, { label: 'Roles', value: (u) => (u.roles || []).join(', ') },
        { label: 'Active', value: (u) => (u.active ? 'yes' : 'no') }, { label: 'Last login', value: (u) => when(u.last_login) },
        { label: 'Actions', value: (u) => userActions(u, roles, line, () => load(nav.offset())) }], rows));
      nav.update(count);
    } catch (e) {
      line.fail(e);
    }
  };
  const filters = h('form', { class: 'inline-form', role: 'search' }, field('Search', search), field('Role', roleFilter),
    h('button', { type: 'submit' }, 'Search'));
  filters.addEventListener('submit', (ev) => { ev.preventDefault(); nav.reset(); load(0); });
  container.append(createForm(roles, () => load(nav.offset())),
    section('All users', filters, line, list, nav), blacklistSection());
  await load(0);
}
