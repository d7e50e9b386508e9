// `@microcosm-ts/core/plugins/nats`: the NATS plugins. See docs/architecture.md for the layout.
export { HEADERS_HEADER, ID_HEADER, type NatsBrokerOptions, natsBroker } from './broker.js';
export { DEFAULT_NATS_PREFIX, DEFAULT_NATS_URL, type NatsOptions, natsError } from './connection.js';
export { type NatsEventsOptions, natsEvents } from './events.js';
export { jetStreamName } from './names.js';
