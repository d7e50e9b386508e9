/**
 * The determinism lint's contracts: a rule looks at one parsed file and reports the places a
 * simulation cannot virtualise; a finding is where, which rule, what, and how to fix it.
 * ts-morph is only a type here: `lint.ts` loads it lazily and hands it to the rules.
 */
import type { Node, SourceFile } from 'ts-morph';

export type TsMorph = typeof import('ts-morph');

export interface LintFinding {
  /** As given or found (relative to the working directory when under it). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly rule: string;
  readonly message: string;
  readonly hint: string;
}

/** What a rule's check reports: the node, what is wrong there, and (optionally) a more specific hint. */
export type Report = (node: Node, message: string, hint?: string) => void;

export interface LintRule {
  /** kebab-case id, as findings and ignore comments name it. */
  readonly id: string;
  /** One line: what the rule finds. */
  readonly summary: string;
  /** The default fix hint. */
  readonly hint: string;
  check(file: SourceFile, tsm: TsMorph, report: Report): void;
}
