/** Builds elements with text content only (never HTML from data), so no report value can inject markup. */
export type Child = Node | string | number | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string | undefined>> = {},
  ...children: readonly Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A figure with its label, the figure in an element of its own for tests to read. */
export function figure(label: string, value: string, testId: string, note?: string): HTMLElement {
  return el(
    'div',
    { class: 'figure' },
    el('span', { class: 'figure-label' }, label),
    el('span', { class: 'figure-value', 'data-testid': testId }, value),
    note ? el('span', { class: 'figure-note' }, note) : null,
  );
}

/** A table of rows; a cell given as `[text, testId]` carries its test id. */
export type Cell = string | readonly [string, string];

export function table(
  headings: readonly string[],
  rows: readonly (readonly Cell[])[],
  empty: string,
): HTMLElement {
  if (rows.length === 0) return el('p', { class: 'empty' }, empty);
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...headings.map((heading) => el('th', { scope: 'col' }, heading)))),
    el(
      'tbody',
      {},
      ...rows.map((row) =>
        el(
          'tr',
          {},
          ...row.map((cell) =>
            typeof cell === 'string' ? el('td', {}, cell) : el('td', { 'data-testid': cell[1] }, cell[0]),
          ),
        ),
      ),
    ),
  );
}

export function replaceContent(container: Element, ...children: readonly Child[]): void {
  container.replaceChildren(
    ...children.flatMap((child) =>
      child === null || child === undefined || child === false
        ? []
        : [child instanceof Node ? child : String(child)],
    ),
  );
}
