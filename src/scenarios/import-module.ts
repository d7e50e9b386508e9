/**
 * Imports a user's scenario or system module by path. The framework is plain JavaScript; a
 * TypeScript file (`.ts`, `.mts`, `.cts`, `.tsx`) first registers tsx's loader in this thread
 * (once), so only the user's own code pays for the transform. Running from the sources (this
 * repository's tests, under vitest's module runner) nothing is registered: TypeScript already loads.
 *
 * A user's module is loaded with the user's tsconfig (their path aliases, JSX settings). This
 * package's own examples and benches are loaded without one: the repository's tsconfig maps
 * `@microcosm-ts/core` to the sources for type checking, and the examples must run on the build,
 * as a user's code would.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadPeer } from '../micro/peer.js';

const TYPESCRIPT = /\.(?:ts|mts|cts|tsx)$/;

let registered: Promise<void> | undefined;

/** Whether importing `path` needs a TypeScript loader that this thread may not have yet. */
export function needsTypeScriptLoader(path: string): boolean {
  return TYPESCRIPT.test(path) && !import.meta.url.endsWith('.ts');
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Register tsx's ESM loader in this thread, once (the first module decides whether the user's
 * tsconfig applies); a missing tsx names the package to install.
 */
export function registerTypeScriptLoader(forPath: string): Promise<void> {
  const own = forPath.startsWith(PACKAGE_ROOT) && !forPath.includes('/node_modules/', PACKAGE_ROOT.length - 1);
  registered ??= loadPeer('tsx', 'TypeScript scenario loader', () => import('tsx/esm/api')).then((tsx) => {
    tsx.register(own ? { tsconfig: false } : {});
  });
  return registered;
}

/** `import()` a module by file path, registering the TypeScript loader first when the file needs it. */
export async function importUserModule(path: string): Promise<Record<string, unknown>> {
  if (needsTypeScriptLoader(path)) await registerTypeScriptLoader(path);
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}
