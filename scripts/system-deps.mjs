// What `npm test` and `npm start` do about the Debian packages the suite needs, decided once so
// both say the same thing: install them when this process may (root, or sudo without a prompt),
// otherwise stop at once with the one command to run — instead of letting suites fail one by one.
import { spawnSync } from 'node:child_process';

export const INSTALL_COMMAND = 'sudo bash scripts/install-system-deps.sh';

/** Pure decision, unit-tested: `missing` from `install-system-deps.sh --check`. */
export function decide({ missing, isRoot, sudoWithoutPrompt }) {
  if (missing.length === 0) return { action: 'none' };
  if (isRoot) return { action: 'install', via: [] };
  if (sudoWithoutPrompt) return { action: 'install', via: ['sudo', '-n'] };
  return {
    action: 'stop',
    message: `System packages missing: ${missing.join(' ')}.\nRun this once, then try again:\n  ${INSTALL_COMMAND}`,
  };
}

export function missingPackages() {
  const r = spawnSync('bash', ['scripts/install-system-deps.sh', '--check'], { encoding: 'utf8' });
  if (r.status === 0) return [];
  const m = /system packages missing: (.*)/.exec(r.stdout ?? '');
  return m ? m[1].trim().split(/\s+/) : ['(dpkg-query failed: is this Debian or Ubuntu?)'];
}

/** Returns true when everything is present (installing first if allowed); prints why not otherwise. */
export function ensureSystemPackages() {
  const missing = missingPackages();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudoWithoutPrompt = !isRoot && missing.length > 0 && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  const d = decide({ missing, isRoot, sudoWithoutPrompt });
  if (d.action === 'none') return true;
  if (d.action === 'stop') {
    process.stderr.write(`\n${d.message}\n`);
    return false;
  }
  const [cmd, ...args] = [...d.via, 'bash', 'scripts/install-system-deps.sh'];
  return spawnSync(cmd, args, { stdio: 'inherit' }).status === 0;
}
