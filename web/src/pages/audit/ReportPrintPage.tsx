// The printable audit report (AUD-4): an archived report laid out for A4 paper, Chinese fonts, Beijing times,
// the file's SM3 and the vendor review (AUD-5) with the signature lines a paper report carries. Outside the
// app frame; the print button (window.print) is not printed.
import { useQuery } from '@tanstack/react-query';
import { Button, Space } from 'antd';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api.ts';
import type { Counts, ReportEvent, StoredReport } from '../../auditReportTypes.ts';
import { ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import { fmtDateTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import { useAuditLabels } from './reportParts.tsx';

const PRINT_CSS = `
@page { size: A4; margin: 16mm 14mm; }
.report-print { max-width: 182mm; margin: 0 auto; padding: 24px 0 48px; color: #000; background: #fff;
  font-family: 'Noto Serif CJK SC', 'Source Han Serif SC', 'Songti SC', SimSun, 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', serif;
  font-size: 11pt; line-height: 1.55; }
.report-print h1 { font-size: 20pt; text-align: center; margin: 0 0 4pt; letter-spacing: 2pt; }
.report-print .subtitle { text-align: center; margin-bottom: 14pt; }
.report-print h2 { font-size: 13pt; margin: 16pt 0 6pt; border-bottom: 1px solid #000; padding-bottom: 2pt; break-after: avoid; }
.report-print table { width: 100%; border-collapse: collapse; margin: 4pt 0 8pt; font-size: 9.5pt; }
.report-print th, .report-print td { border: 1px solid #444; padding: 2pt 4pt; text-align: left; vertical-align: top; word-break: break-all; }
.report-print th { background: #eee; font-weight: 600; }
.report-print td.num, .report-print th.num { text-align: right; white-space: nowrap; }
.report-print tr { break-inside: avoid; }
.report-print .muted { color: #555; font-size: 9pt; }
.report-print .signatures { display: flex; justify-content: space-between; margin-top: 28pt; }
@media print { .no-print { display: none !important; } body { background: #fff; } }
`;

function Num({ children }: { children: ReactNode }) {
  return <td className="num">{children}</td>;
}
const countCells = (c: Counts) => (
  <>
    <Num>{c.total}</Num>
    <Num>{c.success}</Num>
    <Num>{c.failure}</Num>
    <Num>{c.denied}</Num>
  </>
);

export default function ReportPrintPage() {
  const { id } = useParams();
  const t = useT();
  const l = useAuditLabels();
  const q = useQuery({ queryKey: ['audit', 'reports', 'stored', id], queryFn: () => api.get<StoredReport>(`/api/audit/reports/${id}`) });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorResult error={q.error} onRetry={() => q.refetch()} />;
  const s = q.data;
  const r = s.report;
  const countHead = (
    <>
      <th className="num">{t('auditReport.total')}</th>
      <th className="num">{t('audit.outcomeSuccess')}</th>
      <th className="num">{t('audit.outcomeFailure')}</th>
      <th className="num">{t('audit.outcomeDenied')}</th>
    </>
  );
  const eventRows = (events: (ReportEvent & { kind?: string })[], withKind: boolean) =>
    events.map((e) => (
      <tr key={e.id}>
        <td style={{ whiteSpace: 'nowrap' }}>{fmtDateTime(e.occurredAt)}</td>
        {withKind && <td>{l.kind(e.kind ?? '')}</td>}
        <td>{e.actorUsername ?? t('audit.anonymous')}</td>
        <td>
          {l.action(e.action) || e.action}
          <div className="muted">{e.action}</div>
        </td>
        <td>{e.targetType ? `${e.targetType}${e.targetId ? ` · ${e.targetId}` : ''}` : '—'}</td>
        <td>{l.outcome(e.outcome)}</td>
      </tr>
    ));
  const i = r.integrity;
  return (
    <div data-testid="report-print">
      <style>{PRINT_CSS}</style>
      <div className="no-print" style={{ padding: '12px 24px', borderBottom: '1px solid #f0f0f0', background: '#fafafa' }}>
        <Space>
          <Link to="/audit/reports">{t('auditReport.backToReports')}</Link>
          <Button type="primary" onClick={() => window.print()} data-testid="report-print-button">
            {t('auditReport.print')}
          </Button>
        </Space>
      </div>
      <article className="report-print">
        <h1>{t('auditReport.printTitle')}</h1>
        <div className="subtitle">
          <div data-testid="print-institution">{r.institution.name}</div>
          <div>{t('auditReport.printPeriod', { first: r.period.firstDay, last: r.period.lastDay })}</div>
        </div>
        <table>
          <tbody>
            <tr>
              <th>{t('auditReport.scope')}</th>
              <td>{r.scope.cityWide ? t('auditReport.scopeCity', { n: r.scope.institutions }) : t('auditReport.scopeSubtree', { n: r.scope.institutions })}</td>
              <th>{t('auditReport.generatedAt')}</th>
              <td>{fmtDateTime(s.generatedAt)}</td>
            </tr>
            <tr>
              <th>{t('auditReport.generatedBy')}</th>
              <td>{s.generatedBy?.displayName ?? '—'}</td>
              <th>{t('auditReport.reportId')}</th>
              <td className="muted">{s.id}</td>
            </tr>
            <tr>
              <th>{t('auditReport.fileSm3')}</th>
              <td colSpan={3} className="muted" data-testid="print-sm3">
                {s.xlsxSm3}
              </td>
            </tr>
          </tbody>
        </table>

        <h2>{t('auditReport.printSection.overview')}</h2>
        <table>
          <tbody>
            <tr>
              <th>{t('auditReport.events')}</th>
              <td data-testid="print-total">{r.activity.totals.total}</td>
              <th>{t('auditReport.failedDenied')}</th>
              <td>{`${r.activity.totals.failure} / ${r.activity.totals.denied}`}</td>
            </tr>
            <tr>
              <th>{t('auditReport.actors')}</th>
              <td>{r.activity.actors}</td>
              <th>{t('auditReport.privilegedCount')}</th>
              <td>{r.privileged.total}</td>
            </tr>
            <tr>
              <th>{t('auditReport.vendorCount')}</th>
              <td>{`${r.vendor.users.length} / ${r.vendor.totals.total}`}</td>
              <th>{t('auditReport.alertCount')}</th>
              <td>{`${r.alerts.raised} / ${r.alerts.closed} / ${r.alerts.overdue}`}</td>
            </tr>
          </tbody>
        </table>

        <h2>{t('auditReport.printSection.activity')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('auditReport.group')}</th>
              <th>{t('audit.action')}</th>
              {countHead}
            </tr>
          </thead>
          <tbody>
            {r.activity.groups.flatMap((g) => [
              <tr key={g.group} style={{ fontWeight: 600 }}>
                <td>{g.group}</td>
                <td>{t('auditReport.subtotal')}</td>
                {countCells(g.counts)}
              </tr>,
              ...g.actions.map((a) => (
                <tr key={`${g.group}:${a.action}`}>
                  <td />
                  <td>
                    {l.action(a.action) || a.action}
                    <span className="muted"> {a.action}</span>
                  </td>
                  {countCells(a.counts)}
                </tr>
              )),
            ])}
          </tbody>
        </table>

        <h2>{t('auditReport.printSection.privileged')}</h2>
        {r.privileged.events.length === 0 ? (
          <p>{t('auditReport.noEvents')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('audit.time')}</th>
                <th>{t('auditReport.kind')}</th>
                <th>{t('audit.actor')}</th>
                <th>{t('audit.action')}</th>
                <th>{t('audit.target')}</th>
                <th>{t('audit.outcome')}</th>
              </tr>
            </thead>
            <tbody>{eventRows(r.privileged.events, true)}</tbody>
          </table>
        )}

        <h2>{t('auditReport.printSection.vendor')}</h2>
        {r.vendor.users.length === 0 ? (
          <p>{t('auditReport.noVendors')}</p>
        ) : (
          <table data-testid="print-vendor">
            <thead>
              <tr>
                <th>{t('auditReport.username')}</th>
                <th>{t('auditReport.displayName')}</th>
                <th>{t('audit.action')}</th>
                {countHead}
              </tr>
            </thead>
            <tbody>
              {r.vendor.users.flatMap((u) => [
                <tr key={u.userId} style={{ fontWeight: 600 }}>
                  <td>{u.username}</td>
                  <td>{`${u.displayName}（${u.institutions.join('、')}）`}</td>
                  <td>{t('auditReport.subtotal')}</td>
                  {countCells(u.counts)}
                </tr>,
                ...u.actions.map((a) => (
                  <tr key={`${u.userId}:${a.action}`}>
                    <td />
                    <td />
                    <td>
                      {l.action(a.action) || a.action}
                      <span className="muted"> {a.action}</span>
                    </td>
                    {countCells(a.counts)}
                  </tr>
                )),
              ])}
            </tbody>
          </table>
        )}
        <p data-testid="print-review">
          <strong>{t('auditReport.review.conclusion')}：</strong>
          {s.vendorReview
            ? `${l.conclusion(s.vendorReview.conclusion)}（${s.vendorReview.reviewedBy.displayName}，${fmtDateTime(s.vendorReview.reviewedAt)}）`
            : t('auditReport.review.none')}
        </p>
        {s.vendorReview?.findings && <p style={{ whiteSpace: 'pre-wrap' }}>{s.vendorReview.findings}</p>}

        <h2>{t('auditReport.printSection.alerts')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('auditReport.alerts.severity')}</th>
              <th className="num">{t('auditReport.alerts.raised')}</th>
              <th className="num">{t('auditReport.alerts.closed')}</th>
              <th className="num">{t('auditReport.alerts.pending')}</th>
              <th className="num">{t('auditReport.alerts.overdue')}</th>
              <th className="num">{t('auditReport.alerts.meanHandling')}</th>
            </tr>
          </thead>
          <tbody>
            {r.alerts.bySeverity.map((x) => (
              <tr key={x.severity}>
                <td>{l.severity(x.severity)}</td>
                <Num>{x.raised}</Num>
                <Num>{x.closed}</Num>
                <Num>{x.pending}</Num>
                <Num>{x.overdue}</Num>
                <Num>{x.meanHandlingHours ?? '—'}</Num>
              </tr>
            ))}
            <tr style={{ fontWeight: 600 }}>
              <td>{t('auditReport.total')}</td>
              <Num>{r.alerts.raised}</Num>
              <Num>{r.alerts.closed}</Num>
              <Num>{r.alerts.pending}</Num>
              <Num>{r.alerts.overdue}</Num>
              <Num>{r.alerts.meanHandlingHours ?? '—'}</Num>
            </tr>
          </tbody>
        </table>

        <h2>{t('auditReport.printSection.integrity')}</h2>
        <table>
          <tbody>
            <tr>
              <th>{t('auditReport.integrity.result')}</th>
              <td data-testid="print-integrity">
                {i.method === 'checkpoint' ? t('auditReport.integrity.notRun') : i.ok ? t('auditReport.integrity.ok') : t('auditReport.integrity.broken')}
                {i.firstBroken ? `（${i.firstBroken.position ?? '—'}：${i.firstBroken.problem}）` : ''}
              </td>
            </tr>
            {i.method === 'verified' && (
              <tr>
                <th>{t('auditReport.integrity.checked')}</th>
                <td>{t('auditReport.integrity.checkedValue', { events: i.checkedEvents ?? 0, checkpoints: i.checkpoints ?? 0 })}</td>
              </tr>
            )}
            <tr>
              <th>{t('auditReport.integrity.checkpoint')}</th>
              <td>
                {i.latestCheckpoint
                  ? t('auditReport.integrity.checkpointValue', {
                      position: i.latestCheckpoint.position,
                      at: fmtDateTime(i.latestCheckpoint.signedAt),
                      key: i.latestCheckpoint.keyVersion,
                    })
                  : t('auditReport.integrity.noCheckpoint')}
                {i.latestCheckpoint && <div className="muted">{i.latestCheckpoint.headHash}</div>}
              </td>
            </tr>
            <tr>
              <th>{t('auditReport.integrity.chaining')}</th>
              <td>{t('auditReport.integrity.chainingValue', { events: i.eventsInPeriod, chained: i.chainedInPeriod, pending: i.pendingInPeriod })}</td>
            </tr>
          </tbody>
        </table>

        <div className="signatures">
          <span>{t('auditReport.signAuditor')}</span>
          <span>{t('auditReport.signDate')}</span>
        </div>
      </article>
    </div>
  );
}
