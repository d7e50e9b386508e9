export { AsyncQueue } from './async-queue.js';
export { MemoryTransport, memoryTransport } from './memory.js';
export { DEFAULT_STREAM_WINDOW, Mux, type MuxOptions } from './mux.js';
export { FRAME_KINDS, type FrameKind, type InputShape, type OpenRequest } from './mux-frames.js';
export { MuxStream } from './mux-stream.js';
export type { Connection, DialOptions, Frame, Header, Listener, Transport } from './types.js';
