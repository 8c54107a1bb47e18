import type { MultipartTypeName } from '../../constants.js';
import { fixedList, lengthList, none, one, type BodyCodec } from './body.js';
import { descStats, DESC_LEN } from './desc/reply.js';
import { flowStatsRequest } from './flow/request.js';
import { flowStats, FLOW_STATS_FIXED_LEN } from './flow/reply.js';
import { aggregateStats, AGGREGATE_STATS_LEN } from './aggregate/reply.js';
import { tableStats, TABLE_STATS_LEN } from './table/reply.js';
import { portStatsRequest, PORT_STATS_REQUEST_LEN } from './port-stats/request.js';
import { portStats, PORT_STATS_LEN } from './port-stats/reply.js';
import { queueStatsRequest, QUEUE_STATS_REQUEST_LEN } from './queue/request.js';
import { queueStats, QUEUE_STATS_LEN } from './queue/reply.js';
import { groupStatsRequest, GROUP_STATS_REQUEST_LEN } from './group/request.js';
import { groupStats, GROUP_STATS_FIXED_LEN } from './group/reply.js';
import { groupDesc, GROUP_DESC_FIXED_LEN } from './group-desc/reply.js';
import { groupFeatures, GROUP_FEATURES_LEN } from './group-features/reply.js';
import { meterRequest, METER_REQUEST_LEN } from './meter/request.js';
import { meterStats, METER_STATS_FIXED_LEN, METER_STATS_LEN_AT } from './meter/reply.js';
import { meterConfig, METER_CONFIG_FIXED_LEN } from './meter-config/reply.js';
import { meterFeatures, METER_FEATURES_LEN } from './meter-features/reply.js';
import { tableFeatures, TABLE_FEATURES_FIXED_LEN } from './table-features/table-features.js';
import { portDesc, OFP_PORT_LEN } from './port-desc/reply.js';
import { experimenterMultipart } from './experimenter/index.js';

const tableFeaturesList = lengthList(tableFeatures, 'table features', 0, TABLE_FEATURES_FIXED_LEN);
const experimenterBody = one(experimenterMultipart, 'experimenter multipart');

/**
 * The one place that says what each multipart type carries in each direction. The decoder,
 * the encoder and the message types are all derived from this table.
 */
export const MULTIPART = {
  DESC: { request: none, reply: one(descStats, 'desc', DESC_LEN) },
  FLOW: {
    request: one(flowStatsRequest, 'flow stats request'),
    reply: lengthList(flowStats, 'flow stats', 0, FLOW_STATS_FIXED_LEN),
  },
  AGGREGATE: {
    request: one(flowStatsRequest, 'aggregate stats request'),
    reply: one(aggregateStats, 'aggregate stats', AGGREGATE_STATS_LEN),
  },
  TABLE: { request: none, reply: fixedList(tableStats, 'table stats', TABLE_STATS_LEN) },
  PORT_STATS: {
    request: one(portStatsRequest, 'port stats request', PORT_STATS_REQUEST_LEN),
    reply: fixedList(portStats, 'port stats', PORT_STATS_LEN),
  },
  QUEUE: {
    request: one(queueStatsRequest, 'queue stats request', QUEUE_STATS_REQUEST_LEN),
    reply: fixedList(queueStats, 'queue stats', QUEUE_STATS_LEN),
  },
  GROUP: {
    request: one(groupStatsRequest, 'group stats request', GROUP_STATS_REQUEST_LEN),
    reply: lengthList(groupStats, 'group stats', 0, GROUP_STATS_FIXED_LEN),
  },
  GROUP_DESC: { request: none, reply: lengthList(groupDesc, 'group desc', 0, GROUP_DESC_FIXED_LEN) },
  GROUP_FEATURES: { request: none, reply: one(groupFeatures, 'group features', GROUP_FEATURES_LEN) },
  METER: {
    request: one(meterRequest, 'meter stats request', METER_REQUEST_LEN),
    reply: lengthList(meterStats, 'meter stats', METER_STATS_LEN_AT, METER_STATS_FIXED_LEN),
  },
  METER_CONFIG: {
    request: one(meterRequest, 'meter config request', METER_REQUEST_LEN),
    reply: lengthList(meterConfig, 'meter config', 0, METER_CONFIG_FIXED_LEN),
  },
  METER_FEATURES: { request: none, reply: one(meterFeatures, 'meter features', METER_FEATURES_LEN) },
  TABLE_FEATURES: { request: tableFeaturesList, reply: tableFeaturesList },
  PORT_DESC: { request: none, reply: fixedList(portDesc, 'port desc', OFP_PORT_LEN) },
  EXPERIMENTER: { request: experimenterBody, reply: experimenterBody },
} satisfies { readonly [K in MultipartTypeName]: { request: BodyCodec<any>; reply: BodyCodec<any> } };

export type Direction = 'request' | 'reply';
type BodyFrom<C> = C extends BodyCodec<infer B> ? B : never;
/** Multipart type name → the `body` list of that type, per direction. */
export type Bodies<D extends Direction> = { [K in MultipartTypeName]: BodyFrom<(typeof MULTIPART)[K][D]> };
