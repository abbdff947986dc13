// One probe per gap the old denylist let through (issue 18 item 6): each synthetic file sits in
// the layer it claims (lintText's filePath) and must fail `local/code-layering`; each gap has an
// allowed twin beside it, so a rule that fails everything cannot pass these tests either.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layeringMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const fatal = (result?.messages ?? []).filter((m) => m.fatal === true);
  // A parse error would also yield "no layering message": make it loud instead.
  expect(fatal.map((m) => m.message)).toEqual([]);
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/code-layering').map((m) => m.message);
}

describe('layering lint: the gaps of the old denylist now fail', () => {
  it('fails a dynamic import() of electron in core', async () => {
    const messages = await layeringMessages('src/core/probe.ts', "export const load = () => import('electron');\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/Only src\/main and src\/preload may import electron/);
  });

  it('fails an electron/* subpath in core, and allows it in main', async () => {
    const code = "import { app } from 'electron/main';\nexport const x = app;\n";
    const messages = await layeringMessages('src/core/engine/probe.ts', code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/'electron\/main'.*Only src\/main and src\/preload may import electron/);
    expect(await layeringMessages('src/main/probe.ts', code)).toEqual([]);
    // The sandboxed preload gets the renderer side of electron only.
    expect(await layeringMessages('src/preload/probe.ts', code)).toHaveLength(1);
    expect(
      await layeringMessages('src/preload/probe.ts', "import { ipcRenderer } from 'electron/renderer';\nexport const x = ipcRenderer;\n"),
    ).toEqual([]);
  });

  it('fails a bare built-in (fs, not node:fs) in the renderer', async () => {
    const messages = await layeringMessages(
      'src/renderer/features/probe.tsx',
      "import { readFileSync } from 'fs';\nexport const y = readFileSync;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/src\/renderer may not import 'fs': no Node built-ins here/);
  });

  it('fails node:child_process (and a bare child_process) in core, which may use node:crypto', async () => {
    const prefixed = await layeringMessages('src/core/probe.ts', "import { spawn } from 'node:child_process';\nexport const y = spawn;\n");
    const bare = await layeringMessages('src/core/probe.ts', "import { spawn } from 'child_process';\nexport const y = spawn;\n");
    expect(prefixed).toHaveLength(1);
    expect(prefixed[0]).toMatch(/src\/core may not import 'node:child_process'/);
    expect(bare).toHaveLength(1);
    expect(
      await layeringMessages('src/core/probe.ts', "import { createHash } from 'node:crypto';\nexport const y = createHash;\n"),
    ).toEqual([]);
  });

  it('fails main importing bench, which bench itself may do', async () => {
    const messages = await layeringMessages('src/main/probe.ts', "import { x } from '../bench/run.js';\nexport const y = x;\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/src\/main may not import '\.\.\/bench\/run\.js'/);
    expect(await layeringMessages('src/bench/probe.ts', "import { x } from './run.js';\nexport const y = x;\n")).toEqual([]);
  });

  it('fails shared importing core outside core/common, and allows core/common', async () => {
    const outside = await layeringMessages(
      'src/shared/probe.contract.ts',
      "import { x } from '../core/engine/vault.js';\nexport const y = x;\n",
    );
    expect(outside).toHaveLength(1);
    expect(outside[0]).toMatch(/src\/shared may import only src\/shared, src\/core\/common/);
    expect(
      await layeringMessages('src/shared/probe.contract.ts', "import { x } from '../core/common/terminal-text.js';\nexport const y = x;\n"),
    ).toEqual([]);
  });
});

describe('layering lint: every way to name a module is checked', () => {
  it('fails require(), export-from, export-star and import-type forms that cross a layer', async () => {
    const file = 'src/core/probe.ts';
    expect(await layeringMessages(file, "export const x = require('node:fs');\n")).toHaveLength(1);
    expect(await layeringMessages(file, "export { x } from '../node/store.js';\n")).toHaveLength(1);
    expect(await layeringMessages(file, "export * from '../cli/main.js';\n")).toHaveLength(1);
    expect(await layeringMessages(file, "export type T = typeof import('../node/store.js');\n")).toHaveLength(1);
    expect(await layeringMessages(file, "import type { Server } from 'node:net';\nexport type S = Server;\n")).toHaveLength(1);
    expect(await layeringMessages(file, "import net = require('node:net');\nexport const y = net;\n")).toHaveLength(1);
    expect(await layeringMessages(file, "export const p = require.resolve('electron');\n")).toHaveLength(1);
    expect(await layeringMessages(file, "export * as main from '../main/index.js';\n")).toHaveLength(1);
    expect(await layeringMessages(file, "import '../renderer/styles.css';\n")).toHaveLength(1);
  });

  it('fails a computed specifier it cannot check', async () => {
    const messages = await layeringMessages('src/node/probe.ts', 'export const load = (name: string) => import(`./${name}.js`);\n');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/computed module specifier/);
  });

  it('fails node importing the CLI and a package no layer list names', async () => {
    expect(await layeringMessages('src/node/probe.ts', "import { x } from '../cli/main.js';\nexport const y = x;\n")).toHaveLength(1);
    expect(await layeringMessages('src/core/probe.ts', "import left from 'left-pad';\nexport const y = left;\n")).toHaveLength(1);
  });

  it('lets a test beside the code use vitest and test support, but not production code', async () => {
    const code = "import { it } from 'vitest';\nimport { f } from '../../tests/support/fuzz.js';\nexport const y = [it, f];\n";
    expect(await layeringMessages('src/core/probe.test.ts', code)).toEqual([]);
    expect(await layeringMessages('src/core/probe.ts', code)).toHaveLength(2);
  });
});
