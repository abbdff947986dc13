// What the boundary provider attested for this request, shown in the approval dialog. A request
// reaches the dialog only when the environment permitted it (a refusal is an inbox entry, never
// a dialog), so for levels 4–5 this is the attestation the release rests on. The text comes from
// outside the vault (a boundary daemon): neutralised like agent text.
import { neutraliseLine } from '../../../shared/agent-text.js';

export function EnvironmentVerdict({ level, environment }: { level: number; environment: string }) {
  if (level < 4) return <dd data-testid="approval-environment">{neutraliseLine(environment)}</dd>;
  return (
    <dd className="env-verdict" data-testid="approval-environment">
      <strong>Permitted</strong> — attested by the boundary provider: {neutraliseLine(environment)}
    </dd>
  );
}
