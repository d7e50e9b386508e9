// `@microcosm-ts/core/plugins/mqtt`: the MQTT 5 broker.
export {
  DEFAULT_MQTT_PREFIX,
  DEFAULT_MQTT_URL,
  ID_PROPERTY,
  type MqttBrokerOptions,
  mqttBroker,
  mqttError,
} from './broker.js';
