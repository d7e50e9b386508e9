/**
 * Portable names → JetStream names. Stream and consumer names may not hold `.`, `*`, `>`,
 * whitespace or path separators, so everything outside `[A-Za-z0-9-]` is escaped as `_` plus
 * its code point in hex and a `_` (the escape is injective: `_` itself is escaped too).
 */
export function jetStreamName(name: string): string {
  let out = '';
  for (const char of name) out += /[A-Za-z0-9-]/.test(char) ? char : `_${char.codePointAt(0)?.toString(16)}_`;
  return out;
}
