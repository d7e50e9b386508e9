// Run results → JSON, JUnit XML, Markdown and a self-contained HTML timeline.
export { formatHtml, type PageLinks } from './html.js';
export { formatIndexHtml } from './index-html.js';
export { formatRunJson, formatSummaryJson, REPORT_FORMAT_VERSION, type RunReportFile } from './json.js';
export { formatJunit } from './junit.js';
export { formatMarkdown } from './markdown.js';
export { type RunSummary, type ScenarioRow, type SummaryEntry, scenarioRows, summarize } from './summary.js';
export { renderTimelineSvg } from './svg.js';
export { keptPages, type PageOf, type RunPages } from './pages.js';
export { formatRunsFile, parseRunsFile, RUNS_FORMAT_VERSION, type RunEntry, type RunsFile } from './runs-file.js';
export {
  removePreviousRun,
  type WriteOptions,
  type WrittenReports,
  WRITTEN_FILES_LIST,
  writeReports,
} from './write.js';
