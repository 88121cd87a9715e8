// One finished scan reviewed field by field (issue 4; CLS-2, CLS-3, AST-11): for each column the detected
// types (share of its non-empty values, confidence), the proposal (PI type, sensitive or not, category and
// level from the published scheme), and the reviewer's decision: accept or not, with the PI type, the
// sensitive switch and the level editable. Confirming stores the decision with the scan (the starting point
// of the grading drawer: a person still proposes, another approves) and, when ticked, records the scan's
// counts as the resource's PI inventory. The API carries counts only: no value is ever shown.
import { CheckOutlined, InfoCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Descriptions, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../api.ts';
import { categoryPaths, LEVEL_LABEL, LEVELS, LevelTag, optionsOf, PI_TYPES, useCatalogLabels, usePublishedScheme } from '../../components/catalog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { Job, ScanAccept, ScanColumn, ScanResult } from '../../discoveryTypes.ts';
import { fmtDateTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { DatasetInfo } from '../../protectionTypes.ts';
import type { LevelCode, ResourceDetail } from '../../types.ts';
import { resourceKey } from '../catalog/ResourceFormDrawer.tsx';
import { fmtCount } from '../protection/labels.ts';
import { type CustomNames, fmtConfidence, fmtShare, initialReview, PI_CATEGORY, type ReviewRow, scansKey, typeLabel } from './labels.ts';

function PiCategoryTag({ category }: { category: 'sensitive' | 'personal' | string | null }) {
  const t = useT();
  if (category !== 'sensitive' && category !== 'personal') return <Typography.Text type="secondary">{t('discovery.notPi')}</Typography.Text>;
  const c = PI_CATEGORY[category];
  return (
    <Tag color={c.color} data-testid="scan-pi-category" data-category={category}>
      {t(c.label)}
    </Tag>
  );
}

function DetectedTypes({ column, custom }: { column: ScanColumn; custom: CustomNames }) {
  const t = useT();
  if (column.types.length === 0) {
    return (
      <Typography.Text type="secondary" data-testid="scan-no-types">
        {t('discovery.review.noTypes')}
      </Typography.Text>
    );
  }
  return (
    <Space orientation="vertical" size={2}>
      {column.types.map((ty) => (
        <Space key={ty.type} size={4} wrap data-testid="scan-type" data-type={ty.type}>
          <Tag color="blue">{typeLabel(t, ty.type, custom)}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('discovery.review.typeStats', { share: fmtShare(ty.share), confidence: fmtConfidence(ty.confidence), count: fmtCount(ty.count) })}
            {ty.distinct !== undefined ? t('discovery.review.distinct', { n: fmtCount(ty.distinct) }) : ''}
          </Typography.Text>
        </Space>
      ))}
    </Space>
  );
}

export function ScanReview({
  job,
  result,
  resource,
  dataset,
  canAccept,
  custom,
}: {
  job: Job;
  result: ScanResult;
  resource: ResourceDetail;
  dataset: DatasetInfo;
  canAccept: boolean;
  /** Names of the authority's own recognizers. */
  custom: CustomNames;
}) {
  const t = useT();
  const labels = useCatalogLabels();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const scheme = usePublishedScheme();
  const paths = useMemo(() => categoryPaths(scheme.data?.categories), [scheme.data]);
  const fieldNames = useMemo(() => new Set(resource.fields.map((f) => f.name)), [resource.fields]);
  const [rows, setRows] = useState<Record<string, ReviewRow>>(() => initialReview(result, fieldNames));
  const [inventory, setInventory] = useState<boolean>(() => (result.accepted ? result.accepted.inventory : result.summary.rowsWithPi > 0));
  const set = (name: string, patch: Partial<ReviewRow>) => setRows((cur) => ({ ...cur, [name]: { ...cur[name], ...patch } }));

  const chosen = result.columns.filter((c) => rows[c.name]?.accept);
  const accept = useMutation({
    mutationFn: () => {
      const body: ScanAccept = {
        fields: chosen.map((c) => {
          const r = rows[c.name];
          return { name: c.name, piType: r.piType, piSensitive: r.piType !== null && r.piSensitive, level: r.level };
        }),
        updateInventory: inventory,
      };
      return api.post<Job>(`/api/resources/${resource.id}/scans/${job.id}/accept`, body);
    },
    onSuccess: (j) => {
      qc.setQueryData<Job[]>(scansKey(resource.id), (old) => old?.map((o) => (o.id === j.id ? j : o)));
      void qc.invalidateQueries({ queryKey: scansKey(resource.id) });
      void qc.invalidateQueries({ queryKey: resourceKey(resource.id) });
      void qc.invalidateQueries({ queryKey: ['resources'] });
      void qc.invalidateQueries({ queryKey: ['pi-inventory'] });
      message.success(inventory ? t('discovery.accept.doneInventory') : t('discovery.accept.done'));
    },
  });

  const accepted = result.accepted;
  const stale = dataset.loaded && dataset.version !== result.datasetVersion;
  const people = result.summary.people;

  return (
    <div data-testid="scan-review" data-job={job.id} data-accepted={accepted ? 'true' : 'false'}>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2, xl: 3 }}
        style={{ marginBottom: 12 }}
        styles={{ content: { minWidth: 96 } }}
        data-testid="scan-summary"
      >
        <Descriptions.Item label={t('discovery.review.finishedAt')}>{fmtDateTime(job.finishedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('discovery.review.rows')}>
          <Space size={4}>
            <span data-testid="scan-rows">{fmtCount(result.rows)}</span>
            {result.sampled && <Tag>{t('discovery.review.sampled')}</Tag>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('discovery.review.datasetVersion')}>
          <Space size={4}>
            <span>v{result.datasetVersion}</span>
            {stale && (
              <Tooltip title={t('discovery.review.staleHelp', { version: dataset.version })}>
                <Tag color="warning" icon={<WarningOutlined />} data-testid="scan-stale">
                  {t('discovery.review.stale')}
                </Tag>
              </Tooltip>
            )}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('pi.records')}>
          <span data-testid="scan-rows-with-pi">{fmtCount(result.summary.rowsWithPi)}</span>
        </Descriptions.Item>
        <Descriptions.Item
          label={
            <Tooltip title={t('discovery.review.peopleHelp')}>
              <span>
                {t('discovery.review.people')} <InfoCircleOutlined />
              </span>
            </Tooltip>
          }
        >
          <span data-testid="scan-people">{people === null ? '—' : fmtCount(people)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('discovery.review.resourceProposal')}>
          <Space size={4} wrap data-testid="scan-resource-proposal">
            {result.resource.piTypes.map((p) => (
              <Tag key={p}>{labels.piType(p)}</Tag>
            ))}
            <PiCategoryTag category={result.resource.piCategory} />
            {result.resource.level && <LevelTag level={result.resource.level} testId="scan-resource-level" />}
          </Space>
        </Descriptions.Item>
      </Descriptions>

      {accepted && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="scan-accepted"
          title={t('discovery.accepted', { by: accepted.by.displayName, at: fmtDateTime(accepted.at), n: accepted.fields.length })}
          description={accepted.inventory ? t('discovery.acceptedInventory') : undefined}
        />
      )}

      <Table<ScanColumn>
        size="small"
        rowKey="name"
        dataSource={result.columns}
        pagination={result.columns.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        style={{ marginBottom: 12 }}
        data-testid="scan-columns"
        onRow={(c) =>
          ({
            'data-column': c.name,
            'data-types': c.types.map((ty) => ty.type).join(','),
            'data-accept': String(!!rows[c.name]?.accept),
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          ...(canAccept
            ? [
                {
                  title: t('discovery.review.accept'),
                  key: 'accept',
                  width: 64,
                  render: (_v: unknown, c: ScanColumn) =>
                    fieldNames.has(c.name) ? (
                      <Checkbox checked={!!rows[c.name]?.accept} onChange={(e) => set(c.name, { accept: e.target.checked })} data-testid="scan-accept-row" />
                    ) : (
                      <Tooltip title={t('discovery.review.notField')}>
                        <Checkbox disabled data-testid="scan-accept-row" />
                      </Tooltip>
                    ),
                },
              ]
            : []),
          {
            title: t('field.name'),
            dataIndex: 'name',
            width: 140,
            render: (n: string, c: ScanColumn) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{n}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('discovery.review.nonEmpty', { n: fmtCount(c.nonEmpty) })}
                </Typography.Text>
                {!fieldNames.has(n) && <Tag color="warning">{t('discovery.review.notFieldShort')}</Tag>}
              </Space>
            ),
          },
          { title: t('discovery.review.types'), key: 'types', render: (_v: unknown, c: ScanColumn) => <DetectedTypes column={c} custom={custom} /> },
          {
            title: (
              <Space size={4}>
                {t('discovery.review.proposal')}
                <Tooltip title={t('discovery.review.proposalHelp')}>
                  <InfoCircleOutlined />
                </Tooltip>
              </Space>
            ),
            key: 'proposal',
            width: 230,
            render: (_v: unknown, c: ScanColumn) =>
              c.piTypes.length === 0 && !c.level ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <Space orientation="vertical" size={2} data-testid="scan-proposal">
                  <Space size={4} wrap>
                    {c.piTypes.map((p) => (
                      <Tag key={p} data-testid="scan-proposal-pi" data-pi={p}>
                        {labels.piType(p)}
                      </Tag>
                    ))}
                    {c.piCategory && <PiCategoryTag category={c.piCategory} />}
                  </Space>
                  <Space size={4} wrap>
                    {c.level && <LevelTag level={c.level} testId="scan-proposal-level" />}
                    {c.category && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {paths.get(c.category) ?? c.category}
                      </Typography.Text>
                    )}
                    {c.basis.length > 0 && (
                      <Tooltip title={c.basis.join('；')}>
                        <Typography.Link style={{ fontSize: 12 }}>{t('discovery.review.basis')}</Typography.Link>
                      </Tooltip>
                    )}
                  </Space>
                </Space>
              ),
          },
          {
            title: t('field.piType'),
            key: 'piType',
            width: 190,
            render: (_v: unknown, c: ScanColumn) => (
              <Select<string>
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                disabled={!canAccept || !rows[c.name]?.accept}
                style={{ width: 180 }}
                placeholder={t('grading.notPi')}
                value={rows[c.name]?.piType ?? undefined}
                options={PI_TYPES.map((p) => ({ value: p, label: labels.piType(p) }))}
                onChange={(v) => set(c.name, { piType: v ?? null, piSensitive: labels.piSensitiveDefault(v) })}
                data-testid="scan-pi-type"
              />
            ),
          },
          {
            title: t('field.piSensitive'),
            key: 'piSensitive',
            width: 70,
            render: (_v: unknown, c: ScanColumn) => (
              <Switch
                size="small"
                checked={!!rows[c.name]?.piType && !!rows[c.name]?.piSensitive}
                disabled={!canAccept || !rows[c.name]?.accept || !rows[c.name]?.piType}
                onChange={(v) => set(c.name, { piSensitive: v })}
                data-testid="scan-pi-sensitive"
              />
            ),
          },
          {
            title: t('field.level'),
            key: 'level',
            width: 170,
            render: (_v: unknown, c: ScanColumn) => (
              <Select<LevelCode>
                allowClear
                disabled={!canAccept || !rows[c.name]?.accept}
                style={{ width: 160 }}
                placeholder={t('grading.pickLevel')}
                value={rows[c.name]?.level ?? undefined}
                options={optionsOf(LEVELS, LEVEL_LABEL, t)}
                onChange={(v) => set(c.name, { level: v ?? null })}
                data-testid="scan-level"
              />
            ),
          },
        ]}
      />

      {canAccept && (
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap data-testid="scan-update-inventory">
          <Checkbox checked={inventory} onChange={(e) => setInventory(e.target.checked)} data-testid="scan-update-inventory-check">
            {t('discovery.accept.inventory')}
            <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
              {people === null
                ? t('discovery.accept.inventoryRows', { rows: fmtCount(result.summary.rowsWithPi) })
                : t('discovery.accept.inventoryCounts', { rows: fmtCount(result.summary.rowsWithPi), people: fmtCount(people) })}
            </Typography.Text>
          </Checkbox>
          <Space>
            <Typography.Text type="secondary">{t('discovery.accept.chosen', { n: chosen.length })}</Typography.Text>
            <Button
              type="primary"
              icon={<CheckOutlined />}
              loading={accept.isPending}
              disabled={chosen.length === 0 && !inventory}
              onClick={() => accept.mutate()}
              data-testid="scan-accept"
            >
              {accepted ? t('discovery.accept.again') : t('discovery.accept.confirm')}
            </Button>
          </Space>
        </Space>
      )}
      <ErrorAlert error={accept.error} style={{ marginTop: 12 }} testId="scan-accept-error" />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('discovery.accept.grading')}
      </Typography.Paragraph>
    </div>
  );
}
