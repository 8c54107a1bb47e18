/**
 * The flow registry's lookup contract: what the metrics layer asks, keyed as OpenKilda's
 * flow cache is, by (switch, cookie), (switch, meter id), (switch, group id). A miss means
 * `unknown` in every flow tag (../shared/seeds/002_544d5299114fc53f.txt).
 *
 * The registry is built from a source (a YAML/JSON file first; OpenKilda's northbound API
 * later) describing flows, Y-flows and HA-flows with their paths; the positions below are
 * derived from those paths, not stored by the operator.
 */

export type FlowDirection = 'forward' | 'reverse';

/** Where a switch sits on one direction of a flow's path. ONE_SWITCH is ingress + egress. */
export type PathPosition = 'ingress' | 'transit' | 'egress' | 'ypoint';

/** A rule known to the registry. */
export interface RuleInfo {
  /** Plain flow, a Y-flow's sub-flow, or an HA-flow's rule. */
  kind: 'flow' | 'yflow' | 'haflow';
  /** The `flowid` tag: the flow id, the Y-flow's sub-flow id, or for an HA-flow the sub-flow id or `shared`. */
  flowId: string;
  /** Set for kind 'yflow'. */
  yFlowId?: string;
  /** Set for kind 'haflow'. */
  haFlowId?: string;
  direction: FlowDirection;
  /** Positions of this switch for this rule's path and direction (ingress+egress on a one-switch flow). */
  positions: ReadonlySet<PathPosition>;
}

/** A meter known to the registry. */
export interface MeterInfo {
  kind: 'flow' | 'yflow-shared' | 'yflow-ypoint' | 'haflow' | 'haflow-ypoint';
  /** `flowid` tag where the seed has one (flow, Y sub-flow, HA sub-flow or `shared`). */
  flowId?: string;
  yFlowId?: string;
  haFlowId?: string;
  direction?: FlowDirection;
  /** The cookie of the rule that sends traffic to this meter (the seed's `cookie` tag). */
  cookie?: bigint;
}

/** A group known to the registry (only HA-flow Y-point groups give metrics). */
export interface GroupInfo {
  kind: 'haflow-ypoint';
  haFlowId: string;
}

export interface FlowRegistry {
  rule(switchId: string, cookie: bigint): RuleInfo | undefined;
  meter(switchId: string, meterId: number): MeterInfo | undefined;
  group(switchId: string, groupId: number): GroupInfo | undefined;
  /**
   * Changes (by identity) whenever an answer may change. The metrics remember each rule's
   * answer and ask again only when this changes; a registry without it is asked every poll.
   */
  version?(): unknown;
}

/** The registry that knows nothing: every lookup misses. */
export const EMPTY_REGISTRY: FlowRegistry = {
  rule: () => undefined,
  meter: () => undefined,
  group: () => undefined,
  version: () => EMPTY_REGISTRY,
};
