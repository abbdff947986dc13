// `npm start` checks first and says what it lacks, in one message, before building anything:
// the Node version, the native SQLite module for this Node (it may have been rebuilt for
// Electron), and — as a note, not a stop — the system packages TPM and security-key features use.
import { createRequire } from 'node:module';
import { missingPackages, INSTALL_COMMAND } from './system-deps.mjs';

const problems = [];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19))
  problems.push(`Node ${process.versions.node} is too old: Memory Vault needs Node 20.19 or newer.`);
try {
  const Database = createRequire(import.meta.url)('better-sqlite3-multiple-ciphers');
  new Database(':memory:').close();
} catch (e) {
  const abi = /NODE_MODULE_VERSION/.test(String(e));
  problems.push(
    abi
      ? 'The SQLite module was built for another runtime (Electron?). Rebuild it for Node: npm run app:native-node'
      : 'The SQLite module is not installed or did not build: run `npm install` (it needs python3, make and a C++ compiler).',
  );
}
if (problems.length > 0) {
  process.stderr.write(`npm start cannot run yet:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
const missing = missingPackages();
if (missing.length > 0) {
  process.stderr.write(
    `Note: ${missing.join(' ')} not installed; TPM vaults, security keys and the test suite need them (${INSTALL_COMMAND}).\n`,
  );
}
