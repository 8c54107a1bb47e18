#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { COMMANDS } from './commands.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function buildProgram(): Command {
  const program = new Command('ofstats')
    .description('Native OpenFlow 1.3 statistics poller')
    .version(version())
    .showHelpAfterError();
  for (const c of COMMANDS) c.register(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  // Bad input never reaches here (commands report it themselves); this is a bug: say so briefly.
  process.stderr.write(`ofstats: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.OFSTATS_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
  process.exitCode = 70;
}
