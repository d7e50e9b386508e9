#!/usr/bin/env node
// The `microcosm` command: the compiled CLI in dist/, run by plain node. A TypeScript loader (tsx)
// is registered only when a user's scenario or system module is a .ts file.
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write('microcosm: the package is not built (dist/ is missing): run `npm run build`\n');
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
