// `local/code-layering`: each src layer states what it MAY import; everything else fails.
// Invariant: no module specifier in src/ escapes this check — static imports, `export … from`,
// `import x = require()`, `import('…')` types and expressions, `require()` / `require.resolve()`;
// a specifier that is not a string literal cannot be checked, so it fails too (fail closed).
//
// Why a local rule and not eslint-plugin-boundaries: boundaries classifies files through an
// import resolver, and none installed maps the ESM `./x.js` spelling to `x.ts`; an unresolved
// import is then silently skipped — the leak this rule exists to close. Classifying by path
// (as VS Code's own `local/code-layering` does) needs no resolver.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

/** `node:fs`, `fs` and `fs/promises` all name a built-in; returns the `node:`-prefixed form. */
function builtinName(spec) {
  if (spec.startsWith('node:')) return spec;
  return BUILTINS.has(spec) ? `node:${spec}` : undefined;
}

/** `@scope/pkg/sub/path` → `@scope/pkg`; `electron/main` → `electron`. */
function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Whether an allowlist entry admits a specifier: `x` admits `x` and its subpaths (`x/y`),
 * `x$` admits `x` alone, `@scope/*` every package of the scope.
 */
function listed(list, spec) {
  return list.some((entry) => {
    if (entry.endsWith('$')) return spec === entry.slice(0, -1);
    if (entry.endsWith('/*')) return spec.startsWith(entry.slice(0, -1));
    return spec === entry || spec.startsWith(`${entry}/`);
  });
}

/**
 * The layer a repo-relative path belongs to: the most specific key of `layers` whose directory
 * contains it (so `src/core/common` wins over `src/core`), else undefined.
 */
function layerOf(layers, repoPath) {
  const posix = repoPath.split(sep).join('/');
  let best;
  for (const name of Object.keys(layers)) {
    const dir = layers[name].dir;
    if ((posix === dir || posix.startsWith(`${dir}/`)) && (best === undefined || dir.length > layers[best].dir.length)) best = name;
  }
  return best;
}

/** @type {import('eslint').Rule.RuleModule} */
export const codeLayering = {
  meta: {
    type: 'problem',
    docs: { description: 'Each src layer imports only what its allowlist names (layers, Node built-ins, packages).' },
    schema: [{ type: 'object', additionalProperties: true }],
    messages: {
      denied: "{{layer}} may not import '{{spec}}': {{why}}",
      computed: '{{layer}}: a computed module specifier cannot be checked against the layer allowlist; use a string literal.',
    },
  },
  create(context) {
    const { layers, testFiles, testAllow } = context.options[0];
    const root = context.cwd;
    const file = context.filename;
    const self = layerOf(layers, relative(root, file));
    if (self === undefined) return {};
    const rule = layers[self];
    const isTest = new RegExp(testFiles).test(file);

    function why(spec) {
      // The reason names the arrow that was wrong, so a reader knows where the code belongs.
      const builtin = builtinName(spec);
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const targetPath = relative(root, resolve(dirname(file), spec));
        // Tests beside the code may use the shared test support under tests/.
        if (isTest && targetPath.split(sep)[0] === 'tests') return undefined;
        const target = layerOf(layers, targetPath);
        if (target !== undefined && rule.layers.includes(target)) return undefined;
        return `${rule.dir} may import only ${rule.layers.map((l) => layers[l].dir).join(', ')}. ${rule.message}`;
      }
      if (builtin !== undefined) {
        if (listed(rule.builtins, builtin) || (isTest && listed(testAllow.builtins, builtin))) return undefined;
        return rule.builtins.length === 0
          ? `no Node built-ins here. ${rule.message}`
          : `Node built-ins allowed here: ${rule.builtins.join(', ')}. ${rule.message}`;
      }
      const pkg = packageName(spec);
      if (listed(rule.packages, spec) || (isTest && listed(testAllow.packages, spec))) return undefined;
      if (pkg === 'electron') {
        const own = rule.packages.filter((e) => packageName(e.replace(/\$$/, '')) === 'electron');
        return own.length === 0
          ? 'Only src/main and src/preload may import electron.'
          : `of electron, only ${own.join(', ')} here. ${rule.message}`;
      }
      return `packages allowed here: ${rule.packages.join(', ') || 'none'}. ${rule.message}`;
    }

    function check(node) {
      if (node === null || node === undefined) return;
      const literal = node.type === 'TSLiteralType' ? node.literal : node;
      let spec;
      if (literal.type === 'Literal' && typeof literal.value === 'string') spec = literal.value;
      else if (literal.type === 'TemplateLiteral' && literal.expressions.length === 0) spec = literal.quasis[0].value.cooked;
      if (spec === undefined) {
        context.report({ node, messageId: 'computed', data: { layer: rule.dir } });
        return;
      }
      const reason = why(spec);
      if (reason !== undefined) context.report({ node, messageId: 'denied', data: { layer: rule.dir, spec, why: reason } });
    }

    const isRequire = (callee) =>
      (callee.type === 'Identifier' && callee.name === 'require') ||
      (callee.type === 'MemberExpression' &&
        callee.object.type === 'Identifier' &&
        ((callee.object.name === 'require' && callee.property.name === 'resolve') ||
          (callee.object.name === 'module' && callee.property.name === 'require')));

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => node.source && check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.argument),
      TSExternalModuleReference: (node) => check(node.expression),
      CallExpression: (node) => {
        if (isRequire(node.callee)) check(node.arguments[0] ?? null);
      },
    };
  },
};

export default { rules: { 'code-layering': codeLayering } };
