// Types of system-deps.mjs for the tests that import it.
export declare const INSTALL_COMMAND: string;
export type Decision = { action: 'none' } | { action: 'install'; via: string[] } | { action: 'stop'; message: string };
export declare function decide(input: { missing: string[]; isRoot: boolean; sudoWithoutPrompt: boolean }): Decision;
export declare function missingPackages(): string[];
export declare function ensureSystemPackages(): boolean;
