// 从数据库表汇聚 (LIF-13): a PostgreSQL or MySQL table read by the platform. The connection is entered in
// parts and the URL composed here, so the password has a field of its own (masked, not remembered by the
// browser); it is sent once in the request body, used to connect and never stored or logged by the server
// (the version records scheme, host, database and table only). Check first, then load, as for a file.
import { CheckCircleOutlined } from '@ant-design/icons';
import { Button, Col, Form, Input, InputNumber, Modal, Radio, Result, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { useT } from '../../i18n.tsx';
import type { DatasetInfo, DatasetPullBody, DatasetVersion, LoadMode } from '../../protectionTypes.ts';
import { LoadFeedback, LoadOptionsFields, LoadSteps, useLoadFlow, VersionCounts } from './loadFlow.tsx';

type DbKind = 'postgres' | 'mysql';
const DEFAULT_PORT: Record<DbKind, number> = { postgres: 5432, mysql: 3306 };

interface Connection {
  kind: DbKind;
  host: string;
  port?: number | null;
  database: string;
  user?: string;
  password?: string;
  table: string;
}

/** postgres://user:password@host:port/database (each part percent-encoded; IPv6 hosts in brackets). */
export function connectionUrl(c: Connection): string {
  const host = c.host.trim();
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const user = c.user?.trim() ? encodeURIComponent(c.user.trim()) : '';
  const password = user && c.password ? `:${encodeURIComponent(c.password)}` : '';
  const auth = user ? `${user}${password}@` : '';
  const port = c.port ? `:${c.port}` : '';
  return `${c.kind}://${auth}${shownHost}${port}/${encodeURIComponent(c.database.trim())}`;
}

export function PullModal({ dataset, onClose }: { dataset: DatasetInfo; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Connection>();
  const [mode, setMode] = useState<LoadMode>(dataset.loaded ? 'append' : 'replace');
  const [keyField, setKeyField] = useState<string | undefined>(dataset.keyField ?? undefined);
  const flow = useLoadFlow(dataset.resourceId, ({ dryRun, mapping }) => {
    const c = form.getFieldsValue(true) as Connection;
    const body: DatasetPullBody = {
      url: connectionUrl(c),
      table: c.table.trim(),
      mode,
      dryRun,
      ...(keyField ? { keyField } : {}),
      ...(Object.keys(mapping).length > 0 ? { mapping } : {}),
    };
    return api.post<DatasetVersion>(`/api/resources/${dataset.resourceId}/dataset/pull`, body);
  });
  const runCheck = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    flow.check.mutate();
  };

  return (
    <Modal
      open
      width={900}
      title={t('protection.pull.title')}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="dataset-pull-modal"
      footer={
        flow.load.isSuccess ? (
          <Button type="primary" onClick={onClose} data-testid="dataset-load-close">
            {t('protection.load.close')}
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button loading={flow.check.isPending} disabled={flow.load.isPending} onClick={() => void runCheck()} data-testid="dataset-check">
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
          <Typography.Paragraph type="secondary">{t('protection.pull.intro')}</Typography.Paragraph>
          <Form<Connection>
            form={form}
            layout="vertical"
            initialValues={{ kind: 'postgres', port: DEFAULT_PORT.postgres }}
            onValuesChange={(changed: Partial<Connection>) => {
              if (changed.kind) form.setFieldValue('port', DEFAULT_PORT[changed.kind]);
              // Another table may have other columns: a mapping is kept only while the table stays the same.
              if (changed.kind !== undefined || changed.host !== undefined || changed.database !== undefined || changed.table !== undefined) flow.resetAll();
              else flow.reset();
            }}
            autoComplete="off"
          >
            <Form.Item name="kind" label={t('protection.pull.kind')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'postgres', label: 'PostgreSQL' },
                  { value: 'mysql', label: 'MySQL / MariaDB' },
                ]}
                data-testid="pull-kind"
              />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={24} md={12}>
                <Form.Item name="host" label={t('protection.pull.host')} rules={[{ required: true, whitespace: true, message: t('protection.pull.required') }]}>
                  <Input placeholder="10.0.0.12" data-testid="pull-host" />
                </Form.Item>
              </Col>
              <Col xs={12} md={4}>
                <Form.Item name="port" label={t('protection.pull.port')}>
                  <InputNumber min={1} max={65535} precision={0} style={{ width: '100%' }} data-testid="pull-port" />
                </Form.Item>
              </Col>
              <Col xs={12} md={8}>
                <Form.Item
                  name="database"
                  label={t('protection.pull.database')}
                  rules={[{ required: true, whitespace: true, message: t('protection.pull.required') }]}
                >
                  <Input data-testid="pull-database" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="user" label={t('protection.pull.user')}>
                  <Input autoComplete="off" data-testid="pull-user" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="password" label={t('protection.pull.password')} extra={t('protection.pull.passwordExtra')}>
                  <Input.Password autoComplete="new-password" data-testid="pull-password" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name="table"
                  label={t('protection.pull.table')}
                  extra={t('protection.pull.tableExtra')}
                  rules={[{ required: true, whitespace: true, message: t('protection.pull.required') }]}
                >
                  <Input placeholder="public.people" data-testid="pull-table" />
                </Form.Item>
              </Col>
            </Row>
          </Form>
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
          </Form>
          <LoadFeedback flow={flow} fields={dataset.fields} />
        </>
      )}
    </Modal>
  );
}
