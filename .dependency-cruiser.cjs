// Cycle check for src/ (issue 18 item 6), run by `npm run lint`. Layer direction is the ESLint
// rule's job (eslint/code-layering.js); this file only forbids import cycles, which a per-file
// lint cannot see, and orphan modules. No exceptions: a cycle is broken at its seam, not listed here.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import cycle ties modules into one unit that cannot be tested, loaded or reasoned about apart; break it at the seam (a port or a smaller module).',
      from: {},
      // Type-only edges count too: a cycle of types is still one design unit.
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports and that imports nothing is dead code (or a file not wired in yet).',
      from: { orphan: true, pathNot: ['\\.d\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Test files import their subject; they are leaves and cannot close a production cycle.
    exclude: { path: '\\.test\\.tsx?$' },
    // Count `import type` edges as well as the ones that survive compilation.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
