// The API client: the same API and keys as the CLI. The key lives in this tab's sessionStorage only and is sent as
// 'Authorization: Bearer'; no cookies are sent (credentials: 'omit').

const KEY_STORAGE = 'upm-api-key';

export function apiKey() { return sessionStorage.getItem(KEY_STORAGE) || ''; }

export function useKey(key) { if (key) sessionStorage.setItem(KEY_STORAGE, key); }

export function forgetKey() { sessionStorage.removeItem(KEY_STORAGE); }

// { status, ok, body } (body: parsed JSON, or text); with options.blob, { status, ok, blob, body }.
export async function api(path, options = {}) {
  const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
  if (apiKey()) headers.Authorization = `Bearer ${apiKey()}`;
  let body = options.body;
  if (body !== undefined && typeof body !== 'string') {
    body = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, { method: options.method || 'GET', headers, body, cache: 'no-store', credentials: 'omit' });
  if (options.blob) {
    return { status: response.status, ok: response.ok, blob: response.ok ? await response.blob() : null, body: response.ok ? null : await readBody(response) };
  }
  return { status: response.status, ok: response.ok, body: await readBody(response) };
}

async function readBody(response) {
  const type = response.headers.get('Content-Type') || '';
  const text = await response.text();
  if (type.includes('json') && text) {
    try { return JSON.parse(text); } catch { return text; }
  }
  return text;
}

// One line for a refused answer: status, the problem's title and detail, and each bad field.
export function problemText(res) {
  const b = res.body;
  if (b && typeof b === 'object' && (b.title || b.detail)) {
    const fields = b.errors ? Object.entries(b.errors).map(([f, m]) => `${f}: ${[].concat(m).join(' ')}`).join('; ') : '';
    return `${res.status} ${b.title || ''} ${b.detail || ''}${fields ? ' (' + fields + ')' : ''}`.trim();
  }
  return `${res.status} ${typeof b === 'string' ? b.slice(0, 200) : ''}`.trim();
}
