import type { Snapshot } from './observed-system.ts';

/** Text as HTML: what a node reports (addresses, errors) is shown, never interpreted. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The page, rendered on the server with the nodes as last seen; observer.js (no framework, no
 * build step) then keeps it live from the event stream. `csrf` is the session's token for actions.
 */
export function observerPage(snapshot: Snapshot, csrf: string, title: string): string {
  const nodes = snapshot.nodes
    .map((node) => `<li class="node ${node.reachable ? 'up' : 'down'}" data-node="${escapeHtml(node.node)}">${escapeHtml(node.node)} <small>${escapeHtml(node.reachable ? (node.transport ?? '') : (node.error ?? 'unreachable'))}</small></li>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="airlock-csrf" content="${escapeHtml(csrf)}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><span id="connection" class="down">connecting…</span></header>
<ul id="nodes">${nodes}</ul>
<main>
<section id="tree-section">
  <div class="toolbar"><input id="search" type="search" placeholder="search by address" aria-label="search by address"> <span id="row-count">${snapshot.rows.length} rows</span>
  <button id="collapse-all" type="button">collapse all</button> <button id="expand-all" type="button">expand all</button></div>
  <div class="row head"><span class="address">address</span><span>kind</span><span>state</span><span class="num" title="restarts">restarts</span><span class="num" title="incarnation">inc.</span><span class="num" title="mailbox depth / bound">mailbox</span><span class="num" title="messages in per second">in/s</span><span class="num" title="messages handled per second">done/s</span><span class="num" title="ask latency p50 / p99">ask p50/99</span><span class="num" title="dead-lettered by the node since it started">dead</span><span class="num" title="dead letters waiting in the broker's queue">dlq</span><span>xstate</span><span>last exit</span><span class="actions">actions</span></div>
  <div id="viewport"><div id="spacer"></div></div>
</section>
<aside>
  <section id="events-section"><h2>events</h2><input id="event-filter" type="search" placeholder="filter by actor" aria-label="filter events by actor"><ol id="events"></ol></section>
  <section id="dead-letters-section"><h2>dead letters <button id="requeue" type="button">requeue all</button></h2><ol id="dead-letters"></ol></section>
</aside>
</main>
<dialog id="confirm"><form method="dialog"><p id="confirm-text"></p><button value="cancel">cancel</button> <button id="confirm-ok" value="ok">confirm</button></form></dialog>
<div id="toast" role="status"></div>
<script src="/observer.js" defer></script>
</body>
</html>
`;
}

const STYLE = `
body{font:13px/1.4 system-ui,sans-serif;margin:0;color:#1d232a;background:#f6f7f9}
header{display:flex;gap:1em;align-items:baseline;padding:.4em 1em;background:#1d232a;color:#fff}
h1{font-size:15px;margin:0}h2{font-size:13px;margin:.3em 0}
#connection.up{color:#7fdc8f}#connection.down{color:#f08a80}
#nodes{display:flex;gap:1em;list-style:none;margin:0;padding:.4em 1em}
.node.up::before{content:'● ';color:#2a9d4b}.node.down::before{content:'● ';color:#d0453a}
main{display:grid;grid-template-columns:minmax(0,1fr) 300px;gap:.8em;padding:0 1em}
.toolbar{margin:.3em 0}
#viewport{position:relative;height:calc(100vh - 150px);overflow-y:auto;background:#fff;border:1px solid #d6dae0}
.row{display:grid;grid-template-columns:minmax(150px,2fr) 116px 58px 50px 30px 76px 40px 44px 70px 34px 28px 70px minmax(60px,1.2fr) 100px;gap:4px;align-items:center;height:24px;padding:0 6px;white-space:nowrap}
.row>span{overflow:hidden;text-overflow:ellipsis}
#viewport .row{position:absolute;left:0;right:0;border-bottom:1px solid #eef0f3}
.row.head{font-weight:600;color:#59636e;font-size:11px}
.num{text-align:right;font-variant-numeric:tabular-nums}
.toggle{display:inline-block;width:1.2em;cursor:pointer;user-select:none;border:0;background:none;padding:0}
.state-running{color:#2a7a3f}.state-stopped{color:#8a6d00}.state-failed,.state-restarting{color:#c0392b}
.row.flash{background:#fff6d6}
.row .actions{display:flex;gap:3px}.row button{font-size:11px;padding:0 4px}
aside section{background:#fff;border:1px solid #d6dae0;padding:.3em .6em;margin-bottom:.6em}
#events,#dead-letters{list-style:none}#events{max-height:calc(60vh - 80px);overflow-y:auto;margin:0;padding-left:1.4em;font-size:12px}
#dead-letters{max-height:25vh;overflow-y:auto;margin:0;padding-left:1.4em;font-size:12px}
.kind-restarted,.kind-failed,.kind-node-down,.kind-refused,.kind-control-refused,.kind-rejected,.kind-reply-dropped{color:#c0392b}.kind-action{color:#2456a6}
#toast{position:fixed;bottom:1em;left:1em;background:#1d232a;color:#fff;padding:.4em .8em;border-radius:4px;display:none}
`;
