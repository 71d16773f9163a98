/** Native-looking controls from @vscode-elements/elements, with typed helpers. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { h } from './dom';

/** A `vscode-button`; `secondary` for the less important actions. */
export function button(
  label: string,
  onClick: () => void,
  options: { secondary?: boolean; title?: string; name?: string } = {},
): HTMLElement {
  return h(
    'vscode-button',
    {
      secondary: options.secondary ?? false,
      title: options.title,
      'data-action': options.name,
      onclick: () => onClick(),
    },
    label,
  );
}

/** A `vscode-checkbox` that reports its new state. */
export function checkbox(
  label: string,
  checked: boolean,
  onChange: (checked: boolean) => void,
  name?: string,
): HTMLElement {
  const element = h('vscode-checkbox', { label, 'data-control': name }) as HTMLElement & { checked: boolean };
  element.checked = checked;
  element.addEventListener('change', () => onChange(element.checked));
  return element;
}

/** A labelled `vscode-single-select`. */
export function select(
  label: string,
  options: Array<{ value: string; label: string }>,
  value: string,
  onChange: (value: string) => void,
  name?: string,
): HTMLElement {
  const element = h(
    'vscode-single-select',
    { 'aria-label': label, 'data-control': name },
    ...options.map((option) => h('vscode-option', { value: option.value }, option.label)),
  ) as HTMLElement & { value: string };
  element.value = value;
  element.addEventListener('change', () => onChange(element.value));
  return h('label', { class: 'control' }, h('span', {}, label), element);
}
