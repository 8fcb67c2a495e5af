// The evidence panel: download the signed pack, verify the chain (both need the auditor role; a refusal is shown).
import { api, problemText } from './api.js';
import { el, facts } from './dom.js';
import { note, show } from './notes.js';

async function download(id) {
  note('evidence-message', 'building the signed pack…');
  const res = await api(`/api/changes/${encodeURIComponent(id)}/evidence`, { blob: true, headers: { Accept: 'application/zip' } });
  if (!res.ok) {
    note('evidence-message', problemText(res), true);
    return;
  }
  const url = URL.createObjectURL(res.blob);
  const link = el('a', { href: url, download: `${id}-evidence.zip` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  note('evidence-message', `downloaded ${id}-evidence.zip (${res.blob.size} bytes)`);
}

async function verify(id) {
  note('evidence-message', 'verifying every record…');
  const res = await api(`/api/changes/${encodeURIComponent(id)}/evidence/verify`);
  if (!res.ok) {
    note('evidence-message', problemText(res), true);
    return;
  }
  const v = res.body;
  note('evidence-message', v.ok
    ? `chain verified: ${v.records} record(s), head ${v.chain_head}`
    : `broken at record ${v.first_bad_record}: ${v.problem}`, !v.ok);
}

export function evidencePanel(record) {
  const id = record.change_id;
  const message = el('p', { id: 'evidence-message', role: 'status' });
  show(message, 'evidence-message');
  return el('div', { class: 'panel', id: 'evidence-panel' },
    el('h3', { text: 'Evidence' }),
    facts([['records', record.evidence ? record.evidence.records : 0], ['chain head', el('code', { text: (record.evidence && record.evidence.chain_head) || '' })]]),
    el('div', { class: 'actions' },
      el('button', { type: 'button', id: 'evidence-download', onclick: () => download(id), text: 'Download pack' }),
      el('button', { type: 'button', id: 'evidence-verify', onclick: () => verify(id), text: 'Verify' }),
      el('span', { class: 'muted', text: 'needs the auditor role' })),
    message);
}
