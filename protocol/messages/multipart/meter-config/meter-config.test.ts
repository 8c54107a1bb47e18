import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, fromLox, multipartBytes, roundTrip } from '../corpus-support.js';

// loxigen names ofp_meter_config.bands `entries`.
corpusSuite('METER_CONFIG', {
  lox: (e) =>
    (e.entries as Record<string, unknown>[]).map(({ entries, ...rest }) => ({
      ...(fromLox(rest) as object),
      bands: { $len: (entries as unknown[]).length },
    })),
});

test('METER_CONFIG: request and a reply entry without bands (§7.3.5.13)', () => {
  assert.deepEqual(roundTrip(multipartBytes(18, 10, '00000001 00000000')).body, [{ meter_id: 1 }]);
  assert.deepEqual(roundTrip(multipartBytes(19, 10, '0008 0009 00000005')).body, [{ flags: 9, meter_id: 5, bands: [] }]);
  assertDecodeError(multipartBytes(19, 10, '0010 0009 00000005'), /runs past its parent/);
});
