// The demo change: submit the spec's sample (AKS cluster + namespace on the sandbox), approve it as a second
// person, follow it phase by phase, and print its final record. Used by ./run.sh --demo; needs only Node.js 20.
import { readFile } from 'node:fs/promises';

const base = process.env.UPM_URL ?? 'http://127.0.0.1:7071';
const submitter = process.env.UPM_SUBMITTER_KEY ?? 'demo-submitter-key';
// Two approvers: a high-risk change (the sample targets a prod endpoint) needs two distinct people.
const approvers = (process.env.UPM_APPROVER_KEYS ?? 'demo-approver-key,demo-approver2-key').split(',');
const file = process.argv[2] ?? new URL('../samples/aks-demo.json', import.meta.url);

async function call(method, path, key, body) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
  return json;
}

const final = new Set(['completed', 'rejected', 'expired', 'failed', 'rolled_back', 'rollback_failed']);
const started = Date.now();
const change = JSON.parse(await readFile(file, 'utf8'));
const submitted = await call('POST', '/api/changes', submitter, change);
console.log(`submitted ${submitted.change_id} (plan ${submitted.plan_hash})`);

let record;
let seen = 0;
let approved = 0;
for (;;) {
  record = await call('GET', `/api/changes/${submitted.change_id}`, submitter);
  for (const entry of record.audit_trace.slice(seen)) console.log(`  [${entry.phase}] ${entry.msg}`);
  seen = record.audit_trace.length;
  if (final.has(record.status)) break;
  const counted = record.approvals.decisions.length;
  if (record.status === 'awaiting_approval' && approved === counted && approved < Math.min(record.approvals.required, approvers.length)) {
    await call('POST', `/api/changes/${submitted.change_id}/approvals`, approvers[approved],
      { decision: 'approve', plan_hash: record.approvals.plan_hash, comment: 'demo approval' });
    approved++;
  }
  await new Promise((r) => setTimeout(r, 200));
}

console.log('\nfinal record:');
console.log(JSON.stringify(record, null, 2));
console.log(`\n${record.status} in ${((Date.now() - started) / 1000).toFixed(1)} s (submit to final status)`);
process.exit(record.status === 'completed' ? 0 : 1);
