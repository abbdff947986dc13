// Existence proofs (DESIGN §7). What they are, named honestly: a SHA-256 hiding commitment to a
// memory's content (carried by the memory's store event in the audit log) plus a Merkle inclusion
// proof of that event in a signed checkpoint. Not a zero-knowledge proof: opening the commitment
// means revealing the content and its salt. The proof file itself holds no plaintext.
import { z } from 'zod';

export const EXISTENCE_PROOF_FORMAT = 'memory-vault/existence-proof';
export const EXISTENCE_DISCLOSURE_FORMAT = 'memory-vault/existence-disclosure';

export const EXISTENCE_STATEMENT =
  'The audit event below records a SHA-256 commitment to the content of memory {id}; the tlog-proof shows that event is ' +
  'included in a checkpoint signed by the vault key. This is a hash commitment plus a Merkle inclusion proof, not a ' +
  'zero-knowledge proof: it reveals nothing about the content until the owner discloses the content and its salt.';

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));

export const anchorEvidenceSchema = z
  .object({
    anchor: z.string().min(1).max(200),
    checkpointSize: z.number().int().min(1),
    status: z.enum(['posted', 'anchored']),
    /** What the anchor service answered (entry id, block), as stored; untrusted by the verifier. */
    receipt: z.record(z.string(), z.unknown()),
    /** Inclusion of the same store event in the anchored checkpoint. */
    tlogProof: z.string().min(1).max(100_000),
  })
  .strict();

export const existenceProofSchema = z
  .object({
    format: z.literal(EXISTENCE_PROOF_FORMAT),
    version: z.literal(1),
    statement: z.string().max(2000),
    memoryId: z.string().min(1).max(64),
    /** hex SHA-256("memory-vault/commitment/v1\n" || salt || SHA-256(content)) */
    commitment: hex(32),
    event: z.object({ index: z.number().int().min(0), canonicalJson: z.string().min(2).max(100_000) }).strict(),
    /** C2SP tlog-proof of the event in the checkpoint it embeds. */
    tlogProof: z.string().min(1).max(100_000),
    checkpointSize: z.number().int().min(1),
    verifierKey: z.string().min(1).max(1000),
    anchors: z.array(anchorEvidenceSchema).max(100),
    createdAt: z.string(),
  })
  .strict();

export type ExistenceProof = z.infer<typeof existenceProofSchema>;
export type AnchorEvidence = z.infer<typeof anchorEvidenceSchema>;

/** What the owner hands over to open the commitment. Contains plaintext: a separate file by design. */
export const existenceDisclosureSchema = z
  .object({
    format: z.literal(EXISTENCE_DISCLOSURE_FORMAT),
    version: z.literal(1),
    memoryId: z.string().min(1).max(64),
    commitment: hex(32),
    salt: hex(16),
    contentBase64: z.string(),
  })
  .strict();

export type ExistenceDisclosure = z.infer<typeof existenceDisclosureSchema>;
