/**
 * A predicate standing in for an expected value where the reference describes something our
 * codec keeps opaque (an experimenter action Ryu decodes into fields, a packet Ryu parses):
 * we can still check what both sides know, e.g. the payload's length and leading subtype.
 */
export class Expect {
  constructor(readonly describe: string, readonly test: (actual: unknown) => boolean) {}
  toJSON(): string {
    return `<${this.describe}>`;
  }
}

export function bytesOf(v: unknown): Buffer | undefined {
  return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : undefined;
}
