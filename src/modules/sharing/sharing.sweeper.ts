// The sharing sweeper (LIF-10, DG-12 （七）): once a grant's term has ended (its term_end is before the Beijing
// date) it is marked 'expired' and a 'term_expired' deletion duty is opened for its recipient, in one
// transaction per grant batch. `shuan serve` runs it every minute; several server processes may: the batch
// runs under a transaction-scoped advisory lock (the others skip), and the duty's partial unique index makes
// a second opening a no-op, so a grant never gets two duties. A grant some other path marked expired without
// its duty gets the duty on the next sweep.

import { sql } from 'kysely';
import { PeriodicTask } from '../../app/periodic.ts';
import type { Db } from '../../db/database.ts';
import { beijingDate } from '../../engines/workdays/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import type { WorkdaysService } from '../workdays/workdays.service.ts';
import { openDeletionDuty, PLATFORM_ACTOR } from './duties.open.ts';

/** The sweeper's advisory lock (an arbitrary constant: 'SHUASWEP' as bytes). */
export const SHARING_SWEEPER_LOCK = 0x5348_5541_5357_4550n;
const BATCH = 200;

export interface SweepRun {
  /** Another process held the lock: nothing was done. */
  skipped: boolean;
  /** Grants marked expired. */
  expired: number;
  /** Deletion duties opened. */
  duties: number;
}

export class SharingSweeper {
  private readonly loop: PeriodicTask;

  constructor(
    private readonly db: Db,
    private readonly workdays: WorkdaysService,
    opts: { onError?: (err: unknown) => void } = {},
  ) {
    const onError = opts.onError ?? ((err) => console.error(`数安：共享授权到期处理失败 / sharing sweep failed: ${(err as Error).message}`));
    this.loop = new PeriodicTask(() => this.sweep(), onError);
  }

  /** Expires every grant whose term ended before `now`'s Beijing date and opens its deletion duty. */
  async sweep(now: Date = new Date()): Promise<SweepRun> {
    const total: SweepRun = { skipped: false, expired: 0, duties: 0 };
    for (;;) {
      const r = await this.batch(now);
      if (r.skipped) return { ...total, skipped: total.expired === 0 && total.duties === 0 };
      total.expired += r.expired;
      total.duties += r.duties;
      if (r.seen < BATCH) return total;
    }
  }

  private async batch(now: Date): Promise<SweepRun & { seen: number }> {
    const today = beijingDate(now);
    return this.db.transaction().execute(async (trx) => {
      const lock = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${SHARING_SWEEPER_LOCK}) AS ok`.execute(trx);
      if (!lock.rows[0]?.ok) return { skipped: true, expired: 0, duties: 0, seen: 0 };
      const grants = await trx
        .selectFrom('share_grants as g')
        .select(['g.id', 'g.number', 'g.status', 'g.term_end', 'g.recipient_institution_id', 'g.provider_institution_id', 'g.resource_id'])
        .where((eb) =>
          eb.or([
            eb.and([eb('g.status', '=', 'active'), eb('g.term_end', '<', today)]),
            eb.and([
              eb('g.status', '=', 'expired'),
              eb.not(
                eb.exists(eb.selectFrom('deletion_duties as d').select('d.id').whereRef('d.grant_id', '=', 'g.id').where('d.case_code', '=', 'term_expired')),
              ),
            ]),
          ]),
        )
        .orderBy('g.term_end')
        .orderBy('g.id')
        .limit(BATCH)
        .forUpdate()
        .execute();
      let expired = 0;
      let duties = 0;
      for (const g of grants) {
        if (g.status === 'active') {
          const reason = `授权期限已于 ${g.term_end} 届满 / the grant's term ended on ${g.term_end}`;
          await trx
            .updateTable('share_grants')
            .set({ status: 'expired', status_changed_at: now, status_changed_by: null, status_reason: reason, version: sql`version + 1` })
            .where('id', '=', g.id)
            .where('status', '=', 'active')
            .execute();
          await recordAudit(trx, PLATFORM_ACTOR, {
            action: 'sharing.grant.expire',
            target: { type: 'share_grant', id: g.id, institutionId: g.provider_institution_id },
            details: { number: g.number, termEnd: g.term_end, recipientInstitutionId: g.recipient_institution_id, resourceId: g.resource_id },
          });
          expired++;
        }
        const unfinished = await trx
          .selectFrom('deletion_duties')
          .select('id')
          .where('grant_id', '=', g.id)
          .where('case_code', '=', 'term_expired')
          .where('status', '<>', 'accepted')
          .executeTakeFirst();
        if (unfinished) continue;
        await openDeletionDuty(trx, this.workdays, {
          grantId: g.id,
          caseCode: 'term_expired',
          reason: `共享授权 ${g.number} 的期限已于 ${g.term_end} 届满，所获数据应予删除（《公共数据安全管理办法》第十二条（七））`,
          openedBy: null,
          openedAt: now,
        });
        duties++;
      }
      return { skipped: false, expired, duties, seen: grants.length };
    });
  }

  /** Runs the sweep now and then every `intervalMs` (the server); errors are reported, never thrown. */
  start(intervalMs = 60_000): void {
    this.loop.start(intervalMs, 0);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
