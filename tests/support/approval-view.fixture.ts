// One pending approval request as the broker reports it, for tests of what the desktop shows
// and sends about it (notification text, attention and reminders).
import type { ApprovalView } from '../../src/core/approvals/approval-broker.js';
import { memoryIdSchema } from '../../src/core/common/ids.schema.js';
import type { Level } from '../../src/core/levels.js';

export interface ApprovalViewFields {
  readonly requestId?: string;
  readonly level?: Level;
  readonly title?: string;
  readonly agentName?: string;
  readonly justification?: string;
  readonly createdAt?: number;
  readonly expiresAt?: number;
}

export function approvalViewFixture(f: ApprovalViewFields = {}): ApprovalView {
  const level = f.level ?? 3;
  return {
    requestId: f.requestId ?? '11111111-1111-4111-8111-111111111111',
    state: 'pending',
    memory: {
      id: memoryIdSchema.parse('0b9d5f0a-3c3e-4d5a-8f21-6a7b8c9d0e1f'),
      shortId: '0b9d5f0a',
      namespace: 'default',
      level,
      title: f.title ?? 'Launch codes',
      tags: [],
      metadata: {},
      intentRef: null,
      createdAt: '2030-01-01T00:00:00.000Z',
      createdBy: 'owner',
      expiresAt: null,
      cooldownSeconds: 0,
      tombstoned: false,
      size: 1,
    },
    level,
    requester: { type: 'agent', id: 'agent-1', name: f.agentName ?? 'Research Bot' },
    justification: f.justification ?? 'the justification never goes on a notification',
    environment: 'local',
    createdAt: f.createdAt ?? 0,
    expiresAt: f.expiresAt ?? 60_000,
    grantAllowed: level === 3,
    decidedBy: null,
    digest: 'ab'.repeat(32),
  };
}
