// One data resource: its fields with their labels (CLS-3), the current level and the controls it implies
// (CLS-5), the PI inventory (AST-11), the collection record (LIF-1) and the grading history (CLS-2); the
// steward's 分级 and the security officer's 批准 / 驳回.
import {
  ArrowLeftOutlined,
  CheckOutlined,
  CloseOutlined,
  EditOutlined,
  SafetyCertificateOutlined,
  ShareAltOutlined,
  TagsOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Radio, Row, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api.ts';
import {
  ControlsView,
  categoryPaths,
  GradingStatusTag,
  HARM_DEGREE_LABEL,
  HARM_OBJECT_LABEL,
  LevelTag,
  OPEN_LABEL,
  ShareTag,
  useCatalogLabels,
  usePublishedScheme,
  YesNo,
} from '../../components/catalog.tsx';
import { ErrorAlert, ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import { fmtDateTime, testId } from '../../format.ts';
import { type MessageKey, useT } from '../../i18n.tsx';
import { useCan, useMe } from '../../session.tsx';
import type { Field, Grading, GradingDecision, Paged, ResourceDetail } from '../../types.ts';
import { ApplyModal } from '../sharing/ApplyModal.tsx';
import { useReach } from '../systems/assetCheckAccess.ts';
import { GradingDrawer } from './GradingDrawer.tsx';
import { ResourceFormDrawer, resourceKey } from './ResourceFormDrawer.tsx';

const GRADING_ROW_STATUS: Record<Grading['status'], { color: string; label: MessageKey }> = {
  pending: { color: 'processing', label: 'gradingStatus.pending' },
  approved: { color: 'success', label: 'gradingStatus.approved' },
  rejected: { color: 'error', label: 'gradingStatus.rejected' },
  withdrawn: { color: 'default', label: 'gradingStatus.withdrawn' },
};
const COLLECTION_PARTS = ['purpose', 'legalBasis', 'method', 'frequency', 'scope'] as const;
const COLLECTION_LABEL: Record<(typeof COLLECTION_PARTS)[number], MessageKey> = {
  purpose: 'collection.purpose',
  legalBasis: 'collection.legalBasis',
  method: 'collection.method',
  frequency: 'collection.frequency',
  scope: 'collection.scope',
};

function asList<T>(v: T[] | Paged<T> | undefined): T[] {
  if (!v) return [];
  return Array.isArray(v) ? v : v.items;
}
const fmtInt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('zh-CN'));

function DecisionModal({
  grading,
  initial,
  resourceId,
  onClose,
}: {
  grading: { id: string };
  initial: GradingDecision['decision'];
  resourceId: string;
  onClose: () => void;
}) {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<GradingDecision>();
  const decision = (Form.useWatch('decision', form) ?? initial) as GradingDecision['decision'];
  const m = useMutation({
    mutationFn: (v: GradingDecision) =>
      api.post<Grading>(`/api/gradings/${grading.id}/decision`, { decision: v.decision, reason: v.reason?.trim() || undefined }),
    onSuccess: (_r, v) => {
      qc.invalidateQueries({ queryKey: resourceKey(resourceId) });
      qc.invalidateQueries({ queryKey: ['resources'] });
      qc.invalidateQueries({ queryKey: ['gradings'] });
      qc.invalidateQueries({ queryKey: ['grading', 'dashboard'] });
      message.success(v.decision === 'approve' ? t('grading.approvedMsg') : t('grading.rejectedMsg'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('grading.decisionTitle')}
      okText={decision === 'approve' ? t('grading.approve') : t('grading.reject')}
      okButtonProps={{ danger: decision === 'reject', ...testId('grading-decision-ok') }}
      onOk={() => form.submit()}
      confirmLoading={m.isPending}
      onCancel={onClose}
      destroyOnHidden
      data-testid="grading-decision-modal"
    >
      <ErrorAlert error={m.error} testId="grading-decision-error" />
      <Form<GradingDecision> form={form} layout="vertical" initialValues={{ decision: initial }} onFinish={(v) => m.mutate(v)}>
        <Form.Item name="decision" label={t('grading.decision')}>
          <Radio.Group
            options={[
              { value: 'approve', label: t('grading.approve') },
              { value: 'reject', label: t('grading.reject') },
            ]}
            data-testid="grading-decision"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('grading.decisionReason')}
          rules={[
            { required: decision === 'reject', whitespace: true, message: t('grading.rejectReasonRequired') },
            { max: 1000, message: t('validation.max', { n: 1000 }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={1000} data-testid="grading-decision-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function GradingHistory({ resourceId, paths }: { resourceId: string; paths: Map<string, string> }) {
  const t = useT();
  const labels = useCatalogLabels();
  const q = useQuery({
    queryKey: ['gradings', resourceId],
    queryFn: () => api.get<Grading[] | Paged<Grading>>(`/api/resources/${resourceId}/gradings`),
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorResult error={q.error} onRetry={() => q.refetch()} />;
  const list = [...asList(q.data)].sort((a, b) => b.gradedAt.localeCompare(a.gradedAt));
  if (list.length === 0) return <Empty description={t('grading.noHistory')} data-testid="grading-history-empty" />;
  return (
    <Table<Grading>
      size="small"
      rowKey="id"
      dataSource={list}
      pagination={list.length > 10 ? { pageSize: 10 } : false}
      data-testid="grading-history"
      expandable={{
        expandedRowRender: (g) => (
          <Space orientation="vertical" size={8} style={{ width: '100%' }}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('grading.categories')}>
                {g.categories.length ? g.categories.map((c) => <Tag key={c}>{paths.get(c) ?? c}</Tag>) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('grading.harms')}>
                {g.harms.map((h) => (
                  <div key={`${h.object}-${h.degree}`}>
                    {t(HARM_OBJECT_LABEL[h.object])} × {t(HARM_DEGREE_LABEL[h.degree])} → <LevelTag level={h.level} />
                    <Typography.Text type="secondary">{h.reason}</Typography.Text>
                  </div>
                ))}
              </Descriptions.Item>
              {g.overrideReason && <Descriptions.Item label={t('grading.overrideReason')}>{g.overrideReason}</Descriptions.Item>}
              {g.decisionReason && <Descriptions.Item label={t('grading.decisionReason')}>{g.decisionReason}</Descriptions.Item>}
            </Descriptions>
            {g.fieldLabels.length > 0 && (
              <Table
                size="small"
                rowKey="fieldId"
                pagination={false}
                dataSource={g.fieldLabels}
                columns={[
                  { title: t('field.name'), dataIndex: 'fieldName' },
                  { title: t('field.category'), dataIndex: 'category', render: (c: string | null) => (c ? (paths.get(c) ?? c) : '—') },
                  { title: t('field.level'), dataIndex: 'level', render: (l: string) => <LevelTag level={l} /> },
                  { title: t('field.piType'), dataIndex: 'piType', render: (p: string | null) => labels.piType(p) },
                  { title: t('field.piSensitive'), dataIndex: 'piSensitive', render: (v: boolean) => <YesNo value={v} /> },
                ]}
              />
            )}
          </Space>
        ),
      }}
      columns={[
        { title: t('grading.gradedAt'), dataIndex: 'gradedAt', width: 170, render: (v: string) => fmtDateTime(v) },
        { title: t('grading.gradedBy'), dataIndex: 'gradedBy', render: (p: Grading['gradedBy']) => p?.name ?? '—' },
        { title: t('grading.schemeVersionCol'), dataIndex: 'schemeVersion', width: 90, render: (v: number) => `v${v}` },
        { title: t('grading.proposedLevel'), dataIndex: 'proposedLevel', render: (l: string) => <LevelTag level={l} /> },
        {
          title: t('grading.chosenLevel'),
          dataIndex: 'chosenLevel',
          render: (l: string, g) => (
            <Space size={2}>
              <LevelTag level={l} />
              {l !== g.proposedLevel && <Tag color="orange">{t('grading.overridden')}</Tag>}
            </Space>
          ),
        },
        {
          title: t('common.status'),
          dataIndex: 'status',
          render: (s: Grading['status']) => (
            <Tag color={GRADING_ROW_STATUS[s]?.color} data-testid="grading-history-status" data-status={s}>
              {GRADING_ROW_STATUS[s] ? t(GRADING_ROW_STATUS[s].label) : s}
            </Tag>
          ),
        },
        {
          title: t('grading.decidedBy'),
          key: 'decided',
          render: (_v, g) => (g.decidedAt ? `${g.decidedBy?.name ?? '—'} · ${fmtDateTime(g.decidedAt)}` : '—'),
        },
      ]}
    />
  );
}

export default function ResourcePage() {
  const t = useT();
  const can = useCan();
  const labels = useCatalogLabels();
  const { id = '' } = useParams();
  const [editing, setEditing] = useState(false);
  const [grading, setGrading] = useState(false);
  const [deciding, setDeciding] = useState<GradingDecision['decision'] | null>(null);
  const [applying, setApplying] = useState(false); // 申请共享 (issue 7, LIF-4)
  const me = useMe();
  const q = useQuery({ queryKey: resourceKey(id), queryFn: () => api.get<ResourceDetail>(`/api/resources/${id}`) });
  const protection = useReach('protection.read');
  const scheme = usePublishedScheme();
  const paths = useMemo(() => categoryPaths(scheme.data?.categories), [scheme.data]);

  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <Card>
        <ErrorResult error={q.error} onRetry={() => q.refetch()} />
      </Card>
    );
  const r = q.data;
  const latest = r.latestGrading;
  const pending = latest?.status === 'pending';
  const catName = (c: string | null | undefined) => (c ? (paths.get(c) ?? c) : '—');

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Link to="/catalog" data-testid="resource-back">
        <ArrowLeftOutlined /> {t('resource.backToList')}
      </Link>
      <Card
        data-testid="resource-detail"
        title={
          <Space wrap>
            <span data-testid="resource-detail-name">{r.name}</span>
            {r.level && <LevelTag level={r.level} testId="resource-level" />}
            <GradingStatusTag status={r.gradingStatus} />
            {r.published && <Tag color="cyan">{t('resource.publishedYes')}</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            {can('sharing.apply') && r.published && r.institutionId !== me.institutionId && (
              <Button type="primary" icon={<ShareAltOutlined />} onClick={() => setApplying(true)} data-testid="resource-apply-share">
                {t('sharing.apply.button')}
              </Button>
            )}
            {protection.at(r.institutionId) && (
              <Link to={`/catalog/${r.id}/protection`} data-testid="resource-protection">
                <Button icon={<SafetyCertificateOutlined />}>{t('protection.open')}</Button>
              </Link>
            )}
            {r.editable && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="resource-edit">
                {t('common.edit')}
              </Button>
            )}
            {can('grading.propose') && r.editable !== false && (
              <Button type="primary" icon={<TagsOutlined />} disabled={pending} onClick={() => setGrading(true)} data-testid="resource-grade">
                {t('grading.grade')}
              </Button>
            )}
            {can('grading.approve') && pending && (
              <>
                <Button type="primary" icon={<CheckOutlined />} onClick={() => setDeciding('approve')} data-testid="grading-approve">
                  {t('grading.approve')}
                </Button>
                <Button danger icon={<CloseOutlined />} onClick={() => setDeciding('reject')} data-testid="grading-reject">
                  {t('grading.reject')}
                </Button>
              </>
            )}
          </Space>
        }
      >
        {pending && latest && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="grading-pending"
            title={t('grading.pendingTitle')}
            description={
              <Space size={4} wrap>
                {t('grading.proposedLevel')}
                <LevelTag level={latest.proposedLevel} />
                {t('grading.chosenLevel')}
                <LevelTag level={latest.chosenLevel} />
                <Typography.Text type="secondary">{fmtDateTime(latest.gradedAt)}</Typography.Text>
              </Space>
            }
          />
        )}
        <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }} data-testid="resource-basic">
          <Descriptions.Item label={t('resource.system')}>
            <Link to={`/systems/${r.systemId}`}>{r.systemName}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('resource.institution')}>{r.institutionName}</Descriptions.Item>
          <Descriptions.Item label={t('resource.updateFrequency')}>{labels.frequency(r.updateFrequency)}</Descriptions.Item>
          <Descriptions.Item label={t('resource.description')} span={3}>
            {r.description || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('resource.shareAttribute')}>
            <ShareTag value={r.shareAttribute} />
            {r.shareBasis && <Typography.Text type="secondary">{`${t('resource.basis')}${t('common.colon')}${r.shareBasis}`}</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label={t('resource.openAttribute')}>
            {t(OPEN_LABEL[r.openAttribute])}
            {r.openBasis && <Typography.Text type="secondary">{` ${t('resource.basis')}${t('common.colon')}${r.openBasis}`}</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label={t('resource.retentionMonths')}>
            {r.retentionMonths ? t('controls.months', { n: r.retentionMonths }) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('resource.recordCount')}>{fmtInt(r.recordCount)}</Descriptions.Item>
          <Descriptions.Item label={t('resource.categories')} span={2}>
            {r.categories.length ? r.categories.map((c) => <Tag key={c}>{catName(c)}</Tag>) : '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card title={t('resource.controlsTitle')} data-testid="resource-controls" style={{ height: '100%' }}>
            {r.controls ? (
              <>
                <Space style={{ marginBottom: 12 }} wrap>
                  <Typography.Text>{t('resource.currentLevel')}</Typography.Text>
                  <LevelTag level={r.level} testId="controls-level" />
                  <Typography.Text type="secondary">{t('resource.controlsScheme', { version: r.controls.schemeVersion })}</Typography.Text>
                </Space>
                {r.controls.basis === 'fail_safe' && (
                  <Alert
                    type="warning"
                    showIcon
                    icon={<WarningOutlined />}
                    style={{ marginBottom: 12 }}
                    title={t('resource.failSafe')}
                    data-testid="controls-fail-safe"
                  />
                )}
                <ControlsView controls={r.controls.controls} />
              </>
            ) : (
              <Empty description={t('resource.noControls')} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('resource.piTitle')} data-testid="resource-pi" style={{ height: '100%' }}>
            <Descriptions size="small" column={1} bordered styles={{ label: { width: 150 } }}>
              <Descriptions.Item label={t('resource.pi')}>
                <YesNo value={r.piInventory.holdsPi} />
              </Descriptions.Item>
              <Descriptions.Item label={t('pi.records')}>{fmtInt(r.piInventory.records)}</Descriptions.Item>
              <Descriptions.Item label={t('pi.people')}>{fmtInt(r.piInventory.people)}</Descriptions.Item>
              <Descriptions.Item label={t('pi.sensitive')}>
                <YesNo value={r.piInventory.sensitive} />
              </Descriptions.Item>
              <Descriptions.Item label={t('pi.source')}>
                {r.piInventory.declared ? labels.piSource(r.piInventory.source) : r.piInventory.holdsPi ? t('pi.undeclared') : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('pi.fields')}>
                {r.piInventory.piFields.length === 0
                  ? '—'
                  : r.piInventory.piFields.map((f) => (
                      <Tag key={f.id} color={f.piSensitive ? 'red' : 'purple'}>
                        {f.name}
                        {f.piType ? `（${labels.piType(f.piType)}）` : ''}
                      </Tag>
                    ))}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>

      <Card title={t('resource.fieldsTitle', { n: r.fields.length })} data-testid="resource-fields">
        <Table<Field>
          size="small"
          rowKey="id"
          dataSource={[...r.fields].sort((a, b) => a.position - b.position)}
          pagination={r.fields.length > 50 ? { pageSize: 50 } : false}
          locale={{ emptyText: <Empty description={t('resource.noFields')} /> }}
          columns={[
            { title: '#', dataIndex: 'position', width: 50, render: (_v, _f, i) => i + 1 },
            { title: t('field.name'), dataIndex: 'name', render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
            { title: t('field.dataType'), dataIndex: 'dataType', width: 130, render: (d: string) => labels.dataType(d) },
            { title: t('field.description'), dataIndex: 'description', render: (d: string | null) => d || '—' },
            { title: t('field.category'), dataIndex: 'category', render: (c: string | null) => catName(c) },
            { title: t('field.level'), dataIndex: 'level', width: 150, render: (l: string | null) => (l ? <LevelTag level={l} testId="field-level" /> : '—') },
            {
              title: t('field.piType'),
              dataIndex: 'piType',
              width: 170,
              render: (p: string | null, f) =>
                p ? (
                  <Tag color={f.piSensitive ? 'red' : 'purple'} data-testid="field-pi">
                    {labels.piType(p)}
                    {f.piSensitive ? ` · ${t('pi.sensitiveShort')}` : ''}
                  </Tag>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>

      <Card title={t('resource.collectionTitle')} data-testid="resource-collection">
        {!r.collectionComplete && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="collection-incomplete"
            title={t('resource.collectionIncomplete', {
              parts: r.collectionMissing.map((p) => (p in COLLECTION_LABEL ? t(COLLECTION_LABEL[p as keyof typeof COLLECTION_LABEL]) : p)).join('、'),
            })}
          />
        )}
        <Descriptions size="small" bordered column={1}>
          {COLLECTION_PARTS.map((p) => (
            <Descriptions.Item key={p} label={t(COLLECTION_LABEL[p])}>
              {r.collection[p] || <Typography.Text type="secondary">{t('profile.notSet')}</Typography.Text>}
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>

      <Card title={t('grading.historyTitle')} data-testid="resource-gradings">
        <GradingHistory resourceId={r.id} paths={paths} />
      </Card>

      {editing && <ResourceFormDrawer resource={r} onClose={() => setEditing(false)} />}
      {grading && <GradingDrawer resource={r} onClose={() => setGrading(false)} />}
      {deciding && latest && <DecisionModal grading={latest} initial={deciding} resourceId={r.id} onClose={() => setDeciding(null)} />}
      {can('sharing.apply') && r.published && r.institutionId !== me.institutionId && (
        <ApplyModal resource={r} open={applying} onClose={() => setApplying(false)} />
      )}
    </Space>
  );
}
