// Small DOM helpers. Text always goes in as text nodes (never as HTML), so nothing from the API can run as markup.

/** Builds an element: h('button', {type: 'button', onclick: f}, 'Save'). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let ids = 0;
/** A unique id for label/input pairs. */
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled input (or select/textarea passed in). */
export function field(label, input) {
  if (!input.id) input.id = uid('f');
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
}

/** A status line (role=status) where the result of an action is shown: ok() and fail() fill it. */
export function messageLine() {
  const el = h('p', { class: 'message', role: 'status', 'aria-live': 'polite' });
  el.ok = (text) => { el.className = 'message ok'; el.textContent = text; };
  el.fail = (error) => {
    el.className = 'message error';
    el.setAttribute('role', 'alert');
    el.textContent = error && error.unavailable ? 'Not available on this server.' : (error.message || String(error));
  };
  el.clear = () => { el.className = 'message'; el.textContent = ''; };
  return el;
}

/**
 * Runs an action from a button or form, showing its error next to where the user acted; the button is disabled
 * while it runs. Resolves to the action's result, or undefined when it failed.
 */
export async function act(button, line, action) {
  if (button) button.disabled = true;
  line.clear();
  try {
    return await action();
  } catch (e) {
    line.fail(e);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** A table of rows; columns: [{label, value: row => text or Node}]. */
export function table(caption, columns, rows) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.label)))),
    h('tbody', {}, rows.length === 0
      ? h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, 'Nothing to show.'))
      : rows.map((r) => h('tr', {}, columns.map((c) => h('td', { 'data-label': c.label }, c.value(r))))))));
}

/**
 * Previous/next paging for a listing: load(offset, limit) returns the rows; total (when the API gives it) lets
 * the pager say how many there are.
 */
export function pager(pageSize, onPage) {
  let offset = 0;
  const label = h('span', { class: 'page-label' });
  const prev = h('button', { type: 'button', onclick: () => { offset = Math.max(0, offset - pageSize); onPage(offset); } }, 'Previous');
  const next = h('button', { type: 'button', onclick: () => { offset += pageSize; onPage(offset); } }, 'Next');
  const nav = h('nav', { class: 'pager', 'aria-label': 'Pages of results' }, prev, label, next);
  nav.update = (count, total) => {
    prev.disabled = offset === 0;
    next.disabled = total !== undefined ? offset + count >= total : count < pageSize;
    label.textContent = count === 0 ? 'none' : `${offset + 1}–${offset + count}${total !== undefined ? ' of ' + total : ''}`;
  };
  nav.reset = () => { offset = 0; };
  nav.offset = () => offset;
  return nav;
}

/** A section with a heading, for one job on a page. */
export function section(title, ...children) {
  const id = uid('s');
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/** Seconds or an ISO time as a local date and time. */
export function when(value) {
  if (value === undefined || value === null || value === '') return '';
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

/** Asks before something that cannot be undone. */
export function confirmed(text) {
  return window.confirm(text);
}
