// Periodic audit report (AUD-4, AUD-5): the pure aggregation of what the database already counted. The
// service groups events by action and outcome (and by user for vendor staff) in SQL and hands the grouped
// rows here; this file turns them into the report's sections. No I/O, no clock: `asOf` is passed in.

export type Outcome = 'success' | 'failure' | 'denied';

export interface Counts {
  total: number;
  success: number;
  failure: number;
  denied: number;
}

/** One grouped row: how many events of an action ended with an outcome. */
export interface ActionCountRow {
  action: string;
  outcome: string;
  count: number;
}

export interface ActionCounts {
  action: string;
  counts: Counts;
}

export interface ActivityGroup {
  /** The first segment of the action code: auth, org, catalog, protection, … */
  group: string;
  counts: Counts;
  actions: ActionCounts[];
}

export interface ActivitySection {
  totals: Counts;
  groups: ActivityGroup[];
}

export const emptyCounts = (): Counts => ({ total: 0, success: 0, failure: 0, denied: 0 });

function add(c: Counts, outcome: string, n: number): void {
  c.total += n;
  if (outcome === 'success' || outcome === 'failure' || outcome === 'denied') c[outcome] += n;
}

/** The action group: the first segment of the action code ('org.role.assign' → 'org'). */
export function actionGroup(action: string): string {
  const dot = action.indexOf('.');
  return dot < 0 ? action : action.slice(0, dot);
}

const byTotalThenName =
  <T extends { counts: Counts }>(key: (x: T) => string) =>
  (a: T, b: T) =>
    b.counts.total - a.counts.total || key(a).localeCompare(key(b));

/** Activity by type: counts per action group and per action, each split by outcome; busiest first. */
export function aggregateActivity(rows: readonly ActionCountRow[]): ActivitySection {
  const totals = emptyCounts();
  const groups = new Map<string, { counts: Counts; actions: Map<string, Counts> }>();
  for (const r of rows) {
    if (r.count <= 0) continue;
    add(totals, r.outcome, r.count);
    const name = actionGroup(r.action);
    let g = groups.get(name);
    if (!g) {
      g = { counts: emptyCounts(), actions: new Map() };
      groups.set(name, g);
    }
    add(g.counts, r.outcome, r.count);
    let a = g.actions.get(r.action);
    if (!a) {
      a = emptyCounts();
      g.actions.set(r.action, a);
    }
    add(a, r.outcome, r.count);
  }
  return {
    totals,
    groups: [...groups.entries()]
      .map(([group, g]) => ({
        group,
        counts: g.counts,
        actions: [...g.actions.entries()].map(([action, counts]) => ({ action, counts })).sort(byTotalThenName((x) => x.action)),
      }))
      .sort(byTotalThenName((x) => x.group)),
  };
}

// ── privileged operations ──────────────────────────────────────────────────────────────────────────────

export type PrivilegeKind = 'role' | 'permission' | 'account' | 'settings' | 'key';

export const PRIVILEGE_KIND_LABELS: Record<PrivilegeKind, { zh: string; en: string }> = {
  role: { zh: '角色变更', en: 'Role change' },
  permission: { zh: '授权变更', en: 'Permission change' },
  account: { zh: '账号管理', en: 'Account management' },
  settings: { zh: '配置变更', en: 'Configuration change' },
  key: { zh: '密钥操作', en: 'Key operation' },
};

/**
 * Which actions are privileged operations (DG-28: "permission and configuration changes"): role and
 * permission changes, account administration, platform and security configuration, and key operations.
 * Exact codes first, then prefixes (a later module's configuration codes join by their prefix).
 */
const PRIVILEGED_EXACT: Record<string, PrivilegeKind> = {
  'org.role.assign': 'role',
  'org.role.remove': 'role',
  'org.read_grant.create': 'permission',
  'org.read_grant.delete': 'permission',
  'auth.api_token.create': 'permission',
  'auth.api_token.revoke': 'permission',
  'org.user.create': 'account',
  'org.user.enable': 'account',
  'org.user.disable': 'account',
  'org.user.reset_password': 'account',
  'org.user.unlock': 'account',
  'auth.totp_disabled': 'account',
  'catalog.scheme.publish': 'settings',
  'discovery.recognizers.update': 'settings',
  'protection.masking.update': 'settings',
  'system.setup': 'settings',
  'system.totp_secrets_sealed': 'key',
};
const PRIVILEGED_PREFIXES: [string, PrivilegeKind][] = [
  ['settings.', 'settings'],
  ['protection.key.', 'key'],
  ['audit.rule', 'settings'],
  ['audit.alert_rule', 'settings'],
  ['audit.retention', 'settings'],
  ['audit.archive', 'settings'],
  ['audit.key', 'key'],
];

export function privilegeKind(action: string): PrivilegeKind | null {
  const exact = PRIVILEGED_EXACT[action];
  if (exact) return exact;
  for (const [prefix, kind] of PRIVILEGED_PREFIXES) if (action.startsWith(prefix)) return kind;
  return null;
}

/** The exact codes and prefixes, for the SQL filter that lists privileged events. */
export function privilegedPatterns(): { exact: string[]; prefixes: string[] } {
  return { exact: Object.keys(PRIVILEGED_EXACT), prefixes: PRIVILEGED_PREFIXES.map(([p]) => p) };
}

// ── vendor activity (AUD-5) ────────────────────────────────────────────────────────────────────────────

export interface VendorCountRow {
  userId: string;
  action: string;
  outcome: string;
  count: number;
}

export interface VendorUser {
  userId: string;
  username: string;
  displayName: string;
  /** Where the person holds (or held) vendor_operator within the report's scope. */
  institutions: string[];
  counts: Counts;
  actions: ActionCounts[];
}

/** Vendor staff's events by user and action; people who did nothing in the period are listed with zeros. */
export function aggregateVendor(
  people: readonly { userId: string; username: string; displayName: string; institutions: string[] }[],
  rows: readonly VendorCountRow[],
): { totals: Counts; users: VendorUser[] } {
  const totals = emptyCounts();
  const users = new Map<string, VendorUser>(people.map((p) => [p.userId, { ...p, counts: emptyCounts(), actions: [] }]));
  const perAction = new Map<string, Map<string, Counts>>();
  for (const r of rows) {
    const u = users.get(r.userId);
    if (!u || r.count <= 0) continue;
    add(totals, r.outcome, r.count);
    add(u.counts, r.outcome, r.count);
    let m = perAction.get(r.userId);
    if (!m) {
      m = new Map();
      perAction.set(r.userId, m);
    }
    let c = m.get(r.action);
    if (!c) {
      c = emptyCounts();
      m.set(r.action, c);
    }
    add(c, r.outcome, r.count);
  }
  for (const [userId, m] of perAction) {
    const u = users.get(userId) as VendorUser;
    u.actions = [...m.entries()].map(([action, counts]) => ({ action, counts })).sort(byTotalThenName((x) => x.action));
  }
  return { totals, users: [...users.values()].sort(byTotalThenName((x) => x.username)) };
}

// ── alerts and their handling ──────────────────────────────────────────────────────────────────────────

export interface AlertRow {
  rule: string;
  severity: string;
  status: string;
  createdAt: Date;
  dueAt: Date;
  acknowledgedAt: Date | null;
  closedAt: Date | null;
}

export interface AlertCounts {
  raised: number;
  closed: number;
  /** Still open or acknowledged. */
  pending: number;
  /** Closed after its due time, or still not closed past it. */
  overdue: number;
  /** Mean hours from raising to closing, over the closed ones (null when none closed). */
  meanHandlingHours: number | null;
  /** Mean hours from raising to the first acknowledgement (or closing), over those handled. */
  meanResponseHours: number | null;
}

export interface AlertStats extends AlertCounts {
  bySeverity: (AlertCounts & { severity: string })[];
  byRule: (AlertCounts & { rule: string })[];
}

const SEVERITY_ORDER = ['high', 'medium', 'low'];
const HOUR = 3_600_000;

export function isOverdue(a: AlertRow, asOf: Date): boolean {
  return a.closedAt ? a.closedAt.getTime() > a.dueAt.getTime() : a.dueAt.getTime() < asOf.getTime();
}

function countAlerts(rows: readonly AlertRow[], asOf: Date): AlertCounts {
  let closed = 0;
  let overdue = 0;
  let handling = 0;
  let responded = 0;
  let response = 0;
  for (const a of rows) {
    if (a.closedAt) {
      closed++;
      handling += a.closedAt.getTime() - a.createdAt.getTime();
    }
    const first = a.acknowledgedAt ?? a.closedAt;
    if (first) {
      responded++;
      response += first.getTime() - a.createdAt.getTime();
    }
    if (isOverdue(a, asOf)) overdue++;
  }
  const round = (ms: number) => Math.round((ms / HOUR) * 100) / 100;
  return {
    raised: rows.length,
    closed,
    pending: rows.length - closed,
    overdue,
    meanHandlingHours: closed > 0 ? round(handling / closed) : null,
    meanResponseHours: responded > 0 ? round(response / responded) : null,
  };
}

/** Alerts raised in the period: raised, closed, pending and overdue (as of `asOf`), per severity and rule. */
export function alertStats(rows: readonly AlertRow[], asOf: Date): AlertStats {
  const group = <K extends string>(key: (a: AlertRow) => string, name: K) => {
    const m = new Map<string, AlertRow[]>();
    for (const a of rows) m.set(key(a), [...(m.get(key(a)) ?? []), a]);
    return [...m.entries()].map(([k, list]) => ({ [name]: k, ...countAlerts(list, asOf) }) as AlertCounts & Record<K, string>);
  };
  const rank = (s: string) => {
    const i = SEVERITY_ORDER.indexOf(s);
    return i < 0 ? SEVERITY_ORDER.length : i;
  };
  return {
    ...countAlerts(rows, asOf),
    bySeverity: group((a) => a.severity, 'severity').sort((a, b) => rank(a.severity) - rank(b.severity)),
    byRule: group((a) => a.rule, 'rule').sort((a, b) => b.raised - a.raised || a.rule.localeCompare(b.rule)),
  };
}

// ── periods and Beijing time ───────────────────────────────────────────────────────────────────────────

/** The longest period one report covers: a (leap) year and a day of slack for the boundaries. */
export const MAX_PERIOD_DAYS = 367;
const DAY = 86_400_000;
const BEIJING_OFFSET = 8 * HOUR;

export type PeriodProblem = 'order' | 'too_long';

export function periodProblem(from: Date, to: Date): PeriodProblem | null {
  if (!(to.getTime() > from.getTime())) return 'order';
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY) return 'too_long';
  return null;
}

/** 'YYYY-MM-DD HH:mm:ss' in Beijing time (China keeps no daylight saving: UTC+8 all year). */
export function beijingDateTime(d: Date): string {
  const s = new Date(d.getTime() + BEIJING_OFFSET).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}

/** The Beijing calendar date of an instant. */
export function beijingDay(d: Date): string {
  return new Date(d.getTime() + BEIJING_OFFSET).toISOString().slice(0, 10);
}

/** The period as Beijing calendar dates, both inclusive (`to` is exclusive: its last day is the one before). */
export function periodDays(from: Date, to: Date): { first: string; last: string } {
  return { first: beijingDay(from), last: beijingDay(new Date(to.getTime() - 1)) };
}
