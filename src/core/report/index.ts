/** The report of step 5 as pure functions: ReportData in, REPORT.md and report.html text out. */
export * from './types';
export { renderMarkdown, escapeMarkdown } from './markdown';
export { renderHtml, escapeHtml, markdownToHtml } from './html';
export { extractCredit } from './credit';
export { reportBlocks } from './document';
export { REPORT_SECTIONS } from './sections';
export { formatMeanStd, formatValue, formatDifference } from './format';
export type { Block, Inline, Span } from './blocks';
