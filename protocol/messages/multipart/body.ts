import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';

/** One wire structure: `decode` gets a cursor over exactly the structure when it has a length. */
export interface StructCodec<T> {
  decode(r: Reader): T;
  /** Length fields the structure declares are written as 0; the list helper patches them. */
  encode(w: Writer, v: T): void;
}

/** A multipart body: always a list, so every multipart message has the same shape. */
export interface BodyCodec<B extends readonly unknown[]> {
  decode(r: Reader): B;
  encode(w: Writer, body: B): void;
}

/** Requests that carry nothing after the multipart header (DESC, TABLE, PORT_DESC...). */
export const none: BodyCodec<[]> = {
  decode(r) {
    r.expectEnd('multipart body');
    return [];
  },
  encode() {},
};

/**
 * A body holding exactly one structure. With `size`, the structure is fixed-size and the body
 * must be exactly that long, so a switch that appends or drops bytes is caught here.
 */
export function one<T>(s: StructCodec<T>, what: string, size?: number): BodyCodec<[T]> {
  return {
    decode(r) {
      if (size !== undefined && r.remaining !== size) {
        r.fail(`${what} body is ${r.remaining} bytes, expected ${size}`);
      }
      const v = s.decode(r);
      r.expectEnd(what);
      return [v];
    },
    encode(w, body) {
      s.encode(w, body[0]);
    },
  };
}

/** Back-to-back fixed-size entries with no length field of their own (port stats, queue stats...). */
export function fixedList<T>(s: StructCodec<T>, what: string, size: number): BodyCodec<T[]> {
  return {
    decode(r) {
      if (r.remaining % size !== 0) {
        r.fail(`${what} body of ${r.remaining} bytes is not a multiple of the ${size}-byte entry`);
      }
      const out: T[] = [];
      while (r.remaining > 0) out.push(s.decode(r.sub(size, what)));
      return out;
    },
    encode(w, body) {
      for (const v of body) s.encode(w, v);
    },
  };
}

/**
 * Entries that each start with (or carry at `lenAt`) a u16 length covering the whole entry.
 * Each entry is decoded from its own sub-cursor, so a bad inner length cannot leak into the
 * next entry; `min` (the fixed part) guarantees every iteration consumes bytes.
 */
export function lengthList<T>(s: StructCodec<T>, what: string, lenAt: number, min: number): BodyCodec<T[]> {
  return {
    decode(r) {
      const out: T[] = [];
      while (r.remaining > 0) {
        const len = r.peekU16(lenAt);
        if (len < min) r.fail(`${what} length ${len} is below its ${min}-byte minimum`);
        const sub = r.sub(len, what);
        out.push(s.decode(sub));
        sub.expectEnd(what);
      }
      return out;
    },
    encode(w, body) {
      for (const v of body) {
        const start = w.pos;
        s.encode(w, v);
        w.patchU16(start + lenAt, w.pos - start);
      }
    },
  };
}
