/** Small DOM helpers: build elements without innerHTML, so data never becomes markup. */

/** Number and duration formatting, shared with the report. */
export { formatDuration, formatMeanStd, formatNumber } from '../../src/shared/format';

/** A child accepted by `h`: nodes, text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes and listeners for `h`: `on<event>` keys take listeners, others become attributes. */
export type Props = Record<string, string | number | boolean | EventListener | undefined>;

/** Creates an element with attributes, listeners (`onclick`, ...) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props,
  ...children: Child[]
): HTMLElementTagNameMap[K];
/** Creates a custom element (e.g. `vscode-button`). */
export function h(tag: string, props?: Props, ...children: Child[]): HTMLElement;
export function h(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Appends children, turning strings and numbers into text nodes. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Mean and sample standard deviation of finite values. */
export function meanStd(values: number[]): { mean: number; std: number; min: number; max: number } {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN };
  const mean = finite.reduce((sum, value) => sum + value, 0) / finite.length;
  const variance =
    finite.length > 1 ? finite.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (finite.length - 1) : 0;
  return { mean, std: Math.sqrt(variance), min: Math.min(...finite), max: Math.max(...finite) };
}

/** Exhaustiveness check: a new message type fails to compile until its `switch` handles it. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(value)}`);
}
