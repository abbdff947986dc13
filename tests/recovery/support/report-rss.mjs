// Preloaded (node --import) into a CLI child: prints the process's peak RSS on exit, so a test
// can bound the memory a backup or restore needed. Plain ESM: it runs before any TypeScript.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nMV_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
