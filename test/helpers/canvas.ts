/** Reading what a canvas shows, for the webview tests and the end-to-end tests (both in Chromium). */

/** What a canvas shows: how many pixels are drawn and how often each opaque colour appears. */
export interface CanvasPixels {
  width: number;
  height: number;
  drawn: number;
  /** Opaque colours as `r,g,b` with their pixel counts. */
  colours: Record<string, number>;
}

/**
 * Runs in the page (pass it to `page.evaluate` / `frame.evaluate` with the canvas selector): it must stay
 * self-contained, since Playwright sends its source text to the browser.
 */
export const readCanvasPixels = (target: string): CanvasPixels => {
  const canvas = document.querySelector<HTMLCanvasElement>(target);
  if (!canvas) throw new Error(`no canvas ${target}`);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  let drawn = 0;
  const colours: Record<string, number> = {};
  for (let offset = 0; offset < data.length; offset += 4) {
    if (data[offset + 3] === 0) continue;
    drawn += 1;
    if (data[offset + 3] === 255) {
      const key = `${data[offset]},${data[offset + 1]},${data[offset + 2]}`;
      colours[key] = (colours[key] ?? 0) + 1;
    }
  }
  return { width: canvas.width, height: canvas.height, drawn, colours };
};

/** Pixels of one exact opaque colour, given as `#rrggbb` or `rgb(r, g, b)`. */
export function countColour(pixels: CanvasPixels, colour: string): number {
  const trimmed = colour.trim();
  const key = trimmed.startsWith('#')
    ? [1, 3, 5].map((start) => Number.parseInt(trimmed.slice(start, start + 2), 16)).join(',')
    : (trimmed.match(/\d+/g) ?? []).slice(0, 3).join(',');
  return pixels.colours[key] ?? 0;
}
