// One instance: lifecycle actions, QR / pairing code, timeline, webhooks and their delivery log, configuration forms.
import { api, cell, enc, text } from './api.js';
import { ChatPane } from './chat.js';

const $ = (id) => document.getElementById(id);
const csv = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

export class InstanceView {
  constructor(report, onDeleted) {
    this.report = report; // (error or null, notice text)
    this.onDeleted = onDeleted;
    this.demo = false;
    this.chat = new ChatPane($('chat'), (...a) => this.act(...a));
    this.bind();
  }

  async show(name, row) {
    this.name = name;
    text($('i-name'), name);
    this.state(row || {});
    $('pairing').hidden = true;
    $('delete-confirm').hidden = true;
    text($('notice'), '');
    $('timeline').replaceChildren();
    $('deliveries').replaceChildren();
    this.chat.reset(name);
    await Promise.all([this.timeline(), this.deliveries(), this.forms()]);
  }

  state(d) {
    text($('i-state'), d.state);
    $('i-state').className = 'state ' + (d.state || '');
    $('i-state').dataset.state = d.state || '';
    $('i-state').dataset.eventAt = d.eventAt || '';
    text($('i-number'), d.number);
    text($('i-since'), d.since);
    text($('i-error'), d.lastError);
  }

  /** A live event of this instance (from the WebSocket). */
  event(frame, change) {
    const d = frame.data;
    this.state(change);
    if (frame.snapshot) return;
    this.addTimeline({ id: frame.id, at: frame.timestamp, state: d.state, previousState: d.previousState, reason: d.reason }, true);
    if (d.state === 'qr_ready' && d.codes && d.codes.length) this.qr(d.codes[0]);
    if (d.state === 'pair_code_ready' && d.pairingCode) this.code(d.pairingCode);
    if (d.state === 'connected' || d.state === 'pair_error' || d.state === 'qr_timeout') $('pairing').hidden = true;
    if (d.state === 'connected') this.deliveriesSoon();
  }

  qr(code) {
    const box = $('qr');
    box.replaceChildren();
    box.dataset.code = code;
    box.dataset.renders = String(Number(box.dataset.renders || 0) + 1);
    // eslint-disable-next-line no-undef
    new QRCode(box, { text: code, width: 264, height: 264, correctLevel: QRCode.CorrectLevel.L });
    text($('pair-code'), '');
    $('demo').hidden = !this.demo;
    $('pairing').hidden = false;
  }

  code(pairingCode) {
    $('qr').replaceChildren();
    delete $('qr').dataset.code;
    text($('pair-code'), pairingCode);
    $('demo').hidden = true;
    $('pairing').hidden = false;
  }

  addTimeline(t, live) {
    const tr = document.createElement('tr');
    tr.dataset.state = t.state || '';
    cell(tr, t.at);
    cell(tr, t.state);
    cell(tr, t.previousState);
    cell(tr, t.reason);
    const body = $('timeline');
    if (live) body.insertBefore(tr, body.firstChild); else body.appendChild(tr);
  }

  async timeline() {
    const r = await this.call('GET', `/api/events/timeline/${enc(this.name)}`);
    if (r) for (const t of r.timeline) this.addTimeline(t, false);
  }

  deliveriesSoon() {
    clearTimeout(this.deliveriesTimer);
    this.deliveriesTimer = setTimeout(() => this.deliveries(), 1500);
  }

  async deliveries() {
    const r = await this.call('GET', `/api/events/deliveries/${enc(this.name)}`);
    if (!r) return;
    const frag = document.createDocumentFragment();
    for (const d of r.deliveries) {
      const tr = document.createElement('tr');
      tr.dataset.event = String(d.eventId);
      tr.dataset.status = d.status;
      cell(tr, `#${d.eventId} ${d.event || ''}`);
      cell(tr, d.state);
      cell(tr, d.label || d.url);
      cell(tr, d.status);
      const list = document.createElement('ul');
      for (const a of d.attempts) {
        text(list.appendChild(document.createElement('li')),
          `${a.at} · ${a.httpStatus == null ? '-' : a.httpStatus} · ${a.latencyMs == null ? '-' : a.latencyMs + ' ms'}${a.error ? ' · ' + a.error : ''}`);
      }
      tr.insertCell().appendChild(list);
      const b = document.createElement('button');
      text(b, 'Redeliver');
      b.className = 'redeliver';
      b.addEventListener('click', () => this.act('POST', `/api/events/redeliver/${enc(this.name)}/${d.eventId}`, () => this.deliveriesSoon()));
      tr.insertCell().appendChild(b);
      frag.appendChild(tr);
    }
    $('deliveries').replaceChildren(frag);
  }

  async forms() {
    const n = enc(this.name);
    const [settings, proxy, s3, hooks, ws] = await Promise.all([
      this.call('GET', `/api/instance/getSettings/${n}`), this.call('GET', `/api/instance/getProxy/${n}`),
      this.call('GET', `/api/instance/getS3/${n}`), this.call('GET', `/api/events/getWebhook/${n}`),
      this.call('GET', `/api/events/getWebsocket/${n}`, true)]);
    if (settings) fill($('settings-form'), settings.settings);
    if (proxy) fill($('proxy-form'), proxy.proxy);
    if (s3) fill($('s3-form'), s3.s3);
    if (hooks && hooks.webhooks.length) fill($('webhook-form'), { ...hooks.webhooks[0], events: hooks.webhooks[0].events.join(',') });
    if (ws) fill($('websocket-form'), { ...ws.websocket, events: ws.websocket.events.join(',') });
  }

  /** GET or action; reports the literal error.message and yields null on failure. quiet: a 404 is not an error. */
  async call(method, path, quiet, body) {
    try {
      return await api(method, path, body);
    } catch (e) {
      if (!(quiet && e.status === 404)) this.report(e);
      return null;
    }
  }

  async act(method, path, then, body) {
    const r = await this.call(method, path, false, body);
    if (r) {
      this.report(null, r.message);
      if (then) then(r);
    }
    return r;
  }

  bind() {
    const n = () => enc(this.name);
    $('i-connect').addEventListener('click', () => this.act('GET', `/api/instance/connect/${n()}`, (r) => { if (r.qrCode) this.qr(r.qrCode); }));
    $('pair-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.act('GET', `/api/instance/connect/${n()}?number=${enc($('pair-number').value.trim())}`, (r) => { if (r.pairingCode) this.code(r.pairingCode); });
    });
    $('i-reconnect').addEventListener('click', () => this.act('POST', `/api/instance/reconnect/${n()}`));
    $('i-logout').addEventListener('click', () => this.act('DELETE', `/api/instance/logout/${n()}`));
    $('i-delete').addEventListener('click', () => { $('delete-confirm').hidden = false; });
    $('i-delete-no').addEventListener('click', () => { $('delete-confirm').hidden = true; });
    $('i-delete-yes').addEventListener('click', () => this.act('DELETE', `/api/instance/delete/${n()}`, () => this.onDeleted(this.name)));
    $('demo-scan').addEventListener('click', () => this.act('POST', `/api/console/demo/scan/${n()}`, null,
      { qr: $('qr').dataset.code, phone: $('demo-phone').value.trim() }));
    $('webhook-test').addEventListener('click', () => this.act('POST', `/api/events/test/${n()}`, (r) => {
      text($('webhook-test-result'), r.results.map((x) => `${x.label}: ${x.httpStatus == null ? x.error : 'HTTP ' + x.httpStatus} in ${x.latencyMs} ms`).join('; '));
    }));
    $('deliveries-refresh').addEventListener('click', () => this.deliveries());
    $('chat-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.chat.send($('chat-number').value.trim(), $('chat-text').value).then((r) => { if (r) $('chat-text').value = ''; });
    });
    this.form('settings-form', (v) => [`/api/instance/settings/${n()}`, v]);
    this.form('proxy-form', (v) => [`/api/instance/proxy/${n()}`, v]);
    this.form('s3-form', (v) => [`/api/instance/s3/${n()}`, v]);
    this.form('webhook-form', (v) => [`/api/events/webhook/${n()}`, { ...v, events: csv(v.events || ''), secret: v.secret || undefined }]);
    this.form('websocket-form', (v) => [`/api/events/websocket/${n()}`, { ...v, events: csv(v.events || '') }]);
  }

  form(id, request) {
    $(id).addEventListener('submit', (e) => {
      e.preventDefault();
      const [path, body] = request(values(e.target));
      this.act('POST', path, null, body);
    });
  }
}

function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.value !== '') out[el.name] = el.value;
  }
  return out;
}

function fill(form, data) {
  for (const el of form.elements) {
    if (!el.name || !(el.name in data) || (el.tagName === 'SELECT' && data[el.name] == null)) continue;
    if (el.type === 'checkbox') el.checked = Boolean(data[el.name]);
    else if (el.type !== 'password') el.value = data[el.name] == null ? '' : data[el.name];
  }
}

