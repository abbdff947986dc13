#!/usr/bin/env node
// memory-vault-verify — standalone, zero-dependency verifier for Memory Vault proof bundles.
//
//   memory-vault-verify BUNDLE.json [--key VERIFIER_KEY] [--json]
//   exit 0: valid   exit 1: invalid (each failed check is printed)   exit 2: usage error
//
// It deliberately re-implements every check from the specifications instead of importing the
// vault's code, so an auditor can read this one file and trust nothing else:
//   RFC 6962 §2.1 leaf/node hashing; RFC 9162 §2.1.3.2 inclusion and §2.1.4.2 consistency
//   verification; RFC 8785 canonical JSON; C2SP signed-note (Ed25519), tlog-checkpoint, tlog-proof@v1.
// Without --key the bundle's own verifier key is used, which proves internal consistency only;
// pass the log's published key with --key to prove the log signed it. A version 2 bundle also
// states the index ranges it covers; the events must be exactly those ranges (nothing dropped,
// duplicated or reordered), and the ranges verified are printed.
import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const USAGE = 'usage: memory-vault-verify BUNDLE.json [--key VERIFIER_KEY] [--json]';

// ---- encodings ----------------------------------------------------------------------------
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function b64(text) {
  if (typeof text !== 'string' || !B64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined; // canonical spelling only
}
function decimal(text) {
  if (!/^(?:0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
const utf8 = (s) => Buffer.from(s, 'utf8');

// ---- RFC 6962 / RFC 9162 ------------------------------------------------------------------
const sha256 = (...parts) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
const hashLeaf = (data) => sha256(Buffer.from([0]), data); // RFC 6962 §2.1: SHA-256(0x00 || d)
const hashChildren = (l, r) => sha256(Buffer.from([1]), l, r); // RFC 6962 §2.1: SHA-256(0x01 || l || r)
const half = (n) => Math.floor(n / 2); // sizes reach 2^53: never use 32-bit bitwise operators
const odd = (n) => n % 2 === 1;
const isPow2 = (n) => {
  while (n > 1 && n % 2 === 0) n /= 2;
  return n === 1;
};
const okHashes = (hs) => hs.every((h) => h.length === 32);

function verifyInclusion(index, size, leaf, proof, root) {
  // RFC 9162 §2.1.3.2
  if (!(index < size) || !okHashes([leaf, root, ...proof])) return false;
  let fn = index,
    sn = size - 1,
    r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

function verifyConsistency(size1, size2, root1, root2, proof) {
  // RFC 9162 §2.1.4.2
  if (size2 < size1 || !okHashes([root1, root2, ...proof])) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPow2(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1,
    sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0],
    sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}

// ---- RFC 8785 canonical JSON --------------------------------------------------------------
function jcs(v) {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v); // §3.2.2.2
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('non-finite number');
    return JSON.stringify(v); // §3.2.2.3: ECMAScript Number serialization
  }
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  // §3.2.3: members sorted by their names' UTF-16 code units (JavaScript's default sort)
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${jcs(v[k])}`)
    .join(',')}}`;
}
function isCanonical(text) {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) return false;
  try {
    return jcs(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

// ---- C2SP signed-note, Ed25519 ------------------------------------------------------------
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex'); // RFC 8410 §7
const validName = (n) => n !== '' && !/\p{White_Space}/u.test(n) && !n.includes('+');
const keyHash = (name, typedKey) => sha256(utf8(name), Buffer.from([0x0a]), typedKey).readUInt32BE(0);

function parseVerifierKey(vkey) {
  const i = vkey.indexOf('+'),
    j = vkey.indexOf('+', i + 1);
  if (i < 0 || j < 0) return undefined;
  const [name, hex, key] = [vkey.slice(0, i), vkey.slice(i + 1, j), b64(vkey.slice(j + 1))];
  if (!validName(name) || !/^[0-9a-fA-F]{8}$/.test(hex) || !key || key.length !== 33 || key[0] !== 0x01) return undefined;
  const hash = Number.parseInt(hex, 16);
  if (hash !== keyHash(name, key)) return undefined; // key ID = SHA-256(name || 0x0A || 0x01 || pubkey)[:4]
  const pub = createPublicKey({ key: Buffer.concat([SPKI_ED25519, key.subarray(1)]), format: 'der', type: 'spki' });
  return { name, hash, verify: (msg, sig) => sig.length === 64 && edVerify(null, msg, pub, sig) };
}

/** Returns { text } when the note carries a valid signature by key, else { error }. */
function openNote(note, key) {
  for (let i = 0; i < note.length; i++) {
    const c = note.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return { error: 'control character in note' };
  }
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(note)) return { error: 'note is not valid Unicode' };
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return { error: 'note has no signature block' };
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) return { error: 'malformed signature block' };
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > 100) return { error: 'too many signatures' };
  let verified = false;
  for (const line of lines) {
    if (!line.startsWith('\u2014 ')) return { error: 'malformed signature line' };
    const body = line.slice(2);
    const sp = body.indexOf(' ');
    const name = sp < 0 ? body : body.slice(0, sp);
    const sig = sp < 0 ? undefined : b64(body.slice(sp + 1));
    if (!validName(name) || !sig || sig.length < 5) return { error: 'malformed signature line' };
    if (name !== key.name || sig.readUInt32BE(0) !== key.hash) continue; // unknown keys are ignored
    if (!key.verify(utf8(text), sig.subarray(4))) return { error: `invalid signature by ${name}` };
    verified = true;
  }
  return verified ? { text } : { error: 'no signature by the verifier key' };
}

function parseCheckpoint(text) {
  // C2SP tlog-checkpoint: origin, size, base64 root hash, optional non-empty extension lines
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3 || lines.some((l) => l === '')) return undefined;
  const size = decimal(lines[1]);
  const root = b64(lines[2]);
  if (size === undefined || !root || root.length !== 32) return undefined;
  return { origin: lines[0], size, root };
}

function openCheckpoint(note, key, which, fail) {
  const opened = openNote(note, key);
  if (opened.error) return void fail({ kind: 'bad-signature', which, message: opened.error });
  const cp = parseCheckpoint(opened.text);
  if (!cp) return void fail({ kind: 'bad-signature', which, message: 'malformed checkpoint body' });
  if (cp.origin !== key.name) return void fail({ kind: 'origin-mismatch', which, message: `origin ${cp.origin}` });
  return cp;
}

function parseTlogProof(text) {
  // C2SP tlog-proof@v1: header, optional `extra`, `index N`, hashes, blank line, checkpoint verbatim
  const lines = text.split('\n');
  let i = 0;
  if (lines[i++] !== 'c2sp.org/tlog-proof@v1') return undefined;
  let extra;
  if (lines[i]?.startsWith('extra ')) {
    extra = b64(lines[i++].slice(6));
    if (!extra) return undefined;
  }
  if (!lines[i]?.startsWith('index ')) return undefined;
  const index = decimal(lines[i++].slice(6));
  if (index === undefined) return undefined;
  const proof = [];
  for (; i < lines.length && lines[i] !== ''; i++) {
    const h = b64(lines[i]);
    if (!h || h.length !== 32 || proof.length >= 64) return undefined;
    proof.push(h);
  }
  if (i >= lines.length - 1) return undefined; // no blank line, or nothing after it
  return { extra, index, proof, checkpoint: lines.slice(i + 1).join('\n') };
}

// ---- completeness -------------------------------------------------------------------------
// A version 2 bundle states inclusive index ranges; its events must be exactly their
// concatenation: each index once, ascending, none missing, none outside. Inclusion proofs alone
// prove each position, not that every position is there. Claimed ranges are never iterated, so a
// hostile range of 2^53 leaves costs nothing. Version 1 bundles state no ranges: their events must
// still be unique and ascending, but completeness is not claimed (and the output says so).
function checkOrder(indexes, fail) {
  const seen = new Set();
  let highest = -1;
  for (const i of indexes) {
    if (seen.has(i)) fail({ kind: 'duplicate-event', index: i, message: `event ${i} appears more than once` });
    else if (i < highest) fail({ kind: 'out-of-order-event', index: i, message: `event ${i} comes after event ${highest}` });
    seen.add(i);
    highest = Math.max(highest, i);
  }
}

function checkCoverage(ranges, indexes, treeSize, fail) {
  let badRange = false;
  ranges.forEach((r, n) => {
    const bad = (message) => {
      badRange = true;
      fail({ kind: 'bad-range', range: n, message });
    };
    const prev = ranges[n - 1];
    if (r.from > r.to) bad(`range ${r.from}–${r.to} ends before it starts`);
    else if (prev && r.from <= prev.to) bad(`range ${r.from}–${r.to} does not start after the previous range ${prev.from}–${prev.to}`);
    if (treeSize !== undefined && r.to >= treeSize) bad(`range ${r.from}–${r.to} reaches beyond the tree of size ${treeSize}`);
  });
  checkOrder(indexes, fail);
  if (badRange) return;
  const present = [...new Set(indexes)].sort((a, b) => a - b);
  const inRanges = (i) => {
    let lo = 0,
      hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (i < ranges[mid].from) hi = mid - 1;
      else if (i > ranges[mid].to) lo = mid + 1;
      else return true;
    }
    return false;
  };
  for (const i of present)
    if (!inRanges(i)) fail({ kind: 'event-outside-ranges', index: i, message: `event ${i} is not in any range the bundle states` });
  const missing = (from, to) =>
    fail({
      kind: 'missing-events',
      from,
      to,
      message: `${from === to ? `event ${from}` : `events ${from}–${to}`} missing from a stated range`,
    });
  let p = 0;
  for (const r of ranges) {
    let next = r.from;
    while (p < present.length && present[p] < r.from) p++;
    for (; p < present.length && present[p] <= r.to; p++) {
      if (present[p] > next) missing(next, present[p] - 1);
      next = present[p] + 1;
    }
    if (next <= r.to) missing(next, r.to);
  }
}

const describeRanges = (ranges) =>
  ranges.length === 0 ? 'none' : ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}–${r.to}`)).join(', ');

// ---- the bundle ---------------------------------------------------------------------------
/** Returns { failures, treeSize, ranges } — ranges null when the bundle claims no completeness. */
function verifyBundle(bundle, trustedKey) {
  const failures = [];
  const fail = (f) => failures.push(f);
  const isObj = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
  const str = (x) => typeof x === 'string' && x.length > 0;
  const leafIndex = (x) => Number.isSafeInteger(x) && x >= 0;
  const malformed = (message) => ({ failures: [{ kind: 'malformed', message }], ranges: null });
  if (!isObj(bundle) || bundle.format !== 'memory-vault-proof-bundle' || (bundle.version !== 1 && bundle.version !== 2)) {
    return malformed('not a version 1 or 2 memory-vault-proof-bundle');
  }
  const allowed = new Set([
    'format',
    'version',
    'verifierKey',
    'checkpoint',
    'olderCheckpoint',
    'consistencyProof',
    'events',
    ...(bundle.version === 2 ? ['ranges'] : []),
  ]);
  const events = bundle.events;
  const ranges = bundle.version === 2 ? bundle.ranges : null;
  if (
    !str(bundle.verifierKey) ||
    !str(bundle.checkpoint) ||
    !Array.isArray(events) ||
    Object.keys(bundle).some((k) => !allowed.has(k)) ||
    (bundle.olderCheckpoint === undefined) !== (bundle.consistencyProof === undefined) ||
    (bundle.olderCheckpoint !== undefined && (!str(bundle.olderCheckpoint) || !Array.isArray(bundle.consistencyProof))) ||
    !events.every((e) => isObj(e) && leafIndex(e.index) && typeof e.canonicalJson === 'string' && typeof e.tlogProof === 'string') ||
    (ranges !== null &&
      (!Array.isArray(ranges) || !ranges.every((r) => isObj(r) && Object.keys(r).length === 2 && leafIndex(r.from) && leafIndex(r.to))))
  ) {
    return malformed('bundle fields are missing or of the wrong type');
  }
  if (trustedKey !== undefined && trustedKey !== bundle.verifierKey)
    fail({ kind: 'untrusted-key', message: 'bundle names another verifier key' });
  const key = parseVerifierKey(trustedKey ?? bundle.verifierKey);
  if (!key) return { failures: [...failures, { kind: 'malformed', message: 'unusable verifier key' }], ranges: null };

  const cp = openCheckpoint(bundle.checkpoint, key, 'checkpoint', fail);
  if (bundle.olderCheckpoint !== undefined) {
    const old = openCheckpoint(bundle.olderCheckpoint, key, 'olderCheckpoint', fail);
    const proof = bundle.consistencyProof.map((h) => b64(h) ?? Buffer.alloc(0));
    if (old && cp && !verifyConsistency(old.size, cp.size, old.root, cp.root, proof)) fail({ kind: 'bad-consistency' });
  }
  for (const e of events) {
    if (!isCanonical(e.canonicalJson)) fail({ kind: 'non-canonical-event', index: e.index });
    const leaf = hashLeaf(utf8(e.canonicalJson));
    const p = parseTlogProof(e.tlogProof);
    if (!p) {
      fail({ kind: 'malformed', index: e.index, message: 'bad tlog-proof' });
      continue;
    }
    if (p.index !== e.index) {
      fail({ kind: 'index-mismatch', index: e.index });
      continue;
    }
    if (p.checkpoint !== bundle.checkpoint) {
      fail({ kind: 'checkpoint-mismatch', index: e.index });
      continue;
    }
    if (p.extra !== undefined && !p.extra.equals(leaf)) fail({ kind: 'leaf-hash-mismatch', index: e.index });
    if (cp && !verifyInclusion(e.index, cp.size, leaf, p.proof, cp.root)) fail({ kind: 'bad-inclusion', index: e.index });
  }
  const indexes = events.map((e) => e.index);
  if (ranges !== null) checkCoverage(ranges, indexes, cp?.size, fail);
  else checkOrder(indexes, fail);
  return { failures, treeSize: cp?.size, ranges };
}

// ---- command line -------------------------------------------------------------------------
function main(argv) {
  let file,
    key,
    json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--key') {
      key = argv[++i];
      if (key === undefined) return usage('--key needs a value');
    } else if (a.startsWith('--key=')) key = a.slice(6);
    else if (a === '-h' || a === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else if (a.startsWith('-') || file !== undefined) return usage(`unexpected argument ${a}`);
    else file = a;
  }
  if (file === undefined) return usage('missing BUNDLE.json');
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return usage(`cannot read ${file}: ${e.message}`);
  }
  let bundle;
  try {
    bundle = JSON.parse(text);
  } catch {
    bundle = undefined;
  }
  const { failures, treeSize, ranges } =
    bundle === undefined ? { failures: [{ kind: 'malformed', message: 'not JSON' }], ranges: null } : verifyBundle(bundle, key);
  const valid = failures.length === 0;
  const wholeLog = ranges !== null && ranges.length === 1 && ranges[0].from === 0 && ranges[0].to === treeSize - 1;
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ valid, keyTrusted: key !== undefined, events: Array.isArray(bundle?.events) ? bundle.events.length : 0, treeSize: treeSize ?? null, ranges, complete: valid && ranges !== null, wholeLog, failures })}\n`,
    );
  } else if (valid) {
    const coverage =
      ranges === null
        ? 'completeness NOT claimed (version 1 bundle without ranges: events may be missing)'
        : `complete over index ranges ${describeRanges(ranges)}${wholeLog ? ' (the whole log)' : ''}`;
    process.stdout.write(
      `VALID: ${bundle.events.length} event(s) proven in tree ${treeSize}; ${coverage}${key === undefined ? ' (against the key in the bundle; pass --key to pin the log key)' : ''}\n`,
    );
  } else {
    process.stdout.write(
      `INVALID:\n${failures.map((f) => `  - ${f.kind}${f.which ? ` (${f.which})` : ''}${f.index !== undefined ? ` event ${f.index}` : ''}${f.message ? `: ${f.message}` : ''}`).join('\n')}\n`,
    );
  }
  return valid ? 0 : 1;
}

function usage(message) {
  process.stderr.write(`memory-vault-verify: ${message}\n${USAGE}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
