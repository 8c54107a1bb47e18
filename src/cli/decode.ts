import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { OFPT_NAMES } from '../../protocol/constants.js';
import { decodeMessage } from '../../protocol/codec.js';
import { OfDecodeError } from '../../protocol/errors.js';
import { toJson } from '../../protocol/json.js';
import { partialHeader } from '../../protocol/raw.js';
import { BufferSource, FileSource, type ByteSource } from '../capture/byte-source.js';
import { decodeCapture, type StreamPlace } from '../capture/capture-decoder.js';
import { sniffFormat } from '../capture/capture-file.js';
import { CaptureError } from '../capture/errors.js';
import { OfStream } from '../capture/of-stream.js';
import { LineWriter, OutputClosed } from './output.js';

/** Registers `ofstats decode FILE...`. */
export function register(program: Command): void {
  program
    .command('decode')
    .description(
      'decode OpenFlow messages from raw OpenFlow bytes or a pcap/pcapng capture (TCP streams on any port) ' +
        'and print one JSON object per message per line',
    )
    .argument('<file...>', 'raw OpenFlow bytes, or a pcap / pcapng capture ("-" for stdin)')
    .action((files: string[]) => {
      process.exitCode = decodeFiles(files, { out: 1, err: 2 });
    });
}

export interface DecodeIo {
  out: number;
  err: number;
}

/** Decodes every file in turn; returns the exit status (1 if any message or file failed). */
export function decodeFiles(files: string[], io: DecodeIo): number {
  const out = new LineWriter(io.out);
  const err = new LineWriter(io.err);
  let failed = false;
  try {
    for (const file of files) {
      const label = files.length > 1 ? file : undefined;
      if (!decodeFile(file, label, out, err)) failed = true;
      out.flush();
      err.flush();
    }
  } catch (e) {
    if (e instanceof OutputClosed) return failed ? 1 : 0;
    throw e;
  }
  return failed ? 1 : 0;
}

/** One file: false when a message failed to decode or the file could not be read. */
function decodeFile(file: string, label: string | undefined, out: LineWriter, err: LineWriter): boolean {
  let src: ByteSource;
  try {
    src = file === '-' ? new BufferSource(readStdin()) : new FileSource(file);
  } catch (e) {
    err.flush();
    err.line(`ofstats decode: ${file}: ${describeIoError(e)}`);
    return false;
  }
  let ok = true;
  const emit = (fields: Record<string, unknown> | undefined, bytes: Buffer): void => {
    const line = messageLine(bytes, fields, label);
    if (line.failed) ok = false;
    out.line(line.text);
  };
  try {
    const head = src.take(4);
    if (sniffFormat(head) !== undefined) {
      decodeCapture(src, head, {
        message: (bytes, at) => emit(placeFields(at), bytes),
        badLength: (bytes, at) => {
          ok = false;
          out.line(errorLine(bytes, belowHeader(bytes), 2, placeFields(at), label));
        },
        notice: (text) => err.line(`ofstats decode: ${file}: ${text}`),
      });
    } else {
      decodeRaw(src, head, emit, out, label, () => (ok = false));
    }
  } catch (e) {
    if (e instanceof OutputClosed) throw e;
    // A broken capture file still gets what was decoded before the damage, then one clear line.
    out.flush();
    err.line(`ofstats decode: ${file}: ${e instanceof CaptureError ? e.message : describeIoError(e)}`);
    ok = false;
  } finally {
    src.close();
  }
  return ok;
}

/** Raw OpenFlow bytes: messages back to back from offset 0; `frame` is not meaningful here. */
function decodeRaw(
  src: ByteSource,
  head: Buffer,
  emit: (fields: Record<string, unknown> | undefined, bytes: Buffer) => void,
  out: LineWriter,
  label: string | undefined,
  fail: () => void,
): void {
  const stream = new OfStream(
    {
      message: (bytes) => emit(undefined, bytes),
      badLength: (bytes) => {
        fail();
        out.line(errorLine(bytes, belowHeader(bytes), 2, undefined, label));
      },
      truncated: (bytes) => {
        fail();
        const want = partialHeader(bytes).length;
        const reason =
          want === undefined
            ? `truncated header: ${bytes.length} bytes at the end of the input`
            : `truncated message: length ${want}, only ${bytes.length} bytes left in the input`;
        out.line(errorLine(bytes, reason, bytes.length, undefined, label));
      },
      skipped: () => {},
    },
    true,
    false,
  );
  for (let chunk = head; chunk.length > 0; chunk = src.take(1 << 20)) {
    stream.push(chunk, 0);
  }
  stream.end();
}

function placeFields(at: StreamPlace): Record<string, unknown> {
  return { frame: at.frame, src: at.src, dst: at.dst };
}

/** The JSON line for one framed message: the decoded message, or an error object. */
function messageLine(bytes: Buffer, fields: Record<string, unknown> | undefined, label: string | undefined): { text: string; failed: boolean } {
  try {
    const msg = decodeMessage(bytes);
    return { text: toJson({ ...(label ? { file: label } : {}), ...fields, ...msg }), failed: false };
  } catch (e) {
    const de = e instanceof OfDecodeError ? e : new OfDecodeError(0, `malformed: ${e instanceof Error ? e.message : String(e)}`);
    const h = partialHeader(bytes);
    return {
      text: toJson({
        ...(label ? { file: label } : {}),
        ...fields,
        error: `${de.reason} at offset ${de.offset}`,
        type: de.msgType ?? h.type,
        xid: de.xid ?? h.xid,
        hex: bytes,
      }),
      failed: true,
    };
  }
}

/** The reason for a header the framing stopped at: its length field cannot cover even itself. */
function belowHeader(header: Buffer): string {
  return `message length ${partialHeader(header).length} is below the 8-byte header`;
}

/** An error line for bytes that are not a whole message: whatever of the header is there. */
function errorLine(bytes: Buffer, reason: string, offset: number, fields: Record<string, unknown> | undefined, label: string | undefined): string {
  const h = partialHeader(bytes);
  return toJson({
    ...(label ? { file: label } : {}),
    ...fields,
    error: `${reason} at offset ${offset}`,
    type: h.type === undefined ? undefined : (OFPT_NAMES.get(h.type) ?? h.type),
    xid: h.xid,
    hex: bytes,
  });
}

function readStdin(): Buffer {
  return readFileSync(0);
}

function describeIoError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err instanceof Error ? err.message : String(e);
  }
}
