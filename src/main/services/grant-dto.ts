// An engine grant as the desktop window sees it (src/shared/grants.contract.ts).
import type { Grant } from '../../core/engine/grant-store.js';
import type { GrantDto } from '../../shared/grants.contract.js';

export function toGrantDto(g: Grant): GrantDto {
  return {
    grantId: g.grantId,
    holderType: g.holder.type,
    holderId: g.holder.id,
    holderName: g.holder.name,
    memoryId: g.memoryId,
    level: g.level,
    grantedAt: g.grantedAt,
    expiresAt: g.expiresAt,
    grantedVia: g.grantedVia,
    useCommand: g.purpose ? { commandLine: g.purpose.commandLine ?? [], cwd: g.purpose.cwd ?? '' } : null,
  };
}
