// Resolving a reference to one memory. Invariant: an agent learns nothing through a reference it
// could not learn by listing — outside its namespaces, or a title above its level, is NOT_FOUND,
// the same answer as a reference to nothing; a prefix or title that names two memories is
// REFERENCE_AMBIGUOUS and never resolves to either (the first match is not a guess we make).
import { parseMemoryId } from '../common/ids.schema.js';
import { VaultError } from '../errors.js';
import { LEVELS } from '../levels.js';
import type { MemoryRow } from '../model/memory.js';
import { mayReachLevel, mayUseNamespace, type Requester } from '../model/requester.js';
import type { VaultRepository } from '../ports/vault-repository.port.js';
import { formatMemoryRef, type MemoryRef } from './memory-ref.js';

export type MemoryLookup = Pick<VaultRepository, 'getMemory' | 'findMemoryByShortId' | 'listMemories'>;

const TITLE_PAGE = 500;

const notFound = () => new VaultError('NOT_FOUND', 'No memory matches this reference.');

function ambiguous(ref: MemoryRef, n: number): VaultError {
  const what = ref.target.kind === 'id' ? 'id prefix' : 'title';
  return new VaultError(
    'REFERENCE_AMBIGUOUS',
    `This ${what} matches ${n} memories in the namespace; use the full id (memory-vault ref <id>).`,
    { matches: n },
  );
}

export function resolveMemoryRef(lookup: MemoryLookup, ref: MemoryRef, requester: Requester): MemoryRow {
  if (!mayUseNamespace(requester, ref.namespace)) throw notFound();
  const target = ref.target;
  if (target.kind === 'id') {
    if (target.id.includes('-')) {
      const id = parseMemoryId(target.id);
      const row = id === undefined ? undefined : lookup.getMemory(id);
      if (!row || row.namespace !== ref.namespace) throw notFound();
      return row;
    }
    const matches = lookup
      .findMemoryByShortId(target.id.slice(0, 8))
      .filter((r) => r.namespace === ref.namespace && r.id.replace(/-/g, '').startsWith(target.id));
    if (matches.length > 1) throw ambiguous(ref, matches.length);
    const [only] = matches;
    if (!only) throw notFound();
    return only;
  }
  const levels = LEVELS.filter((l) => mayReachLevel(requester, l));
  const matches: MemoryRow[] = [];
  for (let offset = 0; ; offset += TITLE_PAGE) {
    const page = lookup.listMemories({ levels, namespaces: [ref.namespace], includeTombstoned: false, limit: TITLE_PAGE, offset });
    for (const r of page) if (r.title === target.title) matches.push(r);
    if (page.length < TITLE_PAGE) break;
  }
  if (matches.length > 1) throw ambiguous(ref, matches.length);
  const [only] = matches;
  if (!only) throw notFound();
  return only;
}

/** For messages and logs: the reference's canonical text (it names a memory, never its content). */
export const refText = formatMemoryRef;
