import { describe, expect, it } from 'vitest';
import { describeRequest, type DisplayedRequest } from './approval-request-text.js';

const base: DisplayedRequest = {
  requestId: '11111111-1111-4111-8111-111111111111',
  level: 3,
  requester: { type: 'agent', id: 'a1', name: 'ops-bot' },
  memory: { id: 'm1', shortId: 'abcd1234', namespace: 'ops', createdBy: 'owner:cli', title: 'db password', tags: [], metadata: {} },
  justification: 'nightly backup',
  environment: 'offline',
  createdAt: 0,
  expiresAt: 60_000,
  grantAllowed: true,
};

describe('the terminal approval text of a use request', () => {
  it('says "to run" with the exact command line, argument boundaries quoted, and the directory', () => {
    const text = describeRequest(
      { ...base, purpose: { commandLine: ['/usr/bin/psql', '-h', 'db.internal', '-c', 'select 1'], cwd: '/srv/app' } },
      0,
    );
    expect(text).toContain("  to run:        `/usr/bin/psql -h db.internal -c 'select 1'`");
    expect(text).toContain('  in directory:  /srv/app');
  });

  it('neutralises control and bidi characters an agent put into an argument', () => {
    const text = describeRequest({ ...base, purpose: { commandLine: ['/usr/bin/psql', '-c', 'x\u001b[2J\u202e'], cwd: '/srv' } }, 0);
    expect(text.includes('\u001b') || text.includes('\u202e')).toBe(false);
    expect(text).toContain('\\x1b[2J\\u202e');
  });

  it('a recall request has no "to run" line', () => {
    expect(describeRequest(base, 0)).not.toContain('to run');
  });
});
