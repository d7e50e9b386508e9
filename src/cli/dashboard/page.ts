/** The dashboard page: one self-contained HTML document that polls /api/state. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>microcosm dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#f6f7f9}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
table{border-collapse:collapse;background:#fff;width:100%;box-shadow:0 1px 2px #0001}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e4e7ec;vertical-align:top}
th{background:#eef0f4;font-weight:600}.ok{color:#137333}.bad{color:#b3261e;font-weight:600}
.muted{color:#667085}code{font-size:12px}
</style></head><body>
<h1>microcosm</h1><div class="muted" id="updated">loading…</div>
<h2>Services</h2><table id="services"><thead><tr><th>service</th><th>version</th><th>node</th><th>address</th><th>health</th><th>uptime</th><th>calls</th><th>errors</th><th>endpoints</th></tr></thead><tbody></tbody></table>
<h2>Recent calls</h2><table id="calls"><thead><tr><th>time</th><th>service</th><th>node</th><th>endpoint</th><th>ms</th><th>result</th></tr></thead><tbody></tbody></table>
<h2>Runs</h2><table id="runs"><thead><tr><th>scenario</th><th>seed</th><th>result</th><th>violated</th><th>replay</th><th>timeline</th></tr></thead><tbody></tbody></table>
<script>
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const rows = (id, list, empty, cells) => {
  document.querySelector('#' + id + ' tbody').innerHTML = list.length === 0
    ? '<tr><td colspan="9" class="muted">' + empty + '</td></tr>'
    : list.map((x) => '<tr>' + cells(x).map((c) => '<td>' + c + '</td>').join('') + '</tr>').join('');
};
async function refresh() {
  const state = await (await fetch('api/state')).json();
  const nodes = state.services.flatMap((s) => s.nodes.map((n) => ({ s, n })));
  rows('services', nodes, 'no services registered', ({ s, n }) => {
    const h = n.health;
    const up = h.type === 'serving';
    return [esc(s.name), esc(s.version), esc(n.id), '<code>' + esc(n.address) + '</code>',
      up ? '<span class="ok">serving</span>' : '<span class="bad">failing</span> ' + esc(h.error),
      up ? Math.round(h.reply.uptimeMs / 1000) + ' s' : '-', up ? h.reply.calls : '-', up ? h.reply.errors : '-',
      esc(s.endpoints.join(', '))];
  });
  rows('calls', state.calls, 'no calls yet', (c) => [new Date(c.at).toISOString().slice(11, 23), esc(c.service), esc(c.node),
    esc(c.endpoint), c.ms, c.error ? '<span class="bad">' + esc(c.error) + '</span>' : '<span class="ok">ok</span>']);
  rows('runs', state.runs, 'no reports', (r) => [esc(r.scenario), r.seed, r.passed ? '<span class="ok">pass</span>' : '<span class="bad">FAIL</span>',
    esc(r.violated.join(', ') || '-'), '<code>' + esc(r.replay) + '</code>', r.report ? '<a href="reports/' + encodeURIComponent(r.report) + '">timeline</a>' : '-']);
  document.getElementById('updated').textContent = 'updated ' + new Date().toISOString().slice(11, 19) + ' UTC';
}
refresh().catch((e) => { document.getElementById('updated').textContent = 'error: ' + e; });
setInterval(() => refresh().catch(() => {}), 2000);
</script></body></html>
`;
