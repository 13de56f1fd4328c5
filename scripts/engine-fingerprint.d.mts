// Types of scripts/engine-fingerprint.mjs (imported by src/app/checkpoint.ts).
export declare const ENGINE_DIGEST_DEFINE: '__GUISHU_ENGINE_SOURCE_DIGEST__';
export declare function engineSourceFiles(root: string): string[];
export declare function engineSourceDigest(root: string): string;
export declare function engineFingerprint(format: number, v8Version: string, sourceDigest: string): string;
export declare function engineDefines(root: string): Record<string, string>;
