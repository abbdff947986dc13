// One page of the audit browser: the filter mapped to the repository's, either order, and the
// agent names and memory titles resolved beside the ids the signed events carry. Titles are
// metadata the owner's memory list already shows at every level (content never is), so the
// audit browser shows the same, and nothing for a memory that no longer resolves.
import type { AuditLogService } from '../../core/transparency/audit-log.service.js';
import type { AuditRecordFilter } from '../../core/ports/vault-repository.port.js';
import type { AuditEventDto, AuditFilterDto, AuditOrder, AuditPageDto } from '../../shared/audit.contract.js';
import { toAuditEventDto } from './audit-dto.js';

export interface AuditPageQuery {
  readonly filter?: AuditFilterDto | undefined;
  readonly afterSeq?: number | undefined;
  readonly beforeSeq?: number | undefined;
  readonly order?: AuditOrder | undefined;
  readonly limit: number;
}

/** Where names come from: the agent registry and the memory table of the open session. */
export interface AuditNameSources {
  agentNames(): ReadonlyMap<string, string>;
  memoryTitle(memoryId: string): string | undefined;
}

export function toRecordFilter(filter: AuditFilterDto | undefined): Omit<AuditRecordFilter, 'limit'> {
  if (!filter) return {};
  return {
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.memoryId ? { memoryId: filter.memoryId } : {}),
    ...(filter.fromTs !== undefined ? { fromTs: filter.fromTs } : {}),
    ...(filter.toTs !== undefined ? { toTs: filter.toTs } : {}),
  };
}

export function readAuditPage(log: Pick<AuditLogService, 'list' | 'size'>, names: AuditNameSources, q: AuditPageQuery): AuditPageDto {
  const newest = q.order === 'newest';
  const cursor = newest
    ? q.beforeSeq !== undefined
      ? { beforeSeq: q.beforeSeq, newestFirst: true }
      : { newestFirst: true }
    : q.afterSeq !== undefined
      ? { afterSeq: q.afterSeq }
      : {};
  const records = log.list({ ...toRecordFilter(q.filter), ...cursor, limit: q.limit });
  const last = records.at(-1);
  const more = records.length === q.limit && last !== undefined;
  return {
    events: withNames(records.map(toAuditEventDto), names),
    nextAfterSeq: !newest && more ? last.seq : null,
    nextBeforeSeq: newest && more ? last.seq : null,
    total: log.size(),
  };
}

function withNames(events: AuditEventDto[], names: AuditNameSources): AuditEventDto[] {
  const agents = names.agentNames();
  const titles = new Map<string, string | undefined>();
  const titleOf = (id: string): string | undefined => {
    if (!titles.has(id)) titles.set(id, names.memoryTitle(id));
    return titles.get(id);
  };
  return events.map((e) => {
    const actorName = e.actor.type === 'agent' ? agents.get(e.actor.id) : undefined;
    const memoryTitle = e.memory ? titleOf(e.memory.id) : undefined;
    return { ...e, ...(actorName !== undefined ? { actorName } : {}), ...(memoryTitle !== undefined ? { memoryTitle } : {}) };
  });
}
