export { ConfigError, loadConfigFile, parseConfig } from './load.js';
export { buildSettings, parseDpid, DEFAULTS, LOG_LEVELS, type Flags, type Settings, type Role, type OutputFormat } from './settings.js';
export { CONFIG_SCHEMA, STAT_NAMES, type FileConfig, type StatName } from './schema.js';
