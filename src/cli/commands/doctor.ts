// `memory-vault doctor`: what this machine offers the vault, without unlocking anything —
// TPM (presence, tools version, PCR banks), FIDO2 keys on USB HID (and what they say about
// themselves), the vault's paths and permissions, and whether the boundary daemon's socket may be
// trusted (ownership, permissions). Read-only; never prints a secret.
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { CAPABILITY_CBOR, CtapHidChannel } from '../../node/fido2/ctaphid-channel.js';
import { Ctap2Client } from '../../node/fido2/ctap2-client.js';
import { NodeHidTransport } from '../../node/fido2/node-hid-device.js';
import { HMAC_SECRET } from '../../node/fido2/hmac-secret.js';
import { DEFAULT_BOUNDARY_CONFIG } from '../../core/integrations/boundary/boundary-config.js';
import { boundaryHealth, type BoundaryHealth } from '../../node/integrations/boundary-health.js';
import { probeTpm, type TpmProbeResult } from '../../node/tpm/tpm-probe.js';
import { readVaultHeader } from '../../node/vault/vault-header.js';
import { resolveVaultDir, vaultPaths } from '../../node/vault/vault-paths.js';
import { emit } from '../io/output.js';
import type { GlobalOptions } from '../io/vault-access.js';
import { run } from './run.js';

export interface Fido2DeviceReport {
  readonly path: string;
  readonly vendorId: string;
  readonly productId: string;
  readonly product: string | null;
  readonly manufacturer: string | null;
  readonly fido2: boolean;
  readonly hmacSecret: boolean;
  readonly aaguid: string | null;
  readonly versions: readonly string[];
  readonly options: Readonly<Record<string, boolean>>;
  readonly error: string | null;
}

export interface PathReport {
  readonly path: string;
  readonly exists: boolean;
  readonly mode: string | null;
  readonly ok: boolean;
}

export interface DoctorReport {
  readonly tpm: { readonly tcti: string } & TpmProbeResult;
  /** With the default settings: the vault's own boundary settings need an unlock (`status --json`). */
  readonly boundary: BoundaryHealth | { readonly error: string };
  readonly fido2: { readonly available: boolean; readonly message: string | null; readonly devices: readonly Fido2DeviceReport[] };
  readonly vault: {
    readonly dir: PathReport;
    readonly header: PathReport;
    readonly database: PathReport;
    readonly keySource: string | null;
    readonly problems: readonly string[];
  };
}

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
const uuid = (b: Uint8Array): string => {
  const h = Buffer.from(b).toString('hex');
  return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join('-');
};
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : 'unknown error');

function pathReport(path: string, wantMode: number): PathReport {
  if (!existsSync(path)) return { path, exists: false, mode: null, ok: true };
  const mode = statSync(path).mode & 0o777;
  // Owner-only: no group or other bits (Windows has no POSIX modes to check).
  const ok = process.platform === 'win32' || (mode & 0o077) === 0;
  return { path, exists: true, mode: `0${mode.toString(8)}`, ok: ok && (process.platform === 'win32' || (mode & wantMode) === wantMode) };
}

export async function fido2Report(): Promise<DoctorReport['fido2']> {
  const transport = new NodeHidTransport();
  let found;
  try {
    found = await transport.list();
  } catch (e) {
    return { available: false, message: `USB HID is not usable here: ${messageOf(e)}`, devices: [] };
  }
  const devices: Fido2DeviceReport[] = [];
  for (const d of found) {
    const base = {
      path: d.path,
      vendorId: hex4(d.vendorId),
      productId: hex4(d.productId),
      product: d.product ?? null,
      manufacturer: d.manufacturer ?? null,
    };
    let device;
    try {
      device = await transport.open(d.path);
      const channel = await CtapHidChannel.open(device, { idleTimeoutMs: 2000 });
      if ((channel.info.capabilities & CAPABILITY_CBOR) === 0) {
        devices.push({ ...base, fido2: false, hmacSecret: false, aaguid: null, versions: [], options: {}, error: 'U2F only (no CTAP2)' });
        continue;
      }
      const info = await new Ctap2Client(channel).getInfo();
      devices.push({
        ...base,
        fido2: true,
        hmacSecret: info.extensions.includes(HMAC_SECRET),
        aaguid: uuid(info.aaguid),
        versions: info.versions,
        options: info.options,
        error: null,
      });
    } catch (e) {
      devices.push({ ...base, fido2: false, hmacSecret: false, aaguid: null, versions: [], options: {}, error: messageOf(e) });
    } finally {
      await device?.close().catch(() => undefined);
    }
  }
  return { available: true, message: null, devices };
}

function vaultReport(dirFlag: string | undefined): DoctorReport['vault'] {
  const dir = resolveVaultDir(dirFlag);
  const paths = vaultPaths(dir);
  const report = { dir: pathReport(dir, 0o700), header: pathReport(paths.header, 0o600), database: pathReport(paths.database, 0o600) };
  const problems: string[] = [];
  if (!report.dir.exists) problems.push(`No vault directory at ${dir} (create one with \`memory-vault init\`).`);
  for (const [what, r] of Object.entries(report))
    if (r.exists && !r.ok) problems.push(`The vault ${what} ${r.path} has mode ${r.mode ?? '?'}; it should be owner-only.`);
  let keySource: string | null = null;
  if (report.header.exists) {
    try {
      keySource = readVaultHeader(paths.header).profiles[0]?.source.kind ?? null;
    } catch (e) {
      problems.push(`The vault header cannot be read: ${messageOf(e)}`);
    }
    if (!report.database.exists) problems.push('The vault header exists but its database is missing.');
  }
  return { ...report, keySource, problems };
}

function human(r: DoctorReport): string {
  const lines: string[] = [];
  const t = r.tpm;
  if (t.present) {
    lines.push(
      `TPM: present via ${t.tcti} (tpm2-tools ${t.toolsVersion ?? '?'}; ${t.manufacturer ?? '?'} ${t.vendor ?? ''}, spec ${t.specRevision ?? '?'}, firmware ${t.firmwareVersion ?? '?'})`,
    );
    lines.push(`  PCR banks: ${t.pcrBanks.map((b) => `${b.bank}[${b.pcrs.length}]`).join(', ') || 'none'}`);
    if (t.dictionaryAttack) lines.push(`  dictionary attack: ${JSON.stringify(t.dictionaryAttack)}`);
  } else {
    lines.push(`TPM: not available via ${t.tcti} (${t.reason}; tpm2-tools ${t.toolsVersion ?? 'not found'}): ${t.message}`);
  }
  if (!r.fido2.available) lines.push(`FIDO2: ${r.fido2.message ?? 'unavailable'}`);
  else if (r.fido2.devices.length === 0) lines.push('FIDO2: no security key found on USB HID.');
  else {
    lines.push(`FIDO2: ${r.fido2.devices.length} device(s)`);
    for (const d of r.fido2.devices) {
      const opts = Object.entries(d.options)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      lines.push(
        `  ${d.product ?? 'key'} ${d.vendorId}:${d.productId} ${d.fido2 ? `AAGUID ${d.aaguid ?? '?'} ${d.versions.join('/')} hmac-secret=${String(d.hmacSecret)} ${opts}` : `(${d.error ?? 'not FIDO2'})`}`,
      );
    }
  }
  const b = r.boundary;
  if ('error' in b) lines.push(`Boundary: cannot be checked (${b.error})`);
  else {
    const d = b.daemon;
    lines.push(
      d
        ? `Boundary: daemon at ${d.socketPath}: ${d.trusted ? (d.reachable ? `mode ${d.mode ?? '?'}` : 'not answering') : 'REFUSED (untrusted socket)'}`
        : `Boundary: local detector (${b.local?.mode ?? '?'})`,
    );
    for (const p of b.problems) lines.push(`  problem: ${p}`);
  }
  const v = r.vault;
  lines.push(`Vault: ${v.dir.path}${v.keySource ? ` (${v.keySource} profile)` : ''}`);
  for (const p of [v.dir, v.header, v.database])
    lines.push(`  ${p.path}: ${p.exists ? `mode ${p.mode ?? '?'}${p.ok ? '' : ' (too open)'}` : 'missing'}`);
  for (const p of v.problems) lines.push(`  problem: ${p}`);
  return lines.join('\n');
}

export function registerDoctor(program: Command, globals: () => GlobalOptions): void {
  program
    .command('doctor')
    .description('Check the TPM, FIDO2 security keys and the vault files (nothing is unlocked or changed)')
    .action(() =>
      run(globals(), async (g) => {
        const tcti = process.env.TPM2TOOLS_TCTI;
        const [tpm, fido2, boundary] = await Promise.all([
          probeTpm(undefined, { timeoutMs: 20_000 }),
          fido2Report(),
          boundaryHealth(DEFAULT_BOUNDARY_CONFIG).catch((e: unknown) => ({ error: messageOf(e) })),
        ]);
        const report: DoctorReport = {
          tpm: { tcti: tcti && tcti.length > 0 ? tcti : 'device (default)', ...tpm },
          boundary,
          fido2,
          vault: vaultReport(g.vault),
        };
        emit(g, report, human);
      }),
    );
}
