// NatLangChain HTTP client (seed README: POST /entries, GET /entries/{id}/proof, GET /health) as
// a CheckpointAnchor. The entry's prose content is the signed checkpoint text, verbatim; metadata
// repeats only what the checkpoint itself says (origin, size). Every reply is parsed with zod.
import { z } from 'zod';
import {
  AnchorUnavailableError,
  type AnchorHealth,
  type AnchorInclusion,
  type AnchorPublication,
  type CheckpointAnchor,
} from '../../core/integrations/anchoring/checkpoint-anchor.port.js';
import { parseCheckpoint } from '../../core/audit/index.js';

export const DEFAULT_NATLANGCHAIN_URL = 'http://localhost:8000';
const TIMEOUT_MS = 10_000;

const postReplySchema = z.object({ entry_id: z.union([z.string().min(1).max(200), z.number().int()]).transform(String) }).loose();
const proofReplySchema = z.union([
  z
    .object({
      included: z.literal(true),
      block_hash: z.string().min(1).max(200),
      block_height: z.number().int().min(0),
      merkle_proof: z.array(z.string().max(200)).max(64).default([]),
      timestamp: z.string().max(100).default(''),
    })
    .loose(),
  z.object({ included: z.literal(false) }).loose(),
]);

export function natLangChainUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.NATLANGCHAIN_API_URL ?? DEFAULT_NATLANGCHAIN_URL).replace(/\/+$/, '');
}

function scalar(v: unknown): string | number | boolean | null | undefined {
  return typeof v === 'string' ? v.slice(0, 500) : typeof v === 'number' || typeof v === 'boolean' || v === null ? v : undefined;
}

export class NatLangChainAnchor implements CheckpointAnchor {
  readonly name: string;

  constructor(
    private readonly baseUrl: string = natLangChainUrl(),
    private readonly timeoutMs: number = TIMEOUT_MS,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.name = `natlangchain ${this.baseUrl}`;
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'user-agent': 'memory-vault' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch {
      throw new AnchorUnavailableError(`NatLangChain at ${this.baseUrl} cannot be reached`);
    }
    const text = await res.text().catch(() => '');
    if (!res.ok)
      throw new AnchorUnavailableError(`NatLangChain answered HTTP ${res.status} to ${method} ${path.split('/').slice(0, 2).join('/')}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AnchorUnavailableError('NatLangChain answered with something that is not JSON');
    }
  }

  async publish(signedCheckpoint: string): Promise<AnchorPublication> {
    // Only the first part of the note (before the signatures) is the checkpoint body.
    const body = parseCheckpoint(signedCheckpoint.split('\n\n')[0] + '\n');
    if (!body.ok) throw new AnchorUnavailableError('refusing to publish something that is not a checkpoint');
    const reply = await this.call('POST', '/entries', {
      content: signedCheckpoint,
      author: 'memory-vault',
      intent_type: 'memory_vault_checkpoint',
      metadata: { origin: body.checkpoint.origin, tree_size: body.checkpoint.size },
      timestamp: new Date().toISOString(),
    });
    const parsed = postReplySchema.safeParse(reply);
    if (!parsed.success) throw new AnchorUnavailableError('NatLangChain did not return an entry id');
    const details: Record<string, string | number | boolean | null> = {};
    if (typeof reply === 'object' && reply !== null) {
      for (const [k, v] of Object.entries(reply).slice(0, 20)) {
        const s = scalar(v);
        if (s !== undefined && k.length <= 64) details[k] = s;
      }
    }
    return { entryId: parsed.data.entry_id, details };
  }

  async inclusion(entryId: string): Promise<AnchorInclusion> {
    const parsed = proofReplySchema.safeParse(await this.call('GET', `/entries/${encodeURIComponent(entryId)}/proof`));
    if (!parsed.success) throw new AnchorUnavailableError('NatLangChain sent a malformed proof');
    const p = parsed.data;
    if (p.included === false) return { included: false };
    return { included: true, blockHash: p.block_hash, blockHeight: p.block_height, merkleProof: p.merkle_proof, timestamp: p.timestamp };
  }

  async health(): Promise<AnchorHealth> {
    try {
      await this.call('GET', '/health');
      return { reachable: true, detail: `NatLangChain at ${this.baseUrl} is up` };
    } catch (e) {
      return { reachable: false, detail: e instanceof Error ? e.message : 'unreachable' };
    }
  }
}
