// `npm run bench [-- --quick]`: the engine benchmark, the log and socket benchmark, then agents
// under mixed load (owner work, idle connections), each in its own process so one's heap and
// caches do not colour the other's figures.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
let failed = false;
for (const part of ['run.js', 'log-and-socket.js', 'mixed-load.js']) {
  const r = spawnSync(process.execPath, [join(here, part), ...argv], { stdio: 'inherit' });
  failed ||= r.status !== 0;
}
process.exitCode = failed ? 1 : 0;
