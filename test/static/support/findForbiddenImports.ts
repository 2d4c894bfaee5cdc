import { builtinModules } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ImportViolation {
  line: number;
  specifier: string;
  reason: string;
}

export interface ImportRules {
  /** Absolute path of the Mini Program root; `/x` specifiers are relative to it, as in WeChat. */
  miniprogramRoot: string;
  /** Packages the Mini Program may load at run time (built into miniprogram_npm by DevTools). */
  runtimePackages: readonly string[];
}

const NODE_BUILTINS = new Set(builtinModules);

const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0]);

const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/**
 * Every module reference in one source file that DevTools could not bundle: Node built-ins
 * (type-only or not: they have no meaning on a phone), value imports that leave `miniprogram/`
 * (DevTools bundles nothing beyond it; `import type` is erased), and packages other than the
 * runtime dependencies. Reads the syntax tree, so comments and strings do not count.
 */
export function findForbiddenImports(fileName: string, sourceText: string, rules: ImportRules): ImportViolation[] {
  const source = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);
  const root = resolve(rules.miniprogramRoot);
  const violations: ImportViolation[] = [];

  const check = (node: ts.Node, specifier: string, typeOnly: boolean) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    const reason = classifyImport(specifier, typeOnly);
    if (reason) violations.push({ line, specifier, reason });
  };

  const classifyImport = (specifier: string, typeOnly: boolean): string | undefined => {
    if (isNodeBuiltin(specifier)) return 'Node built-in';
    if (typeOnly) return undefined;
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      const target = specifier.startsWith('/') ? join(root, specifier) : resolve(dirname(fileName), specifier);
      return target === root || target.startsWith(root + sep) ? undefined : 'value import from outside miniprogram/ (use import type)';
    }
    return rules.runtimePackages.includes(packageName(specifier)) ? undefined : 'not a runtime dependency of the Mini Program';
  };

  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      check(node, node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      check(node, node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) check(node, expression.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node)) {
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if (isRequire || isDynamicImport) {
        const [argument] = node.arguments;
        if (argument && ts.isStringLiteralLike(argument)) check(node, argument.text, false);
        else violations.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, specifier: '?', reason: 'module name not a string literal' });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return violations;
}
