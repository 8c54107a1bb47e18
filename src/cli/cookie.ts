/**
 * `ofstats cookie COOKIE...`: what OpenKilda's cookie layout says about each cookie, one JSON
 * object per line. A bad argument is reported on stderr and does not stop the others.
 */
import type { Command } from 'commander';
import { describeCookie, parseCookie } from '../metrics/cookie.js';
import { LineWriter, OutputClosed } from './output.js';

export function register(program: Command): void {
  program
    .command('cookie')
    .description('decode OpenKilda rule cookies (0x hex, decimal or signed decimal) into one JSON object each')
    .argument('<cookie...>', 'a 64-bit cookie: 0x4000000000000001, 4611686018427387905 or -9223372036854775806')
    // "-x" must be one more bad cookie reported beside the good ones, not a usage error ending them all.
    .allowUnknownOption()
    .action((cookies: string[]) => {
      process.exitCode = cookieCommand(cookies, { out: 1, err: 2 });
    });
}

/** Returns the exit status: 1 if any argument was not a cookie. */
export function cookieCommand(args: readonly string[], io: { out: number; err: number }): number {
  const out = new LineWriter(io.out);
  const err = new LineWriter(io.err);
  let failed = false;
  try {
    for (const arg of args) {
      const cookie = parseCookie(arg);
      if (cookie === undefined) {
        failed = true;
        // Keep stdout and stderr in argument order when both go to one terminal.
        out.flush();
        err.line(`ofstats cookie: "${arg}" is not a 64-bit cookie (0x + up to 16 hex digits, or a decimal)`);
        err.flush();
        continue;
      }
      out.line(JSON.stringify(describeCookie(cookie)));
    }
    out.flush();
  } catch (e) {
    if (!(e instanceof OutputClosed)) throw e;
  }
  return failed ? 1 : 0;
}
