// Threat: secrets in logs. Run the server with debug logging to a file, drive every error path
// we can reach with canary content, passphrases, tokens and justifications, then scan the log.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { OwnerClient } from '../../src/node/agent-api/owner-client.js';
import { startVaultServer } from '../../src/node/agent-api/vault-server.js';
import { createLogger } from '../../src/node/logging/logger.js';
import { newVault, passphrase } from '../support/vault-fixture.js';

const canary = (tag: string) => `CANARY-${tag}-${randomBytes(8).toString('hex')}`;
const logDir = mkdtempSync(join(tmpdir(), 'mv-logs-'));
afterAll(() => rmSync(logDir, { recursive: true, force: true }));

describe('no secrets in logs', () => {
  it('content, tokens, passphrases and justifications never reach the log, on success or error paths', async () => {
    const file = join(logDir, 'server.log');
    const logger = createLogger({ destination: { file }, level: 'debug' });
    const v = await newVault({ config: { approvalTimeoutMs: 200 } });
    const server = await startVaultServer(v.session, { logger, ownerCredential: passphrase });
    const secrets = {
      content: canary('CONTENT'),
      title: canary('TITLE'),
      justification: canary('WHY'),
      passphrase: canary('PASS'),
      badToken: `mvt_${canary('TOKEN')}`,
    };
    const { token } = server.registry.create({ name: 'logged', maxLevel: 3, namespaces: null, expiresAt: null });
    const client = await AgentClient.connect({ socketPath: server.agentSocket, token });
    const m = await client.store({ content: secrets.content, level: 1, title: secrets.title, metadata: { note: secrets.content } });
    await client.recall(m.id, secrets.justification);
    const sealed = await client.store({ content: secrets.content, level: 3, title: secrets.title });
    const pending = await client.recall(sealed.id, secrets.justification);
    if (pending.status === 'pending') await client.wait(pending.requestId, 2_000).catch(() => undefined); // expires
    await client.store({ content: secrets.content, level: 5, title: secrets.title }).catch(() => undefined); // FORBIDDEN
    await client.store({ content: secrets.content, level: 1, title: '' }).catch(() => undefined); // invalid params
    await client.search(secrets.content).catch(() => undefined);
    await AgentClient.connect({ socketPath: server.agentSocket, token: secrets.badToken }).catch(() => undefined);
    await new Promise<void>((resolve) => {
      const s = connect(server.agentSocket);
      s.write(`{"jsonrpc":"2.0","id":1,"method":"memory.store","params":{"content":"${secrets.content}"}}\nnot json ${secrets.content}\n`);
      setTimeout(() => {
        s.destroy();
        resolve();
      }, 100);
    });
    const owner = await OwnerClient.tryConnect(server.ownerSocket);
    await owner?.login(secrets.passphrase).catch(() => undefined);
    owner?.close();
    client.close();
    await server.close();
    v.session.close();
    v.remove();
    const log = readFileSync(file, 'utf8');
    expect(log.split('\n').filter(Boolean).length).toBeGreaterThan(5);
    expect(log).toContain('rpc.refused');
    for (const [name, value] of Object.entries(secrets)) expect({ name, found: log.includes(value) }).toEqual({ name, found: false });
    expect(log).not.toContain(token);
  });

  it('agent-supplied text (names, tags, metadata keys and values, namespace, refused titles with escapes, justifications, unknown method names) never reaches the log', async () => {
    const file = join(logDir, 'agent-text.log');
    const logger = createLogger({ destination: { file }, level: 'debug' });
    const v = await newVault({ config: { approvalTimeoutMs: 200 } });
    const server = await startVaultServer(v.session, { logger, ownerCredential: passphrase });
    const words = {
      name: canary('NAME'),
      tag: canary('TAG'),
      metaKey: canary('METAKEY'),
      metaValue: canary('METAVAL'),
      namespace: canary('NS').toLowerCase(),
      title: canary('ESCTITLE'),
      why: canary('WHY'),
      method: canary('METHOD'),
      query: canary('QUERY'),
    };
    const { token } = server.registry.create({ name: words.name, maxLevel: 3, namespaces: null, expiresAt: null });
    const client = await AgentClient.connect({ socketPath: server.agentSocket, token });
    const m = await client.store({
      content: 'x',
      level: 3,
      title: 'plain',
      namespace: words.namespace,
      tags: [words.tag],
      metadata: { [words.metaKey]: words.metaValue },
    });
    await client.store({ content: 'x', level: 1, title: `\u001b[2J${words.title}` }).catch(() => undefined); // INVALID_INPUT
    const pending = await client.recall(m.id, `\u001b[1A${words.why}`);
    if (pending.status === 'pending') await client.wait(pending.requestId, 2_000).catch(() => undefined); // expires
    await client.search(words.query).catch(() => undefined);
    await new Promise<void>((resolve) => {
      const s = connect(server.agentSocket);
      s.write(`{"jsonrpc":"2.0","id":1,"method":"${words.method}","params":{}}\n`);
      setTimeout(() => {
        s.destroy();
        resolve();
      }, 100);
    });
    client.close();
    await server.close();
    v.session.close();
    v.remove();
    const log = readFileSync(file, 'utf8');
    expect(log).toContain('rpc.refused'); // the refused store was logged: by its code, not its words
    expect(log).toContain('"event":"approval"');
    for (const [name, value] of Object.entries(words))
      expect({ name, found: log.toLowerCase().includes(value.toLowerCase()) }).toEqual({ name, found: false });
    expect(log).not.toContain('\\u001b');
  });
});
