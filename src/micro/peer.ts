/**
 * Plugin client libraries (and tsx, for TypeScript scenarios) are optional peer dependencies:
 * `@microcosm-ts/core` installs none of them, and each plugin's entry point loads its own when it
 * is imported. A missing one is a
 * {@link MissingPeerError} that names the package to install, instead of Node's bare
 * "Cannot find package".
 */

/** A plugin's client library is not installed. */
export class MissingPeerError extends Error {
  override readonly name = 'MissingPeerError';
  constructor(
    /** The npm package to install. */
    readonly packageName: string,
    /** The plugin that needs it (`redis`, `nats`, …). */
    readonly plugin: string,
    options?: ErrorOptions,
  ) {
    super(
      `the ${plugin} plugin needs the package "${packageName}", which is not installed: ` +
        `npm install ${packageName}`,
      options,
    );
  }
}

/**
 * Loads `packageName` through `load` (a literal `() => import('pkg')`, so the types follow),
 * turning "module not found" for that package into a {@link MissingPeerError}; any other failure
 * (a broken install, an error thrown while the library loads) is rethrown as it is.
 */
export async function loadPeer<T>(packageName: string, plugin: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isNotFound(error, packageName)) throw new MissingPeerError(packageName, plugin, { cause: error });
    throw error;
  }
}

function isNotFound(error: unknown, packageName: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    (error.message.includes(`'${packageName}'`) || error.message.includes(`"${packageName}"`))
  );
}
