// The observer's page: no framework, no build step. The server renders the frame; this keeps it
// live from the event stream (/events), draws only the rows in view (10,000 actors stay fast),
// and sends actions with the session's CSRF token after a confirmation.
'use strict';
(() => {
  const ROW_HEIGHT = 24;
  const OVERSCAN = 8;
  const MAX_EVENTS_SHOWN = 500;
  const csrf = document.querySelector('meta[name="airlock-csrf"]').content;
  const $ = (id) => document.getElementById(id);
  const viewport = $('viewport');
  const spacer = $('spacer');

  const rows = new Map(); // key -> row
  const collapsed = new Set(); // keys of collapsed rows
  let ordered = []; // every row, in tree order
  let visible = []; // what the search and the collapsed rows leave
  let events = [];
  let search = '';
  let eventFilter = '';
  let drawQueued = false;
  const flashUntil = new Map(); // key -> time its changed figures stop being highlighted
  // Event -> DOM latency, read by the bench: the observer's timestamp of each event and when it was drawn.
  window.__observer = { latencies: [], rows, drawn: 0 };

  const text = (value) => (value === undefined || value === null ? '-' : String(value));
  const escape = (value) => text(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  function reorder() {
    ordered = [...rows.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : a.position - b.position));
    refilter();
  }

  function hiddenByCollapse(row) {
    for (let parent = row.parent; parent !== undefined; ) {
      const key = `${row.node}|${parent}`;
      if (collapsed.has(key)) return true;
      parent = rows.get(key)?.parent;
    }
    return false;
  }

  function refilter() {
    visible = search ? ordered.filter((row) => row.address.includes(search)) : ordered.filter((row) => !hiddenByCollapse(row));
    $('row-count').textContent = `${visible.length} of ${rows.size} rows`;
    queueDraw();
  }

  function queueDraw() {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(() => {
      drawQueued = false;
      draw();
    });
  }

  function draw() {
    spacer.style.height = `${visible.length * ROW_HEIGHT}px`;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(visible.length, Math.ceil((viewport.scrollTop + viewport.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    const now = performance.now();
    let html = '';
    // `visible` fixes the order; each row's figures are the latest in `rows`.
    for (let i = first; i < last; i++) html += rowHtml(rows.get(visible[i].key) ?? visible[i], i, now);
    // The spacer keeps the scroll height; the drawn rows sit over it at their own offsets.
    for (const old of viewport.querySelectorAll('.row')) old.remove();
    viewport.insertAdjacentHTML('beforeend', html);
    window.__observer.drawn = last - first;
  }

  function rowHtml(row, index, now) {
    const toggle = row.hasChildren && !search ? `<button class="toggle" data-toggle="${escape(row.key)}" aria-label="collapse">${collapsed.has(row.key) ? '▸' : '▾'}</button>` : '<span class="toggle"></span>';
    const kind = (row.kind === 'supervisor' ? `sup ${text(row.strategy)}` : 'actor') + (row.lease === undefined ? '' : row.leaseHolder ? ' ⚑' : ' ◌');
    const kindTitle = row.lease === undefined ? kind : `standby child of lease ${row.lease}: ${row.leaseHolder ? 'this node holds it' : 'standing by (another node holds it)'}`;
    const mailbox = row.mailboxDepth === undefined ? '-' : row.mailboxBound === undefined ? `${row.mailboxDepth}` : `${row.mailboxDepth}/${row.mailboxBound}`;
    const ask = row.askP50Ms === undefined ? '-' : `${row.askP50Ms}/${row.askP99Ms} ms`;
    const running = row.state === 'running';
    const act = (action) => `<button data-action="${action}" data-key="${escape(row.key)}">${action}</button>`;
    const actions = running ? act('restart') + act('stop') : act('start');
    const flash = (flashUntil.get(row.key) ?? 0) > now ? ' flash' : '';
    return `<div class="row${flash}" data-key="${escape(row.key)}" data-address="${escape(row.address)}" style="top:${index * ROW_HEIGHT}px">` +
      `<span class="address" style="padding-left:${row.depth * 14}px" title="${escape(row.node)}: ${escape(row.address)}">${toggle}<a href="#" data-filter="${escape(row.address)}">${escape(row.address)}</a></span>` +
      `<span class="kind" title="${escape(kindTitle)}">${escape(kind)}</span><span class="state state-${escape(row.state)}">${escape(row.state)}</span>` +
      `<span class="num restarts">${escape(row.restarts)}</span><span class="num">${escape(row.incarnation)}</span>` +
      `<span class="num mailbox">${escape(mailbox)}</span><span class="num">${escape(row.receivedPerSecond)}</span><span class="num">${escape(row.handledPerSecond)}</span>` +
      `<span class="num">${escape(ask)}</span><span class="num dead">${escape(row.deadLettered)}</span><span class="num dlq">${escape(row.deadLetters)}</span>` +
      `<span>${escape(row.machineState)}</span><span title="${escape(row.lastExit)}">${escape(row.lastExit)}</span><span class="actions">${actions}</span></div>`;
  }

  function applyRows(changed, removed) {
    let structural = false;
    for (const key of removed) structural = rows.delete(key) || structural;
    const until = performance.now() + 1500;
    for (const row of changed) {
      const old = rows.get(row.key);
      if (!old || old.position !== row.position || old.parent !== row.parent) structural = true;
      else flashUntil.set(row.key, until);
      rows.set(row.key, row);
    }
    if (structural) reorder();
    else if (search) refilter();
    else queueDraw();
  }

  function eventHtml(event) {
    const time = new Date(event.at).toISOString().slice(11, 23);
    return `<li class="event kind-${escape(event.kind)}" data-address="${escape(event.address)}"${matchesFilter(event) ? '' : ' hidden'}>` +
      `<time>${time}</time> <b>${escape(event.kind)}</b> ${escape(event.address)} <small>${escape(event.detail)}</small></li>`;
  }

  const matchesFilter = (event) => !eventFilter || event.address.includes(eventFilter);

  function applyEvents(fresh) {
    if (fresh.length === 0) return;
    events = events.concat(fresh).slice(-MAX_EVENTS_SHOWN);
    const list = $('events');
    list.insertAdjacentHTML('afterbegin', fresh.slice(-MAX_EVENTS_SHOWN).reverse().map(eventHtml).join(''));
    while (list.children.length > MAX_EVENTS_SHOWN) list.lastElementChild.remove();
    const drawnAt = Date.now();
    for (const event of fresh) window.__observer.latencies.push(drawnAt - event.at);
  }

  function applyNodes(nodes) {
    $('nodes').innerHTML = nodes
      .map((node) => `<li class="node ${node.reachable ? 'up' : 'down'}" data-node="${escape(node.node)}">${escape(node.node)} <small>${escape(node.reachable ? node.transport : node.error)}</small></li>`)
      .join('');
  }

  function applyDeadLetters(letters) {
    $('dead-letters').innerHTML = letters
      .map((letter) => {
        const requeue = letter.id === undefined ? '' : ` <button class="requeue-one" data-id="${escape(letter.id)}" data-address="${escape(letter.address)}">requeue</button>`;
        return `<li class="dead-letter" data-address="${escape(letter.address)}"><b>${escape(letter.reason)}</b> ${escape(letter.address)}${requeue} <small>${escape(letter.bytes)} B${letter.attempts ? `, ${escape(letter.attempts)} attempts` : ''}: ${escape(letter.error)}</small></li>`;
      })
      .join('');
    $('requeue').disabled = letters.length === 0;
  }

  function connect() {
    const stream = new EventSource('/events');
    stream.addEventListener('open', () => setConnection(true));
    stream.addEventListener('error', () => setConnection(false));
    stream.addEventListener('snapshot', (message) => {
      const snapshot = JSON.parse(message.data);
      rows.clear();
      for (const row of snapshot.rows) rows.set(row.key, row);
      reorder();
      events = [];
      $('events').innerHTML = '';
      applyEvents(snapshot.events);
      applyNodes(snapshot.nodes);
      applyDeadLetters(snapshot.deadLetters);
    });
    stream.addEventListener('update', (message) => {
      const change = JSON.parse(message.data);
      applyRows(change.rows, change.removed);
      applyEvents(change.events);
      if (change.nodes) applyNodes(change.nodes);
      if (change.deadLetters) applyDeadLetters(change.deadLetters);
    });
  }

  function setConnection(up) {
    const badge = $('connection');
    badge.className = up ? 'up' : 'down';
    badge.textContent = up ? 'live' : 'reconnecting…';
  }

  function confirmThen(question, act) {
    const dialog = $('confirm');
    $('confirm-text').textContent = question;
    dialog.returnValue = '';
    dialog.addEventListener('close', () => dialog.returnValue === 'ok' && act(), { once: true });
    dialog.showModal();
  }

  async function post(body) {
    const response = await fetch('/actions', { method: 'POST', headers: { 'content-type': 'application/json', 'x-airlock-csrf': csrf }, body: JSON.stringify(body) });
    const answer = await response.json().catch(() => ({ ok: false, error: { code: 'BAD_ANSWER', message: `HTTP ${response.status}` } }));
    toast(answer.ok ? answer.summary : `${answer.error.code}: ${answer.error.message}`);
  }

  let toastTimer;
  function toast(message) {
    const box = $('toast');
    box.textContent = message;
    box.style.display = 'block';
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (box.style.display = 'none'), 4000);
  }

  viewport.addEventListener('scroll', queueDraw, { passive: true });
  window.addEventListener('resize', queueDraw);
  viewport.addEventListener('click', (click) => {
    const target = click.target;
    if (target.dataset.toggle) {
      const key = target.dataset.toggle;
      if (!collapsed.delete(key)) collapsed.add(key);
      refilter();
    } else if (target.dataset.action) {
      const row = rows.get(target.dataset.key);
      const { action } = target.dataset;
      confirmThen(`${action} ${row.address} on node ${row.node}?`, () => post({ action, node: row.node, address: row.address }));
    } else if (target.dataset.filter !== undefined) {
      click.preventDefault();
      $('event-filter').value = eventFilter = target.dataset.filter;
      refilterEvents();
    }
  });
  $('requeue').addEventListener('click', () => confirmThen('requeue every dead letter to its actor?', () => post({ action: 'requeue' })));
  $('dead-letters').addEventListener('click', (click) => {
    const { id, address } = click.target.dataset;
    if (id !== undefined) confirmThen(`requeue this dead letter to ${address}?`, () => post({ action: 'requeue', id }));
  });
  $('search').addEventListener('input', (input) => {
    search = input.target.value.trim();
    viewport.scrollTop = 0;
    refilter();
  });
  $('event-filter').addEventListener('input', (input) => {
    eventFilter = input.target.value.trim();
    refilterEvents();
  });
  $('collapse-all').addEventListener('click', () => {
    for (const row of rows.values()) if (row.hasChildren) collapsed.add(row.key);
    refilter();
  });
  $('expand-all').addEventListener('click', () => {
    collapsed.clear();
    refilter();
  });

  function refilterEvents() {
    for (const item of $('events').children) item.hidden = !!eventFilter && !item.dataset.address.includes(eventFilter);
  }

  connect();
})();
