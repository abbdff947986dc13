// The WHERE clause of a MemoryFilter, shared by listing, search and the permitted-set counts, so
// every path narrows by exactly the same levels, namespaces and tombstone rule.
import { LEVELS } from '../../core/levels.js';
import type { MemoryFilter } from '../../core/ports/vault-repository.port.js';

export interface SqlWhere {
  readonly sql: string;
  readonly params: (string | number)[];
}

export function memoryWhere(filter: MemoryFilter, alias: string): SqlWhere {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const levels = filter.levels.filter((l) => LEVELS.includes(l));
  clauses.push(levels.length ? `${alias}.level IN (${levels.map(() => '?').join(',')})` : '0');
  params.push(...levels);
  if (filter.namespaces !== null) {
    clauses.push(filter.namespaces.length ? `${alias}.namespace IN (${filter.namespaces.map(() => '?').join(',')})` : '0');
    params.push(...filter.namespaces);
  }
  if (!filter.includeTombstoned) clauses.push(`${alias}.tombstoned_at IS NULL`);
  return { sql: clauses.join(' AND '), params };
}
