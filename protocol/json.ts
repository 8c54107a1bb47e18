/**
 * JSON for decoded messages: 64-bit values (bigint) as exact decimal strings, opaque bytes
 * (Buffer / Uint8Array) as lower-case hex. Pure, so the CLI, tests and sinks share it.
 */
export function toJson(value: unknown, space?: number): string {
  return JSON.stringify(value, replacer, space);
}

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // `this[key]` is the value before Buffer.prototype.toJSON ran.
  const raw = this[key];
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex');
  if (typeof value === 'bigint') return value.toString();
  return value;
}
