/**
 * Everything in a run is data: scenario, workload, pod, node and label names may hold markup. The `html` tag
 * escapes every interpolated value unless it is already SafeHtml, so forgetting to escape is not possible by
 * accident; `trusted` is only for our own assets.
 */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * JSON that is safe inside <script type="application/json">: no "<" can close the element or open a comment, and
 * the line separators U+2028/2029 are escaped for any consumer that evaluates it as JavaScript.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Our own script text, refused if it could end its <script> element early. */
export function scriptText(js: string): string {
  if (/<\/script|<!--/i.test(js)) throw new Error('an inlined script contains "</script" or "<!--"');
  return js;
}
