// Row parsers: the driver hands back `unknown`, and these turn one row into the vault's types or
// refuse it with VAULT_CORRUPT. Hand-written field readers rather than schema objects: memory rows
// are read on every recall and audit hashes by the million during verification, so the check is a
// typeof per column and no allocation beyond the reader itself.
import { VaultError } from '../../core/errors.js';

function malformed(table: string, column: string): VaultError {
  return new VaultError('VAULT_CORRUPT', `A ${table} row has a malformed ${column} column.`);
}

/** Typed access to one named-column row (`SELECT a, b …` without raw()). */
export class RowReader {
  private constructor(
    private readonly row: object,
    private readonly table: string,
  ) {}

  static of(row: unknown, table: string): RowReader {
    if (typeof row !== 'object' || row === null) throw new VaultError('VAULT_CORRUPT', `A ${table} row could not be read.`);
    return new RowReader(row, table);
  }

  private value(column: string): unknown {
    // Reflect.get types its result loosely; it is narrowed by typeof below before any use.
    const v: unknown = Reflect.get(this.row, column);
    return v;
  }

  int(column: string): number {
    const v = this.value(column);
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    throw malformed(this.table, column);
  }

  intOrNull(column: string): number | null {
    return this.value(column) === null ? null : this.int(column);
  }

  text(column: string): string {
    const v = this.value(column);
    if (typeof v === 'string') return v;
    throw malformed(this.table, column);
  }

  textOrNull(column: string): string | null {
    return this.value(column) === null ? null : this.text(column);
  }

  blob(column: string): Buffer {
    const v = this.value(column);
    if (Buffer.isBuffer(v)) return v;
    throw malformed(this.table, column);
  }

  blobOrNull(column: string): Buffer | null {
    return this.value(column) === null ? null : this.blob(column);
  }
}

/** Typed access to one positional row (statements run with raw(true): no object per row). */
export class TupleReader {
  private constructor(
    private readonly row: readonly unknown[],
    private readonly table: string,
  ) {}

  static of(row: unknown, table: string): TupleReader {
    if (!Array.isArray(row)) throw new VaultError('VAULT_CORRUPT', `A ${table} row could not be read.`);
    return new TupleReader(row, table);
  }

  int(i: number): number {
    const v = this.row[i];
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    throw malformed(this.table, `#${i}`);
  }

  blob(i: number): Buffer {
    const v = this.row[i];
    if (Buffer.isBuffer(v)) return v;
    throw malformed(this.table, `#${i}`);
  }
}
