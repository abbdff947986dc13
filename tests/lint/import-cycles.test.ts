// The cycle check (.dependency-cruiser.cjs, run by `npm run lint`) must be able to fail: cruise
// a two-file cycle fixture with the real config and expect exactly that cycle, an orphan fixture
// and expect that orphan, then a one-arrow fixture and expect silence (so a check that reports
// everything fails here too).
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { describe, expect, it } from 'vitest';

async function cruiseFixture(dir: string): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
  const { output } = await cruise([dir], { ...options, validate: true });
  if (typeof output === 'string') throw new Error('dependency-cruiser returned a report string, not a result');
  return output;
}

describe('import cycle check', () => {
  it('reports the two-file cycle as a no-circular error', async () => {
    const { summary } = await cruiseFixture('tests/lint/fixtures/cycle');
    expect(summary.error).toBe(1);
    const [violation] = summary.violations;
    expect(violation?.rule).toEqual({ name: 'no-circular', severity: 'error' });
    expect(violation?.from).toBe('tests/lint/fixtures/cycle/ping.ts');
    expect(violation?.cycle?.map((step) => step.name)).toEqual(['tests/lint/fixtures/cycle/pong.ts', 'tests/lint/fixtures/cycle/ping.ts']);
  });

  it('reports a module nothing imports and that imports nothing as an orphan', async () => {
    const { summary } = await cruiseFixture('tests/lint/fixtures/orphan');
    expect(summary.violations.map((v) => [v.rule.name, v.from])).toEqual([['no-orphans', 'tests/lint/fixtures/orphan/lonely.ts']]);
  });

  it('reports nothing for a fixture whose one import points one way', async () => {
    const { summary } = await cruiseFixture('tests/lint/fixtures/acyclic');
    expect(summary.totalDependenciesCruised).toBe(1);
    expect(summary.violations).toEqual([]);
  });
});
