/** `microcosm new NAME [--proto FILE] [--dir D]`: see ./new/generate.ts. */

import { parseStrict } from './backend-args.js';
import { type CliIo, UsageError } from './io.js';
import { generateService, NEW_USAGE } from './new/generate.js';

export async function newCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseStrict(argv, {
    proto: { type: 'string' },
    dir: { type: 'string' },
    core: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(`${NEW_USAGE}\n`);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (name === undefined) throw new UsageError('missing NAME');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const result = await generateService({
    name,
    cwd: io.cwd,
    ...(values.proto === undefined ? {} : { proto: values.proto }),
    ...(values.dir === undefined ? {} : { dir: values.dir }),
    ...(values.core === undefined ? {} : { core: values.core }),
  });
  io.out(`created ${result.dir} (${result.files.length} files)\nnext: cd ${result.dir} && npm install && npm test\n`);
  return 0;
}
