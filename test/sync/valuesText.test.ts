/**
 * valuesText lets the log store a change's `v` as its package line holds it. Whatever the line,
 * the text it returns must parse to exactly the `v` the parser kept; a line it cannot vouch for
 * gives null (the log then serialises `v`).
 */
import { describe, expect, it } from 'vitest';
import { valuesText } from '../../core/sync/package.node';
import { checkChange } from '../../core/sync/wireChange';

const base = '{"d":"dev","q":1,"h":"00000000001-00000-dev","t":"people","r":"0190c000-0000-7000-8000-000000000001"';

const lines: [string, 'text' | 'null'][] = [
  [`${base},"v":{"last_name":"Иванов","phone":null,"is_curator":1},"s":3}`, 'text'],
  [`${base},"v":{"last_name":"Иванов"}}`, 'text'],
  [`${base},"v":{"last_name":"Иванов"},"m":{"b":{"last_name":["00000000001-00000-x"]},"s":"00000000001-00000-x","d":"00000000001-00000-x"},"s":null}`, 'text'],
  [`${base},"v":{"last_name":"a}b"},"s":3}`, 'null'],
  [`${base},"v":{"last_name":"a},\\"m\\":"},"s":3}`, 'null'],
  [`${base},"v":{"a":1},"v":{"a":2}}`, 'null'],
  [`${base},"v":{"a":1},"\\u0076":{"a":2}}`, 'null'],
  [`${base},"v":{"a":1},"v" :{"a":2}}`, 'null'],
  [`{"v":{"a":1},"d":"dev","q":1,"h":"00000000001-00000-dev","t":"v","r":"0190c000-0000-7000-8000-000000000001","v":{"a":2}}`, 'null'],
  [`${base},"v":{"a":"v"}}`, 'null'],
  [`${base},"v":{"a" : 1 ,"b":2.50}}`, 'text'],
  [`${base},"v":{}}`, 'text'],
  [`${base},"m":{"b":{"v":["00000000001-00000-x"]}},"v":{"a":1}}`, 'null'],
];

describe('valuesText', () => {
  it.each(lines)('%s', (line, expected) => {
    const c = checkChange(JSON.parse(line));
    expect(c).not.toBeNull();
    const text = valuesText(line);
    if (expected === 'null') expect(text).toBeNull();
    else {
      expect(text).not.toBeNull();
      expect(JSON.parse(text!)).toEqual(c!.v);
    }
  });

  it('returns the serialised v of every line buildPackage writes, or null', () => {
    let vouched = 0;
    for (let i = 0; i < 500; i++) {
      const v: Record<string, string | number | null> = {};
      // Half the lines hold plain text (those the log should take as they are), half awkward characters.
      const chars = i % 2 ? ['a', '}', '{', '"', '\\', 'Ж', ',', ':', 'v', ' '] : ['a', 'Ж', ' ', 'б', '1'];
      for (let k = 0; k < 4; k++) v[`c${k}`] = k === 3 ? (i % 7 === 0 ? null : i * 1.5) : Array.from({ length: (i + k) % 6 }, (_, j) => chars[(i * 7 + j * 3 + k) % chars.length]).join('');
      const line = JSON.stringify({ d: 'dev', q: i + 1, h: '00000000001-00000-dev', t: 'people', r: '0190c000-0000-7000-8000-000000000001', v, m: i % 3 ? null : { b: { c0: ['00000000001-00000-x'] } }, s: i % 2 ? i + 1 : undefined });
      const text = valuesText(line);
      if (text !== null) expect(text).toBe(JSON.stringify(v));
      if (text !== null) vouched += 1;
    }
    expect(vouched).toBeGreaterThan(100);
  });
});
