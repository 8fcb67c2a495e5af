// The list view (#/): the tenant's changes the key may read, newest first as the API answers them.
import { api, apiKey, problemText } from './api.js';
import { el } from './dom.js';
import { simulatedBadge, statusBadge, when } from './format.js';

export async function renderList() {
  const message = document.getElementById('list-message');
  const tbody = document.querySelector('#changes tbody');
  if (!apiKey()) {
    message.textContent = 'Enter an API key above to list your tenant\'s changes.';
    tbody.replaceChildren();
    return;
  }
  const res = await api('/api/changes?limit=100');
  if (!res.ok) {
    message.textContent = problemText(res);
    message.className = 'message error';
    return;
  }
  const changes = res.body.changes || [];
  message.className = 'message';
  message.textContent = changes.length ? `${changes.length} change(s)` : 'No changes yet.';
  tbody.replaceChildren(...changes.map(c => el('tr', { 'data-change-id': c.change_id },
    el('td', {}, el('a', { href: `#/changes/${encodeURIComponent(c.change_id)}`, class: 'mono', text: c.change_id })),
    el('td', {}, statusBadge(c.status), ' ', simulatedBadge(c)),
    el('td', { text: c.phase }),
    el('td', { text: c.initiator }),
    el('td', { class: 'request', title: c.request || '', text: c.request || '' }),
    el('td', { text: when(c.updated_at) }))));
}
