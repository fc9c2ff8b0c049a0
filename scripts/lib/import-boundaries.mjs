// The folder boundaries of the layout, as an ESLint rule (eslint.config.mjs registers it).
// Relative imports are resolved to the file they name, so `../http/server` from src/main/users is
// caught however deep the importing file sits; package imports are left to no-restricted-imports.
import path from 'node:path';

/** Who may not import what. `from` and `to` are folder prefixes relative to the repository root. */
export const BOUNDARIES = [
  {
    from: 'src/main/',
    except: ['src/main/http/', 'src/main/electron/'],
    // Files directly in src/main/ are the entry points (index.ts, server.ts, cli.ts): they wire transports to features.
    onlyInSubfolders: true,
    to: ['src/main/http/', 'src/main/electron/'],
    why: 'features never know which transport called them (src/main/http, src/main/electron); the entry points wire them together',
  },
  { from: 'src/main/http/', to: ['src/main/electron/'], why: 'browser mode never loads the Electron glue' },
  { from: 'src/main/electron/', to: ['src/main/http/'], why: 'the Electron glue never loads browser mode' },
  { from: 'src/main/errors/', to: ['src/main/api/'], why: 'errors sit below every feature and below the API that reports them' },
  {
    from: 'src/renderer/',
    to: ['src/main/', 'src/preload/'],
    why: 'the renderer reaches the main process only through the contract in src/shared and window.api',
  },
  { from: 'src/shared/', to: ['src/main/', 'src/renderer/', 'src/preload/'], why: 'src/shared is imported by both sides and imports neither' },
];

function inFolder(file, folder) {
  return file.startsWith(folder);
}

/**
 * Why `importer` may not import `target` (both paths relative to the repository root, with `/`),
 * or null when it may.
 */
export function boundaryViolation(importer, target, boundaries = BOUNDARIES) {
  for (const rule of boundaries) {
    if (!inFolder(importer, rule.from)) continue;
    if (rule.except?.some((folder) => inFolder(importer, folder))) continue;
    if (rule.onlyInSubfolders && !importer.slice(rule.from.length).includes('/')) continue;
    const forbidden = rule.to.find((folder) => inFolder(target, folder) || `${target}/` === folder);
    if (forbidden) return `${importer.split('/').slice(0, 3).join('/')} may not import ${forbidden}: ${rule.why}.`;
  }
  return null;
}

function toPosix(file) {
  return file.split(path.sep).join('/');
}

/** @type {import('eslint').Rule.RuleModule} */
export const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps imports inside the boundaries between the folders of the layout.' },
    schema: [],
    messages: { boundary: '{{why}}' },
  },
  create(context) {
    const root = context.cwd;
    const importer = toPosix(path.relative(root, context.filename));
    function check(node, source) {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = toPosix(path.relative(root, path.resolve(path.dirname(context.filename), source.value)));
      const why = boundaryViolation(importer, target);
      if (why) context.report({ node: source, messageId: 'boundary', data: { why } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};
