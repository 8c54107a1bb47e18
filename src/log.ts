/**
 * The process logger: pino JSON lines on stderr (stdout carries the metrics), made readable
 * with pino-pretty when stderr is a terminal and pino-pretty is installed.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export async function createLogger(level: string, stream: NodeJS.WritableStream = process.stderr): Promise<Logger> {
  const opts = { level, base: { name: 'ofstats' } };
  if ((stream as { isTTY?: boolean }).isTTY) {
    try {
      const { default: pretty } = await import('pino-pretty');
      return pino(opts, pretty({ destination: 2, sync: true, colorize: true }));
    } catch {
      // pino-pretty is optional: plain JSON is still readable.
    }
  }
  // Synchronous writes: the last lines before an exit (a config error, a signal) must not be lost.
  return pino(opts, stream === process.stderr ? pino.destination({ fd: 2, sync: true }) : stream);
}
