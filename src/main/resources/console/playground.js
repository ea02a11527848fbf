// Playground: chat with a chosen API key and session, the reply streamed as it comes, to try an adapter and prompt.
import { streamChat } from './api.js';
import { h, field, messageLine, act, section } from './ui.js';

function newSessionId() {
  // getRandomValues works on plain http too (randomUUID needs a secure context).
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return 'console-' + [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export default async function playground(container) {
  const line = messageLine();
  const key = h('input', { id: 'play-key', type: 'password', autocomplete: 'off', required: true });
  const session = h('input', { id: 'play-session', value: newSessionId(), required: true });
  const fresh = h('button', { type: 'button' }, 'New session');
  fresh.addEventListener('click', () => { session.value = newSessionId(); log.replaceChildren(); });
  const message = h('textarea', { id: 'play-message', rows: 3, required: true });
  const send = h('button', { type: 'submit', id: 'play-send' }, 'Send');
  const log = h('ol', { class: 'transcript', id: 'play-log', 'aria-live': 'polite' });
  const form = h('form', { id: 'play-form' }, field('API key (not stored)', key), field('Session id', session), fresh,
    field('Message', message), h('div', { class: 'actions' }, send), line);
  message.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) form.requestSubmit();
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = message.value;
    act(send, line, async () => {
      log.append(h('li', { class: 'msg user' }, h('div', { class: 'meta' }, 'you'), h('div', { class: 'content' }, text)));
      const reply = h('div', { class: 'content' });
      const item = h('li', { class: 'msg assistant streaming' }, h('div', { class: 'meta' }, 'assistant'), reply);
      log.append(item);
      message.value = '';
      try {
        let pieces = 0;
        const done = await streamChat(key.value.trim(), session.value.trim(), text, (delta) => {
          pieces += 1;
          item.dataset.pieces = String(pieces); // how many pieces the reply streamed in (shown to tests, not users)
          reply.textContent += delta;
        });
        item.classList.remove('streaming');
        item.classList.add('done');
        if (done && done.assistant_message_id) item.dataset.messageId = done.assistant_message_id;
      } catch (e) {
        item.remove();
        throw e;
      }
    });
  });
  container.append(section('Chat', form, log));
}
