import type { Family, MessageBase } from '../../family.js';

// Placeholder until this family is written: no messages registered.
export type Messages = never;
export const families: readonly Family<MessageBase>[] = [];
