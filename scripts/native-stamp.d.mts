export declare const NATIVE_SOURCES: readonly string[];
export declare const NATIVE_BINARY: string;
export declare function nativeStamp(root: string): string;
export declare function readBuiltStamp(root: string): string | null;
export declare function writeBuiltStamp(root: string, stamp: string): void;
