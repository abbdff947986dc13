// The table modules of the node-side features (agents, hardware keys, escrows, intents, effort,
// anchoring, a rotation's view of memories), built over one connection. The session hands these
// to feature code instead of the connection, so every statement a feature runs is one of the
// typed, prepared statements below src/node/store. Modules are built on first use: a CLI command
// touching one table prepares only that table's statements.
import { agentsTable, type AgentsTable } from './agents.table.js';
import { anchorReceiptsTable, type AnchorReceiptsTable } from './anchor-receipts.table.js';
import { effortReceiptsTable, type EffortReceiptsTable } from './effort-receipts.table.js';
import { effortSegmentsTable, type EffortSegmentsTable } from './effort-segments.table.js';
import type { SqliteDatabase } from './encrypted-database.js';
import { escrowsTable, type EscrowsTable } from './escrows.table.js';
import { hardwareKeysTable, type HardwareKeysTable } from './hardware-keys.table.js';
import { memoryIntentsTable, type MemoryIntentsTable } from './memory-intents.table.js';
import { memoryKeysTable, type MemoryKeysTable } from './memory-keys.table.js';

export interface FeatureTables {
  readonly agents: AgentsTable;
  readonly anchorReceipts: AnchorReceiptsTable;
  readonly effortReceipts: EffortReceiptsTable;
  readonly effortSegments: EffortSegmentsTable;
  readonly escrows: EscrowsTable;
  readonly hardwareKeys: HardwareKeysTable;
  readonly memoryIntents: MemoryIntentsTable;
  readonly memoryKeys: MemoryKeysTable;
}

export function openFeatureTables(db: SqliteDatabase): FeatureTables {
  let agents: AgentsTable | undefined;
  let anchorReceipts: AnchorReceiptsTable | undefined;
  let effortReceipts: EffortReceiptsTable | undefined;
  let effortSegments: EffortSegmentsTable | undefined;
  let escrows: EscrowsTable | undefined;
  let hardwareKeys: HardwareKeysTable | undefined;
  let memoryIntents: MemoryIntentsTable | undefined;
  let memoryKeys: MemoryKeysTable | undefined;
  return {
    get agents() {
      return (agents ??= agentsTable(db));
    },
    get anchorReceipts() {
      return (anchorReceipts ??= anchorReceiptsTable(db));
    },
    get effortReceipts() {
      return (effortReceipts ??= effortReceiptsTable(db));
    },
    get effortSegments() {
      return (effortSegments ??= effortSegmentsTable(db));
    },
    get escrows() {
      return (escrows ??= escrowsTable(db));
    },
    get hardwareKeys() {
      return (hardwareKeys ??= hardwareKeysTable(db));
    },
    get memoryIntents() {
      return (memoryIntents ??= memoryIntentsTable(db));
    },
    get memoryKeys() {
      return (memoryKeys ??= memoryKeysTable(db));
    },
  };
}
