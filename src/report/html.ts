/**
 * One self-contained HTML page per run: the verdict, the violated invariants, the replay command,
 * the fault schedule and the space-time diagram. Inline CSS, inline SVG and a few lines of inline
 * script (lane filters and zoom); no external asset, so the file opens from a CI artifact as is.
 */
import { describeFault, formatMs } from '../scenarios/faults.js';
import { type RunResult, violatedInvariants } from '../scenarios/result.js';
import { escapeXml, jsonForScript } from './escape.js';
import { renderTimelineSvg } from './svg.js';

/** Links to the pages beside this one: the minimal run's (on a shrunk run), the original's (on a minimal one). */
export interface PageLinks {
  readonly minimal?: { readonly html: string };
  readonly original?: string;
}

/**
 * A run's page. It is about this run: its own replay command comes first, its own faults and
 * timeline follow; a shrunk run links its minimal failing run's page (and shows that replay as
 * well), whose page links back.
 */
export function formatHtml(result: RunResult, links: PageLinks = {}): string {
  const shown = result;
  const violated = violatedInvariants(result);
  const verdict = result.passed ? 'passed' : 'failed';
  const headline =
    result.outcome === 'error'
      ? 'the run itself failed'
      : violated.length === 0
        ? result.expectViolated === undefined
          ? 'every invariant held'
          : `expected "${result.expectViolated}" to be violated, but it held`
        : `violated: ${violated.join(', ')}`;
  const timeline = shown.timeline ?? result.timeline;
  const body = [
    `<header class="${verdict}"><h1>${escapeXml(result.scenario)} <small>seed ${result.seed}</small></h1>`,
    `<p class="verdict" id="verdict">${verdict.toUpperCase()} — ${escapeXml(headline)}</p>`,
    `<p class="replay">replay: <code id="replay">${escapeXml(result.replayCommand)}</code></p>`,
    related(result, links),
    result.description === undefined ? '' : `<p>${escapeXml(result.description)}</p>`,
    '</header>',
    violationsSection(result),
    result.error === undefined ? '' : `<section><h2>Error</h2><pre>${escapeXml(result.error)}</pre></section>`,
    facts(result, shown),
    faultsSection(shown),
    timeline === undefined
      ? '<section><h2>Timeline</h2><p>No timeline was kept for this run.</p></section>'
      : '<section><h2>Timeline</h2>' +
        `<p class="controls"><label><input type="checkbox" id="show-messages" checked> messages</label> ` +
        `<label><input type="checkbox" id="show-operations" checked> client operations</label> ` +
        `<label>zoom <input type="range" id="zoom" min="1" max="8" value="1"></label> ` +
        `<span class="legend"><i class="l-del"></i>delivered <i class="l-drop"></i>dropped <i class="l-fault"></i>fault <i class="l-ok"></i>ok <i class="l-fail"></i>fail <i class="l-unknown"></i>unknown</span></p>` +
        (timeline.messagesOmitted > 0
          ? `<p class="note">${timeline.messagesOmitted} further message(s) left out to keep this page small.</p>`
          : '') +
        `<div class="scroll">${renderTimelineSvg(timeline)}</div></section>`,
  ];
  const summary = {
    scenario: result.scenario,
    seed: result.seed,
    passed: result.passed,
    violated,
    traceHash: result.traceHash,
  };
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(`${result.scenario} seed ${result.seed}: ${verdict}`)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style></head>
<body>
${body.filter((part) => part !== '').join('\n')}
<script id="run-summary" type="application/json">${jsonForScript(summary)}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

function related(result: RunResult, links: PageLinks): string {
  const minimal = result.shrink?.minimal;
  const parts: string[] = [];
  if (minimal !== undefined)
    parts.push(
      `shrunk to ${result.shrink?.faultsAfter} fault(s): ${links.minimal === undefined ? 'minimal failing run' : `<a id="minimal-page" href="${escapeXml(links.minimal.html)}">minimal failing run</a>`}, replay <code id="minimal-replay">${escapeXml(minimal.replayCommand)}</code>`,
    );
  if (links.original !== undefined)
    parts.push(`the minimal case of <a id="original-page" href="${escapeXml(links.original)}">the original run</a>`);
  parts.push('<a href="index.html">all runs</a>');
  return `<p class="related">${parts.join(' · ')}</p>`;
}

function violationsSection(result: RunResult): string {
  const items = result.verdicts.flatMap((v) => v.violations);
  if (items.length === 0) return '';
  const list = items
    .map(
      (v) =>
        `<li class="violation-item"><strong class="invariant">${escapeXml(v.invariant)}</strong>` +
        `${v.at === undefined ? '' : ` at ${formatMs(v.at)}`}${v.node === undefined ? '' : ` on ${escapeXml(v.node)}`}: ${escapeXml(v.message)}` +
        (v.events === undefined || v.events.length === 0
          ? ''
          : `<ul class="witness">${v.events
              .map(
                (e) =>
                  `<li>${formatMs(e.time)} ${escapeXml(e.node ?? '')} ${escapeXml(e.type)} ${escapeXml(e.detail ?? '')}</li>`,
              )
              .join('')}</ul>`) +
        '</li>',
    )
    .join('\n');
  return `<section id="violations"><h2>Violations</h2><ul>${list}</ul></section>`;
}

function facts(result: RunResult, shown: RunResult): string {
  const rows: [string, string][] = [
    ['trace hash', `<code>${escapeXml(shown.traceHash)}</code>`],
    ['virtual time', formatMs(result.virtualMs)],
    ['wall time', `${Math.round(result.wallMs)} ms`],
    ['trace events', String(result.traceEvents)],
    [
      'operations',
      `${result.operations.total} (ok ${result.operations.ok}, fail ${result.operations.fail}, unknown ${result.operations.unknown})`,
    ],
  ];
  if (result.shrink !== undefined)
    rows.push([
      'shrunk',
      `in ${result.shrink.runs} runs: faults ${result.shrink.faultsBefore} → ${result.shrink.faultsAfter}, operations ${result.shrink.opsBefore} → ${result.shrink.opsAfter}`,
    ]);
  return `<section><table class="facts">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table></section>`;
}

function faultsSection(run: RunResult): string {
  if (run.faults.length === 0) return '<section><h2>Faults</h2><p>none</p></section>';
  const rows = run.faults
    .map((f) => `<tr><td>${formatMs(f.at)}</td><td>${escapeXml(describeFault(f))}</td></tr>`)
    .join('');
  return `<section><h2>Faults</h2><table class="faults"><tr><th>at</th><th>fault</th></tr>${rows}</table></section>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#fafbfc}
header{padding:16px 24px;border-bottom:4px solid #2d8a4e;background:#fff}
header.failed{border-color:#c62828}
h1{margin:0;font-size:22px}h1 small{color:#667;font-weight:normal}
h2{font-size:16px;margin:0 0 8px}
section{padding:12px 24px}
.verdict{font-weight:600;margin:6px 0 0}.replay,.related{margin:6px 0 0}
header.failed .verdict{color:#c62828}header.passed .verdict{color:#2d8a4e}
#violations{background:#fdecea}#violations .invariant{color:#b71c1c}
.witness{font:12px ui-monospace,monospace;color:#555}
table{border-collapse:collapse}th,td{text-align:left;padding:3px 10px 3px 0;vertical-align:top}
code{font:12px ui-monospace,monospace;background:#eef;padding:1px 4px;border-radius:3px}
.scroll{overflow-x:auto;background:#fff;border:1px solid #dde}
.note{color:#667}
#timeline text{font:11px system-ui,sans-serif;fill:#334}
#timeline .lane line{stroke:#aab;stroke-width:1}
#timeline .axis line{stroke:#eef;stroke-width:1}#timeline .axis text{fill:#889}
#timeline .msg{stroke:#557;stroke-width:.8;opacity:.55}
#timeline .msg.dropped{stroke:#d32f2f;stroke-dasharray:3 2;opacity:.8}
#timeline .msg.in-flight{stroke:#f9a825}
#timeline .fault{fill:#ff9800;opacity:.22}
#timeline .fault-label{fill:#e65100}
#timeline .op.ok{fill:#2e7d32}#timeline .op.fail{fill:#c62828}#timeline .op.unknown{fill:#f9a825}
#timeline .mark circle{fill:#6a1b9a}
#timeline .violation line{stroke:#d50000;stroke-width:2.5}
#timeline .violation text{fill:#d50000;font-weight:700}
.hide-messages .messages,.hide-operations .operations{display:none}
.legend i{display:inline-block;width:14px;height:8px;margin:0 4px 0 10px}
.l-del{background:#557}.l-drop{background:#d32f2f}.l-fault{background:#ffcc80}
.l-ok{background:#2e7d32}.l-fail{background:#c62828}.l-unknown{background:#f9a825}
`;

const SCRIPT = `(function(){
var svg=document.getElementById('timeline');if(!svg)return;
var w=Number(svg.getAttribute('width')),h=Number(svg.getAttribute('height'));
function toggle(id,cls){var box=document.getElementById(id);if(!box)return;
box.addEventListener('change',function(){svg.classList.toggle(cls,!box.checked);});}
toggle('show-messages','hide-messages');toggle('show-operations','hide-operations');
var zoom=document.getElementById('zoom');
if(zoom)zoom.addEventListener('input',function(){var z=Number(zoom.value);
svg.setAttribute('width',String(w*z));svg.setAttribute('height',String(h));svg.setAttribute('preserveAspectRatio','none');});
var first=document.getElementById('violation-0'),box=svg.parentElement;
if(first&&box){var b=box.getBoundingClientRect(),f=first.getBoundingClientRect();
box.scrollLeft=Math.max(0,f.left-b.left+box.scrollLeft-box.clientWidth/2);}
})();`;
