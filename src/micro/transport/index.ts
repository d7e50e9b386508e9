export { AsyncQueue } from './async-queue.js';
export { MemoryTransport, memoryTransport } from './memory.js';
export { DEFAULT_STREAM_WINDOW, Mux, type MuxOptions } from './mux.js';
export { FRAME_KINDS, type FrameKind, type InputShape, type OpenRequest } from './mux-frames.js';
export { MuxStream } from './mux-stream.js';
export { type CallWatcher, IncomingCall, type UnaryHandle, type UnaryReceiver } from './mux-unary.js';
export type {
  Carried,
  Connection,
  DialOptions,
  Direction,
  Frame,
  Header,
  Listener,
  Transport,
  ValuePassing,
} from './types.js';
