// The heirs of a dead-man switch: a name each and the age recipient (age1…) their package is
// sealed to. Main checks both against the same schema the CLI uses.
import { Button } from '../../components/button.js';

export interface HeirDraft {
  readonly name: string;
  readonly recipient: string;
}

const MAX_HEIRS = 32;

export function HeirRows({ heirs, onChange }: { heirs: readonly HeirDraft[]; onChange: (next: HeirDraft[]) => void }) {
  const set = (i: number, patch: Partial<HeirDraft>) => onChange(heirs.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  return (
    <>
      {heirs.map((h, i) => (
        <div key={i} className="heir-row">
          <input
            aria-label={`Heir ${i + 1} name`}
            placeholder="name"
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            value={h.name}
            onChange={(e) => set(i, { name: e.target.value })}
          />
          <input
            aria-label={`Heir ${i + 1} age recipient`}
            placeholder="age1…"
            autoComplete="off"
            spellCheck={false}
            maxLength={62}
            className="heir-recipient"
            value={h.recipient}
            onChange={(e) => set(i, { recipient: e.target.value })}
          />
          {heirs.length > 1 && (
            <Button variant="ghost" aria-label={`Remove heir ${i + 1}`} onClick={() => onChange(heirs.filter((_h, j) => j !== i))}>
              Remove
            </Button>
          )}
        </div>
      ))}
      {heirs.length < MAX_HEIRS && (
        <Button variant="ghost" onClick={() => onChange([...heirs, { name: '', recipient: '' }])}>
          Add an heir
        </Button>
      )}
    </>
  );
}
