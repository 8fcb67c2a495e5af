// UpmDurable dashboard: vanilla JS (ES modules, no build step) over the same API and keys as the CLI. This entry
// module routes between the list and a change, and polls; each view and panel lives in its own module (the layout is
// described in docs/dashboard.md). Pages are built with DOM calls and textContent only (dom.js), never innerHTML.
import { setupKeyForm } from './key-form.js';
import { forgetRecord, renderChange } from './change-view.js';
import { renderList } from './list-view.js';
import { clearNotes } from './notes.js';

const POLL_MS = 2000;

const state = { view: null, changeId: null, busy: false };

function route() {
  const match = /^#\/changes\/([^/]+)$/.exec(location.hash);
  const id = match ? decodeURIComponent(match[1]) : null;
  document.getElementById('list-view').hidden = !!id;
  document.getElementById('change-view').hidden = !id;
  if (id !== state.changeId) {
    forgetRecord();
    clearNotes();
  }
  state.changeId = id;
  state.view = id ? 'change' : 'list';
  refresh();
}

// One render at a time: a poll that comes while one runs is dropped.
async function refresh() {
  if (state.busy) return;
  state.busy = true;
  try {
    if (state.view === 'change') await renderChange(state.changeId, refresh);
    else await renderList();
  } catch (err) {
    const target = state.view === 'change' ? document.getElementById('change-view') : document.getElementById('list-message');
    target.textContent = `error: ${err}`;
  } finally {
    state.busy = false;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  setupKeyForm(refresh);
  window.addEventListener('hashchange', route);
  route();
  setInterval(() => { if (!document.hidden) refresh(); }, POLL_MS);
});
