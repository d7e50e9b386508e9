/**
 * The real clocks, timers and random sources a simulation swaps while it runs, recognised in
 * source: `Date.now`, `Math.random`, `performance.now`, `crypto.randomUUID`, the global timers
 * (also spelled `globalThis.setTimeout`), and `new Date()` without arguments.
 */
import type { Node } from 'ts-morph';
import type { TsMorph } from './types.js';

const MEMBERS = new Set(['Date.now', 'Math.random', 'performance.now', 'crypto.randomUUID', 'crypto.getRandomValues']);
export const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate']);
const GLOBAL_OBJECT = /^(globalThis|global|window|self)\./;

/** The swapped global this expression names (`Date.now`, `setTimeout`), or undefined. */
export function ambientName(node: Node, tsm: TsMorph): string | undefined {
  if (tsm.Node.isPropertyAccessExpression(node)) {
    const text = node.getText().replace(GLOBAL_OBJECT, '');
    if (MEMBERS.has(text) || TIMERS.has(text)) return text;
    return undefined;
  }
  if (tsm.Node.isIdentifier(node) && TIMERS.has(node.getText()) && isValueReference(node, tsm)) return node.getText();
  return undefined;
}

/** An identifier used as a value (not a declaration, property name, import name or type). */
function isValueReference(node: Node, tsm: TsMorph): boolean {
  const parent = node.getParent();
  if (parent === undefined) return false;
  if (tsm.Node.isPropertyAccessExpression(parent) && parent.getNameNode() === node) return false;
  if (tsm.Node.isPropertyAssignment(parent) && parent.getNameNode() === node) return false;
  if (tsm.Node.isBindingElement(parent) || tsm.Node.isImportSpecifier(parent) || tsm.Node.isExportSpecifier(parent))
    return false;
  if (
    (tsm.Node.isVariableDeclaration(parent) ||
      tsm.Node.isFunctionDeclaration(parent) ||
      tsm.Node.isParameterDeclaration(parent) ||
      tsm.Node.isMethodDeclaration(parent) ||
      tsm.Node.isPropertyDeclaration(parent) ||
      tsm.Node.isPropertySignature(parent) ||
      tsm.Node.isMethodSignature(parent)) &&
    parent.getNameNode() === node
  )
    return false;
  for (let at: Node | undefined = parent; at !== undefined; at = at.getParent())
    if (tsm.Node.isTypeNode(at) || tsm.Node.isTypeQuery(at)) return false;
  return true;
}

/** Whether `node` is the callee of a call (or the class of a `new`). */
export function isCallee(node: Node, tsm: TsMorph): boolean {
  const parent = node.getParent();
  return (tsm.Node.isCallExpression(parent) || tsm.Node.isNewExpression(parent)) && parent.getExpression() === node;
}

/** A `new Date` with no arguments: the wall clock. */
export function isNewDateNow(node: Node, tsm: TsMorph): boolean {
  return (
    tsm.Node.isNewExpression(node) &&
    node.getExpression().getText().replace(GLOBAL_OBJECT, '') === 'Date' &&
    node.getArguments().length === 0
  );
}
