export declare const NETWORK_MESSAGE: string;
export declare function checkNetwork(opts: { urls: string[]; timeoutMs?: number }): Promise<void>;
export declare function downloadHosts(env?: Readonly<Record<string, string | undefined>>): string[];
export declare function nodeVersionProblem(version?: string): string | undefined;
export interface PackArgs { linux: boolean; win: boolean; mac: boolean; dir: boolean }
export declare function parsePackArgs(argv: string[]): PackArgs;
export declare function builderTargets(args: PackArgs): { dir: boolean; linux?: string[]; win?: string[]; mac?: string[] };
