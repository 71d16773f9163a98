/**
 * report.html: one self-contained page (inline CSS, charts inlined as data URIs, no scripts, no external
 * resources), in the light colours of the webview charts, that prints well.
 */
import { anchorOf, spans, type Block, type Inline } from './blocks';
import { reportBlocks } from './document';
import type { ReportChartSources, ReportData } from './types';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: light; }
body { margin: 0; background: #ffffff; color: #333333;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.9rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 0.6rem; padding-bottom: 0.3rem; border-bottom: 1px solid rgba(0,0,0,0.12); }
h3 { font-size: 1.1rem; margin: 1.6rem 0 0.5rem; }
table { border-collapse: collapse; margin: 0.8rem 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid rgba(0,0,0,0.12); padding: 0.3rem 0.65rem; text-align: left; vertical-align: top; }
th { background: #f3f6fa; }
td.number, th.number { text-align: right; white-space: nowrap; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em;
  background: #f3f6fa; padding: 0.1em 0.3em; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: #f3f6fa; padding: 0.8rem 1rem; border-radius: 4px; overflow-x: auto; }
pre code { background: none; padding: 0; }
blockquote { margin: 0.8rem 0; padding: 0.4rem 0.9rem; border-left: 4px solid #3794ff; background: #f5f9ff; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid rgba(0,0,0,0.08); }
figcaption { color: #666666; font-size: 0.9rem; }
@media print { main { max-width: none; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
`;

function inline(content: Inline): string {
  return spans(content)
    .map((span) => {
      const text = escapeHtml(span.text);
      if (span.style === 'code') return `<code>${text}</code>`;
      if (span.style === 'strong') return `<strong>${text}</strong>`;
      if (span.style === 'emphasis') return `<em>${text}</em>`;
      return text;
    })
    .join('');
}

/**
 * The inline markdown a person writes in a README (code spans, bold, italics, links) as HTML. Links become
 * their text followed by the address in parentheses, so the page never points elsewhere.
 */
export function markdownInlineToHtml(text: string): string {
  const codes: string[] = [];
  let html = text.replace(/`([^`]+)`/g, (_match, inner: string) => {
    codes.push(`<code>${escapeHtml(inner)}</code>`);
    return `\uE000${codes.length - 1}\uE000`;
  });
  html = escapeHtml(html)
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/&#60;(https?:[^\s&]+)&#62;/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])[*_]([^*_]+)[*_](?=[^\w*]|$)/g, '$1<em>$2</em>');
  return html.replace(/\uE000(\d+)\uE000/g, (_match, index: string) => codes[Number(index)]);
}

/** A person's markdown (paragraphs and `-` lists) as HTML. */
export function markdownToHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => {
      const lines = paragraph.split('\n').map((line) => line.trim());
      if (lines.every((line) => /^[-*] /.test(line))) {
        return `<ul>${lines.map((line) => `<li>${markdownInlineToHtml(line.slice(2))}</li>`).join('')}</ul>`;
      }
      const heading = /^(#{1,6})\s+(.*)$/.exec(lines[0]);
      if (heading && lines.length === 1) return `<h3>${markdownInlineToHtml(heading[2])}</h3>`;
      return `<p>${markdownInlineToHtml(lines.join(' '))}</p>`;
    })
    .join('\n');
}

function table(block: Extract<Block, { kind: 'table' }>): string {
  const cellClass = (index: number): string => (block.numeric[index] ? ' class="number"' : '');
  const header = block.header
    .map((text, index) => `<th${cellClass(index)}>${escapeHtml(text)}</th>`)
    .join('');
  const rows = block.rows
    .map(
      (row) =>
        `<tr>${row.map((text, index) => `<td${cellClass(index)}>${escapeHtml(text)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n<thead><tr>${header}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

function block(item: Block, charts: ReportChartSources): string {
  switch (item.kind) {
    case 'heading':
      return `<h${item.level} id="${escapeHtml(item.anchor ?? anchorOf(item.text))}">${escapeHtml(item.text)}</h${item.level}>`;
    case 'paragraph':
      return `<p>${inline(item.content)}</p>`;
    case 'note':
      return `<blockquote>${inline(item.content)}</blockquote>`;
    case 'list':
      return `<ul>\n${item.items.map((entry) => `<li>${inline(entry)}</li>`).join('\n')}\n</ul>`;
    case 'table':
      return table(item);
    case 'image': {
      const source = charts[item.chart];
      if (source === undefined)
        return `<blockquote>Chart not rendered: ${escapeHtml(item.alt)}.</blockquote>`;
      return `<figure><img src="${escapeHtml(source)}" alt="${escapeHtml(item.alt)}"><figcaption>${escapeHtml(item.alt)}</figcaption></figure>`;
    }
    case 'code':
      return `<pre><code class="language-${escapeHtml(item.language)}">${escapeHtml(item.text)}</code></pre>`;
    case 'markdown':
      return markdownToHtml(item.text);
  }
}

/**
 * The report as one self-contained HTML page. `charts` maps each rendered chart to a `data:image/png;base64,…`
 * URI; a chart missing from it is replaced by a note.
 */
export function renderHtml(data: ReportData, charts: ReportChartSources): string {
  const body = reportBlocks(data)
    .map((item) => block(item, charts))
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Topdown ${escapeHtml(data.topdownVersion)}">
<title>${escapeHtml(data.title)}: Topdown report</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
