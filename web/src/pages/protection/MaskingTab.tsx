// 脱敏规则 tab (PRT-4, CLS-5, DG-15, LIF-7): per scenario (页面展示 / 开发测试 / 共享 / 开放), each field's
// value kind, the grade's masking control for the scenario, the rule in force and whether it is the default
// or the security officer's change; the officer edits rules and value kinds. Below, the first rows of the
// dataset as the chosen scenario masks them (预览（已脱敏）): the only way the platform shows stored data.
import { EditOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { LevelTag, MASKING_LABEL } from '../../components/catalog.tsx';
import { ErrorAlert, ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../i18n.tsx';
import type { DatasetInfo, DatasetPreview, MaskingFieldInfo, MaskingView, MaskScenario, ScenarioFieldRule } from '../../protectionTypes.ts';
import type { ProtectionAccess } from './access.ts';
import { fmtCount } from './labels.ts';
import { MASK_SCENARIO_ORDER, maskingKey, previewKey, ruleText, scenarioLabel, TARGET_INFO } from './maskingLabels.ts';
import { RuleModal } from './RuleModal.tsx';
import { TargetModal } from './TargetModal.tsx';

const PREVIEW_ROWS = 20;

interface Row {
  field: MaskingFieldInfo;
  rule: ScenarioFieldRule;
}

function PreviewCell({ value }: { value: unknown }) {
  const { t } = useI18n();
  if (value === null || value === undefined) return <Typography.Text type="secondary">{t('protection.preview.null')}</Typography.Text>;
  return <>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</>;
}

function MaskedPreview({ resourceId, scenario, loaded }: { resourceId: string; scenario: MaskScenario; loaded: boolean }) {
  const { t } = useI18n();
  const preview = useQuery({
    queryKey: previewKey(resourceId, scenario),
    queryFn: () => api.get<DatasetPreview>(`/api/resources/${resourceId}/dataset/preview`, { scenario, limit: PREVIEW_ROWS }),
    enabled: loaded,
    // Every preview is a read of the data and audited: not fetched again on each focus; a saved rule refetches it.
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
  const data = preview.data;
  const rows = (data?.rows ?? []).map((r, i) => ({ ...r, __row: i }));
  return (
    <Card
      size="small"
      title={t('protection.preview.title')}
      data-testid="masking-preview"
      data-scenario={data?.scenario ?? ''}
      data-fetching={preview.isFetching ? 'true' : 'false'}
    >
      {!loaded ? (
        <Typography.Text type="secondary" data-testid="masking-preview-empty">
          {t('protection.preview.empty')}
        </Typography.Text>
      ) : preview.isError ? (
        <ErrorAlert error={preview.error} testId="masking-preview-error" />
      ) : !data ? (
        <Loading />
      ) : (
        <>
          <Typography.Paragraph type="secondary" data-testid="masking-preview-help">
            {t('protection.preview.help', { scenario: t(scenarioLabel(data.scenario)), n: fmtCount(data.rows.length), total: fmtCount(data.total) })}
          </Typography.Paragraph>
          <Table<Record<string, unknown>>
            size="small"
            rowKey="__row"
            dataSource={rows}
            pagination={false}
            loading={preview.isFetching}
            scroll={{ x: 'max-content' }}
            data-testid="masking-preview-table"
            onRow={(r) => ({ 'data-row': r.__row }) as React.HTMLAttributes<HTMLElement>}
            columns={data.columns.map((c) => ({
              title: c,
              key: c,
              render: (_v: unknown, r: Record<string, unknown>) => <PreviewCell value={r[c]} />,
              onCell: () => ({ 'data-col': c }) as React.HTMLAttributes<HTMLElement>,
            }))}
          />
        </>
      )}
    </Card>
  );
}

export function MaskingTab({ resourceId, dataset, access }: { resourceId: string; dataset: DatasetInfo; access: ProtectionAccess }) {
  const { t, pick } = useI18n();
  const view = useQuery({ queryKey: maskingKey(resourceId), queryFn: () => api.get<MaskingView>(`/api/resources/${resourceId}/masking`) });
  const [scenario, setScenario] = useState<MaskScenario>('display');
  const [editing, setEditing] = useState<{ kind: 'rule' | 'target'; field: string } | null>(null);

  if (view.isError) return <ErrorResult error={view.error} onRetry={() => void view.refetch()} />;
  if (!view.data) return <Loading />;
  const v = view.data;
  const rulesOf = v.scenarios.find((s) => s.scenario === scenario)?.fields ?? [];
  const rows: Row[] = v.fields.flatMap((field) => {
    const rule = rulesOf.find((r) => r.name === field.name);
    return rule ? [{ field, rule }] : [];
  });
  const editingField = editing ? v.fields.find((f) => f.name === editing.field) : undefined;
  const editingRule = editing ? rulesOf.find((r) => r.name === editing.field) : undefined;

  return (
    <div data-testid="protection-masking" data-version={v.version}>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 860 }}>
        {t('protection.masking.intro')}
      </Typography.Paragraph>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space wrap>
          <Typography.Text>
            {t('protection.masking.scenario')}
            {t('common.colon')}
          </Typography.Text>
          <Segmented<MaskScenario>
            value={scenario}
            onChange={(s) => setScenario(s)}
            options={MASK_SCENARIO_ORDER.map((s) => ({ value: s, label: <span data-testid={`masking-scenario-${s}`}>{t(scenarioLabel(s))}</span> }))}
            data-testid="masking-scenario"
          />
        </Space>
        <Typography.Text type="secondary" data-testid="masking-version">
          {`${t('protection.masking.version')}${t('common.colon')}`}
          {v.version === 0 ? t('protection.masking.versionDefault') : `v${v.version}`}
        </Typography.Text>
      </Space>

      <Table<Row>
        size="small"
        rowKey={(r) => r.field.name}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50 } : false}
        style={{ marginBottom: 24 }}
        data-testid="masking-rules"
        data-scenario={scenario}
        scroll={{ x: 1000 }}
        onRow={(r) =>
          ({
            'data-field': r.field.name,
            'data-method': r.rule.rule.method,
            'data-source': r.rule.source,
            'data-mode': r.rule.mode,
            'data-target': r.field.target,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('field.name'), key: 'name', width: 150, render: (_x, r) => <Typography.Text strong>{r.field.name}</Typography.Text> },
          {
            title: t('field.level'),
            key: 'level',
            width: 200,
            render: (_x, r) =>
              r.field.basis === 'fail_safe' ? (
                <Tag color="orange">{t('protection.field.failSafe')}</Tag>
              ) : (
                <LevelTag level={r.field.level} testId="masking-level" />
              ),
          },
          {
            title: t('protection.masking.target'),
            key: 'target',
            width: 250,
            render: (_x, r) => (
              <Space size={4} wrap>
                <span data-testid="masking-target">{pick(TARGET_INFO[r.field.target])}</span>
                <Tag color={r.field.targetSource === 'set' ? 'purple' : 'default'}>
                  {t(r.field.targetSource === 'set' ? 'protection.masking.targetSet' : 'protection.masking.targetInferred')}
                </Tag>
                {access.manageMasking && (
                  <Tooltip title={t('protection.masking.editTarget')}>
                    <Button
                      size="small"
                      type="text"
                      icon={<EditOutlined />}
                      aria-label={t('protection.masking.editTarget')}
                      onClick={() => setEditing({ kind: 'target', field: r.field.name })}
                      data-testid="target-edit"
                    />
                  </Tooltip>
                )}
              </Space>
            ),
          },
          {
            title: t('protection.masking.mode'),
            key: 'mode',
            width: 120,
            render: (_x, r) => (
              <Tooltip title={r.rule.mode === 'forbidden' ? t('protection.masking.forbidden') : undefined}>
                <Tag color={r.rule.mode === 'none' ? 'default' : r.rule.mode === 'forbidden' ? 'red' : 'blue'} data-testid="masking-mode">
                  {t(MASKING_LABEL[r.rule.mode])}
                </Tag>
              </Tooltip>
            ),
          },
          {
            title: t('protection.masking.rule'),
            key: 'rule',
            render: (_x, r) => <span data-testid="rule-text">{ruleText(t, r.rule.rule)}</span>,
          },
          {
            title: t('protection.masking.source'),
            key: 'source',
            width: 90,
            render: (_x, r) => (
              <Tag color={r.rule.source === 'override' ? 'gold' : 'default'} data-testid="rule-source">
                {t(r.rule.source === 'override' ? 'protection.masking.sourceOverride' : 'protection.masking.sourceDefault')}
              </Tag>
            ),
          },
          ...(access.manageMasking
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 90,
                  render: (_x: unknown, r: Row) => (
                    <Button size="small" onClick={() => setEditing({ kind: 'rule', field: r.field.name })} data-testid="rule-edit">
                      {t('protection.masking.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />

      <MaskedPreview resourceId={resourceId} scenario={scenario} loaded={dataset.loaded} />

      {editing?.kind === 'rule' && editingField && editingRule && (
        <RuleModal
          key={`${scenario}|${editingField.name}`}
          resourceId={resourceId}
          view={v}
          scenario={scenario}
          field={editingField}
          current={editingRule}
          onClose={() => setEditing(null)}
        />
      )}
      {editing?.kind === 'target' && editingField && (
        <TargetModal key={editingField.name} resourceId={resourceId} view={v} field={editingField} onClose={() => setEditing(null)} />
      )}
    </div>
  );
}
