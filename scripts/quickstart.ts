/**
 * `npm start`: ofstats' main job on a sensible default that needs no switch of your own.
 * Three simulated switches replay a recorded OpenKilda-style network
 * (pcap-fixtures/openkilda-3-switches, counters moving with --advance) in a separate process,
 * and `ofstats run` polls them with that network's flow registry, printing metrics on stdout.
 * Extra arguments go to `ofstats run` (e.g. `npm start -- --once --output json`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
const FIXTURE = join(ROOT, 'pcap-fixtures/openkilda-3-switches');

function replay(): Promise<{ child: ChildProcess; targets: string[] }> {
  const child = spawn(process.execPath, [CLI, 'replay', join(FIXTURE, 'capture.pcapng'),
    '--listen', '127.0.0.1:0', '--switches', '3', '--advance', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error('the replayed switches did not start within 20 s')), 20_000);
    child.on('exit', (code) => fail(new Error(`ofstats replay exited with status ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const targets = [...text.matchAll(/^\s*- (tcp:\S+)/gm)].map((m) => m[1]!);
      if (targets.length === 3) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        ok({ child, targets });
      }
    });
  });
}

async function main(): Promise<void> {
  const { child: switches, targets } = await replay();
  process.stderr.write(`quick start: three replayed switches (${targets.join(', ')}); ofstats polls them every 10 s. Ctrl-C stops.\n`);
  const run = spawn(process.execPath, [CLI, 'run', ...targets.flatMap((t) => ['--connect', t]),
    '--registry', join(FIXTURE, 'registry.yaml'), '--metric-prefix', 'kilda', '--interval', '10',
    ...process.argv.slice(2)], { stdio: 'inherit' });
  const stop = (): void => {
    run.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  run.on('exit', (code) => {
    switches.kill('SIGTERM');
    process.exitCode = code ?? 1;
  });
}

main().catch((e: Error) => {
  process.stderr.write(`quick start failed: ${e.message}\n`);
  process.exit(1);
});
