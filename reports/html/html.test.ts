import assert from 'node:assert/strict';
import type { FaultRecord } from '../../harness/journal/index.ts';
import { count, delta, ms, pct, relSeconds } from './format.ts';
import { escapeHtml, html, raw, scriptJson } from './html.ts';
import { faultWindows } from './model.ts';

describe('report building blocks', () => {
  it('html escapes every interpolation unless it is markup made here', () => {
    const name = `<img src=x onerror="a('1')">&`;
    assert.equal(
      html`<td title="${name}">${name}</td>`.value,
      '<td title="&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt;&amp;</td>',
    );
    assert.equal(
      html`<p>${html`<b>${'x<'}</b>`}${[1, ' & ', 2]}${null}${undefined}${false}</p>`.value,
      '<p><b>x&lt;</b>1 &amp; 2</p>',
    );
    assert.equal(html`${raw('<br>')}`.value, '<br>');
    assert.equal(escapeHtml(`"'`), '&quot;&#39;');
  });

  it('scriptJson cannot close its script element', () => {
    const text = scriptJson({ s: '</script><!-- \u2028 & >' }).value;
    assert.doesNotMatch(text, /[<>&\u2028]/);
    assert.deepEqual(JSON.parse(text), { s: '</script><!-- \u2028 & >' });
  });

  it('formats numbers as the report shows them', () => {
    assert.equal(ms(317.142), '317 ms');
    assert.equal(ms(3000), '3 s');
    assert.equal(ms(0.177), '177 µs');
    assert.equal(ms(Number.POSITIVE_INFINITY), 'never');
    assert.equal(ms(null), 'n/a');
    assert.equal(pct(0.9625), '96.3 %');
    assert.equal(pct(0.05), '5 %');
    assert.equal(pct(0.0472), '4.72 %');
    assert.equal(pct(0), '0 %');
    assert.equal(pct(0.00012), '0.012 %');
    assert.equal(count(12345), '12,345');
    assert.equal(relSeconds(2045.6), '+2.046 s');
    assert.equal(delta(13.3), '+13.3 ms');
  });

  it('faultWindows shades each fault from actuation to heal; an unhealed one lasts to the end', () => {
    const fault = (id: string, life: FaultRecord['life']) => {
      const [kind = id, target] = id.split(':');
      return { id, kind, ...(target ? { target } : {}), params: {}, life };
    };
    const windows = faultWindows(
      [
        fault('a:web-1', { requested: 10, actuated: 12, verified: 15, healed: 20 }),
        fault('b:x->y', { requested: 30, actuated: 31 }),
        fault('c', { requested: 40 }),
      ],
      100,
    );
    assert.deepEqual(windows, [
      {
        id: 'a:web-1',
        kind: 'a',
        target: 'web-1',
        params: {},
        life: { requested: 10, actuated: 12, verified: 15, healed: 20 },
        from: 12,
        to: 20,
      },
      {
        id: 'b:x->y',
        kind: 'b',
        target: 'x->y',
        params: {},
        life: { requested: 30, actuated: 31 },
        from: 31,
        to: 100,
      },
    ]);
  });
});
