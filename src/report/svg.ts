/**
 * The space-time diagram: one horizontal lane per node, time running left to right, messages as
 * arrows between lanes, faults as shaded bands over the lanes they hit, client operations as bars
 * on the client's lane, and each violation as a red line with its invariant's name.
 * Pure string building: the same timeline always renders the same SVG.
 */
import { formatMs } from '../scenarios/faults.js';
import type { Timeline, TimelineMessage, TimelineOperation } from '../scenarios/result.js';
import { escapeXml } from './escape.js';

const GUTTER = 150;
const LANE = 34;
const TOP = 40;
const MAX_PLOT_WIDTH = 1600;

export function renderTimelineSvg(timeline: Timeline): string {
  const duration = Math.max(1, timeline.durationMs);
  const plotWidth = Math.min(MAX_PLOT_WIDTH, Math.max(600, duration / 10));
  const width = GUTTER + plotWidth + 30;
  const height = TOP + timeline.nodes.length * LANE + 30;
  const x = (t: number) => round(GUTTER + (Math.min(Math.max(t, 0), duration) / duration) * plotWidth);
  const laneIndex = new Map(timeline.nodes.map((node, i) => [node, i]));
  const y = (node: string) => TOP + (laneIndex.get(node) ?? 0) * LANE + LANE / 2;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" id="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="space-time diagram">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#557"/></marker></defs>',
  ];
  parts.push(...axis(duration, x, height));
  timeline.nodes.forEach((node, i) => {
    const laneY = TOP + i * LANE + LANE / 2;
    parts.push(
      `<g class="lane"><text x="${GUTTER - 10}" y="${laneY + 4}" text-anchor="end">${escapeXml(node)}</text>` +
        `<line x1="${GUTTER}" y1="${laneY}" x2="${GUTTER + plotWidth}" y2="${laneY}" /></g>`,
    );
  });
  for (const fault of timeline.faults) {
    const nodes = fault.nodes.filter((n) => laneIndex.has(n));
    const lanes = nodes.length === 0 ? timeline.nodes : nodes;
    const x1 = x(fault.at);
    const x2 = Math.max(x1 + 3, x(fault.until ?? duration));
    for (const node of lanes) {
      parts.push(
        `<rect class="fault" x="${x1}" y="${y(node) - LANE / 2 + 3}" width="${round(x2 - x1)}" height="${LANE - 6}"><title>${escapeXml(`${formatMs(fault.at)}: ${fault.label}`)}</title></rect>`,
      );
    }
    parts.push(`<text class="fault-label" x="${x1 + 2}" y="${TOP - 6}">${escapeXml(fault.label)}</text>`);
  }
  parts.push('<g class="messages">');
  for (const message of timeline.messages) parts.push(arrow(message, x, y, duration));
  parts.push('</g><g class="operations">');
  for (const op of timeline.operations) parts.push(operation(op, x, y));
  parts.push('</g>');
  for (const mark of timeline.marks)
    parts.push(
      `<g class="mark"><circle cx="${x(mark.at)}" cy="${y(mark.node)}" r="5"/><title>${escapeXml(`${formatMs(mark.at)} ${mark.node}: ${mark.label}`)}</title></g>`,
    );
  timeline.violations.forEach((violation, i) => {
    if (violation.at === undefined) return;
    const vx = x(violation.at);
    parts.push(
      `<g class="violation" id="violation-${i}"><line x1="${vx}" y1="${TOP - 4}" x2="${vx}" y2="${height - 24}"/>` +
        `<text x="${vx + 4}" y="${height - 12}">${escapeXml(`✗ ${violation.invariant}`)}</text><title>${escapeXml(violation.message)}</title></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function axis(duration: number, x: (t: number) => number, height: number): string[] {
  const step = niceStep(duration / 10);
  const ticks: string[] = ['<g class="axis">'];
  for (let t = 0; t <= duration; t += step)
    ticks.push(
      `<line x1="${x(t)}" y1="${TOP - 2}" x2="${x(t)}" y2="${height - 28}"/><text x="${x(t)}" y="${height - 2}" text-anchor="middle">${formatMs(t)}</text>`,
    );
  ticks.push('</g>');
  return ticks;
}

function arrow(
  message: TimelineMessage,
  x: (t: number) => number,
  y: (node: string) => number,
  duration: number,
): string {
  const end = message.at ?? duration;
  const title = `${formatMs(message.sentAt)} ${message.from} → ${message.to}${message.label ? ` ${message.label}` : ''}: ${message.outcome}`;
  return `<line class="msg ${message.outcome}" x1="${x(message.sentAt)}" y1="${y(message.from)}" x2="${x(end)}" y2="${y(message.to)}" marker-end="url(#arrow)"><title>${escapeXml(title)}</title></line>`;
}

function operation(op: TimelineOperation, x: (t: number) => number, y: (node: string) => number): string {
  const x1 = x(op.invokedAt);
  const x2 = Math.max(x1 + 2, x(op.completedAt ?? op.invokedAt));
  const title = `#${op.id} ${op.label}: ${op.outcome}${op.detail ? ` (${op.detail})` : ''}`;
  return `<rect class="op ${op.outcome}" x="${x1}" y="${y(op.client) - 5}" width="${round(x2 - x1)}" height="10"><title>${escapeXml(title)}</title></rect>`;
}

function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const factor of [1, 2, 5, 10]) if (factor * magnitude >= raw) return factor * magnitude;
  return 10 * magnitude;
}

const round = (n: number) => Math.round(n * 10) / 10;
