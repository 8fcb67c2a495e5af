// The API key form in the header: use a key for this tab, or forget it.
import { apiKey, forgetKey, useKey } from './api.js';

function showKeyStatus() {
  const key = apiKey();
  document.getElementById('key-status').textContent = key ? 'key set for this tab' : 'no key: enter one to read changes';
  document.getElementById('forget-key').hidden = !key;
}

// onChange: called after the key was set or forgotten (the page re-reads the API).
export function setupKeyForm(onChange) {
  const form = document.getElementById('key-form');
  form.addEventListener('submit', event => {
    event.preventDefault();
    const input = document.getElementById('api-key');
    useKey(input.value.trim());
    input.value = '';
    showKeyStatus();
    onChange();
  });
  document.getElementById('forget-key').addEventListener('click', () => {
    forgetKey();
    showKeyStatus();
    onChange();
  });
  showKeyStatus();
}
