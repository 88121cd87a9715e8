// AUD-2: the chain verifier, streaming and pure. Fed entries in position order (from the database or from an
// exported bundle) it recomputes every link, checks the operator's MACs when it has the key, and checks each
// signed checkpoint when it reaches its position. It stops at the first problem: that position is where
// the log stops being trustworthy.

import type { Sm2PublicKey } from '../gm/index.ts';
import { constantTimeEqual } from '../gm/index.ts';
import { digestWords, Sm3Link, wordsDigest } from '../gm/sm3-fast.ts';
import { type ChainEvent, canonicalArray, chainMac, EVENT_PREFIX_BYTES } from './canonical.ts';
import { type Checkpoint, verifyCheckpoint } from './checkpoint.ts';

export type ChainProblemKind =
  | 'position_gap'
  | 'missing_event'
  | 'hash_mismatch'
  | 'mac_mismatch'
  | 'mac_missing'
  | 'checkpoint_unknown_key'
  | 'checkpoint_signature'
  | 'checkpoint_mismatch'
  | 'checkpoint_beyond_head'
  | 'uncovered_tail'
  | 'unchained_event'
  | 'witness_rolled_back'
  | 'witness_mismatch'
  | 'archive_signature'
  | 'bundle_malformed'
  | 'bundle_truncated'
  | 'key_fingerprint';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The first position that can no longer be trusted (null: not tied to one position). */
  position: number | null;
  eventId?: string;
  zh: string;
  en: string;
}

export interface ChainEntry {
  position: number;
  hash: Buffer;
  mac?: Buffer | null;
  /** null: the chain row's event is gone. */
  event: ChainEvent | null;
}

export interface VerifyOutcome {
  ok: boolean;
  checkedEvents: number;
  checkpointsVerified: number;
  /** Bytes of canonical event encoding hashed (for throughput figures). */
  bytesHashed: number;
  first: number | null;
  head: { position: number; hash: string } | null;
  lastCheckpoint: { position: number; signedAt: string } | null;
  problem: ChainProblem | null;
}

export interface VerifierOptions {
  /** The position before the first entry and its hash (0 and 32 zero bytes from the start of the log). */
  anchor: { position: number; hash: Buffer };
  /** The operator's MAC key; without it (a regulator offline) MACs are not checked. */
  macKey?: Buffer;
  keys: ReadonlyMap<number, Sm2PublicKey>;
  /** Checkpoints after the anchor, any order. */
  checkpoints: readonly Checkpoint[];
}

/** A chain row carries a MAC at least this often (the most events one write of the sealer chains). */
export const MAX_MAC_GAP = 4000;

/** The position the chain expected next is not the one that came: something in between was removed. */
const gap = (expected: number, got: number): ChainProblem =>
  problem(
    'position_gap',
    expected,
    `链位置 ${expected} 缺失（下一条为 ${got}）：事件被删除或截断`,
    `position ${expected} is missing (next is ${got}): events were deleted`,
  );

const problem = (kind: ChainProblemKind, position: number | null, zh: string, en: string, eventId?: string): ChainProblem => ({
  kind,
  position,
  zh,
  en,
  ...(eventId ? { eventId } : {}),
});

export class ChainVerifier {
  private prevPosition: number;
  private readonly checkpoints = new Map<number, Checkpoint>();
  private checked = 0;
  private verifiedCheckpoints = 0;
  private bytes = 0;
  private firstPosition: number | null = null;
  private lastCheckpoint: Checkpoint | null = null;
  private found: ChainProblem | null = null;
  private lastMac: number;
  // Links are hashed by Sm3Link (sm3-fast.ts): the previous hash and the one being computed are eight int32
  // words each, never bytes; a computed link becomes `prev` only once it matched the stored hash, so after a
  // problem `prev` is still the last trusted head. Issue 6: verification ≥ 0.5× `openssl dgst -sm3`.
  private readonly link = new Sm3Link(EVENT_PREFIX_BYTES);
  private prev: Int32Array;
  private work: Int32Array = new Int32Array(8);
  /** The stored hash of the entry being checked, as words. */
  private readonly storedWords = new Int32Array(8);

  constructor(private readonly opts: VerifierOptions) {
    this.prevPosition = opts.anchor.position;
    this.prev = digestWords(opts.anchor.hash);
    this.lastMac = opts.anchor.position;
    for (const c of opts.checkpoints) if (c.position > opts.anchor.position) this.checkpoints.set(c.position, c);
  }

  get problem(): ChainProblem | null {
    return this.found;
  }

  /** Feeds the next entry; returns false once a problem was found (further entries are ignored). */
  push(entry: ChainEntry): boolean {
    if (this.found) return false;
    const expected = this.prevPosition + 1;
    if (entry.position !== expected) return this.fail(gap(expected, entry.position));
    if (!entry.event) {
      return this.fail(
        problem(
          'missing_event',
          expected,
          `链位置 ${expected} 的事件已不存在：事件被删除`,
          `the event chained at ${expected} no longer exists: it was deleted`,
        ),
      );
    }
    const array = Buffer.from(canonicalArray(expected, entry.event), 'utf8');
    return this.linkAndAccept(
      expected,
      entry.hash.length === 32 ? digestWords(entry.hash, this.storedWords) : null,
      array,
      new DataView(array.buffer, array.byteOffset, array.byteLength),
      0,
      array.length,
      entry.mac ?? null,
      entry.hash,
      entry.event.id,
    );
  }

  /**
   * Feeds an event as an export bundle carries it: the canonical array's UTF-8 bytes, hashed as read (no
   * parsing, no re-encoding: this is what makes offline verification run near the hash's own speed).
   */
  pushEncoded(position: number, hash: Buffer, arrayBytes: Uint8Array): boolean {
    const stored = hash.length === 32 ? digestWords(hash, this.storedWords) : null;
    return this.pushEncodedRange(
      position,
      stored,
      arrayBytes,
      new DataView(arrayBytes.buffer, arrayBytes.byteOffset, arrayBytes.byteLength),
      0,
      arrayBytes.length,
    );
  }

  /**
   * pushEncoded over a range of a larger buffer (the bundle reader's read buffer, `view` a DataView over the
   * same bytes), with the stored hash already as 8 words (null: not a 32-byte hash, so it cannot match): no
   * copy, no allocation per event.
   */
  pushEncodedRange(position: number, stored: Int32Array | null, data: Uint8Array, view: DataView, start: number, end: number): boolean {
    if (this.found) return false;
    const expected = this.prevPosition + 1;
    if (position !== expected) return this.fail(gap(expected, position));
    return this.linkAndAccept(expected, stored, data, view, start, end, null, null);
  }

  /**
   * Hashes the link at `expected` and accepts it if it equals the stored hash. The comparison is not
   * constant-time on purpose: both hashes are public (they are in the bundle, and a tamperer learns nothing
   * from timing that the file does not tell); the MAC, keyed, is compared in constant time.
   */
  private linkAndAccept(
    expected: number,
    stored: Int32Array | null,
    data: Uint8Array,
    view: DataView,
    start: number,
    end: number,
    mac: Buffer | null,
    storedBytes: Buffer | null,
    eventId?: string,
  ): boolean {
    const work = this.work;
    work.set(this.prev);
    this.link.next(work, data, view, start, end);
    this.bytes += EVENT_PREFIX_BYTES.length + (end - start);
    let same = stored !== null;
    for (let k = 0; same && k < 8; k++) same = work[k] === stored?.[k];
    if (!same) {
      return this.fail(
        problem(
          'hash_mismatch',
          expected,
          `链位置 ${expected} 的事件与入链时不一致：事件被修改、替换或调换顺序`,
          `the event at ${expected} differs from what was chained: edited, replaced or reordered`,
          eventId,
        ),
      );
    }
    return this.accept(expected, mac, storedBytes, eventId);
  }

  /** The link at `expected` matched (`work` holds it): MAC rules, then it becomes the head; its checkpoint, if any. */
  private accept(expected: number, mac: Buffer | null, hash: Buffer | null, eventId?: string): boolean {
    if (this.opts.macKey) {
      if (mac && hash) {
        if (!constantTimeEqual(chainMac(this.opts.macKey, expected, hash), mac)) {
          return this.fail(
            problem(
              'mac_mismatch',
              expected,
              `链位置 ${expected} 的校验码不符：哈希链被人重新计算`,
              `the MAC at ${expected} does not match: the chain was recomputed`,
              eventId,
            ),
          );
        }
        this.lastMac = expected;
      } else if (expected - this.lastMac > MAX_MAC_GAP) {
        return this.fail(
          problem(
            'mac_missing',
            expected,
            `链位置 ${this.lastMac + 1}–${expected} 没有校验码：校验码被删除`,
            `positions ${this.lastMac + 1}–${expected} carry no MAC: MACs were removed`,
          ),
        );
      }
    }
    const head = this.work;
    this.work = this.prev;
    this.prev = head;
    this.prevPosition = expected;
    this.firstPosition ??= expected;
    this.checked++;
    const cp = this.checkpoints.get(expected);
    if (cp && !this.checkCheckpoint(cp)) return false;
    return true;
  }

  private checkCheckpoint(cp: Checkpoint): boolean {
    const key = this.opts.keys.get(cp.keyVersion);
    if (!key) {
      return this.fail(
        problem(
          'checkpoint_unknown_key',
          cp.position,
          `检查点 ${cp.position} 引用了未知签名密钥版本 ${cp.keyVersion}`,
          `checkpoint ${cp.position} names an unknown key version ${cp.keyVersion}`,
        ),
      );
    }
    if (!verifyCheckpoint(key, cp)) {
      return this.fail(
        problem('checkpoint_signature', cp.position, `检查点 ${cp.position} 的 SM2 签名无效`, `the SM2 signature of checkpoint ${cp.position} is invalid`),
      );
    }
    if (!constantTimeEqual(cp.headHash, wordsDigest(this.prev))) {
      return this.fail(
        problem(
          'checkpoint_mismatch',
          cp.position,
          `检查点 ${cp.position} 签署的链头与现有日志不符：此前的事件被改动后重新计算了哈希链`,
          `checkpoint ${cp.position} signed another chain head: events before it were changed and the chain recomputed`,
        ),
      );
    }
    this.verifiedCheckpoints++;
    this.lastCheckpoint = cp;
    return true;
  }

  /**
   * Ends the run. `requireCoverage`: every event must lie at or before a signed checkpoint (bundles).
   * `requireMacAtHead`: the last position must carry a MAC (every committed write ends with one).
   */
  finish(opts: { requireCoverage?: boolean; requireMacAtHead?: boolean } = {}): VerifyOutcome {
    if (!this.found && opts.requireMacAtHead && this.opts.macKey && this.checked > 0 && this.lastMac < this.prevPosition) {
      this.fail(
        problem(
          'mac_missing',
          this.lastMac + 1,
          `链末端位置 ${this.lastMac + 1}–${this.prevPosition} 没有校验码：有人在末尾追加或改写了事件`,
          `the last positions ${this.lastMac + 1}–${this.prevPosition} carry no MAC: events were appended or rewritten at the end`,
        ),
      );
    }
    if (!this.found) {
      const beyond = [...this.checkpoints.keys()].filter((p) => p > this.prevPosition).sort((a, b) => a - b)[0];
      if (beyond !== undefined) {
        this.fail(
          problem(
            'checkpoint_beyond_head',
            this.prevPosition + 1,
            `检查点 ${beyond} 超出日志末尾 ${this.prevPosition}：日志被截断`,
            `checkpoint ${beyond} lies beyond the end of the log (${this.prevPosition}): the log was truncated`,
          ),
        );
      } else if (opts.requireCoverage && this.checked > 0 && (this.lastCheckpoint?.position ?? 0) < this.prevPosition) {
        const from = (this.lastCheckpoint?.position ?? this.opts.anchor.position) + 1;
        this.fail(
          problem(
            'uncovered_tail',
            from,
            `位置 ${from}–${this.prevPosition} 的事件没有签名检查点覆盖`,
            `events ${from}–${this.prevPosition} are not covered by a signed checkpoint`,
          ),
        );
      }
    }
    return {
      ok: !this.found,
      checkedEvents: this.checked,
      checkpointsVerified: this.verifiedCheckpoints,
      bytesHashed: this.bytes,
      first: this.firstPosition,
      head: this.checked ? { position: this.prevPosition, hash: wordsDigest(this.prev).toString('hex') } : null,
      lastCheckpoint: this.lastCheckpoint ? { position: this.lastCheckpoint.position, signedAt: this.lastCheckpoint.signedAt } : null,
      problem: this.found,
    };
  }

  /** Records a problem found outside the entry stream (witness, unchained events); the first one stays. */
  fail(p: ChainProblem): false {
    this.found ??= p;
    return false;
  }
}
