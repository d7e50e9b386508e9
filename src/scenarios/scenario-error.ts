/**
 * A scenario that does not validate: names the file, line and column (when known), the field
 * path (`faults[2].type`), and what was expected. `microcosm` prints it and exits 2.
 */
export interface ScenarioErrorLocation {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly path?: readonly PropertyKey[];
}

export class ScenarioError extends Error {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly path: readonly PropertyKey[];
  readonly detail: string;

  constructor(detail: string, location: ScenarioErrorLocation = {}) {
    const path = location.path ?? [];
    super(formatLocation(location, path) + detail);
    this.name = 'ScenarioError';
    this.detail = detail;
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.path = path;
  }
}

/** `faults[2].type` from `['faults', 2, 'type']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `${text === '' ? '' : '.'}${String(part)}`;
  return text;
}

function formatLocation(location: ScenarioErrorLocation, path: readonly PropertyKey[]): string {
  let where = location.file ?? '';
  if (where !== '' && location.line !== undefined) where += `:${location.line}:${location.column ?? 1}`;
  const field = formatPath(path);
  return [where, field].filter((s) => s !== '').join(': ') + (where === '' && field === '' ? '' : ': ');
}
