import type { Command } from 'commander';
import * as cookie from './cookie.js';
import * as decode from './decode.js';
import * as replay from './replay.js';
import * as run from './run.js';

/**
 * Every subcommand, each in its own module exporting `register(program)`. A new one
 * (`run`, `cookie`, `replay`...) is one import and one entry here.
 */
export const COMMANDS: readonly { register(program: Command): void }[] = [decode, run, cookie, replay];
