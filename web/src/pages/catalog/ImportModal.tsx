// 导入: an XLSX or CSV catalog file (sheets / `kind` rows: systems, resources, fields). The file is first
// checked with dryRun (nothing written; every problem listed by sheet, row and column), then imported in
// one go. Encodings: UTF-8 (with or without BOM) and GB18030/GBK are detected by the server.
import { CheckCircleOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Modal, Result, Space, Steps, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError, api, withQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstitutionTreeSelect } from '../../components/institutions.tsx';
import { type MessageKey, useT } from '../../i18n.tsx';
import { useMe } from '../../session.tsx';
import type { ImportIssue, ImportResult } from '../../types.ts';

const KIND_LABEL: Record<NonNullable<ImportIssue['kind']>, MessageKey> = {
  systems: 'import.kind.systems',
  resources: 'import.kind.resources',
  fields: 'import.kind.fields',
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The server's limit (catalog-io IMPORT_MAX_BYTES): refused here before uploading. */
const MAX_BYTES = 10 * 1024 * 1024;

function contentTypeOf(file: File): string | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return XLSX;
  if (name.endsWith('.csv')) return 'text/csv';
  return null;
}

/** The per-cell problems of an IMPORT_INVALID answer. */
export function importIssues(e: unknown): ImportIssue[] | null {
  if (!(e instanceof ApiError) || e.code !== 'IMPORT_INVALID') return null;
  const list = e.details?.errors;
  return Array.isArray(list) ? (list as ImportIssue[]) : [];
}

function Summary({ r }: { r: ImportResult }) {
  const t = useT();
  const parts = [
    t('import.countSystems', { n: r.created.systems }),
    t('import.countResources', { n: r.created.resources }),
    t('import.countFields', { n: r.created.fields }),
  ];
  if (r.created.gradings) parts.push(t('import.countGradings', { n: r.created.gradings }));
  const notes: string[] = [];
  if (r.reusedSystems) notes.push(t('import.reusedSystems', { n: r.reusedSystems }));
  if (r.extendedResources) notes.push(t('import.extendedResources', { n: r.extendedResources }));
  if (r.ignoredSheets.length) notes.push(t('import.ignoredSheets', { names: r.ignoredSheets.join('、') }));
  if (r.ignoredColumns.length) notes.push(t('import.ignoredColumns', { names: r.ignoredColumns.map((c) => c.column).join('、') }));
  return (
    <div data-testid="import-summary">
      <div>{t('import.summaryHead', { institution: r.institutionName, rows: r.rows, format: r.format.toUpperCase(), encoding: r.encoding ?? '—' })}</div>
      <div data-testid="import-counts">{`${r.dryRun ? t('import.wouldCreate') : t('import.created')}${parts.join('，')}`}</div>
      {notes.map((n) => (
        <div key={n}>
          <Typography.Text type="secondary">{n}</Typography.Text>
        </div>
      ))}
    </div>
  );
}

export function ImportModal({ onClose }: { onClose: () => void }) {
  const t = useT();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [institutionId, setInstitutionId] = useState<string | undefined>(me.institutionId);
  const [file, setFile] = useState<File | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);

  const run = (dryRun: boolean) => {
    if (!file) throw new Error(t('import.pickFile'));
    const ct = contentTypeOf(file) as string;
    return api.upload<ImportResult>(withQuery('/api/catalog/import', { institutionId, dryRun, fileName: file.name }), file, ct);
  };
  const check = useMutation({ mutationFn: () => run(true) });
  const doImport = useMutation({
    mutationFn: () => run(false),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['resources'] });
      qc.invalidateQueries({ queryKey: ['systems'] });
      qc.invalidateQueries({ queryKey: ['grading', 'dashboard'] });
      message.success(t('import.done'));
    },
  });

  const issues = importIssues(check.error) ?? importIssues(doImport.error);
  const otherError =
    (check.error && !importIssues(check.error) ? check.error : null) ?? (doImport.error && !importIssues(doImport.error) ? doImport.error : null);
  const checkedOk = check.isSuccess && !!check.data;
  const step = doImport.isSuccess ? 2 : checkedOk ? 1 : 0;

  const reset = () => {
    check.reset();
    doImport.reset();
  };

  return (
    <Modal
      open
      width={900}
      title={t('import.title')}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="import-modal"
      footer={
        doImport.isSuccess ? (
          <Button type="primary" onClick={onClose} data-testid="import-close">
            {t('import.close')}
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button loading={check.isPending} disabled={!file || doImport.isPending} onClick={() => check.mutate()} data-testid="import-check">
              {t('import.check')}
            </Button>
            <Button
              type="primary"
              loading={doImport.isPending}
              disabled={!checkedOk || check.isPending}
              onClick={() => doImport.mutate()}
              data-testid="import-run"
            >
              {t('import.run')}
            </Button>
          </Space>
        )
      }
    >
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 16 }}
        items={[{ title: t('import.stepCheck') }, { title: t('import.stepImport') }, { title: t('import.stepDone') }]}
      />
      {doImport.isSuccess ? (
        <Result
          status="success"
          icon={<CheckCircleOutlined />}
          title={t('import.done')}
          subTitle={<Summary r={doImport.data} />}
          data-testid="import-success"
        />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('import.intro')}</Typography.Paragraph>
          <Form layout="vertical">
            <Form.Item label={t('import.institution')} extra={t('import.institutionExtra')}>
              <InstitutionTreeSelect
                testId="import-institution"
                value={institutionId}
                onChange={(v) => {
                  setInstitutionId(v);
                  reset();
                }}
                style={{ width: 320 }}
              />
            </Form.Item>
            <Form.Item label={t('import.file')}>
              <Upload.Dragger
                accept=".xlsx,.csv"
                maxCount={1}
                multiple={false}
                fileList={file ? [{ uid: '1', name: file.name, status: 'done', size: file.size }] : []}
                beforeUpload={(f) => {
                  reset();
                  if (!contentTypeOf(f)) {
                    setLocalError(t('import.badType'));
                    setFile(null);
                  } else if (f.size > MAX_BYTES) {
                    setLocalError(t('import.tooBig', { mb: MAX_BYTES / 1024 / 1024 }));
                    setFile(null);
                  } else {
                    setLocalError(null);
                    setFile(f);
                  }
                  return false;
                }}
                onRemove={() => {
                  setFile(null);
                  reset();
                }}
                data-testid="import-file"
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('import.drop')}</p>
                <p className="ant-upload-hint">{t('import.hint')}</p>
              </Upload.Dragger>
            </Form.Item>
          </Form>
          {localError && <Alert type="error" showIcon title={localError} style={{ marginBottom: 16 }} data-testid="import-local-error" />}
          <ErrorAlert error={otherError} testId="import-error" />
          {checkedOk && !doImport.isError && (
            <Alert
              type="success"
              showIcon
              style={{ marginBottom: 16 }}
              data-testid="import-check-ok"
              title={t('import.checkOk')}
              description={<Summary r={check.data} />}
            />
          )}
          {issues && (
            <>
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 12 }}
                data-testid="import-invalid"
                title={(check.error ?? doImport.error)?.message ?? t('import.invalid')}
                description={t('import.invalidHelp', { n: issues.length })}
              />
              <Table<ImportIssue>
                size="small"
                rowKey={(r) => `${r.sheet}-${r.kind}-${r.row}-${r.column}-${r.code}-${r.message}`}
                dataSource={issues}
                pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
                data-testid="import-errors"
                columns={[
                  {
                    title: t('import.sheet'),
                    dataIndex: 'sheet',
                    width: 110,
                    render: (v: string | null, r) => v ?? (r.kind ? t(KIND_LABEL[r.kind]) : t('import.wholeFile')),
                  },
                  { title: t('import.row'), dataIndex: 'row', width: 70, render: (v: number | null) => v ?? '—' },
                  { title: t('import.column'), dataIndex: 'column', width: 140, render: (v?: string | null) => v || '—' },
                  { title: t('error.code'), dataIndex: 'code', width: 190, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
                  { title: t('import.message'), dataIndex: 'message' },
                ]}
              />
            </>
          )}
        </>
      )}
    </Modal>
  );
}
