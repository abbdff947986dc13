import { levelName } from '../../shared/levels.js';

export function LevelBadge({ level }: { level: number }) {
  return (
    <span className={`level-badge level-${level}`} title={`Classification level ${level}`}>
      L{level} · {levelName(level)}
    </span>
  );
}
