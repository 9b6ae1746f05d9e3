// wagate console: sign-in, the instances table live from the WebSocket, and one instance's view.
import { api, enc, restState, session, text } from './api.js';
import { Live } from './live.js';
import { InstanceTable } from './table.js';
import { InstanceView } from './detail.js';

const $ = (id) => document.getElementById(id);
let live = null;
let table = null;
let view = null;
let scope = null; // null: TokenAccount; else the one instance of a TokenInstance

function report(error, notice) {
  const box = $('error');
  box.hidden = !error;
  text(box, error ? error.message : '');
  text($('notice'), notice || '');
}

function listed(i) {
  const c = i.connection || {};
  const number = c.numberJid ? c.numberJid.split('@')[0] : '';
  return { name: i.name, state: c.state, number, since: c.since, lastError: c.lastError };
}

async function signIn(token) {
  session.set(token);
  let list;
  try {
    list = await api('GET', '/api/instance/list');
  } catch (e) {
    session.forget();
    report(e);
    return;
  }
  report(null);
  // a TokenInstance sees only its own instance, whose token it is
  scope = list.instances.length === 1 && list.instances[0].token === token ? list.instances[0].name : null;
  $('signin').hidden = true;
  $('signout').hidden = false;
  $('create-form').hidden = scope !== null;
  table = new InstanceTable($('rows'), $('counts'), open);
  table.load(list.instances.map(listed));
  refilter();
  view = new InstanceView(report, (name) => { table.remove(name); close(); });
  api('GET', '/api/console/demo').then(() => { view.demo = true; loadContacts().catch(report); }, () => { view.demo = false; });
  live = new Live(scope ? `/ws/${enc(scope)}` : '/ws', token, onEvent, (up, reason, resumedFrom) => {
    $('live').hidden = !up;
    // the event id the stream resumed after (0: a fresh snapshot), for whoever checks that nothing was skipped
    if (up) $('live').dataset.resumedFrom = String(resumedFrom);
    $('offline').hidden = up;
    if (!up && reason) text($('offline'), `offline (${reason}), reconnecting…`);
  });
  live.open();
  if (scope) open(scope); else close();
}

function onEvent(frame) {
  if (!frame.data) return;
  if (frame.event === 'message.exchange' || frame.event === 'message.status') {
    const shown = view && !$('instance').hidden && frame.instanceData && view.name === frame.instanceData.instance;
    if (shown) view.chat[frame.event === 'message.exchange' ? 'exchange' : 'status'](frame);
    return;
  }
  if (frame.event !== 'instance.state') return;
  const d = frame.data;
  const change = { state: restState(d.state, d.previousState), since: d.timestamp };
  // a snapshot repeats a state, it is not a change: only live events carry when they were stored
  if (!frame.snapshot) change.eventAt = frame.timestamp;
  if (d.numberJid) change.number = d.numberJid.split(/[:@]/)[0];
  if (d.reason && change.state !== 'connected') change.lastError = d.reason;
  if (change.state === 'connected') change.lastError = '';
  table.update(d.instance, change);
  if (view && view.name === d.instance && !$('instance').hidden) {
    view.event(frame, { ...(table.rows.get(d.instance) || {}).data, ...change });
  }
}

function open(name) {
  $('instances').hidden = true;
  $('instance').hidden = false;
  const r = table.rows.get(name);
  view.show(name, r ? r.data : null);
}

function close() {
  $('instance').hidden = true;
  $('instances').hidden = false;
}

function signOut() {
  session.forget();
  if (live) live.close();
  location.reload();
}

$('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  signIn($('token').value.trim());
  $('token').value = '';
});
$('signout').addEventListener('click', signOut);
$('back').addEventListener('click', (e) => { e.preventDefault(); close(); });
const refilter = () => table && table.setFilter($('filter').value, $('search').value);
$('filter').addEventListener('change', refilter);
$('search').addEventListener('input', refilter);
// demo mode only: the emulator's virtual contacts, as text (a name is whatever the contact was created with)
async function loadContacts() {
  const answer = await api('GET', '/api/console/demo/contacts');
  const items = answer.contacts.map((c) => {
    const li = document.createElement('li');
    text(li, `${c.name || c.phone} +${c.phone} ${c.connected ? 'online' : 'offline'}`);
    return li;
  });
  $('contact-list').replaceChildren(...items);
  // the chat pane offers them as recipients
  $('contact-phones').replaceChildren(...answer.contacts.map((c) => Object.assign(document.createElement('option'), { value: c.phone })));
  $('contacts').hidden = false;
}

$('reload').addEventListener('click', async () => {
  try {
    const list = await api('GET', '/api/instance/list');
    table.load(list.instances.map(listed));
    refilter();
    if (view && view.demo) await loadContacts();
  } catch (err) {
    report(err);
  }
});
$('create-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const name = $('create-name').value.trim();
  try {
    // live updates come over /ws only for instances whose WebSocket is enabled
    await api('POST', '/api/instance/new', { name, websocketEnabled: true });
    report(null, `Instance ${name} created`);
    $('create-name').value = '';
    table.update(name, { name, state: 'disconnected' });
  } catch (err) {
    report(err);
  }
});

if (session.token()) signIn(session.token());
