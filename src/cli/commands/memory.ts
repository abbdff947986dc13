import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { VaultError } from '../../core/errors.js';
import { LIST_LIMIT_MAX, MAX_DURATION_SECONDS, SEARCH_LIMIT_MAX } from '../../core/common/memory-input.schema.js';
import { LEVEL_NAMES } from '../../core/levels.js';
import type { MemorySummary } from '../../core/model/memory.js';
import type { Requester } from '../../core/model/requester.js';
import { neutraliseLine, neutraliseText } from '../../core/text/terminal-text.js';
import { deriveTitle } from '../io/derive-title.js';
import { emit } from '../io/output.js';
import { withVault, type GlobalOptions } from '../io/vault-access.js';
import { intOption, levelOption, run } from './run.js';

const OWNER: Requester = { kind: 'owner', channel: 'cli' };

/** How `recall` writes the content: as the `--json` document, as its exact bytes, or neutralised for a terminal. */
export type RecallOutput = 'json' | 'exact' | 'neutralised';

/**
 * Content is opaque bytes and is written exactly — except to a terminal, where an agent-stored
 * memory could carry escape sequences (clear screen, OSC 52 clipboard writes) that the terminal
 * would act on: there it is neutralised unless the owner asks for `--raw`.
 */
export function recallOutputOf(o: { readonly json: boolean; readonly raw: boolean; readonly stdoutIsTty: boolean }): RecallOutput {
  if (o.json) return 'json';
  if (o.raw || !o.stdoutIsTty) return 'exact';
  return 'neutralised';
}

async function readStdin(): Promise<Buffer> {
  if (process.stdin.isTTY) throw new VaultError('INVALID_INPUT', 'Pipe the content on stdin or pass --file PATH.');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks);
}

function parseMeta(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new VaultError('INVALID_INPUT', `--meta expects KEY=VALUE, got "${p}".`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

const collect = (v: string, acc: string[]) => [...acc, v];

/** One line per memory for list/search: title, tags and namespace are agent text, neutralised one by one. */
export function describeRow(m: MemorySummary): string {
  const flags = [m.tombstoned ? 'tombstoned' : '', m.expiresAt ? `expires ${m.expiresAt}` : ''].filter(Boolean).join(', ');
  const tags = m.tags.length ? `  [${m.tags.map(neutraliseLine).join(', ')}]` : '';
  return `${m.shortId}  L${m.level} ${LEVEL_NAMES[m.level].padEnd(9)} ${neutraliseLine(m.namespace)}/${neutraliseLine(m.title)}${tags}${flags ? `  (${flags})` : ''}`;
}

export function registerMemoryCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('store')
    .description('Store a memory; content comes from stdin or --file (never from the command line)')
    .requiredOption('-l, --level <0-5>', 'classification level (fixed forever)')
    .option('-t, --title <title>', 'title (searchable metadata); default: the first line of level 0–2 content, else the file name')
    .option('-f, --file <path>', 'read content from a file instead of stdin')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('--tag <tag>', 'tag (repeatable)', collect, [])
    .option('--meta <key=value>', 'metadata entry (repeatable)', collect, [])
    .option('--intent <ref>', 'IntentLog reference')
    .option('--cooldown <seconds>', 'minimum seconds between successful recalls', '0')
    .option('--ttl <seconds>', 'level 0 only: lifetime before purge (default 24 h)')
    .action(
      (o: {
        level: string;
        title?: string;
        file?: string;
        namespace: string;
        tag: string[];
        meta: string[];
        intent?: string;
        cooldown: string;
        ttl?: string;
      }) =>
        run(globals(), async (g) => {
          const level = levelOption(o.level, '--level');
          let content: Buffer;
          if (o.file) {
            try {
              content = readFileSync(o.file);
            } catch {
              throw new VaultError('INVALID_INPUT', 'The content file cannot be read.');
            }
          } else content = await readStdin();
          const summary = await withVault(g, (s) =>
            s.engine.store(
              {
                content,
                level,
                title: o.title ?? deriveTitle(content, level, o.file),
                namespace: o.namespace,
                tags: o.tag,
                metadata: parseMeta(o.meta),
                intentRef: o.intent ?? null,
                cooldownSeconds: intOption(o.cooldown, '--cooldown', 0, MAX_DURATION_SECONDS),
                ...(o.ttl !== undefined ? { ttlSeconds: intOption(o.ttl, '--ttl', 1, MAX_DURATION_SECONDS) } : {}),
              },
              OWNER,
            ),
          );
          content.fill(0);
          emit(g, summary, (m) => `Stored ${m.id} (short id ${m.shortId}) at level ${m.level}.`);
        }),
    );

  program
    .command('recall <memory>')
    .description('Recall a memory by id or short id; levels 3+ ask for approval on this terminal')
    .option('-j, --justification <text>', 'why it is needed (recorded as a length only)', '')
    .option(
      '--raw',
      'write the exact content bytes even to a terminal (by default control, bidi and zero-width characters are shown escaped there; a pipe or file always gets the exact bytes)',
    )
    .action((memory: string, o: { justification: string; raw?: boolean }) =>
      run(globals(), async (g) => {
        const result = await withVault(g, async (s) => {
          const id = s.engine.describe(memory).id;
          return s.engine.recall({ memoryId: id, justification: o.justification }, OWNER);
        });
        const mode = recallOutputOf({ json: g.json, raw: o.raw === true, stdoutIsTty: process.stdout.isTTY === true });
        if (mode === 'json') {
          const text = result.content.toString('utf8');
          const isUtf8 = Buffer.from(text, 'utf8').equals(result.content);
          emit(
            g,
            { memory: result.memory, ...(isUtf8 ? { content: text } : { contentBase64: result.content.toString('base64') }) },
            () => '',
          );
        } else if (mode === 'exact') process.stdout.write(result.content);
        else {
          const raw = result.content.toString('utf8');
          const shown = neutraliseText(raw);
          process.stdout.write(shown);
          if (shown !== raw)
            process.stderr.write(
              '\n(memory-vault: control, bidi or zero-width characters in this content are shown escaped; --raw, a pipe or --json give the exact bytes)\n',
            );
        }
        result.content.fill(0);
      }),
    );

  program
    .command('search <query...>')
    .description('Full-text search: metadata of every level, content of levels 0-2 only')
    .option('--limit <n>', 'maximum results', '50')
    .option('-n, --namespace <ns>', 'only this namespace')
    .action((query: string[], o: { limit: string; namespace?: string }) =>
      run(globals(), async (g) => {
        const rows = await withVault(g, (s) =>
          s.engine.search(
            {
              query: query.join(' '),
              limit: intOption(o.limit, '--limit', 1, SEARCH_LIMIT_MAX),
              ...(o.namespace ? { namespace: o.namespace } : {}),
            },
            OWNER,
          ),
        );
        emit(g, rows, (r) => (r.length ? r.map(describeRow).join('\n') : 'No matches.'));
      }),
    );

  program
    .command('list')
    .description('List memories (metadata only), newest first')
    .option('-n, --namespace <ns>', 'only this namespace')
    .option('-l, --level <0-5>', 'only this level')
    .option('--tombstoned', 'include tombstoned memories')
    .option('--limit <n>', 'page size', '100')
    .option('--offset <n>', 'page offset', '0')
    .action((o: { namespace?: string; level?: string; tombstoned?: boolean; limit: string; offset: string }) =>
      run(globals(), async (g) => {
        const rows = await withVault(g, (s) =>
          s.engine.list(
            {
              ...(o.namespace ? { namespace: o.namespace } : {}),
              ...(o.level !== undefined ? { level: levelOption(o.level, '--level') } : {}),
              includeTombstoned: o.tombstoned === true,
              limit: intOption(o.limit, '--limit', 1, LIST_LIMIT_MAX),
              offset: intOption(o.offset, '--offset', 0, Number.MAX_SAFE_INTEGER),
            },
            OWNER,
          ),
        );
        emit(g, rows, (r) => (r.length ? r.map(describeRow).join('\n') : 'No memories.'));
      }),
    );
}
