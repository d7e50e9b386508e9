// `@microcosm-ts/core/plugins/rabbitmq`: the RabbitMQ broker.
export { rabbitBroker, rabbitError } from './broker.js';
export {
  DEFAULT_RABBITMQ_CONNECT_TIMEOUT_MS,
  DEFAULT_RABBITMQ_PREFIX,
  DEFAULT_RABBITMQ_RECONNECT,
  DEFAULT_RABBITMQ_URL,
  type RabbitBrokerOptions,
  type RabbitReconnectOptions,
} from './options.js';
