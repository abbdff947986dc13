import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rule must be able to fail: lint synthetic files placed in each layer.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/code-layering').map((m) => m.message);
}

describe('import layering lint rule', () => {
  it('fails a core file that imports electron', async () => {
    const messages = await restrictedImportMessages('src/core/probe.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(messages.join('\n')).toMatch(/Only src\/main and src\/preload may import electron/);
  });

  it('fails a core file that reaches outward into node/ or cli/', async () => {
    const toNode = await restrictedImportMessages('src/core/probe.ts', "import { x } from '../node/store.js';\nexport const y = x;\n");
    const toCli = await restrictedImportMessages(
      'src/core/engine/probe.ts',
      "import { x } from '../../cli/main.js';\nexport const y = x;\n",
    );
    expect(toNode).toHaveLength(1);
    expect(toCli).toHaveLength(1);
  });

  it('fails a renderer file that imports node built-ins or the core', async () => {
    const fs = await restrictedImportMessages(
      'src/renderer/probe.ts',
      "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n",
    );
    const core = await restrictedImportMessages('src/renderer/probe.ts', "import { x } from '../core/vault.js';\nexport const y = x;\n");
    expect(fs).toHaveLength(1);
    expect(core).toHaveLength(1);
  });

  it('allows electron in src/main and core imports from src/node', async () => {
    expect(await restrictedImportMessages('src/main/probe.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
    expect(await restrictedImportMessages('src/node/probe.ts', "import { x } from '../core/vault.js';\nexport const y = x;\n")).toEqual([]);
  });
});
