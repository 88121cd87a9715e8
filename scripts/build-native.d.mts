/** Builds the native discovery scanner when missing or stale; false (after one warning line) when it cannot. */
export declare function buildNative(opts?: { quiet?: boolean }): boolean;
