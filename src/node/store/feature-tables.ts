// The table modules of the node-side features (agents, hardware keys, escrows, intents, effort,
// anchoring, a rotation's view of memories), built over one connection. The session hands these
// to feature code instead of the connection, so every statement a feature runs is one of the
// typed, prepared statements below src/node/store. Modules are built on first use: a CLI command
// touching one table prepares only that table's statements.
import { AgentCommandsTable } from './agent-commands.table.js';
import { agentsTable, type AgentsTable } from './agents.table.js';
import { anchorReceiptsTable, type AnchorReceiptsTable } from './anchor-receipts.table.js';
import { effortReceiptsTable, type EffortReceiptsTable } from './effort-receipts.table.js';
import { effortSegmentsTable, type EffortSegmentsTable } from './effort-segments.table.js';
import type { SqliteDatabase } from './encrypted-database.js';
import { escrowsTable, type EscrowsTable } from './escrows.table.js';
import { hardwareKeysTable, type HardwareKeysTable } from './hardware-keys.table.js';
import { memoryIntentsTable, type MemoryIntentsTable } from './memory-intents.table.js';
import { memoryKeysTable, type MemoryKeysTable } from './memory-keys.table.js';
import { vaultConnection, type VaultConnection } from './vault-connection.js';
import { vaultCopySource, type VaultCopySource } from './vault-copy.js';

export interface FeatureTables {
  readonly agentCommands: AgentCommandsTable;
  readonly agents: AgentsTable;
  readonly anchorReceipts: AnchorReceiptsTable;
  readonly effortReceipts: EffortReceiptsTable;
  readonly effortSegments: EffortSegmentsTable;
  readonly escrows: EscrowsTable;
  readonly hardwareKeys: HardwareKeysTable;
  readonly memoryIntents: MemoryIntentsTable;
  readonly memoryKeys: MemoryKeysTable;
  /** Not a table: rekey and WAL checkpoint, which no transaction can hold. */
  readonly connection: VaultConnection;
  /** Not a table: every backed-up table's rows, paged, for the backup writer. */
  readonly vaultCopy: VaultCopySource;
}

/** `afterRekey`: what the connection's owner must drop once the file is under a new key (cached rows). */
export function openFeatureTables(db: SqliteDatabase, afterRekey?: () => void): FeatureTables {
  let agentCommands: AgentCommandsTable | undefined;
  let agents: AgentsTable | undefined;
  let anchorReceipts: AnchorReceiptsTable | undefined;
  let effortReceipts: EffortReceiptsTable | undefined;
  let effortSegments: EffortSegmentsTable | undefined;
  let escrows: EscrowsTable | undefined;
  let hardwareKeys: HardwareKeysTable | undefined;
  let memoryIntents: MemoryIntentsTable | undefined;
  let memoryKeys: MemoryKeysTable | undefined;
  let connection: VaultConnection | undefined;
  let vaultCopy: VaultCopySource | undefined;
  return {
    get agentCommands() {
      return (agentCommands ??= new AgentCommandsTable(db));
    },
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
    get connection() {
      return (connection ??= vaultConnection(db, afterRekey));
    },
    get vaultCopy() {
      return (vaultCopy ??= vaultCopySource(db));
    },
  };
}
