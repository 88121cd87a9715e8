// The audit report as an XLSX workbook (AUD-4): one sheet per section, Chinese headers, Beijing times.
import ExcelJS from 'exceljs';
import { beijingDateTime, PRIVILEGE_KIND_LABELS } from '../../engines/audit-report/index.ts';
import { AUDIT_ACTION_LABELS, AUDIT_OUTCOME_LABELS } from './audit.actions.ts';
import type { AuditReport, Counts, ReportEvent, VendorReview } from './reports.schemas.ts';

export const REPORT_SHEETS = ['概览', '操作分类统计', '特权操作', '外包人员活动', '外包人员操作明细', '告警处置', '日志完整性校验'] as const;

const SEVERITY_ZH: Record<string, string> = { high: '高', medium: '中', low: '低' };
const STATUS_ZH: Record<string, string> = { open: '待处理', acknowledged: '已确认', closed: '已关闭' };
const CONCLUSION_ZH: Record<VendorReview['conclusion'], string> = { satisfactory: '未发现异常', issues_found: '发现问题' };

const actionName = (a: string) => AUDIT_ACTION_LABELS[a]?.zh ?? '';
const outcomeName = (o: string) => AUDIT_OUTCOME_LABELS[o as keyof typeof AUDIT_OUTCOME_LABELS]?.zh ?? o;
const time = (iso: string | null) => (iso ? beijingDateTime(new Date(iso)) : '');
const countCells = (c: Counts) => [c.total, c.success, c.failure, c.denied];

/** A file name for the report: institution and period, without characters file systems refuse. */
export function reportFileName(report: AuditReport): string {
  const name = report.institution.name.replace(/[\\/:*?"<>|\s]+/g, '_');
  return `审计报告_${name}_${report.period.firstDay}至${report.period.lastDay}.xlsx`;
}

function sheet(wb: ExcelJS.Workbook, name: string, headers: string[], widths: number[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = headers.map((h, i) => ({ header: h, width: widths[i] ?? 16 }));
  ws.getRow(1).font = { bold: true };
  return ws;
}

function details(d: Record<string, unknown>): string {
  const s = JSON.stringify(d);
  return s.length > 2000 ? `${s.slice(0, 2000)}…` : s;
}

function eventRow(e: ReportEvent): (string | number)[] {
  return [
    time(e.occurredAt),
    e.actorUsername ?? '（未登录）',
    e.action,
    actionName(e.action),
    e.targetType ?? '',
    e.targetId ?? '',
    outcomeName(e.outcome),
    e.ip ?? '',
    details(e.details),
  ];
}

export async function reportWorkbook(report: AuditReport, review: VendorReview | null = null): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "数安 Shu'an";
  wb.created = new Date(report.generatedAt);

  const a = report.activity;
  const integrityText =
    report.integrity.method === 'verified'
      ? report.integrity.ok
        ? '校验通过'
        : `校验未通过（位置 ${report.integrity.firstBroken?.position ?? '?'}：${report.integrity.firstBroken?.problem ?? ''}）`
      : '未执行完整校验，见“日志完整性校验”工作表';
  const overview = sheet(wb, '概览', ['项目', '内容'], [28, 70]);
  const rows: [string, string | number][] = [
    ['机构', report.institution.name],
    ['覆盖范围', report.scope.cityWide ? `全市（${report.scope.institutions} 个机构）` : `本机构及下级（${report.scope.institutions} 个机构）`],
    ['报告期间（北京时间）', `${report.period.firstDay} 至 ${report.period.lastDay}`],
    ['生成时间（北京时间）', time(report.generatedAt)],
    ['生成人', report.generatedBy.displayName],
    ['审计事件总数', a.totals.total],
    ['其中成功', a.totals.success],
    ['其中失败', a.totals.failure],
    ['其中拒绝', a.totals.denied],
    ['操作人数', a.actors],
    ['特权操作', report.privileged.total],
    ['外包人员', report.vendor.users.length],
    ['外包人员操作', report.vendor.totals.total],
    ['告警（产生/已关闭/逾期）', `${report.alerts.raised} / ${report.alerts.closed} / ${report.alerts.overdue}`],
    ['日志完整性', integrityText],
    ['外包人员活动审查结论', review ? `${CONCLUSION_ZH[review.conclusion]}（${review.reviewedBy.displayName}，${time(review.reviewedAt)}）` : '尚未审查'],
  ];
  if (review?.findings) rows.push(['审查发现', review.findings]);
  for (const r of rows) overview.addRow(r);

  const activity = sheet(wb, '操作分类统计', ['操作分组', '操作代码', '操作名称', '合计', '成功', '失败', '拒绝'], [14, 34, 28, 10, 10, 10, 10]);
  for (const g of a.groups) {
    const row = activity.addRow([g.group, '（小计）', '', ...countCells(g.counts)]);
    row.font = { bold: true };
    for (const x of g.actions) activity.addRow([g.group, x.action, actionName(x.action), ...countCells(x.counts)]);
  }
  activity.addRow(['合计', '', '', ...countCells(a.totals)]).font = { bold: true };

  const headers = ['时间（北京时间）', '操作人', '操作代码', '操作名称', '对象类型', '对象', '结果', '来源地址', '详情'];
  const widths = [20, 18, 30, 24, 14, 38, 8, 16, 60];
  const privileged = sheet(wb, '特权操作', ['类别', ...headers], [12, ...widths]);
  for (const e of report.privileged.events) privileged.addRow([PRIVILEGE_KIND_LABELS[e.kind].zh, ...eventRow(e)]);
  if (report.privileged.total > report.privileged.events.length) {
    privileged.addRow([`共 ${report.privileged.total} 条，此处列出最近 ${report.privileged.events.length} 条`]);
  }

  const vendor = sheet(
    wb,
    '外包人员活动',
    ['用户名', '姓名', '授权机构', '操作代码', '操作名称', '合计', '成功', '失败', '拒绝'],
    [18, 16, 30, 30, 24, 8, 8, 8, 8],
  );
  for (const u of report.vendor.users) {
    const row = vendor.addRow([u.username, u.displayName, u.institutions.join('、'), '（小计）', '', ...countCells(u.counts)]);
    row.font = { bold: true };
    for (const x of u.actions) vendor.addRow([u.username, u.displayName, '', x.action, actionName(x.action), ...countCells(x.counts)]);
  }
  if (report.vendor.users.length === 0) vendor.addRow(['本期无外包人员']);
  const vendorEvents = sheet(wb, '外包人员操作明细', headers, widths);
  for (const e of report.vendor.events) vendorEvents.addRow(eventRow(e));
  if (report.vendor.totals.total > report.vendor.events.length) {
    vendorEvents.addRow([`共 ${report.vendor.totals.total} 条，此处列出最近 ${report.vendor.events.length} 条`]);
  }

  const al = report.alerts;
  const alerts = sheet(
    wb,
    '告警处置',
    ['统计维度', '取值', '产生', '已关闭', '未关闭', '逾期', '平均处置时长（小时）', '平均响应时长（小时）'],
    [12, 24, 8, 8, 8, 8, 20, 20],
  );
  const statsRow = (dim: string, value: string, c: typeof al) =>
    alerts.addRow([dim, value, c.raised, c.closed, c.pending, c.overdue, c.meanHandlingHours ?? '', c.meanResponseHours ?? '']);
  statsRow('合计', '全部', al).font = { bold: true };
  for (const s of al.bySeverity) statsRow('级别', SEVERITY_ZH[s.severity] ?? s.severity, { ...al, ...s });
  for (const r of al.byRule) statsRow('规则', r.rule, { ...al, ...r });
  alerts.addRow([]);
  alerts.addRow(['告警编号', '规则', '级别', '状态', '摘要', '产生时间（北京时间）', '处置期限', '关闭时间', '是否逾期']).font = { bold: true };
  for (const x of al.items) {
    alerts.addRow([
      x.id,
      x.rule,
      SEVERITY_ZH[x.severity] ?? x.severity,
      STATUS_ZH[x.status] ?? x.status,
      x.summary,
      time(x.createdAt),
      time(x.dueAt),
      time(x.closedAt),
      x.overdue ? '是' : '否',
    ]);
  }
  if (al.raised === 0) alerts.addRow(['本期无告警']);

  const i = report.integrity;
  const integrity = sheet(wb, '日志完整性校验', ['项目', '内容'], [28, 80]);
  const integrityRows: [string, string | number][] = [
    ['校验方式', i.method === 'verified' ? '生成报告时对本期日志链执行完整校验' : '报告最近的签名检查点与入链情况（未执行完整校验）'],
    ['结论', i.ok === null ? '—' : i.ok ? '通过' : '未通过'],
    ['已校验事件数', i.checkedEvents ?? '—'],
    ['已校验检查点数', i.checkpoints ?? '—'],
    ['首个异常位置', i.firstBroken ? `${i.firstBroken.position}：${i.firstBroken.problem}` : '—'],
    ['链头', i.head ? `${i.head.position} / ${i.head.hash}` : '—'],
    [
      '最近检查点',
      i.latestCheckpoint
        ? `位置 ${i.latestCheckpoint.position}，签名时间 ${time(i.latestCheckpoint.signedAt)}，密钥版本 ${i.latestCheckpoint.keyVersion}`
        : '尚无',
    ],
    ['最近检查点链头哈希（SM3）', i.latestCheckpoint?.headHash ?? '—'],
    ['本期事件数', i.eventsInPeriod],
    ['其中已入链', i.chainedInPeriod],
    ['其中待入链', i.pendingInPeriod],
  ];
  for (const r of integrityRows) integrity.addRow(r);

  return Buffer.from(await wb.xlsx.writeBuffer());
}
