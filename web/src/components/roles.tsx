// Role labels: the server's catalog (GET /api/roles) with roles.ts ROLE_LABELS as the fallback.
import { useQuery } from '@tanstack/react-query';
import { Tag, Tooltip } from 'antd';
import { ROLE_LABELS } from '../../../src/modules/org/roles.ts';
import { api } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { Role, RoleCatalogEntry } from '../types.ts';

export function useRoleCatalog() {
  return useQuery({ queryKey: ['roles'], queryFn: () => api.get<RoleCatalogEntry[]>('/api/roles'), staleTime: 10 * 60_000 });
}

export function useRoleLabel(): (role: Role | string) => string {
  const { pick, lang } = useI18n();
  const catalog = useRoleCatalog();
  return (role) => {
    const entry = catalog.data?.find((e) => e.role === role);
    if (entry) return lang === 'zh' ? entry.zh : entry.en;
    return pick(ROLE_LABELS[role as Role], role);
  };
}

export function RoleTag({ role, suffix }: { role: Role; suffix?: string }) {
  const label = useRoleLabel();
  const catalog = useRoleCatalog();
  const { t } = useI18n();
  const privileged = catalog.data?.find((e) => e.role === role)?.privileged;
  const tag = (
    <Tag color={privileged ? 'volcano' : 'blue'} style={{ marginBottom: 4 }}>
      {label(role)}
      {suffix ? ` · ${suffix}` : ''}
    </Tag>
  );
  return privileged ? <Tooltip title={t('roles.privileged')}>{tag}</Tooltip> : tag;
}
