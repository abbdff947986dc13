// `memory-vault anchor …`: signed checkpoints published to NatLangChain ($NATLANGCHAIN_API_URL).
import type { Command } from 'commander';
import { AnchorStore, type AnchorRow } from '../../../node/integrations/anchor-store.js';
import { installAnchoring, queueLatestCheckpoint } from '../../../node/integrations/anchoring-setup.js';
import { NatLangChainAnchor } from '../../../node/integrations/natlangchain-client.js';
import { emit } from '../../io/output.js';
import { withVault, type GlobalOptions } from '../../io/vault-access.js';
import { run } from '../run.js';

const renderRows = (rows: readonly AnchorRow[]): string =>
  rows.length === 0
    ? 'no anchors yet'
    : rows
        .map(
          (r) =>
            `#${r.id} checkpoint ${r.checkpointSize}  ${r.status}  attempts ${r.attempts}${r.receipt.entryId ? `  entry ${r.receipt.entryId}` : ''}${r.receipt.lastError ? `  last error: ${r.receipt.lastError}` : ''}`,
        )
        .join('\n');

export function registerAnchorCommands(program: Command, globals: () => GlobalOptions): void {
  const anchor = program
    .command('anchor')
    .description('Publish signed audit checkpoints to NatLangChain (checkpoint text only, never content)');
  anchor
    .command('status')
    .description('Anchor service health and the stored anchor receipts')
    .action(() =>
      run(globals(), async (g) => {
        const chain = new NatLangChainAnchor();
        const health = await chain.health();
        const rows = await withVault(g, (s) => Promise.resolve(new AnchorStore(s.tables.anchorReceipts).list()));
        emit(g, { anchor: chain.name, health, receipts: rows }, (r) => `${r.anchor}: ${r.health.detail}\n${renderRows(r.receipts)}`);
      }),
    );
  anchor
    .command('retry')
    .description('Queue the newest checkpoint, then post everything pending now and check posted entries')
    .action(() =>
      run(globals(), async (g) => {
        const chain = new NatLangChainAnchor();
        const result = await withVault(g, async (s) => {
          const witness = installAnchoring(s, chain, { background: false });
          try {
            await queueLatestCheckpoint(s, chain);
            const pass = await witness.retryNow();
            return { ...pass, receipts: new AnchorStore(s.tables.anchorReceipts).list(10) };
          } finally {
            witness.stop();
          }
        });
        emit(g, result, (r) => `posted ${r.posted}, failed ${r.failed}, newly anchored ${r.anchored}\n${renderRows(r.receipts)}`);
      }),
    );
}
