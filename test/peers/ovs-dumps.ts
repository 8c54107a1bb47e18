/**
 * `ovs-ofctl -O OpenFlow13` stats output parsed: dump-flows, dump-ports, dump-tables,
 * meter-stats, dump-group-stats, dump-ports-desc, as Open vSwitch 3.1 prints them (lib/ofp-flow.c,
 * ofp-port.c, ofp-table.c, ofp-meter.c, ofp-group.c). The truth most peer tests compare against,
 * so the parsers are strict: a line that looks like an entry but does not parse throws instead
 * of vanishing, which would leave a test comparing against less than the switch said.
 *
 * Where OVS prints what a switch cannot count as `?` (flow and port counters), the value is
 * `undefined`. Ports and tables may be printed by name (`--names`, or a table named in the
 * Flow_Table column): give the name → number maps (see `portNumbers`) to resolve them.
 */

/** OpenFlow 1.3 reserved port numbers by the names OVS prints for them. */
export const RESERVED_PORTS: Readonly<Record<string, number>> = {
  IN_PORT: 0xfffffff8, TABLE: 0xfffffff9, NORMAL: 0xfffffffa, FLOOD: 0xfffffffb,
  ALL: 0xfffffffc, CONTROLLER: 0xfffffffd, LOCAL: 0xfffffffe, ANY: 0xffffffff, NONE: 0xffffffff,
};

/** OpenFlow's default priority: OVS leaves `priority=` out of a rule that has it. */
export const DEFAULT_PRIORITY = 0x8000;

export interface NameMaps {
  /** Port name → number (portNumbers(parsePortsDesc(...))). */
  ports?: ReadonlyMap<string, number>;
  /** Table name → number. */
  tables?: ReadonlyMap<string, number>;
}

export interface FlowDump {
  cookie: bigint;
  /** As printed, e.g. `1.530s`: it moves by itself between dumps. */
  duration: string;
  table: number;
  priority: number;
  /** undefined where OVS prints `?` (the switch sent all ones: not counted). */
  packets: bigint | undefined;
  bytes: bigint | undefined;
  idleTimeout: number;
  hardTimeout: number;
  /** send_flow_rem, check_overlap, reset_counts, no_packet_counts, no_byte_counts. */
  flags: string[];
  /** The match's in_port, 0 when the rule matches any port (ofstats' inPort tag). */
  inPort: number;
  /** The first output port of the actions, apply before write; 0 without one (ofstats' outPort tag). */
  outPort: number;
  /** The match without `priority=`, and the actions, as ovs-ofctl printed them. */
  match: string;
  actions: string;
}

export const PORT_COUNTERS = [
  'rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes', 'rx_dropped', 'tx_dropped',
  'rx_errors', 'tx_errors', 'rx_frame_err', 'rx_over_err', 'rx_crc_err', 'collisions',
] as const;
export type PortCounter = (typeof PORT_COUNTERS)[number];

export interface PortDump {
  port: number;
  /** ofp_port_stats' counters by field name; undefined where OVS prints `?`. */
  counters: Record<PortCounter, bigint | undefined>;
  /** As printed, when OVS printed one. */
  duration?: string;
}

export interface TableDump { table: number; active: bigint; lookup: bigint; matched: bigint }

export interface MeterDump {
  id: number;
  flowCount: number;
  packetsIn: bigint;
  bytesIn: bigint;
  duration: string;
  /** Band statistics by band index. */
  bands: { packets: bigint; bytes: bigint }[];
}

export interface GroupDump {
  id: number;
  refCount: number;
  packets: bigint;
  bytes: bigint;
  duration: string;
  /** By bucket index; OVS leaves out a bucket whose packet count is all ones (a hole here). */
  buckets: ({ packets: bigint; bytes: bigint } | undefined)[];
}

export interface PortDescDump {
  port: number;
  name: string;
  hwAddr: string;
  /** The config and state lines' words (`0` prints as none). */
  config: string[];
  state: string[];
  /** Mbps, from the `speed:` line when there is one. */
  currentSpeed?: number;
  maxSpeed?: number;
}

const HEADER = /^OFPST_\w+ reply \(OF1\.3\) \(xid=0x[0-9a-f]+\):/;

function fail(what: string, line: string): never {
  throw new Error(`ovs-ofctl ${what}: cannot parse ${JSON.stringify(line)}`);
}

const counter = (s: string): bigint | undefined => (s === '?' ? undefined : BigInt(s));
const unquote = (s: string): string => (s.startsWith('"') && s.endsWith('"') ? JSON.parse(s) as string : s);

function byName(kind: string, map: ReadonlyMap<string, number> | undefined, token: string): number {
  if (/^\d+$/.test(token)) return Number(token);
  const name = unquote(token);
  const n = map?.get(name);
  if (n === undefined) throw new Error(`ovs-ofctl printed ${kind} ${JSON.stringify(name)} by name: pass its number in the name map`);
  return n;
}

/** A port as OVS prints it: number, reserved name, or (with a map) the port's name. */
export function portNumber(token: string, names?: NameMaps): number {
  return RESERVED_PORTS[token] ?? byName('port', names?.ports, token);
}

/** Splits at commas outside parentheses (`write_actions(output:1,group:2),goto_table:3`). */
function topLevel(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(list.slice(start, i));
      start = i + 1;
    }
  }
  if (start < list.length) out.push(list.slice(start));
  return out;
}

/** Reserved ports OVS prints as a bare action instead of `output:N`. */
const BARE_OUTPUTS = new Set(['IN_PORT', 'TABLE', 'NORMAL', 'FLOOD', 'ALL', 'LOCAL']);

/** The port of an output action (`output:2`, `output:p2`, `LOCAL`, `CONTROLLER:65535`), else undefined. */
function outputPort(action: string, names?: NameMaps): number | undefined {
  const m = /^output:(.+)$/.exec(action);
  if (m) return portNumber(m[1]!, names);
  if (/^CONTROLLER:\d+$/.test(action)) return RESERVED_PORTS.CONTROLLER;
  return BARE_OUTPUTS.has(action) ? RESERVED_PORTS[action] : undefined;
}

/** First output of the apply actions, else of write_actions(...); 0 without one. */
function firstOutput(actions: string, names?: NameMaps): number {
  const top = topLevel(actions);
  for (const a of top) {
    const p = outputPort(a, names);
    if (p !== undefined) return p;
  }
  for (const a of top) {
    const w = /^write_actions\((.*)\)$/.exec(a);
    if (!w) continue;
    for (const inner of topLevel(w[1]!)) {
      const p = outputPort(inner, names);
      if (p !== undefined) return p;
    }
  }
  return 0;
}

const FLOW_FLAGS = new Set(['send_flow_rem', 'check_overlap', 'reset_counts', 'no_packet_counts', 'no_byte_counts']);

/** One `dump-flows` line (with statistics: the default). */
export function parseFlowLine(line: string, names?: NameMaps): FlowDump {
  let rest = line.trim();
  const fields = new Map<string, string>();
  for (let m; (m = /^([a-z_]+)=([^,\s]+), /.exec(rest)); rest = rest.slice(m[0].length)) fields.set(m[1]!, m[2]!);
  const flags: string[] = [];
  for (let m; (m = /^([a-z_]+) /.exec(rest)) && FLOW_FLAGS.has(m[1]!); rest = rest.slice(m[0].length)) flags.push(m[1]!);
  // The match has no spaces; an empty match (default priority, any packet) is left out with its space.
  const am = /^(?:(\S+) )?actions=(.*)$/.exec(rest);
  const need = ['cookie', 'duration', 'table', 'n_packets', 'n_bytes'];
  if (!am || !need.every((k) => fields.has(k)) || !/^0x[0-9a-f]+$/.test(fields.get('cookie')!)) fail('dump-flows', line);
  let match = am[1] ?? '';
  let priority = DEFAULT_PRIORITY;
  const pm = /^priority=(\d+),?/.exec(match);
  if (pm) {
    priority = Number(pm[1]);
    match = match.slice(pm[0].length);
  }
  const inPort = topLevel(match).map((f) => /^in_port=(.+)$/.exec(f)?.[1]).find((p) => p !== undefined);
  const actions = am[2]!;
  return {
    cookie: BigInt(fields.get('cookie')!),
    duration: fields.get('duration')!,
    table: byName('table', names?.tables, fields.get('table')!),
    priority,
    packets: counter(fields.get('n_packets')!),
    bytes: counter(fields.get('n_bytes')!),
    idleTimeout: Number(fields.get('idle_timeout') ?? 0),
    hardTimeout: Number(fields.get('hard_timeout') ?? 0),
    flags,
    inPort: inPort === undefined ? 0 : portNumber(inPort, names),
    outPort: firstOutput(actions, names),
    match,
    actions,
  };
}

/** `dump-flows`: every rule, in the order printed. */
export function parseFlows(text: string, names?: NameMaps): FlowDump[] {
  const out: FlowDump[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || HEADER.test(line)) continue;
    out.push(parseFlowLine(line, names));
  }
  return out;
}

/** Narrows flows to counted ones (OVS counts every rule it has): throws on a `?`. */
export function counted<T extends { packets: bigint | undefined; bytes: bigint | undefined }>(
  flows: T[],
): (T & { packets: bigint; bytes: bigint })[] {
  for (const f of flows) {
    if (f.packets === undefined || f.bytes === undefined) throw new Error(`ovs-ofctl printed an uncounted rule: ${JSON.stringify(f, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
  }
  return flows as (T & { packets: bigint; bytes: bigint })[];
}

const PORT_RE = new RegExp(
  '^ {2}port +(\\S+|"(?:[^"\\\\]|\\\\.)*"): rx pkts=(\\S+), bytes=(\\S+), drop=(\\S+), errs=(\\S+), frame=(\\S+), over=(\\S+), crc=(\\S+)\\n' +
  ' +tx pkts=(\\S+), bytes=(\\S+), drop=(\\S+), errs=(\\S+), coll=(\\S+)(?:\\n +duration=(\\S+))?$', 'gm');

/** `dump-ports`: every port's counters. */
export function parsePorts(text: string, names?: NameMaps): PortDump[] {
  const out: PortDump[] = [];
  for (const m of text.matchAll(PORT_RE)) {
    const v = m.slice(2, 14).map((s) => counter(s!));
    const [rxp, rxb, rxd, rxe, fr, ov, crc, txp, txb, txd, txe, coll] = v;
    out.push({
      port: portNumber(m[1]!, names),
      counters: {
        rx_packets: rxp, tx_packets: txp, rx_bytes: rxb, tx_bytes: txb, rx_dropped: rxd, tx_dropped: txd,
        rx_errors: rxe, tx_errors: txe, rx_frame_err: fr, rx_over_err: ov, rx_crc_err: crc, collisions: coll,
      },
      ...(m[14] !== undefined ? { duration: m[14] } : {}),
    });
  }
  const said = /: (\d+) ports$/m.exec(text);
  const starts = text.split('\n').filter((l) => /^ {2}port /.test(l)).length;
  if (out.length !== starts || (said && Number(said[1]) !== out.length)) {
    throw new Error(`ovs-ofctl dump-ports: parsed ${out.length} of ${said?.[1] ?? starts} ports:\n${text}`);
  }
  return out;
}

/**
 * `dump-tables`: one entry per table, also for the ditto forms OVS prints for a table equal to
 * the one before (`table N: ditto`) and for a run of them (`tables N...M: ditto`).
 */
export function parseTables(text: string, names?: NameMaps): TableDump[] {
  const out: TableDump[] = [];
  const lines = text.split('\n');
  const last = (line: string): TableDump => out[out.length - 1] ?? fail('dump-tables (ditto of nothing)', line);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || HEADER.test(line)) continue;
    // `table N` may carry its name: `table 4 ("classifier"):`.
    const t = /^ {2}table (\S+)(?: \("(?:[^"\\]|\\.)*"\))?:( ditto)?$/.exec(line);
    const run = /^ {2}tables (\d+)\.\.\.(\d+): ditto$/.exec(line);
    if (t?.[2] !== undefined) {
      out.push({ ...last(line), table: byName('table', names?.tables, t[1]!) });
    } else if (t) {
      const s = /^ {4}active=(\d+), lookup=(\d+), matched=(\d+)$/.exec(lines[++i] ?? '') ?? fail('dump-tables', `${line}\n${lines[i]}`);
      out.push({ table: byName('table', names?.tables, t[1]!), active: BigInt(s[1]!), lookup: BigInt(s[2]!), matched: BigInt(s[3]!) });
    } else if (run) {
      const prev = last(line);
      for (let n = Number(run[1]); n <= Number(run[2]); n++) out.push({ ...prev, table: n });
    } else {
      fail('dump-tables', line);
    }
  }
  return out;
}

/** `meter-stats`: "meter:N flow_count:.. packet_in_count:.. byte_in_count:.. duration:..s bands:" then "I: packet_count:.. byte_count:..". */
export function parseMeterStats(text: string): MeterDump[] {
  const out: MeterDump[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || HEADER.test(line)) continue;
    const h = /^meter:(\d+) flow_count:(\d+) packet_in_count:(\d+) byte_in_count:(\d+) duration:(\S+) bands:$/.exec(line);
    const b = /^(\d+): packet_count:(\d+) byte_count:(\d+)$/.exec(line);
    if (h) {
      out.push({ id: Number(h[1]), flowCount: Number(h[2]), packetsIn: BigInt(h[3]!), bytesIn: BigInt(h[4]!), duration: h[5]!, bands: [] });
    } else if (b && out.length > 0) {
      const bands = out[out.length - 1]!.bands;
      if (Number(b[1]) !== bands.length) fail('meter-stats (band out of order)', line);
      bands.push({ packets: BigInt(b[2]!), bytes: BigInt(b[3]!) });
    } else {
      fail('meter-stats', line);
    }
  }
  return out;
}

/** `dump-group-stats`: groups in the order printed, buckets by index. */
export function parseGroupStats(text: string): GroupDump[] {
  const out: GroupDump[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || HEADER.test(line)) continue;
    const m = /^ group_id=(\d+),duration=(\S+?),ref_count=(\d+),packet_count=(\d+),byte_count=(\d+)((?:,bucket\d+:packet_count=\d+,byte_count=\d+)*)$/.exec(line)
      ?? fail('dump-group-stats', line);
    const buckets: GroupDump['buckets'] = [];
    for (const b of m[6]!.matchAll(/,bucket(\d+):packet_count=(\d+),byte_count=(\d+)/g)) {
      buckets[Number(b[1])] = { packets: BigInt(b[2]!), bytes: BigInt(b[3]!) };
    }
    out.push({ id: Number(m[1]), duration: m[2]!, refCount: Number(m[3]), packets: BigInt(m[4]!), bytes: BigInt(m[5]!), buckets: Array.from(buckets) });
  }
  return out;
}

/** `dump-ports-desc`: " N(NAME): addr:..." then indented `config:`, `state:`, `speed:` (and feature) lines. */
export function parsePortsDesc(text: string): PortDescDump[] {
  const out: PortDescDump[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || HEADER.test(line)) continue;
    const h = /^ (\d+|[A-Z_]+)\((.*)\): addr:([0-9a-f:]{17})$/.exec(line);
    const cur = out[out.length - 1];
    if (h) {
      out.push({ port: portNumber(h[1]!), name: unquote(h[2]!), hwAddr: h[3]!, config: [], state: [] });
    } else if (cur && /^ {5}(config|state): +(.+)$/.test(line)) {
      const [, key, words] = /^ {5}(config|state): +(.+)$/.exec(line)!;
      cur[key as 'config' | 'state'] = words === '0' ? [] : words!.trim().split(/\s+/);
    } else if (cur && /^ {5}speed: /.test(line)) {
      const s = /^ {5}speed: (\d+) Mbps now, (\d+) Mbps max$/.exec(line) ?? fail('dump-ports-desc', line);
      cur.currentSpeed = Number(s[1]);
      cur.maxSpeed = Number(s[2]);
    } else if (cur && /^ {5}(current|advertised|supported|peer): +\S/.test(line)) {
      // Feature words (10GB-FD COPPER ...): nothing a test compares yet.
    } else {
      fail('dump-ports-desc', line);
    }
  }
  return out;
}

/** Name → number from `dump-ports-desc`, for parsing what `--names` printed. */
export function portNumbers(ports: readonly PortDescDump[]): Map<string, number> {
  return new Map(ports.map((p) => [p.name, p.port]));
}
