// Display helpers: Beijing time, money in 元 (API: integer fen), labels.
const BEIJING = 'Asia/Shanghai';

const dateTimeFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: BEIJING,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const dateFmt = new Intl.DateTimeFormat('zh-CN', { timeZone: BEIJING, year: 'numeric', month: '2-digit', day: '2-digit' });

function parts(fmt: Intl.DateTimeFormat, d: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of fmt.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** '2026-01-05 14:03:09' in Beijing time, or '—' for null/invalid. */
export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = parts(dateTimeFmt, d);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** '2026-01-05' (Beijing calendar date). */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = parts(dateFmt, d);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Today's Beijing calendar date, 'YYYY-MM-DD'. */
export function beijingToday(): string {
  return fmtDate(new Date().toISOString());
}

/** Start (00:00:00) or end (23:59:59.999) of a Beijing calendar day as a UTC ISO instant. */
export function beijingDayBoundary(date: string, end: boolean): string {
  return new Date(`${date}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00`).toISOString();
}

/** Whole days from now until `iso` (negative when past). */
export function daysUntil(iso: string): number {
  return Math.floor((new Date(iso).getTime() - Date.now()) / 86_400_000);
}

export const fenToYuan = (fen: number): number => fen / 100;
export const yuanToFen = (yuan: number): number => Math.round(yuan * 100);

const yuanFmt = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** '1,234,567.89 元' / 'CNY 1,234,567.89'. */
export function fmtYuan(fen: number, lang: 'zh' | 'en'): string {
  const s = yuanFmt.format(fen / 100);
  return lang === 'zh' ? `${s} 元` : `CNY ${s}`;
}

/** Unified social credit code check (GB 32100-2015): charset, length and check character. */
export function isValidCreditCode(code: string): boolean {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  if (!/^[0-9A-HJ-NP-RTUWXY]{18}$/.test(code)) return false;
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += chars.indexOf(code[i]) * weights[i];
  const check = (31 - (sum % 31)) % 31;
  return chars[check] === code[17];
}

/** Parses a textarea of dates (one per line, or separated by commas/spaces) into sorted unique 'YYYY-MM-DD'. */
export function parseDateList(text: string): { dates: string[]; invalid: string[] } {
  const tokens = text
    .split(/[\s,，、;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const dates = new Set<string>();
  const invalid: string[] = [];
  for (const tok of tokens) {
    const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(tok);
    if (!m) {
      invalid.push(tok);
      continue;
    }
    const s = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
    const d = new Date(`${s}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) invalid.push(tok);
    else dates.add(s);
  }
  return { dates: [...dates].sort(), invalid };
}

/** Props for antd sub-component props objects (okButtonProps, …) that do not type data-* attributes. */
export function testId(id: string): Record<string, string> {
  return { 'data-testid': id };
}
