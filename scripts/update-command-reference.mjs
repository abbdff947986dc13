// Rewrites the README's generated command list from the built CLI (dist/): `npm run docs:commands`.
import { readFileSync, writeFileSync } from 'node:fs';
const { buildProgram } = await import('../dist/cli/main.js');
const { withCommandReference } = await import('../dist/cli/io/command-reference.js');
const before = readFileSync('README.md', 'utf8');
const after = withCommandReference(before, buildProgram());
if (after === before) console.log('README command reference: up to date (or markers missing)');
else {
  writeFileSync('README.md', after);
  console.log('README command reference: rewritten');
}
