// Labels, colours and query keys of the protection page. Enumerations come from the server's schema types,
// so a new key state, key status or load mode fails the type check here until it has a label.
import type { MessageKey } from '../../i18n.tsx';
import type { DataKeyStatus, DatasetInfo, KeyState, LoadMode, ResourceKeys } from '../../protectionTypes.ts';

export const protectionKey = (resourceId: string) => ['protection', resourceId] as const;
export const keysKey = (resourceId: string) => ['protection', resourceId, 'keys'] as const;
export const datasetKey = (resourceId: string) => ['protection', resourceId, 'dataset'] as const;

export const KEY_STATE: Record<KeyState, { color: string; label: MessageKey }> = {
  none: { color: 'default', label: 'protection.keyState.none' },
  active: { color: 'success', label: 'protection.keyState.active' },
  destroyed: { color: 'error', label: 'protection.keyState.destroyed' },
};

export const KEY_STATUS: Record<DataKeyStatus, { color: string; label: MessageKey }> = {
  active: { color: 'success', label: 'protection.keyStatus.active' },
  retired: { color: 'warning', label: 'protection.keyStatus.retired' },
  destroyed: { color: 'error', label: 'protection.keyStatus.destroyed' },
};

export const LOAD_MODES: readonly LoadMode[] = ['replace', 'append', 'upsert'];
export const LOAD_MODE: Record<LoadMode, { label: MessageKey; help: MessageKey }> = {
  replace: { label: 'protection.mode.replace', help: 'protection.mode.replaceHelp' },
  append: { label: 'protection.mode.append', help: 'protection.mode.appendHelp' },
  upsert: { label: 'protection.mode.upsert', help: 'protection.mode.upsertHelp' },
};

/** Source kinds the dataset store records (src/sources: kind of each reader). */
export const SOURCE_KIND: Record<string, string> = {
  csv: 'CSV',
  tsv: 'TSV',
  xlsx: 'XLSX',
  jsonl: 'JSON Lines',
  postgres: 'PostgreSQL',
  mysql: 'MySQL',
};

/**
 * Sealed rows still under a key other than the active one: what a rotation left for re-encryption. With no
 * active key (none yet, or destroyed) nothing can be moved, so nothing is pending.
 */
export function rowsAwaitingReencryption(keys: Pick<ResourceKeys, 'activeKeyId'>, dataset: Pick<DatasetInfo, 'sealedRowsByKey'>): number {
  if (!keys.activeKeyId) return 0;
  return dataset.sealedRowsByKey.filter((k) => k.keyId !== keys.activeKeyId).reduce((n, k) => n + k.rows, 0);
}

/** Rows per re-encryption call: about 20 steps for the progress bar, within the server's 1..200,000. */
export function reencryptBatch(total: number): number {
  return Math.min(20_000, Math.max(1, Math.ceil(total / 20)));
}

export const fmtCount = (n: number) => n.toLocaleString('zh-CN');
