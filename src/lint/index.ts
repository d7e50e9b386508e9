// The determinism lint (`microcosm lint`): what a simulation cannot virtualise.
export { LintInputError, lintableFiles } from './files.js';
export { BAD_IGNORE, formatFinding, type LintOptions, type LintResult, lint, UNUSED_IGNORE } from './lint.js';
export { REAL_IO_MODULES, RULE_IDS, RULES, SOCKET_CLIENTS } from './rules.js';
export type { LintFinding, LintRule } from './types.js';
