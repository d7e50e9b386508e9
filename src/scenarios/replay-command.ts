/**
 * The commands that reproduce a run, and the report file names they point at. The runner prints
 * them; the report writer writes the files they name, so the two always agree.
 */

/** `orders/broker partition!` → `orders-broker-partition`. */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'scenario'
  );
}

/** The run report's base name (no extension) for a scenario × seed; `minimal` for a shrunk case. */
export function reportBaseName(scenario: string, seed: number, minimal = false): string {
  return `${slug(scenario)}-seed${seed}${minimal ? '-min' : ''}`;
}

export function quoteArg(arg: string): string {
  return /^[\w./@:=,+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `microcosm run <file> --seed N` (with `--scenario` when the file holds several). */
export function runCommand(file: string, scenario: string, seed: number, fileHoldsSeveral: boolean): string {
  const parts = ['npx', 'microcosm', 'run', quoteArg(file), '--seed', String(seed)];
  if (fileHoldsSeveral) parts.push('--scenario', quoteArg(scenario));
  return parts.join(' ');
}

/** `microcosm replay <report.json>`. */
export function replayCommand(reportFile: string): string {
  return `npx microcosm replay ${quoteArg(reportFile)}`;
}
