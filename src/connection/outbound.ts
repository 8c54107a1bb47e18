import type { Socket } from 'node:net';
import type { Log } from '../transport/link.js';
import { checkOutbound, ReadOnlyViolation } from './guard.js';

/**
 * THE send path: every byte src/connection writes to a switch goes through send(), which
 * runs the read-only guard first. Nothing else in src/connection touches socket.write
 * (test/connection/guard.test.ts checks the sources for that).
 */
export class Outbound {
  constructor(
    private readonly socket: Socket,
    private readonly log: Log,
    private readonly onRefused: (v: ReadOnlyViolation) => void,
  ) {}

  send(bytes: Buffer): void {
    try {
      checkOutbound(bytes);
    } catch (e) {
      if (e instanceof ReadOnlyViolation) {
        this.log.error({ reason: e.reason }, 'read-only guard refused an outbound message');
        this.onRefused(e);
      }
      throw e;
    }
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(bytes);
  }
}
