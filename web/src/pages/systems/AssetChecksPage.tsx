// 资产核查 (AST-3: "record who checked, when, and each difference found and resolved"): the checks in reach,
// server-side paginated, filtered by institution (for those who see several) and by whether findings are
// still open; a row expands to its findings (system, description, who resolved it when, and how), with
// 处理 for those holding system.manage at the check's institution; 新建核查 opens the form.
import { ArrowLeftOutlined, CheckOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Empty, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstitutionTreeSelect, useInstitutionTree } from '../../components/institutions.tsx';
import { serverPagination, useListFilters } from '../../components/paging.ts';
import { fmtDateTime, testId } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { AssetCheck, AssetCheckFinding, AssetCheckQuery, FindingResolve, Paged } from '../../types.ts';
import { AssetCheckDrawer } from './AssetCheckDrawer.tsx';
import { useReach } from './assetCheckAccess.ts';

type Resolution = 'open' | 'resolved';
type Filters = { page: number; pageSize: number; institutionId?: string; resolution?: Resolution };

/** The API query of the page's filters (有未处理问题 → unresolved=true, 已全部处理 → unresolved=false). */
export function checksQuery(f: Filters): AssetCheckQuery {
  return {
    page: f.page,
    pageSize: f.pageSize,
    institutionId: f.institutionId,
    unresolved: f.resolution === undefined ? undefined : f.resolution === 'open',
  };
}

/** 发现问题数 / 未处理数, with a tag saying what it means. */
function CountsCell({ check }: { check: AssetCheck }) {
  const t = useT();
  const total = check.findings.length;
  return (
    <Space size={6} data-testid="asset-check-counts" data-findings={total} data-open={check.openFindings}>
      <span>{`${total} / ${check.openFindings}`}</span>
      {total === 0 ? (
        <Tag color="green">{t('assetCheck.noDiff')}</Tag>
      ) : check.openFindings > 0 ? (
        <Tag color="red">{t('assetCheck.openN', { n: check.openFindings })}</Tag>
      ) : (
        <Tag color="green">{t('assetCheck.allResolved')}</Tag>
      )}
    </Space>
  );
}

function Findings({ check, canResolve, onResolve }: { check: AssetCheck; canResolve: boolean; onResolve: (f: AssetCheckFinding) => void }) {
  const t = useT();
  return (
    <div data-testid="asset-check-detail" data-check-id={check.id}>
      {(check.scope || check.notes) && (
        <Descriptions size="small" column={1} style={{ marginBottom: 8 }}>
          {check.scope && <Descriptions.Item label={t('assetCheck.scope')}>{check.scope}</Descriptions.Item>}
          {check.notes && <Descriptions.Item label={t('assetCheck.notes')}>{check.notes}</Descriptions.Item>}
        </Descriptions>
      )}
      {check.findings.length === 0 ? (
        <Typography.Text type="secondary" data-testid="asset-check-no-findings">
          {t('assetCheck.noFindings')}
        </Typography.Text>
      ) : (
        <Table<AssetCheckFinding>
          rowKey="id"
          size="small"
          pagination={false}
          data-testid="asset-check-findings-table"
          title={() => <Typography.Text strong>{t('assetCheck.findingsTitle', { n: check.findings.length })}</Typography.Text>}
          dataSource={check.findings}
          columns={[
            {
              title: t('assetCheck.system'),
              dataIndex: 'systemName',
              width: 200,
              render: (name: string | null, f) =>
                f.systemId ? (
                  <Link to={`/systems/${f.systemId}`} data-testid="finding-system">
                    {name ?? f.systemId}
                  </Link>
                ) : (
                  <Typography.Text type="secondary">{t('assetCheck.noSystem')}</Typography.Text>
                ),
            },
            { title: t('assetCheck.description'), dataIndex: 'description', render: (v: string) => <span style={{ whiteSpace: 'pre-wrap' }}>{v}</span> },
            {
              title: t('assetCheck.findingStatus'),
              dataIndex: 'resolved',
              width: 90,
              render: (resolved: boolean) => (
                <Tag color={resolved ? 'green' : 'red'} data-testid="finding-status" data-resolved={String(resolved)}>
                  {resolved ? t('assetCheck.resolved') : t('assetCheck.unresolved')}
                </Tag>
              ),
            },
            {
              title: t('assetCheck.resolvedBy'),
              key: 'by',
              width: 200,
              render: (_v, f) =>
                f.resolved ? (
                  <Space orientation="vertical" size={0} data-testid="finding-resolved-by">
                    <span>{f.resolvedBy?.displayName ?? '—'}</span>
                    <Typography.Text type="secondary">{fmtDateTime(f.resolvedAt)}</Typography.Text>
                  </Space>
                ) : (
                  '—'
                ),
            },
            {
              title: t('assetCheck.resolution'),
              dataIndex: 'resolution',
              render: (v: string | null) => (v ? <span style={{ whiteSpace: 'pre-wrap' }}>{v}</span> : '—'),
            },
            ...(canResolve
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 90,
                    render: (_v: unknown, f: AssetCheckFinding) =>
                      f.resolved ? null : (
                        <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => onResolve(f)} data-testid="finding-resolve">
                          {t('assetCheck.resolve')}
                        </Button>
                      ),
                  },
                ]
              : []),
          ]}
        />
      )}
    </div>
  );
}

/** 处理: the resolution text; who and when are recorded by the server. */
function ResolveModal({ check, finding, onClose }: { check: AssetCheck; finding: AssetCheckFinding; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<FindingResolve>();
  const m = useMutation({
    mutationFn: (v: FindingResolve) =>
      api.post<AssetCheck>(`/api/asset-checks/${check.id}/findings/${finding.id}/resolve`, { resolution: v.resolution.trim() } satisfies FindingResolve),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['asset-checks'] });
      message.success(t('assetCheck.resolvedMsg'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('assetCheck.resolveTitle')}
      okText={t('assetCheck.resolve')}
      onOk={() => form.submit()}
      confirmLoading={m.isPending}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={testId('finding-resolve-ok')}
      data-testid="finding-resolve-modal"
    >
      <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('assetCheck.checkedOn')}>{check.checkedOn}</Descriptions.Item>
        {finding.systemName && <Descriptions.Item label={t('assetCheck.system')}>{finding.systemName}</Descriptions.Item>}
        <Descriptions.Item label={t('assetCheck.description')}>{finding.description}</Descriptions.Item>
      </Descriptions>
      <ErrorAlert error={m.error} testId="finding-resolve-error" />
      <Form<FindingResolve> form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item
          name="resolution"
          label={t('assetCheck.resolution')}
          extra={t('assetCheck.resolutionExtra')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required') },
            { max: 2000, message: t('validation.max', { n: 2000 }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="finding-resolution" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function AssetChecksPage() {
  const t = useT();
  const manage = useReach('system.manage');
  const tree = useInstitutionTree();
  const [params] = useSearchParams();
  const { f, setF, set, reset } = useListFilters<Filters>(() => ({ page: 1, pageSize: 20, institutionId: params.get('institutionId') ?? undefined }));
  const [creating, setCreating] = useState(false);
  const [resolving, setResolving] = useState<{ check: AssetCheck; finding: AssetCheckFinding } | null>(null);
  const query = useQuery({
    queryKey: ['asset-checks', f],
    queryFn: () => api.get<Paged<AssetCheck>>('/api/asset-checks', { ...checksQuery(f) }),
    placeholderData: keepPreviousData,
  });
  // The institution filter is for those who see several institutions (the authority, regulators).
  const several = (tree.data?.length ?? 0) > 1 || !!f.institutionId;
  const filtered = Boolean(f.institutionId || f.resolution);

  return (
    <div>
      <Link to="/systems" data-testid="asset-checks-back">
        <ArrowLeftOutlined /> {t('system.backToList')}
      </Link>
      <Space style={{ width: '100%', justifyContent: 'space-between', margin: '8px 0' }} wrap>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('assetCheck.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('assetCheck.intro')}</Typography.Text>
        </div>
        {manage.any && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="asset-check-create">
            {t('assetCheck.create')}
          </Button>
        )}
      </Space>
      <Card size="small">
        <Space wrap style={{ marginBottom: 16 }}>
          {several && (
            <InstitutionTreeSelect
              testId="asset-check-filter-institution"
              value={f.institutionId}
              onChange={(v) => set({ institutionId: v })}
              style={{ width: 240 }}
            />
          )}
          <Select<Resolution>
            allowClear
            placeholder={t('assetCheck.statusFilter')}
            style={{ width: 160 }}
            value={f.resolution}
            onChange={(v) => set({ resolution: v })}
            options={[
              { value: 'open', label: t('assetCheck.filterOpen') },
              { value: 'resolved', label: t('assetCheck.filterResolved') },
            ]}
            data-testid="asset-check-filter-status"
          />
          <Button onClick={reset} data-testid="asset-check-filter-reset">
            {t('common.reset')}
          </Button>
        </Space>
        <ErrorAlert error={query.error} />
        <Table<AssetCheck>
          rowKey="id"
          size="middle"
          data-testid="asset-check-table"
          loading={query.isFetching}
          dataSource={query.data?.items ?? []}
          locale={{ emptyText: <Empty description={filtered ? t('common.noMatch') : t('assetCheck.empty')} /> }}
          pagination={serverPagination(f, setF, query.data?.total, t)}
          scroll={{ x: 900 }}
          expandable={{
            expandRowByClick: true,
            expandedRowRender: (c) => (
              <Findings check={c} canResolve={manage.at(c.institutionId)} onResolve={(finding) => setResolving({ check: c, finding })} />
            ),
          }}
          columns={[
            {
              title: t('assetCheck.checkedOn'),
              dataIndex: 'checkedOn',
              width: 120,
              render: (v: string) => <span data-testid="asset-check-date-cell">{v}</span>,
            },
            { title: t('assetCheck.institution'), dataIndex: 'institutionName' },
            { title: t('assetCheck.checkedBy'), dataIndex: 'checkedBy', width: 200, render: (p: AssetCheck['checkedBy']) => p?.displayName ?? '—' },
            {
              title: t('assetCheck.scope'),
              dataIndex: 'scope',
              ellipsis: true,
              render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text>,
            },
            { title: t('assetCheck.counts'), key: 'counts', width: 200, render: (_v, c) => <CountsCell check={c} /> },
            { title: t('assetCheck.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtDateTime(v) },
          ]}
        />
      </Card>
      {creating && <AssetCheckDrawer manage={manage} onClose={() => setCreating(false)} />}
      {resolving && <ResolveModal check={resolving.check} finding={resolving.finding} onClose={() => setResolving(null)} />}
    </div>
  );
}
