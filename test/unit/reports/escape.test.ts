import { describe, expect, it } from 'vitest';
import { html, jsonForScript, scriptText, trusted } from '../../../reports/html/escape.js';

describe('html', () => {
  it('escapes every interpolated string', () => {
    const name = `"><script>alert('x')</script>`;
    expect(html`<td title="${name}">${name}</td>`.value).toBe(
      '<td title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</td>',
    );
  });

  it('escapes each item of an interpolated list and leaves nested html alone', () => {
    expect(html`<ul>${['<a>', 'b&c'].map((x) => html`<li>${x}</li>`)}</ul>`.value).toBe('<ul><li>&lt;a&gt;</li><li>b&amp;c</li></ul>');
  });

  it('inserts trusted markup unchanged', () => {
    expect(html`${trusted('<b>ok</b>')}`.value).toBe('<b>ok</b>');
  });
});

describe('jsonForScript', () => {
  it('cannot close its script element or start a comment', () => {
    const text = jsonForScript({ name: '</script><script>alert(1)</script><!--' });
    expect(text).not.toMatch(/<|>/);
    expect(JSON.parse(text)).toEqual({ name: '</script><script>alert(1)</script><!--' });
  });

  it('escapes the line separators U+2028 and U+2029', () => {
    const text = jsonForScript({ s: 'a\u2028b\u2029c' });
    expect(text).toBe('{"s":"a\\u2028b\\u2029c"}');
    expect(JSON.parse(text).s).toBe('a\u2028b\u2029c');
  });
});

describe('scriptText', () => {
  it('refuses a script that would end its element early', () => {
    expect(() => scriptText('var s = "</script>";')).toThrow(/<\/script/);
  });
});
