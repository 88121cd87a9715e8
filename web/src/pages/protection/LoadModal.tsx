// 上传文件载入 (LIF-13): a CSV/TSV (UTF-8 or GB18030), XLSX or JSON Lines file sent as the request body, as
// the catalog import does. Checked first (dryRun: counts, every rejected row by line and column, nothing
// written), then loaded in one go: all rows or none.
import { CheckCircleOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Modal, Result, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, withQuery } from '../../api.ts';
import { useT } from '../../i18n.tsx';
import type { DatasetInfo, DatasetVersion, LoadMode } from '../../protectionTypes.ts';
import { LoadFeedback, LoadOptionsFields, LoadSteps, useLoadFlow, VersionCounts } from './loadFlow.tsx';

/** The server's limit (DATASET_UPLOAD_MAX_BYTES): refused here before uploading. */
export const MAX_BYTES = 64 * 1024 * 1024;
export const ACCEPT = '.csv,.tsv,.txt,.xlsx,.jsonl,.ndjson';

/** A content type the upload route takes; the server reads the format from the content and the name. */
export function contentTypeOf(name: string): string | null {
  const ext = /\.([^.]+)$/.exec(name.toLowerCase())?.[1];
  switch (ext) {
    case 'xlsx':
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    case 'csv':
    case 'txt':
      return 'text/csv';
    case 'tsv':
      return 'text/tab-separated-values';
    case 'jsonl':
    case 'ndjson':
      return 'application/x-ndjson';
    default:
      return null;
  }
}

export function LoadModal({ dataset, onClose }: { dataset: DatasetInfo; onClose: () => void }) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [mode, setMode] = useState<LoadMode>(dataset.loaded ? 'append' : 'replace');
  const [keyField, setKeyField] = useState<string | undefined>(dataset.keyField ?? undefined);
  const flow = useLoadFlow(dataset.resourceId, ({ dryRun, mapping }) => {
    if (!file) throw new Error(t('protection.load.pickFile'));
    return api.upload<DatasetVersion>(
      withQuery(`/api/resources/${dataset.resourceId}/dataset`, {
        mode,
        keyField,
        dryRun,
        fileName: file.name,
        mapping: Object.keys(mapping).length > 0 ? JSON.stringify(mapping) : undefined,
      }),
      file,
      contentTypeOf(file.name) ?? 'application/octet-stream',
    );
  });

  return (
    <Modal
      open
      width={900}
      title={t('protection.load.uploadTitle')}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="dataset-upload-modal"
      footer={
        flow.load.isSuccess ? (
          <Button type="primary" onClick={onClose} data-testid="dataset-load-close">
            {t('protection.load.close')}
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button loading={flow.check.isPending} disabled={!file || flow.load.isPending} onClick={() => flow.check.mutate()} data-testid="dataset-check">
              {t('protection.load.check')}
            </Button>
            <Button
              type="primary"
              loading={flow.load.isPending}
              disabled={!flow.checkedOk || flow.check.isPending}
              onClick={() => flow.load.mutate()}
              data-testid="dataset-load"
            >
              {t('protection.load.run')}
            </Button>
          </Space>
        )
      }
    >
      <LoadSteps flow={flow} />
      {flow.load.isSuccess ? (
        <Result
          status="success"
          icon={<CheckCircleOutlined />}
          title={t('protection.load.done', { version: flow.load.data.version })}
          subTitle={<VersionCounts v={flow.load.data} />}
          data-testid="dataset-load-success"
        />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('protection.load.uploadIntro')}</Typography.Paragraph>
          <Form layout="vertical">
            <LoadOptionsFields
              mode={mode}
              onMode={(m) => {
                setMode(m);
                flow.reset();
              }}
              keyField={keyField}
              onKeyField={(f) => {
                setKeyField(f);
                flow.reset();
              }}
              fields={dataset.fields}
              storedKeyField={dataset.keyField}
            />
            <Form.Item label={t('protection.load.file')}>
              <Upload.Dragger
                accept={ACCEPT}
                maxCount={1}
                multiple={false}
                fileList={file ? [{ uid: '1', name: file.name, status: 'done', size: file.size }] : []}
                beforeUpload={(f) => {
                  flow.resetAll();
                  if (!contentTypeOf(f.name)) {
                    setLocalError(t('protection.load.badType'));
                    setFile(null);
                  } else if (f.size > MAX_BYTES) {
                    setLocalError(t('protection.load.tooBig', { mb: MAX_BYTES / 1024 / 1024 }));
                    setFile(null);
                  } else {
                    setLocalError(null);
                    setFile(f);
                  }
                  return false;
                }}
                onRemove={() => {
                  setFile(null);
                  flow.resetAll();
                }}
                data-testid="dataset-file"
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('protection.load.drop')}</p>
                <p className="ant-upload-hint">{t('protection.load.hint')}</p>
              </Upload.Dragger>
            </Form.Item>
          </Form>
          {localError && <Alert type="error" showIcon title={localError} style={{ marginBottom: 16 }} data-testid="dataset-local-error" />}
          <LoadFeedback flow={flow} fields={dataset.fields} />
        </>
      )}
    </Modal>
  );
}
