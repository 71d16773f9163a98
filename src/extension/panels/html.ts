/** The HTML page of a panel: a strict Content Security Policy with a nonce, one script, one stylesheet. */
import { randomBytes } from 'node:crypto';
import type { PanelKind } from '../../protocol/panels';

/** Where the page loads from and what it may load. */
export interface PanelHtmlOptions {
  kind: PanelKind;
  title: string;
  /** `webview.cspSource`: the origin of the webview's local resources. */
  cspSource: string;
  /** `webview.asWebviewUri` of dist/webviews/<kind>.js and media/panels/panels.css, as strings. */
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

/** A fresh nonce for one page load (128 random bits, base64). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * The Content Security Policy: nothing by default; scripts only with the nonce; styles and fonts from the
 * extension; images from the extension and data URLs (Chart.js exports). Lit's constructable stylesheets
 * need no `unsafe-inline`.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

/** The page of one panel. */
export function panelHtml(options: PanelHtmlOptions): string {
  const nonce = escapeHtml(options.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(options.styleUri)}">
<title>${escapeHtml(options.title)}</title>
</head>
<body data-panel="${escapeHtml(options.kind)}">
<div id="app"></div>
<script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
