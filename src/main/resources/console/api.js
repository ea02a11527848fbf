// Calls to the public HTTP API with the console's session cookie. State-changing calls carry the session's
// anti-forgery token, which the server put in the page; script never sees the session token itself.
const csrf = document.querySelector('meta[name="orbit-csrf"]')?.content ?? '';

/** An error answer of the API: its status and the text to show where the user acted. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }

  /** A route this server does not have (yet): a plain 404 "Not Found", 405 or 501. */
  get unavailable() {
    return this.status === 501 || this.status === 405 || (this.status === 404 && this.message === 'Not Found');
  }
}

function detailText(status, body) {
  const detail = body && body.detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail.map((p) => `${(p.loc || []).slice(1).join('.') || 'request'}: ${p.msg}`).join('; ');
  }
  return `Request failed (HTTP ${status})`;
}

/** Sends a request; resolves to the parsed JSON answer, rejects with an ApiError. */
export async function api(method, path, body, headers = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (method !== 'GET') init.headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'The server could not be reached');
  }
  if (response.status === 401 && !headers['X-API-Key']) {
    // The console's session ended (expired, signed out elsewhere, password changed): sign in again.
    window.location.assign('/admin/login?error=expired&next=' + encodeURIComponent('/admin' + window.location.hash));
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) throw new ApiError(response.status, detailText(response.status, json));
  return json;
}

/** A query string of the non-empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/**
 * Streams POST /v1/chat with an API key: calls onDelta with each piece of the reply; resolves to the final
 * event (done, assistant_message_id). The console's cookie is not sent: the key alone authorizes a chat.
 */
export async function streamChat(apiKey, sessionId, message, onDelta) {
  const response = await fetch('/v1/chat', {
    method: 'POST',
    credentials: 'omit',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': apiKey, 'X-Session-ID': sessionId },
    body: JSON.stringify({ messages: [{ role: 'user', content: message }], stream: true }),
  });
  if (!response.ok) {
    let json = null;
    try { json = await response.json(); } catch (e) { json = null; }
    throw new ApiError(response.status, detailText(response.status, json));
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let last = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of frame.split('\n')) {
        if (!line.startsWith('data:')) continue;
        const event = JSON.parse(line.slice(5).trim());
        if (event.error) throw new ApiError(200, event.error);
        if (event.response) onDelta(event.response);
        if (event.done) last = event;
      }
    }
  }
  return last;
}
