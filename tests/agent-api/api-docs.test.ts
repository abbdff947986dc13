// docs/AGENT-API.md against the code (issue 16): its generated reference (methods, MCP tools as a
// client lists them, audit event kinds) is current, and its hand-written sections cover every
// method and every tool that exists — no more "5 tools" when there are 7.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_KINDS } from '../../src/core/events/audit-event.js';
import { METHOD_NAMES } from '../../src/node/agent-api/agent-protocol.js';
import { API_REFERENCE_START, apiReference, withApiReference } from '../../src/node/docs/api-reference.js';

const doc = readFileSync('docs/AGENT-API.md', 'utf8');
const handWritten = doc.slice(0, Math.max(0, doc.indexOf(API_REFERENCE_START)));

describe('docs/AGENT-API.md', () => {
  it('its generated reference is current (npm run docs:api rewrites it)', async () => {
    expect(doc).toContain(API_REFERENCE_START);
    expect(await withApiReference(doc), 'docs/AGENT-API.md is stale: run `npm run docs:api`').toBe(doc);
  });

  it('the hand-written part has a section for every agent-socket method', () => {
    expect(METHOD_NAMES.filter((m) => !handWritten.includes(`### \`${m}\``))).toEqual([]);
  });

  it('the hand-written MCP section names every tool a client lists', async () => {
    const generated = await apiReference();
    const tools = [...generated.matchAll(/^#### `([a-z_]+)`$/gm)].map((m) => m[1] ?? '').filter((t) => !t.includes('.'));
    expect(tools.length).toBeGreaterThanOrEqual(7);
    const mcpPart = handWritten.slice(handWritten.indexOf('## 8. MCP tools'));
    expect(tools.filter((t) => !mcpPart.includes(`\`${t}\``))).toEqual([]);
  });

  it('the generated part lists every audit event kind', async () => {
    const generated = await apiReference();
    for (const k of AUDIT_EVENT_KINDS) expect(generated).toContain(`\`${k}\``);
  });
});
