/**
 * Tag text as InfluxDB's line protocol reference writes it: tags sorted by key (byte order),
 * commas, equals signs and spaces escaped with a backslash in keys and values, empty values
 * left out (line protocol cannot carry them). parseTags is its inverse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatTags, parseTags } from '../../src/metrics/tag-text.js';

test('sorted by key whatever the order the builder used; the same key set in two orders gives one text', () => {
  const a = formatTags({ switchid: 'SW1', cookie: '-5', tableid: '0', type: 'flow' });
  const b = formatTags({ type: 'flow', tableid: '0', cookie: '-5', switchid: 'SW1' });
  assert.equal(a, ',cookie=-5,switchid=SW1,tableid=0,type=flow');
  assert.equal(b, a);
});

test('escapes in keys and values; empty values and keys left out', () => {
  assert.equal(formatTags({ 'a b': 'x,y=z', c: '', d: 'ok' }), ',a\\ b=x\\,y\\=z,d=ok');
  assert.equal(formatTags({ '': 'v', k: 'line\nbreak' }), ',k=line\\ break');
  assert.equal(formatTags({}), '');
});

test('a backslash not before a comma, equals sign or space is itself, both ways', () => {
  const text = formatTags({ path: 'a\\b c' });
  assert.equal(text, ',path=a\\b\\ c');
  assert.deepEqual(parseTags(text), { path: 'a\\b c' });
});

test('upper case sorts before lower case (byte order, as InfluxDB sorts)', () => {
  assert.equal(formatTags({ b: '1', B: '2', a: '3' }), ',B=2,a=3,b=1');
});

test('many distinct key sets (beyond the remembered ones) are still formatted right; parseTags inverts', () => {
  fc.assert(fc.property(
    fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !/[\r\n\\]/.test(k) && k !== '__proto__'),
      fc.string({ minLength: 1, maxLength: 8 }).filter((v) => !/[\r\n\\]/.test(v)), { maxKeys: 6 }),
    (tags) => {
      const text = formatTags(tags);
      const keys = Object.keys(tags).sort();
      assert.equal(text, keys.map((k) => `,${k.replace(/[,= ]/g, (c) => `\\${c}`)}=${tags[k]!.replace(/[,= ]/g, (c) => `\\${c}`)}`).join(''));
      assert.deepEqual(parseTags(text), Object.fromEntries(keys.map((k) => [k, tags[k]])));
    },
  ), { numRuns: 1000 });
});
