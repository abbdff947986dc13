// Which tables a backup carries and how rows are paged out of them: the store layer's
// vault-copy.ts, re-exported where the backup code (and its tests) look for them.
export { APPEND_ONLY, BACKUP_TABLES, pageRows, type BackupTable } from '../store/vault-copy.js';
