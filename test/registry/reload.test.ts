/**
 * Reloading: on a change of the file (written in place, or replaced by rename as editors
 * do), and on reload() (SIGHUP); a bad version keeps the last good registry and logs why.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FileRegistrySource, LiveRegistry, RegistryError, buildRegistry, checkRegistry, type MapRegistry, type RegistrySource } from '../../src/registry/index.js';
import { waitFor } from '../support/wait.js';

const SW = 'SW0000000000000001';
const dir = mkdtempSync(join(tmpdir(), 'ofstats-registry-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const yaml = (id: string) => `flows:\n  - id: ${id}\n    path: {forward: [${SW}]}\n    cookies: {forward: 0x4000000000000001, reverse: 0x2000000000000001}\n`;
const BAD = `flows:\n  - id: broken\n    path: {forward: [${SW}, nope]}\n    cookies: {forward: 1, reverse: 2}\n`;

interface Line { level: string; obj: Record<string, unknown>; msg: string }
function memoryLog() {
  const lines: Line[] = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const flowId = (r: LiveRegistry) => r.rule(SW, 0x4000000000000001n)?.flowId;

const until = (what: string, ok: () => boolean, ms = 5000): Promise<void> => waitFor(what, ok, ms, 10);

test('the file source follows in-place writes, editor-style replacements and delete + re-create', async () => {
  const file = join(dir, 'watched.yaml');
  writeFileSync(file, yaml('v1'));
  const { lines, log } = memoryLog();
  const live = new LiveRegistry(new FileRegistrySource(file, { debounceMs: 20 }), log);
  await live.start();
  try {
    assert.equal(flowId(live), 'v1');
    assert.equal(lines[0]?.msg, 'flow registry loaded');
    assert.equal(lines[0]?.obj.rules, 2);

    writeFileSync(file, yaml('v2'));
    await until('in-place write seen', () => flowId(live) === 'v2');

    // vim / config management: write a new file, rename it over the old one.
    writeFileSync(join(dir, '.watched.yaml.swp'), yaml('v3'));
    renameSync(join(dir, '.watched.yaml.swp'), file);
    await until('rename over seen', () => flowId(live) === 'v3');

    unlinkSync(file);
    await sleep(60);
    assert.equal(flowId(live), 'v3', 'a missing file is not an empty registry');
    writeFileSync(file, yaml('v4'));
    await until('re-created file seen', () => flowId(live) === 'v4');

    // A bad version: logged with the entry named, the last good registry keeps answering.
    writeFileSync(file, BAD);
    await until('bad version logged', () => lines.some((l) => l.level === 'error'));
    assert.equal(flowId(live), 'v4');
    const err = lines.find((l) => l.level === 'error')!;
    assert.equal(err.msg, 'flow registry not reloaded: keeping the last good one');
    assert.deepEqual(err.obj.problems, ['flows[0] (id "broken"): path.forward[1]: "nope" is not a switch id (SW + 16 hex digits, 00:00:..:01, 0x.. or a decimal datapath id)']);

    writeFileSync(file, yaml('v5'));
    await until('fixed version seen', () => flowId(live) === 'v5');

    // Another file in the directory changing is none of our business.
    const reloads = lines.filter((l) => l.msg === 'flow registry reloaded').length;
    writeFileSync(join(dir, 'other.yaml'), BAD);
    await sleep(100);
    assert.equal(lines.filter((l) => l.msg === 'flow registry reloaded' || l.level === 'error').length, reloads + 1);
  } finally {
    live.close();
  }
  // Closed: changes are no longer followed.
  writeFileSync(file, yaml('v6'));
  await sleep(100);
  assert.equal(flowId(live), 'v5');
});

test('reload() (SIGHUP) with a bad file keeps the old registry and says why; with a good one swaps', async () => {
  const file = join(dir, 'hup.yaml');
  writeFileSync(file, yaml('old'));
  const { lines, log } = memoryLog();
  const source = new FileRegistrySource(file);
  const live = new LiveRegistry({ description: source.description, load: () => source.load(), close: () => source.close() }, log);
  await live.start();
  writeFileSync(file, BAD);
  assert.equal(await live.reload(), false);
  assert.equal(flowId(live), 'old');
  assert.match(String((lines.at(-1)!.obj.problems as string[])[0]), /^flows\[0\] \(id "broken"\): path\.forward\[1\]/);
  unlinkSync(file);
  assert.equal(await live.reload(), false);
  assert.match(String((lines.at(-1)!.obj.problems as string[])[0]), /cannot read the file \(ENOENT\)/);
  assert.equal(flowId(live), 'old');
  writeFileSync(file, yaml('new'));
  assert.equal(await live.reload(), true);
  assert.equal(flowId(live), 'new');
  live.close();
});

test('a bad file at start is an error for the caller (there is no last good registry)', async () => {
  const file = join(dir, 'bad-at-start.yaml');
  writeFileSync(file, BAD);
  const live = new LiveRegistry(new FileRegistrySource(file), memoryLog().log);
  await assert.rejects(live.start(), (e: unknown) => e instanceof RegistryError && /flows\[0\] \(id "broken"\)/.test(e.message));
  live.close();
});

test('lookups keep answering from the old registry while a reload runs; reloads asked for meanwhile coalesce into one more', async () => {
  const version = (id: string): MapRegistry => buildRegistry(checkRegistry({ flows: [{ id, path: { forward: [SW] }, cookies: { forward: 0x4000000000000001n, reverse: 2 } }] }, 't'), 't');
  let loads = 0;
  const pending: ((r: MapRegistry) => void)[] = [];
  const source: RegistrySource = {
    description: 'test',
    load: () => {
      loads++;
      return loads === 1 ? Promise.resolve(version('v1')) : new Promise((resolve) => pending.push(resolve));
    },
    close: () => {},
  };
  const live = new LiveRegistry(source, memoryLog().log);
  await live.start();
  const first = live.reload();
  const second = live.reload();
  const third = live.reload();
  assert.equal(first, second);
  assert.equal(second, third);
  assert.equal(flowId(live), 'v1');
  pending.shift()!(version('v2'));
  assert.equal(await first, true);
  assert.equal(flowId(live), 'v2');
  // The calls made during the first reload get one more load, so a change made meanwhile is seen.
  await until('second load started', () => pending.length === 1);
  assert.equal(loads, 3);
  pending.shift()!(version('v3'));
  await until('second load applied', () => flowId(live) === 'v3');
  assert.equal(loads, 3);
});
