/**
 * Colours from VS Code's `--vscode-*` CSS variables. VS Code sets them on <html> and switches the body class
 * (vscode-light, vscode-dark, vscode-high-contrast, vscode-high-contrast-light) when the theme changes.
 */
import { distinctColours, rgbOf, withAlpha as sharedWithAlpha } from '../../src/shared/charts';

/** What the charts need to know about the current theme. */
export interface Theme {
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  foreground: string;
  background: string;
  /** Axis and grid lines. */
  grid: string;
  /** Series colours, in order: distinct from each other and from `baseline` and `highlight`. */
  palette: string[];
  /** The reference line of the baseline. */
  baseline: string;
  /** The best candidate or trial. */
  highlight: string;
  fontFamily: string;
  fontSize: number;
  /** Heavier lines in high contrast. */
  lineWidth: number;
}

const fallbacks: Record<Theme['kind'], { foreground: string; background: string; grid: string }> = {
  light: { foreground: '#333333', background: '#ffffff', grid: 'rgba(0,0,0,0.12)' },
  dark: { foreground: '#cccccc', background: '#1e1e1e', grid: 'rgba(255,255,255,0.12)' },
  'high-contrast': { foreground: '#ffffff', background: '#000000', grid: '#6fc3df' },
  'high-contrast-light': { foreground: '#000000', background: '#ffffff', grid: '#0f4a85' },
};

function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function themeKind(): Theme['kind'] {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-light')) return 'light';
  return 'dark';
}

/** Reads the current theme's colours. */
export function readTheme(): Theme {
  const kind = themeKind();
  const fallback = fallbacks[kind];
  const pick = (name: string, otherwise: string): string => cssVariable(name) || otherwise;
  const highContrast = kind.startsWith('high-contrast');
  const baseline = pick('--vscode-charts-red', '#f14c4c');
  const highlight = pick('--vscode-charts-green', '#89d185');
  // Green marks the best candidate and red the baseline: no series takes either (nor a look-alike of them or of
  // an earlier series, such as a theme's yellow beside its orange).
  const palette = distinctColours(
    [
      pick('--vscode-charts-blue', '#3794ff'),
      pick('--vscode-charts-orange', '#d18616'),
      pick('--vscode-charts-purple', '#b180d7'),
      pick('--vscode-charts-yellow', '#cca700'),
      pick('--vscode-terminal-ansiCyan', '#11a8cd'),
      pick('--vscode-terminal-ansiMagenta', '#bc3fbc'),
      // Not the bright blue of the terminal: beside the charts' blue two candidates would look alike.
      '#a0714f',
      '#e377c2',
      '#8c8c8c',
    ].map(normalised),
    [baseline, highlight].map(normalised),
  );
  return {
    kind,
    foreground: pick('--vscode-editor-foreground', pick('--vscode-foreground', fallback.foreground)),
    background: pick('--vscode-editor-background', fallback.background),
    grid: highContrast
      ? pick('--vscode-contrastBorder', fallback.grid)
      : pick('--vscode-charts-lines', fallback.grid),
    palette,
    baseline,
    highlight,
    fontFamily: pick('--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: Number.parseFloat(cssVariable('--vscode-font-size')) || 13,
    lineWidth: highContrast ? 2.5 : 1.5,
  };
}

/** Calls `callback` with the new theme whenever the body's theme class changes; returns a stop function. */
export function onThemeChange(callback: (theme: Theme) => void): () => void {
  let lastClass = document.body.className;
  const observer = new MutationObserver(() => {
    if (document.body.className === lastClass) return;
    lastClass = document.body.className;
    callback(readTheme());
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}

let colourContext: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour as canvas writes it back: `#rrggbb` when opaque, `rgba(...)` otherwise. */
function normalised(colour: string): string {
  colourContext ??= document.createElement('canvas').getContext('2d');
  if (!colourContext) return colour;
  colourContext.fillStyle = '#000000';
  colourContext.fillStyle = colour;
  return String(colourContext.fillStyle);
}

/** Any CSS colour with its alpha replaced, as `rgba(...)` (canvas normalises the colour for us). */
export function withAlpha(colour: string, alpha: number): string {
  const canonical = normalised(colour);
  // Canvas writes `#rrggbb` or `rgba(…)`, both read by the shared rgbOf; black for what it cannot read.
  return rgbOf(canonical) ? sharedWithAlpha(canonical, alpha) : `rgba(0, 0, 0, ${alpha})`;
}
