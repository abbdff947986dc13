import type { Level } from '../levels.js';

/** Who is asking. Owner channels are the only ones that can approve anything. */
export type Requester =
  | { readonly kind: 'owner'; readonly channel: OwnerChannel }
  | {
      readonly kind: 'agent';
      readonly agentId: string;
      readonly name: string;
      readonly maxLevel: Level;
      /** null = every namespace */
      readonly namespaces: readonly string[] | null;
    }
  | { readonly kind: 'system'; readonly component: string };

export type OwnerChannel = 'cli' | 'desktop' | 'terminal';

export function actorOf(r: Requester): { type: Requester['kind']; id: string } {
  switch (r.kind) {
    case 'owner':
      return { type: 'owner', id: r.channel };
    case 'agent':
      return { type: 'agent', id: r.agentId };
    case 'system':
      return { type: 'system', id: r.component };
    default: {
      const never: never = r;
      throw new Error(`unknown requester ${JSON.stringify(never)}`);
    }
  }
}

export function mayUseNamespace(r: Requester, namespace: string): boolean {
  return r.kind !== 'agent' || r.namespaces === null || r.namespaces.includes(namespace);
}

export function mayReachLevel(r: Requester, level: Level): boolean {
  return r.kind !== 'agent' || r.maxLevel >= level;
}
