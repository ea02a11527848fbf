// The console's shell: who is signed in, the pages they may see, and a hash router (#/users, #/keys, ...).
import { api } from './api.js';
import { h } from './ui.js';
import overview from './overview.js';
import users from './users.js';
import keys from './keys.js';
import prompts from './prompts.js';
import conversations from './conversations.js';
import audit from './audit.js';
import usage from './usage.js';
import playground from './playground.js';

// Each page and the permission that shows it; the server checks every call again.
const PAGES = [
  { path: 'overview', title: 'Overview', permission: 'system.manage', render: overview },
  { path: 'users', title: 'Users', permission: 'users.manage', render: users },
  { path: 'keys', title: 'API keys', permission: 'apikeys.manage', render: keys },
  { path: 'prompts', title: 'Prompts', permission: 'prompts.manage', render: prompts },
  { path: 'conversations', title: 'Conversations', permission: 'conversations.read', render: conversations },
  { path: 'audit', title: 'Audit', permission: 'audit.read', render: audit },
  { path: 'usage', title: 'Usage', permission: 'audit.read', render: usage },
  { path: 'playground', title: 'Playground', permission: 'apikeys.manage', render: playground },
];

let me = null;

export function may(permission) {
  const held = (me && me.permissions) || [];
  return held.includes('*') || held.includes(permission);
}

function visible() {
  return PAGES.filter((p) => may(p.permission));
}

function buildNav() {
  const list = document.querySelector('#nav ul');
  list.replaceChildren(...visible().map((p) => h('li', {}, h('a', { href: `#/${p.path}`, id: `nav-${p.path}` }, p.title))));
}

async function route() {
  const main = document.getElementById('main');
  const path = (window.location.hash.replace(/^#\/?/, '').split('/')[0]) || (visible()[0] || {}).path;
  const page = PAGES.find((p) => p.path === path);
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === `#/${path}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!page || !may(page.permission)) {
    document.title = 'No access · ORBIT admin console';
    main.replaceChildren(h('h1', {}, 'No access'),
      h('p', { id: 'no-access' }, page ? `Your account may not open ${page.title}.` : 'There is no such page.'));
    return;
  }
  document.title = `${page.title} · ORBIT admin console`;
  const heading = h('h1', {}, page.title);
  const body = h('div', { class: 'page', id: `page-${page.path}` });
  main.replaceChildren(heading, body);
  main.focus();
  await page.render(body, { may });
}

async function start() {
  try {
    me = await api('GET', '/auth/me');
  } catch (e) {
    document.getElementById('main').replaceChildren(h('p', { class: 'message error', role: 'alert' }, e.message));
    return;
  }
  document.getElementById('who').textContent = `${me.username} (${(me.roles || []).join(', ')})`;
  buildNav();
  window.addEventListener('hashchange', route);
  route();
}

start();
