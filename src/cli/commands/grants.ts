// `memory-vault grants list|revoke`: the level-3 grants ("let this agent recall this memory for
// N minutes") of a running server. Grants live only in that server's memory, so with no server
// holding the vault there are none. Answers from the owner socket are parsed, never cast.
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { grantSchema, type Grant } from '../../core/engine/grant-store.js';
import { VaultError } from '../../core/errors.js';
import { shortIdOf } from '../../core/model/memory.js';
import { neutraliseLine } from '../../core/text/terminal-text.js';
import { commandLineText } from '../../core/common/command-line-text.js';
import { OWNER_SOCKET } from '../../node/agent-api/vault-server.js';
import { resolveVaultDir } from '../../node/vault/vault-paths.js';
import { emit } from '../io/output.js';
import { withOwnerChannel } from '../io/owner-channel.js';
import type { GlobalOptions } from '../io/vault-access.js';
import { run } from './run.js';

const grantListSchema = z.array(grantSchema).max(100_000);

export function describeGrant(g: Grant): string {
  const who =
    g.holder.type === 'agent'
      ? `agent ${neutraliseLine(g.holder.name)} (${g.holder.id})`
      : `${g.holder.type} ${neutraliseLine(g.holder.id)}`;
  // Issue 19: a use-only grant covers one command line, never recall.
  const covers = g.purpose
    ? `use only, to run \`${neutraliseLine(commandLineText(g.purpose.commandLine ?? []))}\` (command ${g.purpose.commandDigest.slice(0, 12)})`
    : 'recall';
  return `${g.grantId}  ${who}  memory ${shortIdOf(g.memoryId)} (level ${g.level})  ${covers}  until ${new Date(g.expiresAt).toISOString()}  approved via ${neutraliseLine(g.grantedVia)}`;
}

function socketOf(g: GlobalOptions): string {
  return join(resolveVaultDir(g.vault), OWNER_SOCKET);
}

export function registerGrantCommands(program: Command, globals: () => GlobalOptions): void {
  const grants = program.command('grants').description('Level-3 grants of a running server: list them, revoke one');
  grants
    .command('list')
    .description('List live grants (agent, memory, until when)')
    .action(() =>
      run(globals(), async (g) => {
        const r = await withOwnerChannel(g, socketOf(g), async (c) => grantListSchema.parse(await c.call<unknown>('grants.list')));
        // No server holds the vault: grants exist only in a server's memory, so there are none.
        const list = r.used ? r.value : [];
        emit(g, list, (l) => (l.length ? l.map(describeGrant).join('\n') : 'No active grants.'));
      }),
    );
  grants
    .command('revoke <grantId>')
    .description('Revoke one grant now (audited as grant.revoke); the agent must ask again')
    .action((grantId: string) =>
      run(globals(), async (g) => {
        if (!z.string().uuid().safeParse(grantId).success)
          throw new VaultError('INVALID_INPUT', 'A grant id is a UUID, as `memory-vault grants list` shows it.');
        const r = await withOwnerChannel(g, socketOf(g), async (c) =>
          grantSchema.parse(await c.call<unknown>('grants.revoke', { grantId })),
        );
        if (!r.used) throw new VaultError('NOT_FOUND', 'No server holds this vault, so no grant is active.');
        emit(g, r.value, (x) => `Revoked grant ${x.grantId} (${describeGrant(x)}).`);
      }),
    );
}
