// DG-12 (删除机制, 002 公共数据安全管理办法 第十二条): the nine cases in which a data user must delete public data
// it received. A deletion duty (LIF-10) names one of them; the agreement text lists them all.

/** The cases in the regulation's order (（一）…（九）). */
export const DG12_CASES = [
  'collection_beyond_scope',
  'unsafe_environment',
  'use_beyond_scope',
  'improper_procedure',
  'purpose_achieved',
  'function_ceased',
  'term_expired',
  'unlawful_processing',
  'other_legal',
] as const;
export type Dg12Case = (typeof DG12_CASES)[number];

/** zh is the regulation's own wording; en a faithful translation. */
export const DG12_CASE_LABELS: Record<Dg12Case, { zh: string; en: string }> = {
  collection_beyond_scope: { zh: '超范围收集公共数据', en: 'Public data collected beyond the agreed scope' },
  unsafe_environment: {
    zh: '公共数据的存储、加工使用环境不满足安全要求',
    en: 'The environment storing or processing the public data does not meet security requirements',
  },
  use_beyond_scope: { zh: '超范围使用公共数据', en: 'Public data used beyond the agreed scope' },
  improper_procedure: {
    zh: '未按规定流程申请、使用公共数据',
    en: 'Public data applied for or used without following the prescribed procedure',
  },
  purpose_achieved: {
    zh: '公共数据处理目的已实现、无法实现或者不再必要',
    en: 'The purpose of processing has been achieved, cannot be achieved or is no longer necessary',
  },
  function_ceased: {
    zh: '数据使用机构停止履行相关职能或者提供服务',
    en: 'The data user has stopped performing the related function or providing the service',
  },
  term_expired: { zh: '公共数据保存期限已到期', en: 'The retention term of the public data has expired' },
  unlawful_processing: {
    zh: '数据使用机构违反法律、法规、规章及相关规定处理公共数据',
    en: 'The data user processed public data in violation of laws, regulations, rules or related provisions',
  },
  other_legal: {
    zh: '法律、法规、规章规定的其他情形',
    en: 'Other cases provided by laws, regulations or rules',
  },
};

/** The Chinese ordinal the regulation uses for a case: （一） … （九）. */
export function dg12Ordinal(code: Dg12Case): string {
  return `（${'一二三四五六七八九'[DG12_CASES.indexOf(code)]}）`;
}

/** DG-12's last paragraph: data that cannot technically be deleted must at least stop being processed. */
export const DG12_PROCESSING_STOPPED = {
  zh: '对从技术上难以删除的公共数据，数据使用机构应当停止除安全保护措施之外的处理。',
  en: 'Where public data is technically hard to delete, the data user must stop all processing other than security protection measures.',
};

export function isDg12Case(value: unknown): value is Dg12Case {
  return typeof value === 'string' && (DG12_CASES as readonly string[]).includes(value);
}
