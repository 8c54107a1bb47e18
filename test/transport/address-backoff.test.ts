import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressError, parseDialTarget, parseListenAddress } from '../../src/transport/target.js';
import { Backoff } from '../../src/transport/backoff.js';

test('dial targets in Open vSwitch syntax', () => {
  assert.deepEqual(parseDialTarget('tcp:10.0.0.1:6653'), { kind: 'tcp', host: '10.0.0.1', port: 6653, text: 'tcp:10.0.0.1:6653' });
  assert.deepEqual(parseDialTarget('ssl:[::1]:6653'), { kind: 'ssl', host: '::1', port: 6653, text: 'ssl:[::1]:6653' });
  assert.deepEqual(parseDialTarget('unix:/run/openvswitch/br-int.mgmt'), { kind: 'unix', path: '/run/openvswitch/br-int.mgmt', text: 'unix:/run/openvswitch/br-int.mgmt' });
  for (const bad of ['10.0.0.1:6653', 'tcp:10.0.0.1', 'tcp:host:99999', 'ptcp:6653', 'tcp:h:0']) {
    assert.throws(() => parseDialTarget(bad), AddressError, bad);
  }
});

test('listen addresses: [tcp:|ssl:][HOST:]PORT', () => {
  assert.deepEqual(parseListenAddress('6653'), { tls: false, host: undefined, port: 6653, text: '6653' });
  assert.deepEqual(parseListenAddress('127.0.0.1:0'), { tls: false, host: '127.0.0.1', port: 0, text: '127.0.0.1:0' });
  assert.deepEqual(parseListenAddress('ssl:6654'), { tls: true, host: undefined, port: 6654, text: 'ssl:6654' });
  assert.throws(() => parseListenAddress('x:y'), AddressError);
});

test('backoff doubles up to the cap, jittered within [step/2, step]', () => {
  const lo = new Backoff({ minMs: 100, maxMs: 1000, random: () => 0 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => lo.next()), [50, 100, 200, 400, 500, 500]);
  const hi = new Backoff({ minMs: 100, maxMs: 1000, random: () => 0.999999 });
  assert.deepEqual([1, 2, 3, 4, 5].map(() => hi.next()), [100, 200, 400, 800, 1000]);
  hi.reset();
  assert.equal(hi.next(), 100);
  const many = new Backoff({ minMs: 1, maxMs: 60_000 });
  for (let i = 0; i < 2000; i++) assert.ok(Number.isFinite(many.next()));
});
