/**
 * Hand-built descriptors for two tiny messages, `greeter.HelloRequest { string name = 1; }` and
 * `greeter.HelloReply { string message = 1; int32 count = 2; }`, so tests and the example use real
 * protobuf without a code-generation step. (With `buf generate` you would import generated
 * schemas instead; the codec does not care where a schema came from.)
 */
import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';

const STRING = 9;
const INT32 = 5;
const OPTIONAL = 1;

const file = create(FileDescriptorProtoSchema, {
  name: 'greeter.proto',
  package: 'greeter',
  syntax: 'proto3',
  messageType: [
    { name: 'HelloRequest', field: [{ name: 'name', number: 1, type: STRING, label: OPTIONAL, jsonName: 'name' }] },
    {
      name: 'HelloReply',
      field: [
        { name: 'message', number: 1, type: STRING, label: OPTIONAL, jsonName: 'message' },
        { name: 'count', number: 2, type: INT32, label: OPTIONAL, jsonName: 'count' },
      ],
    },
  ],
});

const registry = createFileRegistry(file, () => undefined);

function message(name: string): DescMessage {
  const desc = registry.getMessage(name);
  if (desc === undefined) throw new Error(`greeter.proto has no message ${name}`);
  return desc;
}

export const HelloRequestSchema = message('greeter.HelloRequest');
export const HelloReplySchema = message('greeter.HelloReply');
