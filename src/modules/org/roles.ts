// Roles, their permissions and the rules on who may hold them (PRT-2, PRT-3, 等保 三员分立).
// Pure data and functions: the service layer and the authorization matrix test both read this file.

export const ROLES = [
  'platform_admin',
  'authority_admin',
  'authority_officer',
  'institution_admin',
  'security_officer',
  'data_steward',
  'data_user',
  'auditor',
  'vendor_operator',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  platform_admin: { zh: '平台管理员', en: 'Platform administrator' },
  authority_admin: { zh: '主管部门管理员', en: 'Authority administrator' },
  authority_officer: { zh: '主管部门工作人员', en: 'Authority officer' },
  institution_admin: { zh: '单位管理员', en: 'Institution administrator' },
  security_officer: { zh: '安全管理员', en: 'Security officer' },
  data_steward: { zh: '数据管理员', en: 'Data steward' },
  data_user: { zh: '数据使用人员', en: 'Data user' },
  auditor: { zh: '审计员', en: 'Auditor' },
  vendor_operator: { zh: '外包运维人员', en: 'Vendor operator' },
};

export const PERMISSIONS = [
  'institution.read',
  'institution.create',
  'institution.update',
  'institution.grant_read',
  'user.read',
  'user.manage',
  'role.assign',
  'audit.read',
  // AUD-5: the auditor's conclusion on a report's vendor activity (auditors only, not security officers).
  'audit.review',
  // AUD-3: handling alerts (the security officer; auditors only read them, 三员分立) and the city-level
  // alert rule settings (a security officer whose reach is the city root: checked in the service).
  'alert.handle',
  'alert.configure',
  'settings.read',
  'settings.manage',
  'workdays.manage',
  // Catalog (AST, CLS): grading scheme, systems registry, resources, grading.
  'scheme.read',
  'scheme.manage',
  'system.read',
  'system.manage',
  'system.review',
  'catalog.read',
  'catalog.manage',
  'grading.propose',
  'grading.approve',
  'protection.read',
  'keys.manage',
  'dataset.manage',
  'masking.manage',
  // Sharing (LIF-3..10, PRT-9; docs/sharing-contract.md): read the sharing records within reach; apply for data
  // and sign as the applicant, hold grants, confirm deletions, report errors; review and sign as the provider,
  // revoke, open deletion duties, answer error reports, propose open-data releases; the authority's approval
  // steps, exceptions for not-shared data and open-data review.
  'sharing.read',
  'sharing.apply',
  'sharing.provide',
  'sharing.approve',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  platform_admin: [
    'institution.read',
    'institution.create',
    'institution.update',
    'institution.grant_read',
    'user.read',
    'user.manage',
    'role.assign',
    'settings.read',
    'settings.manage',
    'workdays.manage',
    'scheme.read',
    'system.read',
    'catalog.read',
  ],
  authority_admin: [
    'institution.read',
    'institution.create',
    'institution.update',
    'institution.grant_read',
    'user.read',
    'user.manage',
    'role.assign',
    'settings.read',
    'workdays.manage',
    'scheme.read',
    'scheme.manage',
    'system.read',
    'system.review',
    'catalog.read',
    'protection.read',
    'sharing.read',
    'sharing.approve',
  ],
  authority_officer: [
    'institution.read',
    'user.read',
    'scheme.read',
    'system.read',
    'system.review',
    'catalog.read',
    'protection.read',
    'sharing.read',
    'sharing.approve',
  ],
  institution_admin: [
    'institution.read',
    'institution.update',
    'user.read',
    'user.manage',
    'role.assign',
    'scheme.read',
    'system.read',
    'system.manage',
    'catalog.read',
    'catalog.manage',
    'protection.read',
    'sharing.read',
    'sharing.provide',
  ],
  security_officer: [
    'institution.read',
    'institution.update',
    'user.read',
    'audit.read',
    'alert.handle',
    'alert.configure',
    'settings.read',
    'scheme.read',
    'system.read',
    'system.manage',
    'catalog.read',
    'grading.approve',
    'protection.read',
    'keys.manage',
    'masking.manage',
    'sharing.read',
  ],
  data_steward: [
    'institution.read',
    'scheme.read',
    'system.read',
    'system.manage',
    'catalog.read',
    'catalog.manage',
    'grading.propose',
    'protection.read',
    'dataset.manage',
    'sharing.read',
    'sharing.apply',
    'sharing.provide',
  ],
  data_user: ['institution.read', 'scheme.read', 'catalog.read', 'sharing.read', 'sharing.apply'],
  // Regulators and internal auditors read and verify; they change nothing (三员: audit is separate).
  auditor: [
    'institution.read',
    'user.read',
    'audit.read',
    'audit.review',
    'settings.read',
    'scheme.read',
    'system.read',
    'catalog.read',
    'protection.read',
    'sharing.read',
  ],
  vendor_operator: ['institution.read', 'system.read', 'catalog.read'],
};

/**
 * Privileged roles: administration, security administration and audit. They require TOTP (等保
 * level 3: two factors for administrators) and are never held by vendor staff (PRT-3, GZ-20).
 */
export const PRIVILEGED_ROLES: ReadonlySet<Role> = new Set<Role>([
  'platform_admin',
  'authority_admin',
  'authority_officer',
  'institution_admin',
  'security_officer',
  'auditor',
]);

/** 三员分立: system administration, security administration and audit are held by different people. */
export const DUTY_GROUP: Partial<Record<Role, 'system' | 'security' | 'audit'>> = {
  platform_admin: 'system',
  authority_admin: 'system',
  institution_admin: 'system',
  security_officer: 'security',
  auditor: 'audit',
};

export const DUTY_GROUP_LABELS = {
  system: { zh: '系统管理', en: 'system administration' },
  security: { zh: '安全管理', en: 'security administration' },
  audit: { zh: '安全审计', en: 'audit' },
} as const;

export type InstitutionKind = 'authority' | 'regulator' | 'institution' | 'vendor' | 'external_user';

/** Where each role can be held: a role is always scoped to one institution of these kinds. */
export const ROLE_INSTITUTION_KINDS: Record<Role, readonly InstitutionKind[]> = {
  platform_admin: ['authority'],
  authority_admin: ['authority'],
  authority_officer: ['authority'],
  institution_admin: ['institution', 'authority', 'regulator', 'external_user'],
  security_officer: ['institution', 'authority', 'regulator', 'external_user'],
  data_steward: ['institution', 'authority'],
  data_user: ['institution', 'authority', 'regulator', 'external_user'],
  auditor: ['regulator', 'authority', 'institution'],
  vendor_operator: ['institution', 'authority'],
};

/** Roles an assigner may hand out, by the roles the assigner holds (no self-escalation). */
export const ASSIGNABLE_BY: Record<Role, readonly Role[]> = {
  platform_admin: ROLES,
  authority_admin: ROLES.filter((r) => r !== 'platform_admin'),
  authority_officer: [],
  institution_admin: ['security_officer', 'data_steward', 'data_user', 'auditor', 'vendor_operator'],
  security_officer: [],
  data_steward: [],
  data_user: [],
  auditor: [],
  vendor_operator: [],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function requiresTotp(roles: readonly string[]): boolean {
  return roles.some((r) => isRole(r) && PRIVILEGED_ROLES.has(r));
}

/** Returns the duty group that conflicts with adding `role` to a person holding `held`, if any. */
export function dutyConflict(held: readonly string[], role: Role): { heldRole: Role; group: string } | null {
  const group = DUTY_GROUP[role];
  if (!group) return null;
  for (const h of held) {
    if (!isRole(h)) continue;
    const g = DUTY_GROUP[h];
    if (g && g !== group) return { heldRole: h, group: g };
  }
  return null;
}
