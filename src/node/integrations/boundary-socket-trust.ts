// Invariant: a daemon socket is spoken to only when nobody but root or the vault's own user could
// have put it there. The entry itself is read with lstat (a symlink is refused, never followed):
// it must be a socket, owned by root or this process's uid, without group/other write bits; its
// directory must be owned by root or this uid and not writable by group/others, so no other user
// can swap the entry between this check and the connect. Same-user processes are out of reach of
// any file check (DESIGN §3a) — that is the owner-channel proof's job, not this one's.
import { lstatSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';

export type SocketTrust = { readonly trusted: true } | { readonly trusted: false; readonly missing: boolean; readonly problem: string };

const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;

function ownerProblem(what: string, st: Stats, uid: number): string | null {
  if (st.uid !== 0 && st.uid !== uid) return `${what} is owned by uid ${st.uid}, not by root or this vault's user (uid ${uid})`;
  if ((st.mode & 0o022) !== 0) return `${what} is writable by group or others (mode ${octal(st.mode)})`;
  return null;
}

/**
 * Whether `socketPath` may be trusted as the daemon. `uid` defaults to this process's uid; on a
 * platform without POSIX uids (Windows) there is nothing to check and the answer is "trusted".
 */
export function checkDaemonSocketTrust(socketPath: string, uid: number | undefined = process.getuid?.()): SocketTrust {
  if (uid === undefined) return { trusted: true };
  let st: Stats;
  try {
    st = lstatSync(socketPath);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return { trusted: false, missing, problem: missing ? 'socket not found' : `socket ${socketPath} cannot be inspected` };
  }
  const refuse = (problem: string): SocketTrust => ({ trusted: false, missing: false, problem });
  if (st.isSymbolicLink()) return refuse(`socket ${socketPath} is a symbolic link (refused, not followed)`);
  if (!st.isSocket()) return refuse(`${socketPath} is not a socket`);
  const own = ownerProblem(`socket ${socketPath}`, st, uid);
  if (own) return refuse(own);
  const dir = dirname(socketPath);
  let dirStat: Stats;
  try {
    // The directory may be reached through a symlink (~/.agent-os on another disk); what matters is
    // who can write into the directory that really holds the entry.
    dirStat = statSync(dir);
  } catch {
    return refuse(`socket directory ${dir} cannot be inspected`);
  }
  const dirProblem = ownerProblem(`socket directory ${dir}`, dirStat, uid);
  return dirProblem ? refuse(dirProblem) : { trusted: true };
}
