// AUD-2, AUD-4: verifying the chain in the database, proofs for single events, export bundles for
// regulators, and archiving under the retention rule. The operator's entry points (CLI) take no actor;
// the API's take one and check permission first.
import { sql } from 'kysely';
import { AppError, conflict, forbidden, ruleViolation } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import {
  type ArchiveRecord,
  archiveMessage,
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type BundleLine,
  type ChainProblem,
  ChainVerifier,
  type Checkpoint,
  canonicalEvent,
  chainMac,
  checkpointLine,
  eventLine,
  keyFingerprint,
  keyLine,
  type VerifyOutcome,
  verifyCheckpoint,
} from '../../engines/audit-chain/index.ts';
import { constantTimeEqual, type Sm2PublicKey, sm2Sign, sm2Verify, sm3 } from '../../engines/gm/index.ts';
import type { JobContext } from '../jobs/job-runner.ts';
import type { Job } from '../jobs/jobs.schemas.ts';
import type { JobKind, JobsService } from '../jobs/jobs.service.ts';
import { assertCanAnywhere } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import { recordAudit } from './audit.recorder.ts';
import { type AuditLog, CHAIN_EVENT_COLUMNS, CHAIN_LOCK, type ChainEventRow, chainEventOf, readWitness } from './audit.sealer.ts';
import type { AuditService } from './audit.service.ts';

export interface IntegrityReport extends VerifyOutcome {
  range: { from: string | null; to: string | null; firstPosition: number | null; lastPosition: number | null };
  /** Events written but not chained yet (a seal pass is due); not a problem by itself. */
  pending: number;
  witness: { status: 'ok' | 'absent' | 'problem'; position: number | null } | null;
  archives: number;
  elapsedMs: number;
  verifiedAt: string;
}

const BATCH = 5000;

/** AUD-2: the chain's verification as a background job (POST /api/audit/integrity/jobs). */
export const VERIFY_JOB = 'audit.verify';
/** Read and cancelled by whoever may verify (audit.read anywhere): the job covers the whole platform. */
export const VERIFY_JOB_KIND: JobKind = {
  read: 'audit.read',
  cancel: 'audit.read',
  label: { zh: '审计日志完整性校验', en: 'Audit log verification' },
  reach: 'platform',
};
const VERIFY_START_LOCK = 0x5348_5541_5645_5259n;
/** verifyLog reports progress at least this often (events), and at the end of every page. */
const PROGRESS_EVERY = 1000;

/** AUD-2: what a background verification passes to verifyLog; the report is the same with or without them. */
export interface VerifyHooks {
  /** Chain rows read so far of those in range (after the anchor). */
  progress?: (done: number, total: number) => void;
  /** Checked between pages; when aborted, verifyLog throws the signal's reason. */
  signal?: AbortSignal;
}

function toCheckpoint(r: { position: number; head_hash: Buffer; signed_at: Date; key_version: number; signature: Buffer }): Checkpoint {
  return { position: Number(r.position), headHash: r.head_hash, signedAt: r.signed_at.toISOString(), keyVersion: r.key_version, signature: r.signature };
}

export class AuditIntegrityService {
  constructor(
    private readonly db: Db,
    private readonly log: AuditLog,
    private readonly audit: AuditService,
  ) {}

  // ── operator entry points ────────────────────────────────────────────────────────────────────────

  /**
   * Verifies the chain. Without a range: from the start of the log (or the end of the archived part) to its
   * head, plus the completeness checks (events outside the chain, checkpoints beyond the head, the witness).
   * With a range (sealing time): the positions sealed in it, anchored on the MAC-checked position before.
   */
  async verifyLog(opts: { from?: Date; to?: Date } = {}, hooks: VerifyHooks = {}): Promise<IntegrityReport> {
    const started = Date.now();
    const keys = await this.log.signing.publicKeys();
    const macKey = this.log.macKey();
    const full = !opts.from && !opts.to;
    const archives = await this.db.selectFrom('audit_archives').selectAll().orderBy('first_position').execute();
    const bounds = await this.rangeBounds(opts);
    // The anchor: the archived range's signed end, the MAC-checked row before a partial range, or genesis.
    let anchor: { position: number; hash: Buffer } = { position: 0, hash: Buffer.alloc(32) };
    let anchorProblem: ChainProblem | null = null;
    const archiveEnd = archives.at(-1);
    for (const [i, a] of archives.entries()) {
      const expectedFirst = i === 0 ? 1 : Number(archives[i - 1]?.last_position) + 1;
      const key = keys.get(a.key_version);
      const rec: ArchiveRecord = {
        firstPosition: Number(a.first_position),
        lastPosition: Number(a.last_position),
        lastHash: a.last_hash,
        before: a.before.toISOString(),
        events: Number(a.events),
        bundleSm3: a.bundle_sm3,
      };
      if (!key || Number(a.first_position) !== expectedFirst || !sm2Verify(key, archiveMessage(rec, keyFingerprint(key)), a.signature)) {
        anchorProblem ??= {
          kind: 'archive_signature',
          position: Number(a.first_position),
          zh: `归档记录（位置 ${a.first_position}–${a.last_position}）签名无效或不连续`,
          en: `the archive record for ${a.first_position}–${a.last_position} has an invalid signature or leaves a gap`,
        };
      }
    }
    if (archiveEnd) anchor = { position: Number(archiveEnd.last_position), hash: archiveEnd.last_hash };
    const start = bounds.first;
    if (start !== null && start - 1 > anchor.position) {
      // A partial range starts from the nearest MAC-authenticated position before it.
      const prev = await this.db
        .selectFrom('audit_chain')
        .select(['position', 'hash', 'mac'])
        .where('position', '<=', start - 1)
        .where('position', '>', anchor.position)
        .where('mac', 'is not', null)
        .orderBy('position', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (prev?.mac && !constantTimeEqual(chainMac(macKey, Number(prev.position), prev.hash), prev.mac)) {
        anchorProblem ??= {
          kind: 'mac_mismatch',
          position: Number(prev.position),
          zh: `范围起点之前的链位置 ${prev.position} 的校验码不符`,
          en: `the MAC at ${prev.position} before the range does not match`,
        };
      } else if (prev) anchor = { position: Number(prev.position), hash: prev.hash };
    }
    const cpRows = await this.db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .where('position', '>', anchor.position)
      .$if(!full && bounds.last !== null, (q) => q.where('position', '<=', bounds.last as number))
      .execute();
    const verifier = new ChainVerifier({ anchor, macKey, keys, checkpoints: cpRows.map(toCheckpoint) });
    if (anchorProblem) verifier.fail(anchorProblem);
    if (bounds.first !== null && bounds.last !== null) {
      // Keyset pages over the chain; LEFT JOIN so a chain row whose event is gone is seen as such. Pages are
      // fetched by position ranges (gap-free by construction), the next one while this one is hashed.
      const last = bounds.last;
      // Progress: rows read of the positions after the anchor up to the range's end (gap-free by construction).
      const total = Math.max(0, last - anchor.position);
      let done = 0;
      hooks.progress?.(0, total);
      const page = (after: number) =>
        sql<ChainEventRow & { position: number; hash: Buffer; mac: Buffer | null; event_id: string; present: string | null }>`
          SELECT c.position, c.hash, c.mac, c.event_id, e.id AS present, ${CHAIN_EVENT_COLUMNS}
          FROM audit_chain c LEFT JOIN audit_events e ON e.id = c.event_id
          WHERE c.position > ${after} AND c.position <= ${last}
          ORDER BY c.position LIMIT ${BATCH}`.execute(this.db);
      let next = page(anchor.position);
      for (;;) {
        const rows = (await next).rows;
        // Cancellation between pages (nothing prefetched at this point): the signal's reason is thrown.
        hooks.signal?.throwIfAborted();
        const tail = Number(rows.at(-1)?.position);
        const more = rows.length === BATCH;
        if (more) next = page(tail);
        for (const r of rows) {
          if (!verifier.push({ position: Number(r.position), hash: r.hash, mac: r.mac, event: r.present ? chainEventOf(r) : null })) break;
          if (++done % PROGRESS_EVERY === 0) hooks.progress?.(done, total);
        }
        hooks.progress?.(done, total);
        if (!more || verifier.problem) {
          if (more) await next.catch(() => {});
          break;
        }
      }
    }
    let witness: IntegrityReport['witness'] = null;
    if (full) {
      const outside = await sql<{ id: string; seq: number }>`
        SELECT e.id, e.seq FROM audit_events e
        WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)
          AND NOT EXISTS (SELECT 1 FROM audit_pending p WHERE p.event_id = e.id)
        ORDER BY e.seq LIMIT 1`.execute(this.db);
      const stray = outside.rows[0];
      if (stray) {
        verifier.fail({
          kind: 'unchained_event',
          position: null,
          eventId: stray.id,
          zh: `事件 ${stray.id}（序号 ${stray.seq}）不在哈希链中：被直接插入数据库，或其链记录被删除`,
          en: `event ${stray.id} (seq ${stray.seq}) is not on the chain: inserted directly, or its chain row was deleted`,
        });
      }
      witness = await this.checkWitness(verifier, keys);
    }
    const pending = await this.db
      .selectFrom('audit_pending')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const outcome = verifier.finish({ requireMacAtHead: full });
    return {
      ...outcome,
      range: { from: opts.from?.toISOString() ?? null, to: opts.to?.toISOString() ?? null, firstPosition: bounds.first, lastPosition: bounds.last },
      pending: Number(pending.n),
      witness,
      archives: archives.length,
      elapsedMs: Date.now() - started,
      verifiedAt: new Date().toISOString(),
    };
  }

  private async rangeBounds(opts: { from?: Date; to?: Date }): Promise<{ first: number | null; last: number | null }> {
    let q = this.db.selectFrom('audit_chain').select((eb) => [eb.fn.min('position').as('first'), eb.fn.max('position').as('last')]);
    if (opts.from) q = q.where('sealed_at', '>=', opts.from);
    if (opts.to) q = q.where('sealed_at', '<', opts.to);
    const r = await q.executeTakeFirstOrThrow();
    return { first: r.first === null ? null : Number(r.first), last: r.last === null ? null : Number(r.last) };
  }

  /** The witness outside the database must still be on the chain: a rolled-back database no longer holds it. */
  private async checkWitness(verifier: ChainVerifier, keys: Map<number, Sm2PublicKey>): Promise<IntegrityReport['witness']> {
    const path = this.log.witnessPath;
    if (!path) return null;
    const w = readWitness(path);
    if (!w) return { status: 'absent', position: null };
    const key = keys.get(w.keyVersion);
    const cp: Checkpoint = {
      position: w.position,
      headHash: Buffer.from(w.headHash, 'hex'),
      signedAt: w.signedAt,
      keyVersion: w.keyVersion,
      signature: Buffer.from(w.signature, 'hex'),
    };
    if (!key || !verifyCheckpoint(key, cp)) {
      verifier.fail({ kind: 'witness_mismatch', position: w.position, zh: '见证文件的签名无效', en: 'the witness file’s signature is invalid' });
      return { status: 'problem', position: w.position };
    }
    const row = await this.db.selectFrom('audit_chain').select('hash').where('position', '=', w.position).executeTakeFirst();
    if (!row) {
      const head = await this.log.readHead(this.db);
      verifier.fail({
        kind: 'witness_rolled_back',
        position: head.position + 1,
        zh: `日志只到位置 ${head.position}，而 ${w.signedAt} 签署的见证记录已到位置 ${w.position}：日志被回滚或截断`,
        en: `the log ends at ${head.position} but the witness signed at ${w.signedAt} reached ${w.position}: the log was rolled back or truncated`,
      });
      return { status: 'problem', position: w.position };
    }
    if (!constantTimeEqual(row.hash, cp.headHash)) {
      verifier.fail({
        kind: 'witness_mismatch',
        position: w.position,
        zh: `位置 ${w.position} 的链哈希与见证文件不符：日志被替换或回滚后重写`,
        en: `the chain hash at ${w.position} differs from the witness: the log was replaced or rewritten`,
      });
      return { status: 'problem', position: w.position };
    }
    return { status: 'ok', position: w.position };
  }

  /**
   * The lines of an export bundle for the positions sealed in [from, to). Verifies the range first (an
   * export never signs over a broken chain), signs a checkpoint at its last position if none is there.
   */
  async exportBundle(opts: { from?: Date; to?: Date }): Promise<{ lines: AsyncGenerator<string>; events: number; first: number | null; last: number | null }> {
    await this.log.flush();
    const report = await this.verifyLog(opts.from || opts.to ? opts : {});
    if (!report.ok) {
      throw conflict(
        'AUDIT_CHAIN_BROKEN',
        `审计日志校验未通过，不能导出：${report.problem?.zh}`,
        `The audit log does not verify; nothing exported: ${report.problem?.en}`,
        {
          problem: report.problem,
        },
      );
    }
    return this.bundleFor(report.range.firstPosition, report.range.lastPosition, {
      from: opts.from?.toISOString() ?? null,
      to: opts.to?.toISOString() ?? null,
      events: report.checkedEvents,
    });
  }

  /** The bundle of positions [first, last] (verified by the caller); signs a checkpoint at `last` if needed. */
  private async bundleFor(first: number | null, last: number | null, label: { from: string | null; to: string | null; events: number }) {
    if (last !== null) await this.ensureCheckpointAt(last);
    const anchor = first === null ? null : await this.anchorBefore(first);
    const db = this.db;
    const keys = await this.log.signing.publicKeys();
    const { from, to } = label;
    async function* lines(): AsyncGenerator<string> {
      const out = (l: BundleLine) => `${JSON.stringify(l)}\n`;
      yield out({
        type: 'header',
        format: BUNDLE_FORMAT,
        version: BUNDLE_VERSION,
        exportedAt: new Date().toISOString(),
        from,
        to,
        anchor: { position: anchor?.position ?? 0, hash: (anchor?.hash ?? Buffer.alloc(32)).toString('hex') },
      });
      for (const [version, key] of keys) yield out(keyLine(version, key));
      let n = 0;
      if (first !== null && last !== null) {
        const cps = await db
          .selectFrom('audit_checkpoints')
          .selectAll()
          .where('position', '>=', first)
          .where('position', '<=', last)
          .orderBy('position')
          .execute();
        for (const c of cps) yield out(checkpointLine(toCheckpoint(c)));
        let after = first - 1;
        for (;;) {
          const rows = await sql<ChainEventRow & { position: number; hash: Buffer }>`
            SELECT c.position, c.hash, ${CHAIN_EVENT_COLUMNS}
            FROM audit_chain c JOIN audit_events e ON e.id = c.event_id
            WHERE c.position > ${after} AND c.position <= ${last} ORDER BY c.position LIMIT ${BATCH}`.execute(db);
          for (const r of rows.rows) {
            n++;
            yield `${eventLine(Number(r.position), r.hash, chainEventOf(r))}\n`;
          }
          if (rows.rows.length < BATCH) break;
          after = Number(rows.rows.at(-1)?.position);
        }
      }
      yield out({ type: 'footer', events: n });
    }
    return { lines: lines(), events: label.events, first, last };
  }

  private async anchorBefore(first: number): Promise<{ position: number; hash: Buffer }> {
    if (first <= 1) return { position: 0, hash: Buffer.alloc(32) };
    const row = await this.db
      .selectFrom('audit_chain')
      .select(['position', 'hash'])
      .where('position', '=', first - 1)
      .executeTakeFirst();
    if (row) return { position: Number(row.position), hash: row.hash };
    const a = await this.db
      .selectFrom('audit_archives')
      .select(['last_position', 'last_hash'])
      .where('last_position', '=', first - 1)
      .executeTakeFirst();
    if (a) return { position: Number(a.last_position), hash: a.last_hash };
    throw new AppError('AUDIT_CHAIN_BROKEN', 409, `链位置 ${first - 1} 不存在`, `chain position ${first - 1} does not exist`);
  }

  private async ensureCheckpointAt(position: number): Promise<void> {
    const have = await this.db.selectFrom('audit_checkpoints').select('position').where('position', '=', position).executeTakeFirst();
    if (have) return;
    const row = await this.db.selectFrom('audit_chain').select('hash').where('position', '=', position).executeTakeFirstOrThrow();
    await this.log.signCheckpointAt(this.db, position, row.hash);
  }

  /**
   * AUD-4 retention: archives every chained event that occurred before `before` (which must be older than
   * the legal minimum) into a signed bundle written by `write`, records the archive, then removes the range.
   */
  async archive(
    before: Date,
    write: (lines: AsyncGenerator<string>) => Promise<{ sm3: Buffer; fileName: string }>,
    by: { userId: string | null; username: string | null; institutionId: string | null } = { userId: null, username: 'system', institutionId: null },
  ): Promise<{ events: number; first: number; last: number } | null> {
    const cutoff = await sql<{ cutoff: Date }>`SELECT audit_retention_cutoff() AS cutoff`.execute(this.db);
    const limit = cutoff.rows[0]?.cutoff as Date;
    if (before > limit) {
      throw ruleViolation(
        'AUDIT_RETENTION',
        `审计日志至少保存到 ${limit.toISOString().slice(0, 10)} 之前的部分才能归档（法定最短保存期限）`,
        `only events older than ${limit.toISOString().slice(0, 10)} may be archived (legal minimum retention)`,
      );
    }
    await this.log.flush();
    const first = await this.db
      .selectFrom('audit_chain')
      .select((eb) => eb.fn.min('position').as('p'))
      .executeTakeFirstOrThrow();
    const start = first.p === null ? null : Number(first.p);
    if (start === null) return null;
    const firstYounger = await sql<{ p: number | null }>`
      SELECT min(c.position) AS p FROM audit_chain c JOIN audit_events e ON e.id = c.event_id WHERE e.occurred_at >= ${before}`.execute(this.db);
    const head = await this.log.readHead(this.db);
    const end = firstYounger.rows[0]?.p == null ? head.position : Number(firstYounger.rows[0].p) - 1;
    if (end < start) return null;
    const lastRow = await this.db.selectFrom('audit_chain').select('hash').where('position', '=', end).executeTakeFirstOrThrow();
    const report = await this.verifyLog();
    if (!report.ok) {
      throw conflict(
        'AUDIT_CHAIN_BROKEN',
        `审计日志校验未通过，不能归档：${report.problem?.zh}`,
        `The audit log does not verify; nothing archived: ${report.problem?.en}`,
        {
          problem: report.problem,
        },
      );
    }
    const bundle = await this.bundleFor(start, end, { from: null, to: before.toISOString(), events: end - start + 1 });
    const written = await write(bundle.lines);
    const signer = await this.log.signing.signingKey();
    const rec: ArchiveRecord = {
      firstPosition: start,
      lastPosition: end,
      lastHash: lastRow.hash,
      before: before.toISOString(),
      events: end - start + 1,
      bundleSm3: written.sm3,
    };
    const signature = sm2Sign(signer.key, archiveMessage(rec, signer.fingerprint));
    await this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
      await trx
        .insertInto('audit_archives')
        .values({
          id: uuidv7(),
          first_position: start,
          last_position: end,
          last_hash: lastRow.hash,
          before,
          events: rec.events,
          bundle_sm3: written.sm3,
          file_name: written.fileName,
          key_version: signer.version,
          signature,
          created_by: by.userId,
        })
        .execute();
      await sql`DELETE FROM audit_events e USING audit_chain c WHERE c.event_id = e.id AND c.position BETWEEN ${start} AND ${end}`.execute(trx);
      await trx.deleteFrom('audit_chain').where('position', '>=', start).where('position', '<=', end).execute();
      await recordAudit(trx, by, {
        action: 'audit.archive',
        target: { type: 'audit_log', id: `${start}-${end}` },
        details: { first: start, last: end, events: rec.events, before: rec.before, file: written.fileName },
      });
    });
    await this.log.flush();
    return { events: rec.events, first: start, last: end };
  }

  // ── API entry points (actor first) ──────────────────────────────────────────────────────────────

  async verify(actor: Actor, opts: { from?: string; to?: string }): Promise<IntegrityReport> {
    assertCanAnywhere(actor, 'audit.read');
    await this.log.flush();
    return this.verifyLog({ from: opts.from ? new Date(opts.from) : undefined, to: opts.to ? new Date(opts.to) : undefined });
  }

  /**
   * POST /api/audit/integrity/jobs (AUD-2, issue 6): the same verification as a background job, for logs too
   * big to verify inside a request. One at a time platform-wide: while one is queued or running, a second
   * start is refused with 409 AUDIT_VERIFY_RUNNING naming it (details.jobId), which every caller allowed to
   * start one may follow (the kind's reach is the platform). Starting is audited with the job row.
   */
  async startVerifyJob(actor: Actor, opts: { from?: string; to?: string }, jobs: JobsService): Promise<Job> {
    assertCanAnywhere(actor, 'audit.read');
    const id = await this.db.transaction().execute(async (trx) => {
      // Two starts at once: the second waits for the first's commit and then sees its job.
      await sql`SELECT pg_advisory_xact_lock(${VERIFY_START_LOCK})`.execute(trx);
      const running = await jobs.active(trx, VERIFY_JOB);
      if (running) {
        throw conflict(
          'AUDIT_VERIFY_RUNNING',
          '已有审计日志完整性校验任务在进行，请等待其结束',
          'An audit log verification is already queued or running; wait for it to end',
          { jobId: running },
        );
      }
      const params = { from: opts.from ?? null, to: opts.to ?? null };
      const jobId = await jobs.enqueue(trx, actor, { kind: VERIFY_JOB, institutionId: actor.institutionId, params });
      await recordAudit(trx, actor, {
        action: 'audit.verify.start',
        target: { type: 'job', id: jobId, institutionId: actor.institutionId },
        details: { kind: VERIFY_JOB, ...params },
      });
      return jobId;
    });
    return jobs.get(actor, id);
  }

  /** The worker's side of `audit.verify`: verifyLog with progress (events), stopping between pages when cancelled. */
  async runVerifyJob(ctx: JobContext): Promise<Record<string, unknown>> {
    const at = (v: unknown) => (typeof v === 'string' ? new Date(v) : undefined);
    await this.log.flush();
    const report = await this.verifyLog(
      { from: at(ctx.params.from), to: at(ctx.params.to) },
      { signal: ctx.signal, progress: (done, total) => ctx.progress({ done, total, unit: 'events' }) },
    );
    return { ...report };
  }

  /** The bundle holds every institution's events: only auditors whose reach covers the platform export it. */
  async exportFor(actor: Actor, opts: { from?: string; to?: string }) {
    assertCanAnywhere(actor, 'audit.read');
    if (!(await this.audit.seesPlatform(actor)))
      throw forbidden('导出审计日志包需要覆盖全平台的审计权限', 'Exporting the audit bundle needs platform-wide audit reach');
    const bundle = await this.exportBundle({ from: opts.from ? new Date(opts.from) : undefined, to: opts.to ? new Date(opts.to) : undefined });
    await recordAudit(this.db, actor, {
      action: 'audit.export',
      target: { type: 'audit_log', id: `${bundle.first ?? 0}-${bundle.last ?? 0}` },
      details: { from: opts.from ?? null, to: opts.to ?? null, events: bundle.events },
    });
    return bundle;
  }

  async publicKey(actor: Actor) {
    assertCanAnywhere(actor, 'audit.read');
    const signer = await this.log.signing.signingKey();
    const keys = await this.log.signing.publicKeys();
    return {
      active: signer.version,
      canExport: await this.audit.seesPlatform(actor),
      keys: [...keys].map(([version, key]) => ({ version, algorithm: 'SM2', publicKeyPem: key.toPem(), fingerprint: keyFingerprint(key) })),
    };
  }

  async checkpoints(actor: Actor, q: { page?: number; pageSize?: number }) {
    assertCanAnywhere(actor, 'audit.read');
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const total = await this.db
      .selectFrom('audit_checkpoints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const rows = await this.db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .orderBy('position', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return {
      items: rows.map((r) => ({
        position: Number(r.position),
        headHash: r.head_hash.toString('hex'),
        signedAt: r.signed_at.toISOString(),
        keyVersion: r.key_version,
        signature: r.signature.toString('hex'),
      })),
      total: Number(total.n),
      page,
      pageSize,
    };
  }

  /** An event's proof: its place on the chain, its encoding, and the signed checkpoint that covers it. */
  async proof(actor: Actor, eventId: string) {
    const event = await this.audit.visibleEvent(actor, eventId);
    await this.log.flush();
    const link = await this.db.selectFrom('audit_chain').select(['position', 'hash', 'sealed_at']).where('event_id', '=', eventId).executeTakeFirst();
    if (!link) return { event, chained: false as const, position: null, hash: null, previousHash: null, canonical: null, checkpoint: null, verified: false };
    const position = Number(link.position);
    const prev = position > 1 ? await this.anchorBefore(position) : { position: 0, hash: Buffer.alloc(32) };
    const row = await sql<ChainEventRow>`SELECT ${CHAIN_EVENT_COLUMNS} FROM audit_events e WHERE e.id = ${eventId}`.execute(this.db);
    const canonical = canonicalEvent(position, chainEventOf(row.rows[0] as ChainEventRow));
    const cpRow = await this.db.selectFrom('audit_checkpoints').selectAll().where('position', '>=', position).orderBy('position').limit(1).executeTakeFirst();
    let verified = constantTimeEqual(sm3(Buffer.concat([prev.hash, canonical])), link.hash);
    let checkpoint = null;
    if (cpRow) {
      const cp = toCheckpoint(cpRow);
      const keys = await this.log.signing.publicKeys();
      const key = keys.get(cp.keyVersion);
      // Walk from the event to its checkpoint: the proof holds only if every link in between does.
      if (verified) {
        const v = new ChainVerifier({ anchor: prev, macKey: this.log.macKey(), keys, checkpoints: [cp] });
        const rows = await sql<ChainEventRow & { position: number; hash: Buffer; mac: Buffer | null; present: string | null }>`
          SELECT c.position, c.hash, c.mac, e.id AS present, ${CHAIN_EVENT_COLUMNS}
          FROM audit_chain c LEFT JOIN audit_events e ON e.id = c.event_id
          WHERE c.position >= ${position} AND c.position <= ${cp.position} ORDER BY c.position`.execute(this.db);
        for (const r of rows.rows) if (!v.push({ position: Number(r.position), hash: r.hash, mac: r.mac, event: r.present ? chainEventOf(r) : null })) break;
        const out = v.finish();
        verified = out.ok && out.checkpointsVerified === 1;
      }
      checkpoint = {
        position: cp.position,
        headHash: cp.headHash.toString('hex'),
        signedAt: cp.signedAt,
        keyVersion: cp.keyVersion,
        signature: cp.signature.toString('hex'),
        fingerprint: key ? keyFingerprint(key) : null,
      };
    }
    return {
      event,
      chained: true as const,
      position,
      sealedAt: link.sealed_at.toISOString(),
      hash: link.hash.toString('hex'),
      previousHash: prev.hash.toString('hex'),
      canonical: canonical.toString('utf8'),
      checkpoint,
      verified,
    };
  }
}
