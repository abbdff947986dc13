// `npm run bench [-- --quick] [--sizes 1000,100000] [--out FILE] [--compare EARLIER.json]`: the
// engine benchmark, the log and socket benchmark, agents under mixed load (owner work, idle
// connections), then serve's RSS with 100 agents at work — each in its own process so one's heap
// and caches do not colour the other's figures. Their reports are merged into one file (default
// bench-results.json) whose figures carry their same-run ceilings and ratios; `--compare` then
// prints the change against an earlier such file. `--compare EARLIER --report LATER` compares two
// files without running.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareReports, readReport, renderComparison } from './bench-compare.js';
import { parseAllArgs, type AllArgs } from './all-args.js';
import { combinedReportSchema, type CombinedReport } from './bench-report.js';

const here = dirname(fileURLToPath(import.meta.url));
const PARTS = [
  { name: 'engine', script: 'run.js' },
  { name: 'logAndSocket', script: 'log-and-socket.js' },
  { name: 'mixedLoad', script: 'mixed-load.js' },
  { name: 'agentsRss', script: 'agents-rss.js' },
] as const;

function runParts(args: AllArgs): { report: CombinedReport; failed: boolean } {
  const tmp = mkdtempSync(join(tmpdir(), 'mv-bench-parts-'));
  try {
    let failed = false;
    const parts: Record<string, Record<string, unknown>> = {};
    for (const part of PARTS) {
      const file = join(tmp, `${part.name}.json`);
      const r = spawnSync(process.execPath, [join(here, part.script), ...args.passThrough, '--out', file], { stdio: 'inherit' });
      failed ||= r.status !== 0;
      try {
        const body: unknown = JSON.parse(readFileSync(file, 'utf8'));
        if (typeof body === 'object' && body !== null && !Array.isArray(body)) parts[part.name] = { ...body };
      } catch {
        failed = true; // a part that wrote no report has failed, whatever its exit code
      }
    }
    const report = combinedReportSchema.parse({ generatedAt: new Date().toISOString(), loadAverage: loadavg(), parts });
    return { report, failed };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function main(): void {
  const args = parseAllArgs(process.argv.slice(2));
  const earlier = args.compare === null ? null : readReport(args.compare);
  let later: CombinedReport;
  let failed = false;
  if (args.report !== null) later = readReport(args.report);
  else {
    const ran = runParts(args);
    later = ran.report;
    failed = ran.failed;
    writeFileSync(args.out, `${JSON.stringify(later, null, 2)}\n`);
    process.stderr.write(`[bench] wrote ${args.out}\n`);
  }
  if (earlier !== null && args.compare !== null) {
    process.stdout.write(`\n${renderComparison(compareReports(earlier, later), args.compare, args.report ?? args.out)}\n`);
  }
  process.exitCode = failed ? 1 : 0;
}

try {
  main();
} catch (e) {
  process.stderr.write(`[bench] ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
