// The generated part of docs/AGENT-API.md: every agent-socket method with its parameters, every
// MCP tool as a client sees it (name, description, input JSON Schema), and every audit event
// kind — produced from the zod schemas and the running MCP server, so the document cannot list
// 5 tools when there are 7 again. scripts/update-api-reference.mjs writes it
// (`npm run docs:api`); tests/agent-api/api-docs.test.ts fails when the file is stale.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import { AUDIT_EVENT_KINDS } from '../../core/events/audit-event.js';
import { METHOD_NAMES, methodSchemas } from '../agent-api/agent-protocol.js';
import { buildMcpServer, refusingClient } from '../mcp/mcp-server.js';

export const API_REFERENCE_START = '<!-- api-reference:start (generated: npm run docs:api) -->';
export const API_REFERENCE_END = '<!-- api-reference:end -->';

function schemaBlock(schema: unknown): string {
  return ['```json', JSON.stringify(schema, null, 2), '```'].join('\n');
}

function methodsSection(): string {
  const parts = ['### Agent socket methods (parameters as JSON Schema)', ''];
  for (const m of METHOD_NAMES) {
    const schema = z.toJSONSchema(methodSchemas[m], { io: 'input', unrepresentable: 'any' });
    parts.push(`#### \`${m}\``, '', schemaBlock(schema), '');
  }
  return parts.join('\n');
}

async function mcpSection(): Promise<string> {
  // The tools exactly as an MCP client lists them, from a server with no vault behind it.
  const server = buildMcpServer(refusingClient(new VaultError('VAULT_LOCKED', 'docs')), 'docs');
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'api-reference', version: '1' });
  await server.connect(a);
  await client.connect(b);
  const { tools } = await client.listTools();
  await client.close();
  const parts = [`### MCP tools (${tools.length})`, ''];
  for (const t of [...tools].sort((x, y) => x.name.localeCompare(y.name))) {
    parts.push(`#### \`${t.name}\``, '', t.description ?? '', '', schemaBlock(t.inputSchema), '');
  }
  return parts.join('\n');
}

function auditSection(): string {
  return [`### Audit event kinds (${AUDIT_EVENT_KINDS.length})`, '', AUDIT_EVENT_KINDS.map((k) => `\`${k}\``).join(', '), ''].join('\n');
}

export async function apiReference(): Promise<string> {
  return [API_REFERENCE_START, '', methodsSection(), await mcpSection(), auditSection(), API_REFERENCE_END].join('\n');
}

/** The document with its generated block replaced, or appended as a last section when missing. */
export async function withApiReference(doc: string): Promise<string> {
  const block = await apiReference();
  const a = doc.indexOf(API_REFERENCE_START);
  const b = doc.indexOf(API_REFERENCE_END);
  if (a < 0 || b < a) return `${doc.trimEnd()}\n\n## 9. Generated reference\n\n${block}\n`;
  return `${doc.slice(0, a)}${block}${doc.slice(b + API_REFERENCE_END.length)}`;
}
