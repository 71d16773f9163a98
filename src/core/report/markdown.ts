/**
 * REPORT.md: GitHub-flavoured markdown that reads well on a code-hosting site, with the charts as relative
 * image links to the PNG files beside it.
 */
import { spans, type Block, type Inline } from './blocks';
import { reportBlocks } from './document';
import type { ReportChartSources, ReportData } from './types';

/** Escapes characters that markdown would read as markup in plain text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (character) => `\\${character}`);
}

/** A code span that survives backticks inside it. */
function codeSpan(text: string): string {
  if (!text.includes('`')) return `\`${text}\``;
  return `\`\` ${text} \`\``;
}

function inline(content: Inline): string {
  return spans(content)
    .map((span) => {
      if (span.text === '') return '';
      switch (span.style) {
        case 'code':
          return codeSpan(span.text);
        case 'strong':
          return `**${escapeMarkdown(span.text)}**`;
        case 'emphasis':
          return `*${escapeMarkdown(span.text)}*`;
        default:
          return escapeMarkdown(span.text);
      }
    })
    .join('');
}

function cell(text: string): string {
  return escapeMarkdown(text.replace(/\s*\n\s*/g, ' ')) || ' ';
}

function table(block: Extract<Block, { kind: 'table' }>): string {
  const header = `| ${block.header.map(cell).join(' | ')} |`;
  const rule = `|${block.numeric.map((numeric) => (numeric ? '---:' : '---')).join('|')}|`;
  const rows = block.rows.map((row) => `| ${row.map(cell).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}

function fence(language: string, text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}${language}\n${text}\n${marks}`;
}

function block(item: Block, charts: ReportChartSources): string {
  switch (item.kind) {
    case 'heading':
      return `${'#'.repeat(item.level)} ${item.text}`;
    case 'paragraph':
      return inline(item.content);
    case 'note':
      return `> ${inline(item.content)}`;
    case 'list':
      return item.items.map((entry) => `- ${inline(entry)}`).join('\n');
    case 'table':
      return table(item);
    case 'image': {
      const source = charts[item.chart];
      if (source === undefined) return `> Chart not rendered: ${escapeMarkdown(item.alt)}.`;
      return `![${escapeMarkdown(item.alt)}](${encodeURI(source)})`;
    }
    case 'code':
      return fence(item.language, item.text);
    case 'markdown':
      return item.text.trim();
  }
}

/**
 * The report as markdown. `charts` maps each rendered chart to its path relative to REPORT.md
 * (`fold-scores.png`); a chart missing from it is replaced by a note.
 */
export function renderMarkdown(data: ReportData, charts: ReportChartSources): string {
  return `${reportBlocks(data)
    .map((item) => block(item, charts))
    .join('\n\n')}\n`;
}
