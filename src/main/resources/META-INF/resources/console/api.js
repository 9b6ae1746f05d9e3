// The REST API of this same origin. The token lives in sessionStorage only (never localStorage or a cookie).
const KEY = 'wagate.token';

export const session = {
  token: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  forget: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Calls the API; resolves with the JSON body, rejects with an ApiError carrying the literal error.message. */
export async function api(method, path, body) {
  const headers = { token: session.token() || '' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let json = null;
  try { json = await r.json(); } catch { /* not JSON: reported below with the status */ }
  if (!r.ok || !json || json.success === false) {
    throw new ApiError(r.status, json && json.error && json.error.message ? json.error.message : `HTTP ${r.status}`);
  }
  return json;
}

export const enc = encodeURIComponent;

/** The REST state after an instance.state event (docs/API.md, section 1.6). */
export function restState(eventState, previous) {
  switch (eventState) {
    case 'connecting': case 'qr_ready': case 'pair_code_ready': case 'pair_success': return 'connecting';
    case 'connected': return 'connected';
    case 'logged_out': return 'loggedout';
    case 'keepalive_timeout': case 'keepalive_restored': return previous || 'connected';
    default: return 'disconnected';
  }
}

/** Sets an element's text (never HTML: everything from the API is data). */
export function text(el, value) {
  el.textContent = value == null ? '' : String(value);
  return el;
}

export function cell(tr, value) {
  return text(tr.insertCell(), value);
}
