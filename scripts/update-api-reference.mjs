// Rewrites the generated part of docs/AGENT-API.md from the built code (dist/): `npm run docs:api`.
import { readFileSync, writeFileSync } from 'node:fs';
const { withApiReference } = await import('../dist/node/docs/api-reference.js');
const before = readFileSync('docs/AGENT-API.md', 'utf8');
const after = await withApiReference(before);
if (after === before) console.log('docs/AGENT-API.md generated reference: up to date');
else {
  writeFileSync('docs/AGENT-API.md', after);
  console.log('docs/AGENT-API.md generated reference: rewritten');
}
