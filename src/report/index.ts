// Run results → JSON, JUnit XML, Markdown and a self-contained HTML timeline.
export { formatHtml } from './html.js';
export { formatRunJson, formatSummaryJson, REPORT_FORMAT_VERSION, type RunReportFile } from './json.js';
export { formatJunit } from './junit.js';
export { formatMarkdown } from './markdown.js';
export { type RunSummary, type ScenarioRow, type SummaryEntry, scenarioRows, summarize } from './summary.js';
export { renderTimelineSvg } from './svg.js';
export { type WrittenReports, writeReports } from './write.js';
