// What the two ways of loading a dataset (LIF-13) share: a file upload (LoadModal) and a table pull
// (PullModal) both check first (dryRun: counted, nothing written), then load for real; both show the same
// answers: the counts, the rejected rows by line and column (never a value), a broken file's line, and for
// columns that are not fields of the resource, a column → field mapping to retry with.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Radio, Select, Space, Steps, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useT } from '../../i18n.tsx';
import type { DatasetField, DatasetRejection, DatasetVersion, LoadMode } from '../../protectionTypes.ts';
import { fmtCount, LOAD_MODE, LOAD_MODES, protectionKey } from './labels.ts';

export type Mapping = Record<string, string>;
export type RunLoad = (opts: { dryRun: boolean; mapping: Mapping }) => Promise<DatasetVersion>;

/** The rejected cells of a 422 DATASET_INVALID answer, with the exact total (the list may be cut short). */
export function datasetRejections(e: unknown): { errors: DatasetRejection[]; total: number } | null {
  if (!(e instanceof ApiError) || e.code !== 'DATASET_INVALID') return null;
  const list = Array.isArray(e.details?.errors) ? (e.details.errors as DatasetRejection[]) : [];
  const total = typeof e.details?.total === 'number' ? e.details.total : list.length;
  return { errors: list, total };
}

/** The source columns a 400 DATASET_UNKNOWN_COLUMNS answer names. */
export function unknownColumns(e: unknown): string[] | null {
  if (!(e instanceof ApiError) || e.code !== 'DATASET_UNKNOWN_COLUMNS') return null;
  const list = e.details?.columns;
  return Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string') : [];
}

/** A broken source (SOURCE_*: unreadable, bad encoding, malformed, too large, connection, not found). */
function sourceProblem(e: unknown): { line: number | null; column: string | null } | null {
  if (!(e instanceof ApiError) || !e.code.startsWith('SOURCE_')) return null;
  return {
    line: typeof e.details?.line === 'number' ? e.details.line : null,
    column: typeof e.details?.column === 'string' ? e.details.column : null,
  };
}

export function useLoadFlow(resourceId: string, run: RunLoad) {
  const qc = useQueryClient();
  const [mapping, setMappingState] = useState<Mapping>({});
  const [toMap, setToMap] = useState<string[]>([]);
  const remember = (e: unknown) => {
    const cols = unknownColumns(e);
    if (cols?.length) setToMap((prev) => [...prev, ...cols.filter((c) => !prev.includes(c))]);
  };
  const chosen = (): Mapping => Object.fromEntries(Object.entries(mapping).filter(([c, f]) => f && toMap.includes(c)));
  const check = useMutation({ mutationFn: () => run({ dryRun: true, mapping: chosen() }), onError: remember });
  const load = useMutation({
    mutationFn: () => run({ dryRun: false, mapping: chosen() }),
    onError: remember,
    onSuccess: () => qc.invalidateQueries({ queryKey: protectionKey(resourceId) }),
  });
  /** Any change to what would be loaded: the check must be done again. */
  const reset = () => {
    check.reset();
    load.reset();
  };
  return {
    check,
    load,
    mapping,
    toMap,
    setMapping: (column: string, field: string | undefined) => {
      reset();
      setMappingState((m) => ({ ...m, [column]: field ?? '' }));
    },
    reset,
    /** A new source (another file, another table): forget the mapping too. */
    resetAll: () => {
      reset();
      setMappingState({});
      setToMap([]);
    },
    checkedOk: check.isSuccess && !!check.data,
    step: load.isSuccess ? 2 : check.isSuccess ? 1 : 0,
    busy: check.isPending || load.isPending,
  };
}
export type LoadFlow = ReturnType<typeof useLoadFlow>;

export function LoadSteps({ flow }: { flow: LoadFlow }) {
  const t = useT();
  return (
    <Steps
      size="small"
      current={flow.step}
      style={{ marginBottom: 16 }}
      items={[{ title: t('protection.load.stepCheck') }, { title: t('protection.load.stepLoad') }, { title: t('protection.load.stepDone') }]}
    />
  );
}

/** Mode (replace / append / upsert) and the key field. */
export function LoadOptionsFields({
  mode,
  onMode,
  keyField,
  onKeyField,
  fields,
  storedKeyField,
}: {
  mode: LoadMode;
  onMode: (m: LoadMode) => void;
  keyField: string | undefined;
  onKeyField: (f: string | undefined) => void;
  fields: DatasetField[];
  storedKeyField: string | null;
}) {
  const t = useT();
  return (
    <>
      <Form.Item label={t('protection.load.mode')} extra={t(LOAD_MODE[mode].help)}>
        <Radio.Group
          value={mode}
          onChange={(e) => onMode(e.target.value as LoadMode)}
          optionType="button"
          options={LOAD_MODES.map((m) => ({ value: m, label: t(LOAD_MODE[m].label) }))}
          data-testid="dataset-mode"
        />
      </Form.Item>
      <Form.Item
        label={t('protection.load.keyField')}
        required={mode === 'upsert' && !storedKeyField}
        extra={storedKeyField ? t('protection.load.keyFieldStored', { field: storedKeyField }) : t('protection.load.keyFieldExtra')}
      >
        <Select<string>
          allowClear
          value={keyField}
          onChange={(v) => onKeyField(v)}
          placeholder={storedKeyField ?? t('protection.load.keyFieldNone')}
          options={fields.map((f) => ({ value: f.name, label: f.name }))}
          style={{ width: 320 }}
          data-testid="dataset-key-field"
        />
      </Form.Item>
    </>
  );
}

/** The counts of a load or a dry run. */
export function VersionCounts({ v }: { v: DatasetVersion }) {
  const t = useT();
  return (
    <div data-testid="dataset-counts" data-read={v.rowsRead} data-added={v.rowsAdded} data-updated={v.rowsUpdated} data-total={v.rowCount}>
      <div>
        {t('protection.load.counts', {
          read: fmtCount(v.rowsRead),
          added: fmtCount(v.rowsAdded),
          updated: fmtCount(v.rowsUpdated),
          removed: fmtCount(v.rowsRemoved),
          total: fmtCount(v.rowCount),
        })}
      </div>
      <div>
        {v.sealedFields.length > 0 ? (
          <Space size={4} wrap>
            {t('protection.load.sealedFields')}
            {v.sealedFields.map((f) => (
              <Tag key={f} color="green">
                {f}
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('protection.load.noSealedFields')}</Typography.Text>
        )}
      </div>
    </div>
  );
}

/** The answers of the check and the load: success counts, rejected rows, a broken source, column mapping. */
export function LoadFeedback({ flow, fields }: { flow: LoadFlow; fields: DatasetField[] }) {
  const t = useT();
  const error = (flow.load.error ?? flow.check.error) as Error | null;
  const rejected = datasetRejections(error);
  const unknown = unknownColumns(error);
  const broken = sourceProblem(error);
  return (
    <>
      {flow.toMap.length > 0 && (
        <div data-testid="dataset-mapping" style={{ marginBottom: 16 }}>
          <Alert
            type={unknown ? 'warning' : 'info'}
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="dataset-unknown-columns"
            title={unknown ? error?.message : t('protection.map.title')}
            description={t('protection.map.help')}
          />
          <Space orientation="vertical" size={8}>
            {flow.toMap.map((column) => (
              <Space key={column} data-testid="dataset-map-row" data-column={column}>
                <Typography.Text code style={{ display: 'inline-block', minWidth: 140 }}>
                  {column}
                </Typography.Text>
                <span>→</span>
                <Select<string>
                  allowClear
                  value={flow.mapping[column] || undefined}
                  onChange={(v) => flow.setMapping(column, v)}
                  placeholder={t('protection.map.pick')}
                  options={fields.map((f) => ({ value: f.name, label: f.name }))}
                  style={{ width: 260 }}
                  data-testid="dataset-map-select"
                />
              </Space>
            ))}
            {!flow.checkedOk && (
              <Button
                onClick={() => flow.check.mutate()}
                loading={flow.check.isPending}
                disabled={flow.toMap.some((c) => !flow.mapping[c])}
                data-testid="dataset-map-retry"
              >
                {t('protection.map.retry')}
              </Button>
            )}
          </Space>
        </div>
      )}

      {flow.checkedOk && !flow.load.isError && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="dataset-check-ok"
          title={t('protection.load.checkOk')}
          description={<VersionCounts v={flow.check.data as DatasetVersion} />}
        />
      )}

      {rejected && (
        <>
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="dataset-invalid"
            title={error?.message}
            description={t('protection.load.invalidHelp', { total: fmtCount(rejected.total), n: fmtCount(rejected.errors.length) })}
          />
          <Table<DatasetRejection>
            size="small"
            rowKey={(r) => `${r.line}-${r.column}-${r.problem}`}
            dataSource={rejected.errors}
            pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
            data-testid="dataset-errors"
            style={{ marginBottom: 16 }}
            columns={[
              { title: t('protection.load.line'), dataIndex: 'line', width: 90, render: (v: number) => <span data-testid="dataset-error-line">{v}</span> },
              {
                title: t('protection.load.column'),
                dataIndex: 'column',
                width: 180,
                render: (v: string) => (
                  <Typography.Text code data-testid="dataset-error-column">
                    {v}
                  </Typography.Text>
                ),
              },
              { title: t('protection.load.field'), dataIndex: 'field', width: 160 },
              { title: t('protection.load.problem'), dataIndex: 'message' },
            ]}
          />
        </>
      )}

      {broken && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="dataset-source-error"
          data-line={broken.line ?? ''}
          title={error?.message}
          description={
            <Space orientation="vertical" size={0}>
              {broken.line !== null && (
                <span>
                  {broken.column
                    ? t('protection.load.atLineColumn', { line: broken.line, column: broken.column })
                    : t('protection.load.atLine', { line: broken.line })}
                </span>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{`${t('error.code')}${t('common.colon')}${(error as ApiError).code}`}</Typography.Text>
            </Space>
          }
        />
      )}

      {!rejected && !unknown && !broken && <ErrorAlert error={error} testId="dataset-load-error" />}
    </>
  );
}
