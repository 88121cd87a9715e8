// 删除义务 (LIF-10, DG-12): the duties to delete shared data — opened when a grant is revoked or expires, or
// by the provider in any of the nine DG-12 cases. The data user confirms (deleted, or processing stopped
// with a statement when deletion is technically impossible) with an evidence file; the provider accepts
// or reopens. Due dates in working days; overdue in red. /sharing/duties/:id opens one duty's drawer.
import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Spin,
  Table,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { DG12_CASES, DG12_PROCESSING_STOPPED, dg12Ordinal } from '../../../../src/engines/sharing/dg12.ts';
import { api, withQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { serverPagination, useListFilters, usePagedQuery } from '../../components/paging.ts';
import { fmtDateTime, testId } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import { useCan } from '../../session.tsx';
import type { DeletionDuty, DeletionDutyDetail, Dg12Case, DutyConfirm, DutyOutcome, DutyQuery, DutyStatus } from '../../sharingTypes.ts';
import type { Paged } from '../../types.ts';
import { DG12_CASE, DUTY_OUTCOME, DUTY_STATUS } from './labels.ts';
import { Due, RoleTabs, StatusTag, StoredFileLink } from './parts.tsx';

type Filters = DutyQuery & { page: number; pageSize: number };
type Role = NonNullable<DutyQuery['role']>;

export const DUTIES_KEY = ['deletion-duties'] as const;
const dutyKey = (id: string) => ['deletion-duty', id] as const;

/** The DG-12 case picker: the regulation's ordinal and wording. */
export function Dg12Select({ value, onChange, testId: tid }: { value?: Dg12Case; onChange?: (v: Dg12Case) => void; testId?: string }) {
  const { pick } = useI18n();
  return (
    <Select<Dg12Case>
      value={value}
      onChange={onChange}
      style={{ width: '100%' }}
      data-testid={tid}
      options={DG12_CASES.map((c) => ({ value: c, label: `${dg12Ordinal(c)} ${pick(DG12_CASE[c])}` }))}
    />
  );
}

/** The provider opens a deletion duty on a grant (DG-12: any of the nine cases). */
export function OpenDutyModal({ grantId, onClose }: { grantId?: string; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ grantId: string; case: Dg12Case; reason: string }>();
  const grants = useQuery({
    queryKey: ['share-grants', 'provider-active-for-duty'],
    queryFn: () =>
      api.get<Paged<{ id: string; number: string; resource: { name: string }; recipient: { name: string } }>>('/api/share-grants', {
        role: 'provider',
        pageSize: 200,
      }),
    enabled: !grantId,
  });
  const open = useMutation({
    mutationFn: (v: { grantId: string; case: Dg12Case; reason: string }) => api.post<DeletionDuty>('/api/deletion-duties', { ...v, reason: v.reason.trim() }),
    onSuccess: (d) => {
      void qc.invalidateQueries({ queryKey: DUTIES_KEY });
      message.success(t('sharing.duty.opened', { number: d.number }));
      onClose();
      navigate(`/sharing/duties/${d.id}`);
    },
  });
  return (
    <Modal
      open
      title={t('sharing.duty.openTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: open.isPending, ...testId('duty-open-ok') }}
      destroyOnHidden
      width={640}
    >
      <ErrorAlert error={open.error ?? grants.error} testId="duty-open-error" />
      <Form form={form} layout="vertical" initialValues={{ grantId, case: 'purpose_achieved' }} onFinish={(v) => open.mutate(v)}>
        <Form.Item name="grantId" label={t('sharing.col.grant')} rules={[{ required: true, message: t('sharing.apply.required') }]} hidden={!!grantId}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={grants.isPending && !grantId}
            options={(grants.data?.items ?? []).map((g) => ({ value: g.id, label: `${g.number} · ${g.resource.name} → ${g.recipient.name}` }))}
            data-testid="duty-open-grant"
          />
        </Form.Item>
        <Form.Item name="case" label={t('sharing.duty.case')} rules={[{ required: true, message: t('sharing.apply.required') }]}>
          <Dg12Select testId="duty-open-case" />
        </Form.Item>
        <Form.Item name="reason" label={t('sharing.duty.reason')} rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="duty-open-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ConfirmForm({ duty, onDone }: { duty: DeletionDutyDetail; onDone: (d: DeletionDutyDetail) => void }) {
  const t = useT();
  const { pick } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ outcome: DutyOutcome; statement?: string }>();
  const outcome = Form.useWatch('outcome', form);
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState(false);
  // The evidence file goes first (its SM3 is kept); the confirmation follows. A failed confirmation keeps
  // the typed statement and does not upload the file again.
  const confirm = useMutation({
    mutationFn: async (v: { outcome: DutyOutcome; statement?: string }) => {
      if (file && !uploaded) {
        await api.upload(withQuery(`/api/deletion-duties/${duty.id}/evidence`, { fileName: file.name }), file, 'application/octet-stream');
        setUploaded(true);
      }
      const body: DutyConfirm = { outcome: v.outcome, ...(v.statement?.trim() ? { statement: v.statement.trim() } : {}) };
      return api.post<DeletionDutyDetail>(`/api/deletion-duties/${duty.id}/confirm`, body);
    },
    onSuccess: (d) => {
      message.success(t('sharing.duty.confirmed'));
      onDone(d);
    },
  });
  return (
    <Card size="small" title={t('sharing.duty.confirmTitle')} data-testid="duty-confirm-form">
      <ErrorAlert error={confirm.error} testId="duty-confirm-error" />
      <Form form={form} layout="vertical" initialValues={{ outcome: 'deleted' }} onFinish={(v) => confirm.mutate(v)}>
        <Form.Item name="outcome" label={t('sharing.duty.outcome')}>
          <Radio.Group data-testid="duty-outcome">
            {(Object.keys(DUTY_OUTCOME) as DutyOutcome[]).map((o) => (
              <Radio key={o} value={o} data-testid={`duty-outcome-${o}`}>
                {pick(DUTY_OUTCOME[o])}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        {outcome === 'processing_stopped' && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={pick(DG12_PROCESSING_STOPPED)} />}
        <Form.Item
          name="statement"
          label={t('sharing.duty.statement')}
          extra={t('sharing.duty.statementExtra')}
          rules={outcome === 'processing_stopped' ? [{ required: true, whitespace: true, message: t('sharing.duty.statementRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={4000} data-testid="duty-statement" />
        </Form.Item>
        {duty.can.uploadEvidence && (
          <Form.Item label={t('sharing.duty.evidence')} extra={t('sharing.duty.evidenceExtra')}>
            <Upload
              maxCount={1}
              beforeUpload={(f) => {
                if (f.size > 10 * 1024 * 1024) {
                  message.error(t('sharing.fileTooLarge'));
                  return Upload.LIST_IGNORE;
                }
                setFile(f);
                setUploaded(false);
                return false;
              }}
              onRemove={() => setFile(null)}
              fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
            >
              <Button icon={<UploadOutlined />} data-testid="duty-evidence-upload">
                {t('sharing.duty.attach')}
              </Button>
            </Upload>
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" loading={confirm.isPending} data-testid="duty-confirm">
          {t('sharing.duty.confirm')}
        </Button>
      </Form>
    </Card>
  );
}

function DutyDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const t = useT();
  const { pick } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [reopening, setReopening] = useState(false);
  const [reopenForm] = Form.useForm<{ reason: string }>();
  const q = useQuery({ queryKey: dutyKey(id), queryFn: () => api.get<DeletionDutyDetail>(`/api/deletion-duties/${id}`) });
  const refresh = (d: DeletionDutyDetail) => {
    qc.setQueryData(dutyKey(id), d);
    void qc.invalidateQueries({ queryKey: DUTIES_KEY });
  };
  const accept = useMutation({
    mutationFn: () => api.post<DeletionDutyDetail>(`/api/deletion-duties/${id}/accept`, {}),
    onSuccess: (d) => {
      refresh(d);
      message.success(t('sharing.duty.accepted'));
    },
  });
  const reopen = useMutation({
    mutationFn: (reason: string) => api.post<DeletionDutyDetail>(`/api/deletion-duties/${id}/reopen`, { reason }),
    onSuccess: (d) => {
      refresh(d);
      setReopening(false);
      reopenForm.resetFields();
      message.success(t('sharing.duty.reopened'));
    },
  });
  const d = q.data;
  const ACTION: Record<DeletionDutyDetail['history'][number]['action'], string> = {
    opened: t('sharing.duty.h.opened'),
    evidence: t('sharing.duty.h.evidence'),
    confirmed: t('sharing.duty.h.confirmed'),
    accepted: t('sharing.duty.h.accepted'),
    reopened: t('sharing.duty.h.reopened'),
  };
  return (
    <Drawer
      open
      size={860}
      title={d ? t('sharing.duty.title', { number: d.number }) : t('nav.sharingDuties')}
      onClose={onClose}
      destroyOnHidden
      data-testid="duty-drawer"
    >
      <ErrorAlert error={q.error} />
      {q.isPending && <Spin />}
      {d && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap>
            <StatusTag table={DUTY_STATUS} value={d.status} testId="duty-status" />
            {d.can.accept && (
              <Button type="primary" loading={accept.isPending} onClick={() => accept.mutate()} data-testid="duty-accept">
                {t('sharing.duty.accept')}
              </Button>
            )}
            {d.can.reopen && (
              <Button danger onClick={() => setReopening(true)} data-testid="duty-reopen">
                {t('sharing.duty.reopen')}
              </Button>
            )}
          </Space>
          <ErrorAlert error={accept.error} />
          <Descriptions size="small" bordered column={2}>
            <Descriptions.Item label={t('sharing.col.grant')}>
              <Link to={`/sharing/grants/${d.grant.id}`}>{d.grant.number}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('sharing.col.resource')}>{d.resource.name}</Descriptions.Item>
            <Descriptions.Item label={t('sharing.col.provider')}>{d.provider.name}</Descriptions.Item>
            <Descriptions.Item label={t('sharing.duty.holder')}>{d.holder.name}</Descriptions.Item>
            <Descriptions.Item label={t('sharing.duty.case')} span={2}>
              <span data-testid="duty-case">
                {dg12Ordinal(d.case)} {pick(d.caseLabel)}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('sharing.duty.reason')} span={2}>
              {d.reason}
            </Descriptions.Item>
            <Descriptions.Item label={t('sharing.duty.openedAt')}>
              {fmtDateTime(d.openedAt)} · {d.openedBy?.displayName ?? t('sharing.duty.platform')}
            </Descriptions.Item>
            <Descriptions.Item label={t('sharing.col.due')}>
              <Due date={d.dueDate} overdue={d.overdue} testId="duty-due" />
            </Descriptions.Item>
            {d.outcome && (
              <Descriptions.Item label={t('sharing.duty.outcome')}>
                <span data-testid="duty-outcome-value">{pick(DUTY_OUTCOME[d.outcome])}</span>
              </Descriptions.Item>
            )}
            {d.confirmedBy && (
              <Descriptions.Item label={t('sharing.duty.confirmedBy')}>
                {d.confirmedBy.displayName} · {fmtDateTime(d.confirmedAt)}
              </Descriptions.Item>
            )}
            {d.statement && (
              <Descriptions.Item label={t('sharing.duty.statement')} span={2}>
                {d.statement}
              </Descriptions.Item>
            )}
            {d.evidence && (
              <Descriptions.Item label={t('sharing.duty.evidence')} span={2}>
                <StoredFileLink
                  path={`/api/deletion-duties/${d.id}/evidence`}
                  fileName={d.evidence.fileName}
                  sm3={d.evidence.sm3}
                  testId="duty-evidence-download"
                />
              </Descriptions.Item>
            )}
            {d.reopenReason && (
              <Descriptions.Item label={t('sharing.duty.reopenReason')} span={2}>
                {d.reopenReason}
              </Descriptions.Item>
            )}
          </Descriptions>
          {d.can.confirm && <ConfirmForm duty={d} onDone={refresh} />}
          <Card size="small" title={t('sharing.duty.history')}>
            <Timeline
              data-testid="duty-history"
              items={d.history.map((h) => ({
                color: h.action === 'reopened' ? 'red' : h.action === 'accepted' ? 'green' : 'blue',
                content: (
                  <Space orientation="vertical" size={0}>
                    <span>
                      {ACTION[h.action]} · {h.by?.displayName ?? t('sharing.duty.platform')} · {fmtDateTime(h.at)}
                    </span>
                    {h.outcome && <Typography.Text type="secondary">{pick(DUTY_OUTCOME[h.outcome])}</Typography.Text>}
                    {h.statement && <Typography.Text type="secondary">{h.statement}</Typography.Text>}
                    {h.reason && <Typography.Text type="secondary">{h.reason}</Typography.Text>}
                    {h.dueDate && (
                      <Typography.Text type="secondary">
                        {t('sharing.step.due')}
                        {t('common.colon')}
                        {h.dueDate}
                      </Typography.Text>
                    )}
                    {h.fileName && <Typography.Text type="secondary">{h.fileName}</Typography.Text>}
                  </Space>
                ),
              }))}
            />
          </Card>
        </Space>
      )}
      <Modal
        open={reopening}
        title={t('sharing.duty.reopen')}
        onCancel={() => setReopening(false)}
        onOk={() => reopenForm.submit()}
        okButtonProps={{ danger: true, loading: reopen.isPending, ...testId('duty-reopen-ok') }}
        forceRender
      >
        <ErrorAlert error={reopen.error} />
        <Form form={reopenForm} layout="vertical" onFinish={(v) => reopen.mutate(v.reason.trim())}>
          <Form.Item name="reason" label={t('sharing.duty.reopenReason')} rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="duty-reopen-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}

export default function DutiesPage() {
  const t = useT();
  const { pick } = useI18n();
  const can = useCan();
  const navigate = useNavigate();
  const { id } = useParams();
  const [opening, setOpening] = useState(false);
  const initialRole: Role | undefined = can('sharing.apply') ? 'holder' : can('sharing.provide') ? 'provider' : undefined;
  const { f, setF, set } = useListFilters<Filters>({ page: 1, pageSize: 20, role: initialRole });
  const query = usePagedQuery<DeletionDuty>(DUTIES_KEY, '/api/deletion-duties', f);
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.sharingDuties')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('sharing.duties.intro')}</Typography.Paragraph>
      <Card size="small">
        <RoleTabs<Role>
          sides={[
            { key: 'holder', label: t('sharing.duties.tab.holder'), shown: can('sharing.apply') },
            { key: 'provider', label: t('sharing.duties.tab.provider'), shown: can('sharing.provide') },
          ]}
          value={f.role}
          onChange={(role) => set({ role })}
          testIdPrefix="duties"
          extra={
            can('sharing.provide') && (
              <Button type="primary" onClick={() => setOpening(true)} data-testid="duty-open">
                {t('sharing.duty.openTitle')}
              </Button>
            )
          }
        />
        <Space wrap style={{ marginBottom: 16 }}>
          <Select<DutyStatus>
            allowClear
            placeholder={t('common.status')}
            style={{ width: 140 }}
            value={f.status}
            onChange={(v) => set({ status: v })}
            options={(Object.keys(DUTY_STATUS) as DutyStatus[]).map((s) => ({ value: s, label: pick(DUTY_STATUS[s]) }))}
            data-testid="duties-filter-status"
          />
          <Select<Dg12Case>
            allowClear
            placeholder={t('sharing.duty.case')}
            style={{ width: 300 }}
            value={f.case}
            onChange={(v) => set({ case: v })}
            options={DG12_CASES.map((c) => ({ value: c, label: `${dg12Ordinal(c)} ${pick(DG12_CASE[c])}` }))}
          />
          <Checkbox checked={f.overdue === true} onChange={(e) => set({ overdue: e.target.checked ? true : undefined })} data-testid="duties-filter-overdue">
            {t('sharing.filter.overdue')}
          </Checkbox>
          <Button onClick={() => setF({ page: 1, pageSize: f.pageSize, role: f.role })}>{t('common.reset')}</Button>
        </Space>
        <ErrorAlert error={query.error} />
        <Table<DeletionDuty>
          rowKey="id"
          size="middle"
          data-testid="duties-table"
          loading={query.isFetching}
          dataSource={query.data?.items ?? []}
          locale={{ emptyText: t('sharing.duties.empty') }}
          pagination={serverPagination(f, setF, query.data?.total, t)}
          scroll={{ x: 1100 }}
          columns={[
            {
              title: t('sharing.col.number'),
              dataIndex: 'number',
              width: 150,
              render: (v: string, d) => (
                <Link to={`/sharing/duties/${d.id}`} data-testid="duty-link">
                  {v}
                </Link>
              ),
            },
            { title: t('sharing.col.resource'), key: 'resource', render: (_v, d) => d.resource.name },
            { title: t('sharing.col.provider'), key: 'provider', width: 140, render: (_v, d) => d.provider.name },
            { title: t('sharing.duty.holder'), key: 'holder', width: 140, render: (_v, d) => d.holder.name },
            { title: t('sharing.duty.case'), key: 'case', ellipsis: true, render: (_v, d) => `${dg12Ordinal(d.case)} ${pick(d.caseLabel)}` },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 110,
              render: (v: DutyStatus) => <StatusTag table={DUTY_STATUS} value={v} testId="duty-row-status" />,
            },
            { title: t('sharing.col.due'), key: 'due', width: 150, render: (_v, d) => <Due date={d.dueDate} overdue={d.overdue} testId="duty-row-due" /> },
            { title: t('sharing.duty.openedAt'), dataIndex: 'openedAt', width: 170, render: (v: string) => fmtDateTime(v) },
          ]}
        />
      </Card>
      {id && <DutyDrawer id={id} onClose={() => navigate('/sharing/duties')} />}
      {opening && <OpenDutyModal onClose={() => setOpening(false)} />}
    </div>
  );
}
