// The status page at `/`: the units with their states, a live log tail and the boot plot, kept up to date
// by /api/events. One self-contained page (no build step, no fonts or scripts from elsewhere).
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>unitvisor</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em;margin:0 0 .5em}h2{font-size:1.05em;margin:1.2em 0 .4em}
#state{padding:.1em .5em;border-radius:3px;color:#fff;background:#888}
#state.running{background:#2a7d2a}#state.degraded{background:#b22}#state.starting,#state.stopping{background:#b80}
table{border-collapse:collapse}td,th{text-align:left;padding:.15em .8em .15em 0;border-bottom:1px solid #eee}
tr.failed td{color:#b22;font-weight:bold}tr.active td:nth-child(2){color:#2a7d2a}
tr.activating td:nth-child(2),tr.deactivating td:nth-child(2){color:#b80}tr.inactive td{color:#888}
#log{font:12px monospace;background:#111;color:#ddd;padding:.5em;height:14em;overflow:auto;white-space:pre-wrap;margin:0}
#plot{max-width:100%;border:1px solid #ddd}
</style></head><body>
<h1>unitvisor <span id="state">…</span></h1>
<table><thead><tr><th>UNIT</th><th>ACTIVE</th><th>SUB</th><th>RESULT</th><th>DESCRIPTION</th></tr></thead><tbody id="units"></tbody></table>
<h2>Log</h2><pre id="log"></pre>
<h2>Boot plot</h2><img id="plot" alt="boot plot" src="plot.svg">
<script>
const $ = (id) => document.getElementById(id);
let timer;
function cell(row, text) { const td = document.createElement('td'); td.textContent = text; row.appendChild(td); }
async function refresh() {
  const r = await fetch('api/units', { cache: 'no-store' });
  const data = await r.json();
  $('state').textContent = data.state; $('state').className = data.state;
  const rows = data.units.filter((u) => u.loadState === 'loaded' && (u.activeState !== 'inactive' || u.lastJob || u.id.endsWith('.service')));
  const body = document.createElement('tbody'); body.id = 'units';
  for (const u of rows) {
    const tr = document.createElement('tr'); tr.className = u.activeState; tr.dataset.unit = u.id;
    cell(tr, u.id); cell(tr, u.activeState); cell(tr, u.subState); cell(tr, u.result); cell(tr, u.description);
    body.appendChild(tr);
  }
  $('units').replaceWith(body);
  $('plot').src = 'plot.svg?t=' + Date.now();
  document.body.dataset.loaded = 'yes';
}
function later() { clearTimeout(timer); timer = setTimeout(refresh, 200); }
const events = new EventSource('api/events');
events.addEventListener('state', later);
events.addEventListener('journal', (e) => {
  const j = JSON.parse(e.data), log = $('log');
  const t = new Date(Number(j.__REALTIME_TIMESTAMP) / 1000).toTimeString().slice(0, 8);
  log.textContent += t + ' ' + j.SYSLOG_IDENTIFIER + '[' + j._PID + ']: ' + j.MESSAGE + '\\n';
  if (log.textContent.length > 50000) log.textContent = log.textContent.slice(-40000);
  log.scrollTop = log.scrollHeight;
});
refresh();
</script></body></html>
`;

export const statusPage = (): string => PAGE;
