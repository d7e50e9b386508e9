// `@microcosm-ts/core/plugins/rabbitmq`: the RabbitMQ broker.
export {
  DEFAULT_RABBITMQ_PREFIX,
  DEFAULT_RABBITMQ_URL,
  type RabbitBrokerOptions,
  rabbitBroker,
  rabbitError,
} from './broker.js';
