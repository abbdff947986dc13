// Which memory a recall names: a full id, or a short id (the first 8 hex digits `list` and
// `search` print, or any longer hex prefix of the id without dashes). Invariant: a prefix is
// matched only among memories the requester could list (its namespaces and levels), so a short id learns
// nothing a listing would not; a prefix that names two of them is REFERENCE_AMBIGUOUS and never
// resolves to either.
import { parseMemoryId } from '../common/ids.schema.js';
import { VaultError } from '../errors.js';
import type { MemoryRow } from '../model/memory.js';
import { mayReachLevel, mayUseNamespace, type Requester } from '../model/requester.js';
import type { VaultRepository } from '../ports/vault-repository.port.js';

const HEX_PREFIX = /^[0-9a-f]{8,32}$/i;

/** The memory, or undefined when nothing the requester may see matches (the caller answers NOT_FOUND). */
export function resolveRecallTarget(
  repo: Pick<VaultRepository, 'getMemory' | 'findMemoryByShortId'>,
  text: string,
  requester: Requester,
): MemoryRow | undefined {
  const id = parseMemoryId(text);
  if (id !== undefined) {
    const row = repo.getMemory(id);
    return row && mayUseNamespace(requester, row.namespace) ? row : undefined;
  }
  if (!HEX_PREFIX.test(text)) return undefined;
  const prefix = text.toLowerCase();
  const matches = repo
    .findMemoryByShortId(prefix.slice(0, 8))
    .filter(
      (r) => mayUseNamespace(requester, r.namespace) && mayReachLevel(requester, r.level) && r.id.replace(/-/g, '').startsWith(prefix),
    );
  if (matches.length > 1) {
    throw new VaultError(
      'REFERENCE_AMBIGUOUS',
      `The short id ${prefix} matches ${matches.length} memories; use more of the id, or the full id.`,
      { matches: matches.length },
    );
  }
  return matches[0];
}
