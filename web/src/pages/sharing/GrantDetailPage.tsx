// One grant (LIF-3, LIF-5, LIF-6, PRT-9): its scope and limits, today's usage, the recipient's client
// credentials for the data-service gateway (the token shown once), a copyable call example, the recent
// gateway calls from the audit log, its deletion duties, and the provider's revocation with a DG-12 case
// (which opens the deletion duty in the same transaction).
import { ArrowLeftOutlined, CopyOutlined, DeleteOutlined, KeyOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { dg12Ordinal } from '../../../../src/engines/sharing/dg12.ts';
import { api } from '../../api.ts';
import { ErrorAlert, ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import { OneTimeSecretModal } from '../../components/OneTimeSecret.tsx';
import { fmtDateTime, testId } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import { useCan } from '../../session.tsx';
import type {
  DeletionDuty,
  Dg12Case,
  GrantCall,
  GrantCredential,
  GrantCredentialCreated,
  GrantRevoke,
  GrantRevokeResult,
  ShareGrant,
} from '../../sharingTypes.ts';
import type { Paged } from '../../types.ts';
import { Dg12Select, DUTIES_KEY, OpenDutyModal } from './DutiesPage.tsx';
import { GRANTS_KEY } from './GrantsPage.tsx';
import { DUTY_STATUS, GRANT_STATUS, labelOf, METHOD } from './labels.ts';
import { Due, StatusTag, Term } from './parts.tsx';

const grantKey = (id: string) => ['share-grant', id] as const;
const OUTCOME_COLORS: Record<string, string> = { success: 'green', failure: 'red', denied: 'orange' };

/** The call example the recipient's developers copy (PRT-8: every response is watermarked for them). */
export function curlExample(origin: string, g: ShareGrant): string {
  const base = `${origin}/api/data-services/${g.id}`;
  const purpose = encodeURIComponent(g.purposeCode);
  const url = g.aggregateOnly
    ? `${base}/aggregate?purpose=${purpose}&groupBy=${encodeURIComponent(g.fields[0] ?? '')}&metrics=count`
    : `${base}/records?purpose=${purpose}&fields=${g.fields.map(encodeURIComponent).join(',')}&limit=100`;
  return `curl -sS -H "Authorization: Bearer sgw_<clientId>.<secret>" \\\n  "${url}"`;
}

function CopyBlock({ text, testId: tid }: { text: string; testId: string }) {
  const t = useT();
  const { message } = App.useApp();
  return (
    <div style={{ position: 'relative' }}>
      <pre
        data-testid={tid}
        style={{
          background: '#0f172a',
          color: '#e2e8f0',
          padding: 12,
          borderRadius: 6,
          fontSize: 12,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
          margin: 0,
        }}
      >
        {text}
      </pre>
      <Button
        size="small"
        icon={<CopyOutlined />}
        style={{ position: 'absolute', top: 8, right: 8 }}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            message.success(t('common.copied'));
          } catch {
            message.warning(t('common.copyFailed'));
          }
        }}
        data-testid={`${tid}-copy`}
      >
        {t('common.copy')}
      </Button>
    </div>
  );
}

function CredentialsCard({ grant }: { grant: ShareGrant }) {
  const t = useT();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<GrantCredentialCreated | null>(null);
  const [form] = Form.useForm<{ name: string }>();
  const key = ['share-grant-credentials', grant.id];
  const list = useQuery({ queryKey: key, queryFn: () => api.get<GrantCredential[]>(`/api/share-grants/${grant.id}/credentials`) });
  const create = useMutation({
    mutationFn: (name: string) => api.post<GrantCredentialCreated>(`/api/share-grants/${grant.id}/credentials`, { name }),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: key });
      setCreating(false);
      form.resetFields();
      setCreated(c);
    },
  });
  const revoke = useMutation({
    mutationFn: (c: GrantCredential) => api.del(`/api/share-grants/${grant.id}/credentials/${c.id}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: key });
      message.success(t('sharing.cred.revoked'));
    },
  });
  const manage = grant.can.manageCredentials && grant.status === 'active';
  return (
    <Card
      title={t('sharing.cred.title')}
      data-testid="grant-credentials"
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="cred-create">
            {t('sharing.cred.create')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('sharing.cred.intro')}</Typography.Paragraph>
      <ErrorAlert error={list.error ?? revoke.error} />
      <Table<GrantCredential>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data ?? []}
        pagination={false}
        locale={{ emptyText: t('sharing.cred.none') }}
        data-testid="cred-table"
        columns={[
          { title: t('sharing.cred.name'), dataIndex: 'name' },
          {
            title: t('sharing.cred.clientId'),
            dataIndex: 'clientId',
            render: (v: string) => (
              <Typography.Text code copyable>
                {v}
              </Typography.Text>
            ),
          },
          { title: t('common.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtDateTime(v) },
          { title: t('sharing.cred.lastUsed'), dataIndex: 'lastUsedAt', width: 170, render: (v: string | null) => fmtDateTime(v) },
          {
            title: t('common.status'),
            dataIndex: 'status',
            width: 90,
            render: (v: string) => (v === 'active' ? <Tag color="success">{t('sharing.cred.active')}</Tag> : <Tag>{t('sharing.cred.revokedTag')}</Tag>),
          },
          ...(manage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 100,
                  render: (_v: unknown, c: GrantCredential) =>
                    c.status === 'active' && (
                      <Button
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        onClick={() =>
                          modal.confirm({
                            title: t('sharing.cred.revokeConfirm', { name: c.name }),
                            okButtonProps: { danger: true, ...testId('cred-revoke-ok') },
                            onOk: () => revoke.mutateAsync(c),
                          })
                        }
                        data-testid="cred-revoke"
                      >
                        {t('sharing.cred.revoke')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={creating}
        title={t('sharing.cred.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: create.isPending, ...testId('cred-create-ok') }}
        forceRender
      >
        <ErrorAlert error={create.error} />
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v.name.trim())}>
          <Form.Item
            name="name"
            label={t('sharing.cred.name')}
            extra={t('sharing.cred.nameExtra')}
            rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}
          >
            <Input maxLength={100} data-testid="cred-name" />
          </Form.Item>
        </Form>
      </Modal>
      <OneTimeSecretModal
        open={created !== null}
        title={t('sharing.cred.createdTitle')}
        label={t('sharing.cred.token')}
        secret={created?.token ?? null}
        note={t('sharing.cred.onceNote')}
        onClose={() => setCreated(null)}
        testId="cred-token"
      />
    </Card>
  );
}

function RevokeModal({ grant, onClose }: { grant: ShareGrant; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ case: Dg12Case; reason: string }>();
  const revoke = useMutation({
    mutationFn: (body: GrantRevoke) => api.post<GrantRevokeResult>(`/api/share-grants/${grant.id}/revoke`, body),
    onSuccess: (r) => {
      qc.setQueryData(grantKey(grant.id), r.grant);
      void qc.invalidateQueries({ queryKey: GRANTS_KEY });
      void qc.invalidateQueries({ queryKey: DUTIES_KEY });
      message.success(t('sharing.grant.revokedMsg'));
      onClose();
      navigate(`/sharing/duties/${r.deletionDutyId}`);
    },
  });
  return (
    <Modal
      open
      width={640}
      title={t('sharing.grant.revokeTitle', { number: grant.number })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ danger: true, loading: revoke.isPending, ...testId('grant-revoke-ok') }}
      destroyOnHidden
    >
      <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('sharing.grant.revokeIntro')} />
      <ErrorAlert error={revoke.error} testId="grant-revoke-error" />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ case: 'purpose_achieved' }}
        onFinish={(v) => revoke.mutate({ case: v.case, reason: v.reason.trim() })}
      >
        <Form.Item name="case" label={t('sharing.duty.case')} extra={t('sharing.grant.caseExtra')}>
          <Dg12Select testId="grant-revoke-case" />
        </Form.Item>
        <Form.Item name="reason" label={t('sharing.grant.revokeReason')} rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="grant-revoke-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CallsCard({ grant }: { grant: ShareGrant }) {
  const t = useT();
  const calls = useQuery({
    queryKey: ['share-grant-calls', grant.id],
    queryFn: () => api.get<GrantCall[]>(`/api/share-grants/${grant.id}/calls`, { limit: 100 }),
  });
  const outcome = (o: string) =>
    o === 'success' ? t('audit.outcomeSuccess') : o === 'failure' ? t('audit.outcomeFailure') : o === 'denied' ? t('audit.outcomeDenied') : o;
  return (
    <Card title={t('sharing.calls.title')} data-testid="grant-calls" extra={<Button onClick={() => calls.refetch()}>{t('sharing.refresh')}</Button>}>
      <ErrorAlert error={calls.error} />
      <Table<GrantCall>
        rowKey="eventId"
        size="small"
        loading={calls.isFetching}
        dataSource={calls.data ?? []}
        pagination={{ pageSize: 10 }}
        locale={{ emptyText: t('sharing.calls.none') }}
        columns={[
          { title: t('audit.time'), dataIndex: 'at', width: 170, render: (v: string) => fmtDateTime(v) },
          { title: t('sharing.cred.clientId'), dataIndex: 'clientId', render: (v: string | null) => v ?? '—' },
          { title: t('sharing.calls.kind'), dataIndex: 'action', render: (v: string) => v.replace('sharing.gateway.', '') },
          { title: t('sharing.apply.purposeCode'), dataIndex: 'purposeCode', render: (v: string | null) => v ?? '—' },
          { title: t('sharing.calls.rows'), dataIndex: 'rows', width: 80, render: (v: number | null) => v ?? '—' },
          {
            title: t('audit.outcome'),
            key: 'outcome',
            width: 160,
            render: (_v, c) => (
              <Space size={4}>
                <Tag color={OUTCOME_COLORS[c.outcome]}>{outcome(c.outcome)}</Tag>
                {c.code && <Typography.Text code>{c.code}</Typography.Text>}
              </Space>
            ),
          },
          { title: t('audit.ip'), dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
        ]}
      />
    </Card>
  );
}

function GrantDuties({ grant }: { grant: ShareGrant }) {
  const t = useT();
  const { pick } = useI18n();
  const q = useQuery({
    queryKey: [...DUTIES_KEY, 'grant', grant.id],
    queryFn: () => api.get<Paged<DeletionDuty>>('/api/deletion-duties', { grantId: grant.id, pageSize: 50 }),
  });
  if (!q.data?.items.length && !q.error) return null;
  return (
    <Card title={t('nav.sharingDuties')} data-testid="grant-duties">
      <ErrorAlert error={q.error} />
      <Table<DeletionDuty>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={q.data?.items ?? []}
        columns={[
          { title: t('sharing.col.number'), dataIndex: 'number', render: (v: string, d) => <Link to={`/sharing/duties/${d.id}`}>{v}</Link> },
          { title: t('sharing.duty.case'), key: 'case', render: (_v, d) => `${dg12Ordinal(d.case)} ${pick(d.caseLabel)}` },
          { title: t('common.status'), dataIndex: 'status', render: (v: DeletionDuty['status']) => <StatusTag table={DUTY_STATUS} value={v} /> },
          { title: t('sharing.col.due'), key: 'due', render: (_v, d) => <Due date={d.dueDate} overdue={d.overdue} /> },
        ]}
      />
    </Card>
  );
}

export default function GrantDetailPage() {
  const t = useT();
  const { pick } = useI18n();
  const can = useCan();
  const { id = '' } = useParams();
  const [revoking, setRevoking] = useState(false);
  const [openingDuty, setOpeningDuty] = useState(false);
  const q = useQuery({ queryKey: grantKey(id), queryFn: () => api.get<ShareGrant>(`/api/share-grants/${id}`) });
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <Card>
        <ErrorResult error={q.error} onRetry={() => q.refetch()} />
      </Card>
    );
  const g = q.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Link to="/sharing/grants" data-testid="grant-back">
        <ArrowLeftOutlined /> {t('sharing.grant.back')}
      </Link>
      <Card
        data-testid="grant-detail"
        title={
          <Space wrap>
            <KeyOutlined />
            <span data-testid="grant-number">{g.number}</span>
            <span>{g.resource.name}</span>
            <StatusTag table={GRANT_STATUS} value={g.status} testId="grant-status" />
            {g.aggregateOnly && <Tag color="purple">{t('sharing.grant.aggregateOnly')}</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            {can('sharing.provide') && g.can.revoke && g.status === 'active' && (
              <Button onClick={() => setOpeningDuty(true)} data-testid="grant-open-duty">
                {t('sharing.duty.openTitle')}
              </Button>
            )}
            {g.can.revoke && g.status === 'active' && (
              <Button danger icon={<StopOutlined />} onClick={() => setRevoking(true)} data-testid="grant-revoke">
                {t('sharing.grant.revoke')}
              </Button>
            )}
          </Space>
        }
      >
        {g.status !== 'active' && g.statusReason && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="grant-status-reason"
            title={`${pick(GRANT_STATUS[g.status])}${t('common.colon')}${g.statusReason}`}
            description={g.statusChangedAt ? fmtDateTime(g.statusChangedAt) : undefined}
          />
        )}
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('sharing.col.provider')}>{g.provider.name}</Descriptions.Item>
          <Descriptions.Item label={t('sharing.grant.recipient')}>{g.recipient.name}</Descriptions.Item>
          <Descriptions.Item label={t('sharing.col.fields')} span={2}>
            <Space size={4} wrap>
              {g.fields.map((f) => (
                <Tag key={f}>{f}</Tag>
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.rowFilter')} span={2}>
            {g.rowFilter && g.rowFilter.length > 0
              ? g.rowFilter.map((x) => `${x.field} ${x.op === 'eq' ? '=' : '∈'} ${x.op === 'eq' ? x.value : (x.values ?? []).join('、')}`).join('；')
              : t('sharing.request.allRows')}
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.purpose')} span={2}>
            {g.purpose} <Typography.Text code>{g.purposeCode}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.scenario')} span={2}>
            {g.scenario}
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.method')}>{pick(labelOf(METHOD, g.method))}</Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.term')}>
            <Term start={g.termStart} end={g.termEnd} />
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.ratePerMinute')}>{g.ratePerMinute}</Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.rowsPerDay')}>{g.rowsPerDay}</Descriptions.Item>
          {g.aggregateOnly && (
            <Descriptions.Item label={t('sharing.grant.minGroupSize')} span={2}>
              {g.minGroupSize}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('sharing.grant.usageToday')}>
            <span data-testid="grant-usage">{t('sharing.grant.usage', { calls: g.usage.callsToday, rows: g.usage.rowsToday })}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.grant.links')}>
            <Space>
              <Link to={`/sharing/requests/${g.requestId}`}>{t('sharing.grant.toRequest')}</Link>
            </Space>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {g.can.manageCredentials && <CredentialsCard grant={g} />}
      {g.can.manageCredentials && g.status === 'active' && (
        <Card title={t('sharing.example.title')} data-testid="grant-example">
          <Typography.Paragraph type="secondary">{t(g.aggregateOnly ? 'sharing.example.introAggregate' : 'sharing.example.intro')}</Typography.Paragraph>
          <CopyBlock text={curlExample(window.location.origin, g)} testId="grant-curl" />
        </Card>
      )}
      <CallsCard grant={g} />
      <GrantDuties grant={g} />
      {revoking && <RevokeModal grant={g} onClose={() => setRevoking(false)} />}
      {openingDuty && <OpenDutyModal grantId={g.id} onClose={() => setOpeningDuty(false)} />}
    </Space>
  );
}
