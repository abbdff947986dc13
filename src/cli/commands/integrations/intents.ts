// `memory-vault intent …`: IntentLog links between intents and memories.
import type { Command } from 'commander';
import { IntentLinks, type IntentLink } from '../../../node/integrations/intent-links.js';
import type { VaultSession } from '../../../node/vault/vault-session.js';
import { emit } from '../../io/output.js';
import { withVault, type GlobalOptions } from '../../io/vault-access.js';
import { run } from '../run.js';

const linksOf = (s: VaultSession): IntentLinks => new IntentLinks(s.tables.memoryIntents, s.engine);
const renderLinks = (rows: IntentLink[]): string =>
  rows.length === 0
    ? 'no links'
    : rows
        .map((l) => `${l.shortId}  L${l.level}  ${l.intentRef}  ${l.source}${l.tombstoned ? ' (tombstoned)' : ''}  ${l.title}`)
        .join('\n');

export function registerIntentCommands(program: Command, globals: () => GlobalOptions): void {
  const intent = program.command('intent').description('IntentLog links between intents and memories');
  intent
    .command('link <memory> <intentRef>')
    .description('Link a memory to an IntentLog intent')
    .action((memory: string, ref: string) =>
      run(globals(), async (g) =>
        emit(g, await withVault(g, (s) => linksOf(s).link(s.engine.describe(memory).id, ref)), (r) =>
          r.linked ? 'linked' : 'already linked',
        ),
      ),
    );
  intent
    .command('unlink <memory> <intentRef>')
    .description("Remove a link (a memory's store-time intent reference stays)")
    .action((memory: string, ref: string) =>
      run(globals(), async (g) =>
        emit(g, await withVault(g, (s) => linksOf(s).unlink(s.engine.describe(memory).id, ref)), (r) =>
          r.unlinked ? 'unlinked' : 'was not linked',
        ),
      ),
    );
  intent
    .command('memories <intentRef>')
    .description('Memories linked to an intent')
    .action((ref: string) =>
      run(globals(), async (g) => emit(g, await withVault(g, (s) => Promise.resolve(linksOf(s).memoriesOf(ref))), renderLinks)),
    );
  intent
    .command('of <memory>')
    .description('Intents a memory is linked to')
    .action((memory: string) =>
      run(globals(), async (g) =>
        emit(g, await withVault(g, (s) => Promise.resolve(linksOf(s).intentsOf(s.engine.describe(memory).id))), renderLinks),
      ),
    );
}
