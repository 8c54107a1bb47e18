import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, fromLox, multipartBytes, roundTrip } from '../corpus-support.js';

corpusSuite('METER_FEATURES', { lox: (e) => [fromLox(e.features)] });

test('METER_FEATURES reply: ofp_meter_features (§7.3.5.14)', () => {
  const msg = roundTrip(multipartBytes(19, 11, '00010000 00000006 0000000f 10 08 0000'));
  assert.deepEqual(msg.body, [{ max_meter: 65536, band_types: 6, capabilities: 15, max_bands: 16, max_color: 8 }]);
  assert.deepEqual(roundTrip(multipartBytes(18, 11, '')).body, []);
  assertDecodeError(multipartBytes(19, 11, '00010000 00000006'), /expected 16/);
});
