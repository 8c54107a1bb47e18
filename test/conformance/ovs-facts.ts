/**
 * The facts `ovs-ofctl ofp-print` prints, per message kind, next to where the same facts sit
 * in our decoded value: the OVS vectors and the kytos messages are both checked through it.
 */
import assert from 'node:assert/strict';
import { assertMatches } from './compare.js';
import { ovsHeader, ovsPort } from './ovs-text.js';

type Obj = Record<string, unknown>;
type Facts = Record<string, unknown>;
/** What ovs-ofctl printed, and the same facts read from our decoded message. */
type Extractor = (text: string, m: Obj) => [ovs: Facts, ours: Facts];

// ---- reading numbers and names out of ovs-ofctl's text -----------------------------------
const get = (text: string, re: RegExp): string | undefined => re.exec(text)?.[1];
const all = (text: string, re: RegExp): RegExpExecArray[] => [...text.matchAll(new RegExp(re.source, 'g'))];
const hex = (v: unknown) => `0x${BigInt(v as bigint).toString(16)}`;
/** OVS prints durations with a fixed number of decimals, truncating the nanoseconds. */
const dur = (sec: unknown, nsec: unknown, decimals: number) =>
  `${sec}.${String(nsec).padStart(9, '0').slice(0, decimals)}s`;
const UNKNOWN_DURATION = 0xffffffff;
/** Bit → name tables for the flag words OVS spells out. */
const bits = (table: Readonly<Record<number, string>>, v: number): string[] =>
  Object.entries(table).filter(([b]) => (v & Number(b)) !== 0).map(([, n]) => n);
const names = (s: string | undefined): string[] => (s ?? '').trim().split(/\s+/).filter(Boolean);
const body = (m: Obj) => m['body'] as Obj[];

const CAPABILITIES = { 1: 'FLOW_STATS', 2: 'TABLE_STATS', 4: 'PORT_STATS', 8: 'GROUP_STATS', 0x20: 'IP_REASM', 0x40: 'QUEUE_STATS', 0x100: 'PORT_BLOCKED' };
const FLOW_MOD_FLAGS = { 1: 'send_flow_rem', 2: 'check_overlap', 4: 'reset_counts', 8: 'no_packet_counts', 16: 'no_byte_counts' };
const METER_FLAGS = { 1: 'kbps', 2: 'pktps', 4: 'burst', 8: 'stats' };
const BAND_TYPES = { 2: 'drop', 4: 'dscp_remark' };
const PORT_CONFIG = { 1: 'PORT_DOWN', 4: 'NO_RECV', 0x20: 'NO_FWD', 0x40: 'NO_PACKET_IN' };
const PACKET_IN_REASONS = ['no_match', 'action', 'invalid_ttl', 'action_set', 'group', 'packet_out'];
const PORT_STATUS_REASONS = ['add', 'delete', 'modify'];
const FLOW_REMOVED_REASONS = ['idle', 'hard', 'delete', 'group_delete', 'meter_delete', 'eviction'];
const FLOW_MOD_COMMANDS = ['ADD', 'MOD', 'MOD_STRICT', 'DEL', 'DEL_STRICT'];
const METER_MOD_COMMANDS = ['ADD', 'MOD', 'DEL'];
const reasonBits = (list: readonly string[], v: number) => list.filter((_, i) => (v & (1 << i)) !== 0);
/** ONF experimenter types OVS names (ONFT_* / ONFST_*), from openflow-common.h. */
const ONF_EXPERIMENTER = 0x4f4e4600;
const ONF_TYPES: Readonly<Record<string, number>> = {
  ROLE_STATUS: 1911, FLOW_MONITOR_CANCEL: 1870, FLOW_MONITOR_PAUSED: 1871, FLOW_MONITOR_RESUMED: 1872, FLOW_MONITOR: 1870,
};

const oxm = (m: Obj, field: string) =>
  ((m['match'] as Obj)['oxm_fields'] as Obj[]).find((f) => f['field'] === field)?.['value'];
const actionsOf = (m: Obj) => ((m['instructions'] as Obj[]) ?? []).flatMap((i) => (i['actions'] as Obj[]) ?? []);

/** Output ports in `actions=`: `output:N`, `CONTROLLER:max_len`, or a bare reserved port name. */
function ovsOutputs(t: string): number[] {
  return (get(t, /actions=(\S+)/) ?? '').split(',').flatMap((a) => {
    const m = /^(?:output:(\w+)|(CONTROLLER):\d+|(IN_PORT|TABLE|NORMAL|FLOOD|ALL|LOCAL))$/.exec(a);
    return m ? [ovsPort((m[1] ?? m[2] ?? m[3])!)] : [];
  });
}

/** Per message kind: the facts OVS prints and where they sit in our decoded value. */
const EXTRACTORS: Readonly<Record<string, Extractor>> = {
  FEATURES_REPLY: (t, m) => [
    { dpid: get(t, /dpid:([0-9a-f]+)/), n_tables: get(t, /n_tables:(\d+)/), n_buffers: get(t, /n_buffers:(\d+)/),
      auxiliary_id: get(t, /auxiliary_id:(\d+)/) ?? '0', capabilities: names(get(t, /capabilities: (.*)/)) },
    { dpid: BigInt(m['datapath_id'] as bigint).toString(16).padStart(16, '0'), n_tables: String(m['n_tables']),
      n_buffers: String(m['n_buffers']), auxiliary_id: String(m['auxiliary_id']), capabilities: bits(CAPABILITIES, m['capabilities'] as number) },
  ],
  PACKET_IN: (t, m) => [
    { cookie: get(t, /cookie=(0x[0-9a-f]+)/), total_len: get(t, /total_len=(\d+)/), in_port: ovsPort(get(t, /in_port=(\w+)/)!),
      reason: get(t, /\(via (\w+)\)/), data_len: get(t, /data_len=(\d+)/), buffer: get(t, /buffer=(0x[0-9a-f]+)/) ?? 'unbuffered' },
    { cookie: hex(m['cookie']), total_len: String(m['total_len']), in_port: oxm(m, 'in_port'), reason: PACKET_IN_REASONS[m['reason'] as number],
      data_len: String((m['data'] as Buffer).length), buffer: m['buffer_id'] === 0xffffffff ? 'unbuffered' : hex(m['buffer_id']) },
  ],
  FLOW_REMOVED: (t, m) => [
    { reason: get(t, /reason=(\w+)/), table_id: get(t, /table_id=(\d+)/), cookie: get(t, /cookie:(0x[0-9a-f]+)/) ?? '0x0',
      duration: get(t, /duration([\d.]+s)/), idle: get(t, /idle(\d+)/), hard: get(t, /hard(\d+)/) ?? '0',
      pkts: get(t, /pkts(\d+)/), bytes: get(t, /bytes(\d+)/), dl_vlan: get(t, /dl_vlan=(\d+)/) },
    { reason: FLOW_REMOVED_REASONS[m['reason'] as number], table_id: String(m['table_id']), cookie: hex(m['cookie']),
      duration: dur(m['duration_sec'], m['duration_nsec'], 3), idle: String(m['idle_timeout']), hard: String(m['hard_timeout']),
      pkts: String(m['packet_count']), bytes: String(m['byte_count']),
      dl_vlan: oxm(m, 'vlan_vid') === undefined ? undefined : String((oxm(m, 'vlan_vid') as number) & 0xfff) },
  ],
  FLOW_MOD: (t, m) => [
    { command: get(t, /\): (\w+)/), table: get(t, /table:(\d+)/) ?? '0', priority: get(t, /priority=(\d+)/),
      flags: names(get(t, /((?: (?:send_flow_rem|check_overlap|reset_counts|no_packet_counts|no_byte_counts))+)/)),
      outputs: ovsOutputs(t), meter: get(t, /meter:(\d+)/) },
    { command: FLOW_MOD_COMMANDS[m['command'] as number], table: String(m['table_id']), priority: String(m['priority']),
      flags: bits(FLOW_MOD_FLAGS, m['flags'] as number),
      outputs: actionsOf(m).filter((a) => a['type'] === 'OUTPUT').map((a) => a['port']),
      meter: (m['instructions'] as Obj[]).find((i) => i['type'] === 'METER')?.['meter_id']?.toString() },
  ],
  PORT_MOD: (t, m) => [
    { port: get(t, /port: (\d+)/), addr: get(t, /addr:([0-9a-f:]+)/), config: names(get(t, /config: (.*)/)),
      mask: names(get(t, /mask: +(.*)/)), advertise: get(t, /advertise: (.*)/) },
    { port: String(m['port_no']), addr: m['hw_addr'], config: bits(PORT_CONFIG, m['config'] as number),
      mask: bits(PORT_CONFIG, m['mask'] as number), advertise: m['advertise'] === 0 ? 'UNCHANGED' : String(m['advertise']) },
  ],
  TABLE_MOD: (t, m) => [{ table_id: get(t, /table_id=(\d+)/) }, { table_id: String(m['table_id']) }],
  METER_MOD: (t, m) => [
    { command: get(t, /\): (\w+)/), meter: get(t, /meter=(\d+)/), flags: names(get(t, /meter=\d+ ([a-z ]+) bands=/)),
      bands: all(t, /type=(\w+) rate=(\d+)(?: burst_size=(\d+))?/).map((x) => [x[1], x[2], x[3]]) },
    { command: METER_MOD_COMMANDS[m['command'] as number], meter: String(m['meter_id']), flags: bits(METER_FLAGS, m['flags'] as number),
      bands: (m['bands'] as Obj[]).map((b) => [String(b['type']).toLowerCase(), String(b['rate']),
        ((m['flags'] as number) & 4) !== 0 ? String(b['burst_size']) : undefined]) },
  ],
  BARRIER_REQUEST: () => [{}, {}],
  BARRIER_REPLY: () => [{}, {}],
  QUEUE_GET_CONFIG_REPLY: (t, m) => [
    { port: get(t, /port=(\d+)/),
      queues: all(t, /queue (\d+):(?: min_rate:([\d.]+)%)?(?: max_rate:([\d.]+)%)?/).map((x) => [x[1], x[2], x[3]]).sort() },
    { port: String(m['port']),
      queues: (m['queues'] as Obj[]).map((q) => {
        const rate = (type: string) => (q['properties'] as Obj[]).find((p) => p['type'] === type)?.['rate'] as number | undefined;
        const pct = (r: number | undefined) => (r === undefined ? undefined : (r / 10).toFixed(1));
        return [String(q['queue_id']), pct(rate('MIN_RATE')), pct(rate('MAX_RATE'))];
      }).sort() },
  ],
  SET_ASYNC: (t, m) => {
    const section = (role: string) => t.split(/\n\s*\n/).find((s) => s.includes(`${role}:`)) ?? '';
    const line = (role: string, what: string) => {
      const v = get(section(role), new RegExp(`${what}: (.*)`));
      return v === '(off)' ? [] : names(v);
    };
    const mask = (k: string, i: number) => (m[k] as number[])[i]!;
    return [
      Object.fromEntries(['primary', 'secondary'].flatMap((r) => [[`${r}_packet_in`, line(r, 'PACKET_IN')],
        [`${r}_port_status`, line(r, 'PORT_STATUS')], [`${r}_flow_removed`, line(r, 'FLOW_REMOVED')]])),
      Object.fromEntries([0, 1].flatMap((i) => {
        const r = ['primary', 'secondary'][i];
        return [[`${r}_packet_in`, reasonBits(PACKET_IN_REASONS, mask('packet_in_mask', i))],
          [`${r}_port_status`, reasonBits(PORT_STATUS_REASONS, mask('port_status_mask', i))],
          [`${r}_flow_removed`, reasonBits(FLOW_REMOVED_REASONS, mask('flow_removed_mask', i))]];
      })),
    ];
  },
  EXPERIMENTER: (t, m) => [
    { experimenter: ONF_EXPERIMENTER, exp_type: ONF_TYPES[ovsHeader(t).onf!] },
    { experimenter: m['experimenter'], exp_type: m['exp_type'] },
  ],
  'MULTIPART_REQUEST:FLOW': flowRequest,
  'MULTIPART_REQUEST:AGGREGATE': flowRequest,
  'MULTIPART_REQUEST:TABLE': (_t, m) => [{ body: 0 }, { body: body(m).length }],
  'MULTIPART_REQUEST:METER_FEATURES': (_t, m) => [{ body: 0 }, { body: body(m).length }],
  'MULTIPART_REQUEST:PORT_STATS': (t, m) => [{ port_no: ovsPort(get(t, /port_no=(\w+)/)!) }, { port_no: body(m)[0]!['port_no'] }],
  'MULTIPART_REQUEST:QUEUE': (t, m) => [
    { port: ovsPort(get(t, /port=(\w+)/)!), queue: get(t, /queue=(\w+)/) === 'ALL' ? 0xffffffff : Number(get(t, /queue=(\w+)/)) },
    { port: body(m)[0]!['port_no'], queue: body(m)[0]!['queue_id'] },
  ],
  'MULTIPART_REQUEST:METER': meterRequest,
  'MULTIPART_REQUEST:METER_CONFIG': meterRequest,
  'MULTIPART_REQUEST:EXPERIMENTER': onfMultipart,
  'MULTIPART_REPLY:EXPERIMENTER': onfMultipart,
  'MULTIPART_REPLY:AGGREGATE': (t, m) => [
    { packet_count: get(t, /packet_count=(\d+)/), byte_count: get(t, /byte_count=(\d+)/), flow_count: get(t, /flow_count=(\d+)/) },
    { packet_count: String(body(m)[0]!['packet_count']), byte_count: String(body(m)[0]!['byte_count']), flow_count: String(body(m)[0]!['flow_count']) },
  ],
  'MULTIPART_REPLY:TABLE': (t, m) => [
    { tables: all(t, /table (\d+):\s+active=(\d+), lookup=(\d+), matched=(\d+)/).map((x) => x.slice(1, 5)) },
    { tables: body(m).map((e) => [e['table_id'], e['active_count'], e['lookup_count'], e['matched_count']].map(String)) },
  ],
  'MULTIPART_REPLY:PORT_STATS': (t, m) => [
    { ports: t.split(/\n(?=  port )/).slice(1).map((s) => {
      const rx = /port +(\w+): rx pkts=(\d+), bytes=(\d+), drop=(\d+), errs=(\d+), frame=(\d+), over=(\d+), crc=(\d+)/.exec(s)!;
      const tx = /tx pkts=(\d+), bytes=(\d+), drop=(\d+), errs=(\d+), coll=(\d+)/.exec(s)!;
      return [ovsPort(rx[1]!), ...rx.slice(2, 9), ...tx.slice(1, 6), get(s, /duration=([\d.]+s)/)];
    }) },
    { ports: body(m).map((p) => [p['port_no'], ...['rx_packets', 'rx_bytes', 'rx_dropped', 'rx_errors', 'rx_frame_err', 'rx_over_err',
      'rx_crc_err', 'tx_packets', 'tx_bytes', 'tx_dropped', 'tx_errors', 'collisions'].map((k) => String(p[k])),
      p['duration_sec'] === UNKNOWN_DURATION ? undefined : dur(p['duration_sec'], p['duration_nsec'], 3)]) },
  ],
  'MULTIPART_REPLY:QUEUE': (t, m) => [
    { queues: all(t, /port (\w+) queue (\d+): bytes=(\d+), pkts=(\d+), errors=(\d+), duration=([\d.]+s|\?)/)
      .map((x) => [ovsPort(x[1]!), ...x.slice(2, 7)]) },
    { queues: body(m).map((q) => [q['port_no'], ...['queue_id', 'tx_bytes', 'tx_packets', 'tx_errors'].map((k) => String(q[k])),
      q['duration_sec'] === UNKNOWN_DURATION ? '?' : dur(q['duration_sec'], q['duration_nsec'], 3)]) },
  ],
  'MULTIPART_REPLY:GROUP': (t, m) => [
    { groups: all(t, /group_id=(\d+),duration=([\d.]+s),ref_count=(\d+),packet_count=(\d+),byte_count=(\d+)((?:,bucket\d+:packet_count=\d+,byte_count=\d+)*)/)
      .map((x) => [...x.slice(1, 6), all(x[6]!, /packet_count=(\d+),byte_count=(\d+)/).map((b) => [b[1], b[2]])]) },
    { groups: body(m).map((g) => [String(g['group_id']), dur(g['duration_sec'], g['duration_nsec'], 3), String(g['ref_count']),
      String(g['packet_count']), String(g['byte_count']), (g['bucket_stats'] as Obj[]).map((b) => [String(b['packet_count']), String(b['byte_count'])])]) },
  ],
  'MULTIPART_REPLY:METER_FEATURES': (t, m) => {
    const f = body(m)[0]!;
    return [
      { max_meter: get(t, /max_meter:(\d+)/), max_bands: get(t, /max_bands:(\d+)/), max_color: get(t, /max_color:(\d+)/),
        band_types: names(get(t, /band_types: (.*)/)), capabilities: names(get(t, /capabilities: (.*)/)) },
      { max_meter: String(f['max_meter']), max_bands: String(f['max_bands']), max_color: String(f['max_color']),
        band_types: bits(BAND_TYPES, f['band_types'] as number), capabilities: bits(METER_FLAGS, f['capabilities'] as number) },
    ];
  },
  'MULTIPART_REPLY:METER_CONFIG': (t, m) => [
    { meters: t.split(/\n\s*\n/).map((s) => [get(s, /meter=(\d+)/), names(get(s, /meter=\d+ ([a-z ]+) bands=/)),
      all(s, /type=(\w+) rate=(\d+)(?: burst_size=(\d+))?(?: prec_level=(\d+))?/).map((x) => x.slice(1, 5))]) },
    { meters: body(m).map((c) => {
      const burst = ((c['flags'] as number) & 4) !== 0;
      return [String(c['meter_id']), bits(METER_FLAGS, c['flags'] as number), (c['bands'] as Obj[]).map((b) => [
        String(b['type']).toLowerCase(), String(b['rate']), burst ? String(b['burst_size']) : undefined,
        b['prec_level'] === undefined ? undefined : String(b['prec_level'])])];
    }) },
  ],
  'MULTIPART_REPLY:METER': (t, m) => [
    { meters: t.split(/\n\s*\n/).map((s) => [
      ...(/meter:(\d+) flow_count:(\d+) packet_in_count:(\d+) byte_in_count:(\d+) duration:([\d.]+s)/.exec(s) ?? []).slice(1),
      all(s, /\d+: packet_count:(\d+) byte_count:(\d+)/).map((x) => [x[1], x[2]])]) },
    { meters: body(m).map((s) => [...['meter_id', 'flow_count', 'packet_in_count', 'byte_in_count'].map((k) => String(s[k])),
      dur(s['duration_sec'], s['duration_nsec'], 9),
      (s['band_stats'] as Obj[]).map((b) => [String(b['packet_band_count']), String(b['byte_band_count'])])]) },
  ],
  'MULTIPART_REPLY:TABLE_FEATURES': (t, m) => {
    const tf = body(m)[0]!;
    const next = (tf['properties'] as Obj[]).find((p) => p['type'] === 'NEXT_TABLES')?.['next_table_ids'] as number[];
    return [
      { more: /flags=\[more\]/.test(t), table: get(t, /table (\d+) \(/), name: get(t, /table \d+ \("([^"]*)"\)/),
        metadata: get(t, /metadata: (match=0x[0-9a-f]+ write=0x[0-9a-f]+)/), max_entries: get(t, /max_entries=(\d+)/),
        next_tables: get(t, /next tables: (.*)/) },
      { more: ((m['flags'] as number) & 1) === 1, table: String(tf['table_id']), name: tf['name'],
        metadata: `match=${hex(tf['metadata_match'])} write=${hex(tf['metadata_write'])}`, max_entries: String(tf['max_entries']),
        next_tables: next.length > 1 && next[next.length - 1]! - next[0]! === next.length - 1 ? `${next[0]}-${next[next.length - 1]}` : next.join(',') },
    ];
  },
};

function flowRequest(t: string, m: Obj): [Facts, Facts] {
  const b = body(m)[0]!;
  return [
    { table: get(t, /table=(\d+)/) ?? '255', out_port: ovsPort(get(t, /out_port=(\w+)/) ?? 'ANY'),
      out_group: get(t, /out_group=(\d+)/) ?? String(0xffffffff), cookie: get(t, /cookie=(0x[0-9a-f]+)/) ?? '0x0',
      match_fields: /\):\s*$/.test(t.split('\n')[0]!) ? 0 : -1 },
    { table: String(b['table_id']), out_port: b['out_port'], out_group: String(b['out_group']), cookie: hex(b['cookie']),
      match_fields: ((b['match'] as Obj)['oxm_fields'] as unknown[]).length },
  ];
}
function meterRequest(t: string, m: Obj): [Facts, Facts] {
  const v = get(t, /meter=(\w+)/)!;
  return [{ meter: v === 'all' ? 0xffffffff : Number(v) }, { meter: body(m)[0]!['meter_id'] }];
}
function onfMultipart(t: string, m: Obj): [Facts, Facts] {
  return [{ experimenter: ONF_EXPERIMENTER, exp_type: ONF_TYPES[ovsHeader(t).onf!] },
    { experimenter: body(m)[0]!['experimenter'], exp_type: body(m)[0]!['exp_type'] }];
}

/**
 * The message name, xid and multipart type OVS printed equal ours, and (where an extractor
 * knows the kind, or `requireFacts` demands one) every fact it printed.
 */
export function assertAgreesWithOvs(text: string, decoded: unknown, requireFacts: boolean): void {
  const m = decoded as Obj;
  const h = ovsHeader(text);
  const head: Facts = { type: h.type, xid: h.xid };
  const ours: Facts = { type: m['type'], xid: m['xid'] };
  if (h.multipart_type) {
    head['multipart_type'] = h.multipart_type;
    ours['multipart_type'] = m['multipart_type'];
  }
  assertMatches(ours, head);
  const key = h.multipart_type ? `${h.type}:${h.multipart_type}` : h.type;
  const extract = EXTRACTORS[key];
  if (!extract) {
    assert.ok(!requireFacts, `no extractor for ${key}`);
    return;
  }
  const [ovs, fromOurs] = extract(text, m);
  assertMatches(fromOurs, ovs);
}
