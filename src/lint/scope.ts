/** Where a node runs: at module load, or inside code that has a Runtime within reach. */
import type { Node } from 'ts-morph';
import type { TsMorph } from './types.js';

/**
 * Whether the node is evaluated when its module loads: not inside a function, method, accessor
 * or constructor, nor an instance field's initialiser (those run later, per call or instance).
 */
export function atModuleLoad(node: Node, tsm: TsMorph): boolean {
  for (let at: Node | undefined = node.getParent(); at !== undefined; at = at.getParent()) {
    if (tsm.Node.isFunctionLikeDeclaration(at)) return false;
    if (tsm.Node.isPropertyDeclaration(at) && !at.isStatic()) return false;
  }
  return true;
}

const RUNTIME_NAME = /^(runtime|rt)$/;
const RUNTIME_TYPE = /\b(Runtime|NodeContext|RemotePort)\b/;

/**
 * Whether a runtime is in scope where the node is: an enclosing function takes a parameter named
 * `runtime` (or destructures one) or typed Runtime/NodeContext, or an enclosing block or class
 * declares a `runtime`. Framework code that has one should take its clock, timers and random there.
 */
export function runtimeInScope(node: Node, tsm: TsMorph): boolean {
  for (let at: Node | undefined = node.getParent(); at !== undefined; at = at.getParent()) {
    if (tsm.Node.isFunctionLikeDeclaration(at)) {
      for (const parameter of at.getParameters()) {
        const type = parameter.getTypeNode()?.getText() ?? '';
        if (RUNTIME_TYPE.test(type) || declaresRuntime(parameter.getNameNode(), tsm)) return true;
      }
    }
    if (tsm.Node.isClassDeclaration(at) || tsm.Node.isClassExpression(at)) {
      const fields = [...at.getProperties(), ...at.getConstructors().flatMap((c) => c.getParameters())];
      if (fields.some((f) => RUNTIME_NAME.test(f.getName()) || RUNTIME_TYPE.test(f.getTypeNode()?.getText() ?? '')))
        return true;
    }
    if (tsm.Node.isBlock(at) || tsm.Node.isSourceFile(at)) {
      for (const statement of at.getStatements())
        if (tsm.Node.isVariableStatement(statement) && statement.getPos() < node.getPos())
          for (const declaration of statement.getDeclarations())
            if (declaresRuntime(declaration.getNameNode(), tsm)) return true;
    }
  }
  return false;
}

function declaresRuntime(name: Node, tsm: TsMorph): boolean {
  if (tsm.Node.isIdentifier(name)) return RUNTIME_NAME.test(name.getText());
  if (tsm.Node.isObjectBindingPattern(name))
    return name
      .getElements()
      .some(
        (e) =>
          RUNTIME_NAME.test(e.getNameNode().getText()) || RUNTIME_NAME.test(e.getPropertyNameNode()?.getText() ?? ''),
      );
  return false;
}
