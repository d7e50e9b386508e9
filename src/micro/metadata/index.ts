export { type CallContext, earliestDeadline, remainingMs } from './context.js';
export { EMPTY_METADATA, type Metadata, mergeMetadata } from './types.js';
