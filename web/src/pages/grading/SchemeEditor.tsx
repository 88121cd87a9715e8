// The authority's scheme editor (CLS-1, CLS-5): a draft version with the category tree, the determination
// matrix as an editable grid (harm object × degree → level) and the controls per level; 保存草稿, 发布
// (with confirmation; city-level authority only) and 删除草稿. The server validates the whole draft
// (INVALID_SCHEME names the field); the grid also warns when a higher level would be protected less.
import { DeleteOutlined, EditOutlined, PlusOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Table, Tooltip, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { weakerControls } from '../../../../src/engines/grading/controls.ts';
import { ApiError, api } from '../../api.ts';
import {
  APPROVAL_LABEL,
  HARM_DEGREE_LABEL,
  HARM_DEGREES,
  HARM_OBJECT_LABEL,
  HARM_OBJECTS,
  LEVEL_LABEL,
  LEVELS,
  LevelTag,
  MASKING_LABEL,
  MASKING_MODES,
  MASKING_SCENARIOS,
  optionsOf,
  SCENARIO_LABEL,
  SCHEME_KEY,
} from '../../components/catalog.tsx';
import { ErrorAlert, ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import { fmtDateTime, testId } from '../../format.ts';
import { type MessageKey, type TFunction, useT } from '../../i18n.tsx';
import type { CategoryNode, Controls, HarmDegree, HarmObject, LevelCode, MaskingMode, MatrixCell, Scheme, SchemeDraft, SchemeSummary } from '../../types.ts';
import { countCategories, matrixLevel } from './SchemeView.tsx';

const SEGMENT = /^[a-z][a-z0-9_]{0,39}$/;
const MAX_DEPTH = 4;

type Node = { code: string; name: string; children: Node[] };
interface Draft {
  name: string;
  notes: string;
  categories: Node[];
  matrix: MatrixCell[];
  controls: Record<LevelCode, Controls>;
}

const normalize = (nodes: CategoryNode[]): Node[] => nodes.map((n) => ({ code: n.code, name: n.name, children: normalize(n.children ?? []) }));
const toDraft = (s: Scheme): Draft => ({
  name: s.name,
  notes: s.notes ?? '',
  categories: normalize(s.categories),
  matrix: s.matrix.map((m) => ({ ...m })),
  controls: structuredClone(s.controls),
});
const toBody = (d: Draft): SchemeDraft => ({
  name: d.name.trim(),
  notes: d.notes.trim() || null,
  categories: d.categories,
  matrix: d.matrix,
  controls: d.controls,
});

const segmentOf = (code: string) => code.slice(code.lastIndexOf('.') + 1);
const parentOf = (code: string) => (code.includes('.') ? code.slice(0, code.lastIndexOf('.')) : '');
const depthOf = (code: string) => code.split('.').length;

function recode(n: Node, code: string): Node {
  return { ...n, code, children: n.children.map((c) => recode(c, `${code}.${segmentOf(c.code)}`)) };
}
function mapTree(nodes: Node[], code: string, fn: (n: Node) => Node | null): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    if (n.code === code) {
      const r = fn(n);
      if (r) out.push(r);
    } else {
      out.push({ ...n, children: mapTree(n.children, code, fn) });
    }
  }
  return out;
}
function allCodes(nodes: Node[], acc = new Set<string>()): Set<string> {
  for (const n of nodes) {
    acc.add(n.code);
    allCodes(n.children, acc);
  }
  return acc;
}

type Editing = { mode: 'add'; parent: string } | { mode: 'edit'; node: Node };

function CategoryModal({
  editing,
  codes,
  onSave,
  onClose,
}: {
  editing: Editing;
  codes: Set<string>;
  onSave: (segment: string, name: string) => void;
  onClose: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ segment: string; name: string }>();
  const parent = editing.mode === 'add' ? editing.parent : parentOf(editing.node.code);
  const own = editing.mode === 'edit' ? editing.node.code : null;
  return (
    <Modal
      open
      title={editing.mode === 'add' ? (parent ? t('scheme.addChildTitle', { parent }) : t('scheme.addRootTitle')) : t('scheme.editCategoryTitle')}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={testId('category-modal-ok')}
      data-testid="category-modal"
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={editing.mode === 'edit' ? { segment: segmentOf(editing.node.code), name: editing.node.name } : {}}
        onFinish={(v) => onSave(v.segment.trim(), v.name.trim())}
      >
        <Form.Item
          name="segment"
          label={t('scheme.categoryCode')}
          extra={t('scheme.categoryCodeExtra')}
          rules={[
            { required: true, message: t('validation.required') },
            { pattern: SEGMENT, message: t('scheme.categoryCodeFormat') },
            {
              validator: async (_r, v: string | undefined) => {
                const code = parent ? `${parent}.${(v ?? '').trim()}` : (v ?? '').trim();
                if (v && code !== own && codes.has(code)) throw new Error(t('scheme.categoryCodeTaken', { code }));
              },
            },
          ]}
        >
          <Input
            maxLength={40}
            prefix={parent ? <Typography.Text type="secondary">{`${parent}.`}</Typography.Text> : undefined}
            data-testid="category-segment"
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('scheme.categoryName')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required') },
            { max: 50, message: t('validation.max', { n: 50 }) },
          ]}
        >
          <Input maxLength={50} data-testid="category-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CategoryEditor({ tree, onChange }: { tree: Node[]; onChange: (next: Node[]) => void }) {
  const t = useT();
  const { modal } = App.useApp();
  const [editing, setEditing] = useState<Editing | null>(null);
  const codes = useMemo(() => allCodes(tree), [tree]);

  const save = (segment: string, name: string) => {
    if (!editing) return;
    if (editing.mode === 'add') {
      const code = editing.parent ? `${editing.parent}.${segment}` : segment;
      const node: Node = { code, name, children: [] };
      onChange(editing.parent ? mapTree(tree, editing.parent, (p) => ({ ...p, children: [...p.children, node] })) : [...tree, node]);
    } else {
      const parent = parentOf(editing.node.code);
      const code = parent ? `${parent}.${segment}` : segment;
      onChange(mapTree(tree, editing.node.code, (n) => recode({ ...n, name }, code)));
    }
    setEditing(null);
  };
  const remove = (n: Node) =>
    modal.confirm({
      title: t('scheme.deleteCategoryConfirm', { name: n.name }),
      content: n.children.length ? t('scheme.deleteCategoryChildren', { n: countCategories(n.children) }) : undefined,
      okButtonProps: { danger: true },
      onOk: () => onChange(mapTree(tree, n.code, () => null)),
    });

  interface EditTreeData {
    key: string;
    title: React.ReactNode;
    children: EditTreeData[];
  }
  const toData = (nodes: Node[]): EditTreeData[] =>
    nodes.map((n) => ({
      key: n.code,
      title: (
        <Space size={4} data-testid="category-edit-node" data-code={n.code} style={{ whiteSpace: 'nowrap' }}>
          <span>{n.name}</span>
          <Typography.Text type="secondary">{n.code}</Typography.Text>
          {depthOf(n.code) < MAX_DEPTH && (
            <Tooltip title={t('scheme.addChild')}>
              <Button
                size="small"
                type="text"
                icon={<PlusOutlined />}
                onClick={() => setEditing({ mode: 'add', parent: n.code })}
                data-testid="category-add-child"
              />
            </Tooltip>
          )}
          <Tooltip title={t('common.edit')}>
            <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing({ mode: 'edit', node: n })} data-testid="category-edit" />
          </Tooltip>
          <Tooltip title={t('common.remove')}>
            <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => remove(n)} data-testid="category-delete" />
          </Tooltip>
        </Space>
      ),
      children: toData(n.children),
    }));

  return (
    <div>
      <Space style={{ marginBottom: 8 }}>
        <Button icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'add', parent: '' })} data-testid="category-add-root">
          {t('scheme.addRoot')}
        </Button>
        <Typography.Text type="secondary">{t('scheme.categoryCount', { n: codes.size })}</Typography.Text>
      </Space>
      {tree.length === 0 ? (
        <Empty description={t('scheme.noCategories')} />
      ) : (
        <div style={{ maxHeight: 520, overflow: 'auto' }} data-testid="category-editor">
          <Tree treeData={toData(tree)} defaultExpandedKeys={tree.map((n) => n.code)} blockNode selectable={false} />
        </div>
      )}
      {editing && <CategoryModal editing={editing} codes={codes} onSave={save} onClose={() => setEditing(null)} />}
    </div>
  );
}

function MatrixEditor({ matrix, onChange }: { matrix: MatrixCell[]; onChange: (m: MatrixCell[]) => void }) {
  const t = useT();
  const set = (object: HarmObject, degree: HarmDegree, level: LevelCode) => {
    const rest = matrix.filter((m) => !(m.object === object && m.degree === degree));
    onChange([...rest, { object, degree, level }]);
  };
  return (
    <Table<{ object: HarmObject }>
      size="small"
      rowKey="object"
      pagination={false}
      bordered
      data-testid="matrix-editor"
      dataSource={HARM_OBJECTS.map((object) => ({ object }))}
      columns={[
        {
          title: t('scheme.harmObjectCol'),
          dataIndex: 'object',
          render: (o: HarmObject) => <Typography.Text strong>{t(HARM_OBJECT_LABEL[o])}</Typography.Text>,
        },
        ...HARM_DEGREES.map((d) => ({
          title: t(HARM_DEGREE_LABEL[d]),
          key: d,
          render: (_v: unknown, r: { object: HarmObject }) => {
            const level = matrixLevel(matrix, r.object, d);
            return (
              <Select<LevelCode>
                value={level}
                status={level ? undefined : 'error'}
                placeholder={t('scheme.cellMissing')}
                style={{ width: '100%', minWidth: 150 }}
                onChange={(v) => set(r.object, d, v)}
                options={LEVELS.map((l) => ({ value: l, label: <LevelTag level={l} /> }))}
                data-testid={`matrix-cell-${r.object}-${d}`}
              />
            );
          },
        })),
      ]}
    />
  );
}

/** 'masking.sharing' → 脱敏·共享, 'watermark' → 数据水印 (the paths weakerControls reports). */
function controlPathLabel(t: TFunction, path: string): string {
  const [head, scenario] = path.split('.');
  if (head === 'masking' && scenario) {
    const key = SCENARIO_LABEL[scenario as keyof typeof SCENARIO_LABEL];
    return `${t('controls.maskingShort')}·${key ? t(key) : scenario}`;
  }
  const keys: Record<string, MessageKey> = {
    encryptAtRest: 'controls.encryptAtRest',
    sharingApprovals: 'controls.sharingApprovals',
    watermark: 'controls.watermark',
    logRetentionMonths: 'controls.logRetentionMonths',
    openAllowed: 'controls.openAllowed',
    aggregateOnly: 'controls.aggregateOnly',
  };
  return keys[head] ? t(keys[head]) : path;
}

function ControlsEditor({ controls, onChange }: { controls: Record<LevelCode, Controls>; onChange: (c: Record<LevelCode, Controls>) => void }) {
  const t = useT();
  const set = (level: LevelCode, patch: Partial<Controls>) => onChange({ ...controls, [level]: { ...controls[level], ...patch } });
  const setMask = (level: LevelCode, s: keyof Controls['masking'], m: MaskingMode) =>
    onChange({ ...controls, [level]: { ...controls[level], masking: { ...controls[level].masking, [s]: m } } });
  // A higher level must never be protected less than the next lower one (就高从严).
  const warnings: string[] = [];
  for (let i = 0; i < LEVELS.length - 1; i++) {
    const hi = controls[LEVELS[i]];
    const lo = controls[LEVELS[i + 1]];
    if (!hi || !lo) continue;
    const weak = weakerControls(hi, lo);
    if (weak.length) {
      const what = weak.map((path) => controlPathLabel(t, path)).join('、');
      warnings.push(t('scheme.weakerWarning', { high: t(LEVEL_LABEL[LEVELS[i]]), low: t(LEVEL_LABEL[LEVELS[i + 1]]), what }));
    }
  }
  return (
    <>
      {warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="controls-weaker-warning"
          title={t('scheme.weakerTitle')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          }
        />
      )}
      <Table
        size="small"
        rowKey="level"
        pagination={false}
        bordered
        scroll={{ x: 1500 }}
        data-testid="controls-editor"
        dataSource={LEVELS.map((level) => ({ level }))}
        columns={[
          { title: t('scheme.levelCol'), dataIndex: 'level', fixed: 'left', width: 150, render: (l: LevelCode) => <LevelTag level={l} /> },
          {
            title: t('controls.encryptAtRest'),
            key: 'enc',
            width: 90,
            render: (_v, r) => (
              <Switch
                size="small"
                checked={controls[r.level]?.encryptAtRest}
                onChange={(v) => set(r.level, { encryptAtRest: v })}
                data-testid={`ctl-enc-${r.level}`}
              />
            ),
          },
          ...MASKING_SCENARIOS.map((s) => ({
            title: `${t('controls.maskingShort')}·${t(SCENARIO_LABEL[s])}`,
            key: s,
            width: 130,
            render: (_v: unknown, r: { level: LevelCode }) => (
              <Select<MaskingMode>
                size="small"
                style={{ width: 120 }}
                value={controls[r.level]?.masking[s]}
                onChange={(m) => setMask(r.level, s, m)}
                options={optionsOf(MASKING_MODES, MASKING_LABEL, t)}
                data-testid={`ctl-mask-${s}-${r.level}`}
              />
            ),
          })),
          {
            title: t('controls.sharingApprovals'),
            key: 'appr',
            width: 210,
            render: (_v, r) => (
              <Select<number>
                size="small"
                style={{ width: 200 }}
                value={controls[r.level]?.sharingApprovals}
                onChange={(n) => set(r.level, { sharingApprovals: n })}
                options={APPROVAL_LABEL.map((k, n) => ({ value: n, label: t(k) }))}
                data-testid={`ctl-appr-${r.level}`}
              />
            ),
          },
          {
            title: t('controls.watermark'),
            key: 'wm',
            width: 80,
            render: (_v, r) => <Switch size="small" checked={controls[r.level]?.watermark} onChange={(v) => set(r.level, { watermark: v })} />,
          },
          {
            title: t('controls.logRetentionMonths'),
            key: 'log',
            width: 120,
            render: (_v, r) => (
              <InputNumber
                size="small"
                min={6}
                max={1200}
                precision={0}
                style={{ width: 100 }}
                value={controls[r.level]?.logRetentionMonths}
                onChange={(n) => set(r.level, { logRetentionMonths: typeof n === 'number' ? n : 6 })}
                data-testid={`ctl-log-${r.level}`}
              />
            ),
          },
          {
            title: t('controls.openAllowed'),
            key: 'open',
            width: 90,
            render: (_v, r) => <Switch size="small" checked={controls[r.level]?.openAllowed} onChange={(v) => set(r.level, { openAllowed: v })} />,
          },
          {
            title: t('controls.aggregateOnly'),
            key: 'agg',
            width: 110,
            render: (_v, r) => <Switch size="small" checked={controls[r.level]?.aggregateOnly} onChange={(v) => set(r.level, { aggregateOnly: v })} />,
          },
        ]}
      />
    </>
  );
}

/** The draft version if there is one (from the version list), else null. */
function useDraft() {
  return useQuery({
    queryKey: ['grading', 'schemes', 'draft'],
    queryFn: async () => {
      const list = await api.get<SchemeSummary[]>('/api/grading/schemes');
      const d = list.find((s) => s.status === 'draft');
      return d ? api.get<Scheme>(`/api/grading/schemes/${d.version}`) : null;
    },
  });
}

export function SchemeEditor({ published }: { published: Scheme | null }) {
  const t = useT();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const draftQ = useDraft();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [dirty, setDirty] = useState(false);

  const base = draftQ.data ?? null;
  const current: Draft | null = draft ?? (base ? toDraft(base) : null);
  const edit = (patch: Partial<Draft>) => {
    if (!current) return;
    setDraft({ ...current, ...patch });
    setDirty(true);
  };
  const invalidate = () => {
    qc.invalidateQueries({ queryKey: ['grading', 'schemes'] });
    qc.invalidateQueries({ queryKey: SCHEME_KEY });
  };

  const save = useMutation({
    mutationFn: (d: Draft) => api.put<Scheme>('/api/grading/schemes/draft', toBody(d)),
    onSuccess: (s) => {
      qc.setQueryData(['grading', 'schemes', 'draft'], s);
      qc.invalidateQueries({ queryKey: ['grading', 'schemes', 'list'] });
      setDraft(toDraft(s));
      setDirty(false);
      message.success(t('scheme.draftSaved'));
    },
  });
  const publish = useMutation({
    mutationFn: async (d: Draft) => {
      if (dirty) await api.put<Scheme>('/api/grading/schemes/draft', toBody(d));
      return api.post<Scheme>('/api/grading/schemes/draft/publish');
    },
    onSuccess: (s) => {
      invalidate();
      setDraft(null);
      setDirty(false);
      message.success(t('scheme.publishedMsg', { version: s.version }));
    },
  });
  const discard = useMutation({
    mutationFn: () => api.del('/api/grading/schemes/draft'),
    onSuccess: () => {
      invalidate();
      setDraft(null);
      setDirty(false);
      message.success(t('scheme.draftDeleted'));
    },
  });
  const error = save.error ?? publish.error ?? discard.error;

  if (draftQ.isPending) return <Loading />;
  if (draftQ.isError) return <ErrorResult error={draftQ.error} onRetry={() => draftQ.refetch()} />;

  if (!current) {
    return (
      <Card data-testid="scheme-no-draft">
        <Empty description={t('scheme.noDraft')}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            disabled={!published}
            onClick={() => {
              if (published) {
                setDraft(toDraft({ ...published, name: published.name }));
                setDirty(true);
              }
            }}
            data-testid="scheme-new-draft"
          >
            {t('scheme.newDraft')}
          </Button>
        </Empty>
      </Card>
    );
  }

  const confirmPublish = () =>
    modal.confirm({
      title: t('scheme.publishConfirmTitle'),
      content: t('scheme.publishConfirm', { current: published ? `v${published.version}` : '—' }),
      okText: t('scheme.publish'),
      okButtonProps: testId('scheme-publish-ok'),
      onOk: () => publish.mutateAsync(current).catch(() => undefined),
    });
  const confirmDiscard = () =>
    modal.confirm({
      title: t('scheme.discardConfirm'),
      okButtonProps: { danger: true, ...testId('scheme-discard-ok') },
      onOk: () => {
        if (!base) {
          setDraft(null);
          setDirty(false);
          return;
        }
        return discard.mutateAsync().catch(() => undefined);
      },
    });

  const invalidField = error instanceof ApiError && typeof error.details?.field === 'string' ? error.details.field : null;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="scheme-editor">
      <Card
        size="small"
        title={
          <Space wrap>
            {base ? t('scheme.draftTitle', { version: base.version }) : t('scheme.newDraftTitle')}
            {dirty && <Typography.Text type="warning">{t('scheme.unsaved')}</Typography.Text>}
            {base && <Typography.Text type="secondary">{t('scheme.lastSaved', { at: fmtDateTime(base.updatedAt) })}</Typography.Text>}
          </Space>
        }
        extra={
          <Space wrap>
            <Button danger icon={<DeleteOutlined />} onClick={confirmDiscard} loading={discard.isPending} data-testid="scheme-discard">
              {t('scheme.discard')}
            </Button>
            <Button icon={<SaveOutlined />} onClick={() => save.mutate(current)} loading={save.isPending} disabled={!dirty} data-testid="scheme-save">
              {t('scheme.saveDraft')}
            </Button>
            <Button type="primary" icon={<SendOutlined />} onClick={confirmPublish} loading={publish.isPending} data-testid="scheme-publish">
              {t('scheme.publish')}
            </Button>
          </Space>
        }
      >
        <ErrorAlert error={error} testId="scheme-error" />
        {invalidField && <Typography.Paragraph type="danger">{t('scheme.invalidField', { field: invalidField })}</Typography.Paragraph>}
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item label={t('scheme.name')} required layout="vertical">
              <Input value={current.name} maxLength={100} onChange={(e) => edit({ name: e.target.value })} data-testid="scheme-edit-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('scheme.notes')} layout="vertical">
              <Input.TextArea
                value={current.notes}
                maxLength={2000}
                rows={1}
                autoSize={{ minRows: 1, maxRows: 4 }}
                onChange={(e) => edit({ notes: e.target.value })}
              />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('scheme.categoriesEdit')}>
            <CategoryEditor tree={current.categories} onChange={(categories) => edit({ categories })} />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('scheme.matrixTitle')} extra={<Typography.Text type="secondary">{t('scheme.matrixHint')}</Typography.Text>}>
            <MatrixEditor matrix={current.matrix} onChange={(matrix) => edit({ matrix })} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('scheme.controlsTitle')}>
        <ControlsEditor controls={current.controls} onChange={(controls) => edit({ controls })} />
      </Card>
    </Space>
  );
}
