// 新建下级机构: name, kind, sector, admin level and optional credit code under the selected parent.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select, Typography } from 'antd';
import { ADMIN_LEVELS, INSTITUTION_KINDS, SECTORS } from '../../../../src/modules/org/org.constants.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TREE_KEY, useOrgLabels } from '../../components/institutions.tsx';
import { testId } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { AdminLevel, Institution, InstitutionCreate, InstitutionKind, Sector } from '../../types.ts';
import { rules } from './profileForm.tsx';

interface CreateValues {
  name: string;
  shortName?: string;
  kind: InstitutionKind;
  sector: Sector;
  adminLevel?: AdminLevel;
  code?: string;
}

export function CreateInstitutionModal({
  open,
  parent,
  onClose,
  onCreated,
}: {
  open: boolean;
  parent: Institution;
  onClose: () => void;
  onCreated: (i: Institution) => void;
}) {
  const t = useT();
  const labels = useOrgLabels();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateValues>();
  const create = useMutation({
    mutationFn: (v: CreateValues) => {
      const body: InstitutionCreate = { parentId: parent.id, kind: v.kind, name: v.name.trim(), sector: v.sector };
      if (v.shortName?.trim()) body.shortName = v.shortName.trim();
      if (v.adminLevel) body.adminLevel = v.adminLevel;
      if (v.code?.trim()) body.code = v.code.trim().toUpperCase();
      return api.post<Institution>('/api/institutions', body);
    },
    onSuccess: (inst) => {
      qc.invalidateQueries({ queryKey: TREE_KEY });
      qc.invalidateQueries({ queryKey: ['institutions', 'list'] });
      message.success(t('institution.created', { name: inst.name }));
      form.resetFields();
      onCreated(inst);
    },
  });

  return (
    <Modal
      open={open}
      title={t('institution.createChild')}
      onCancel={() => {
        create.reset();
        onClose();
      }}
      onOk={() => form.submit()}
      okText={t('common.create')}
      okButtonProps={{ loading: create.isPending, ...testId('institution-create-submit') }}
      destroyOnHidden
      width={600}
    >
      <Typography.Paragraph type="secondary">{t('institution.parentIs', { name: parent.name })}</Typography.Paragraph>
      <ErrorAlert error={create.error} testId="institution-create-error" />
      <Form<CreateValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ kind: 'institution', sector: parent.sector, adminLevel: parent.adminLevel ?? undefined }}
        onFinish={(v) => create.mutate(v)}
        data-testid="institution-create-form"
      >
        <Form.Item name="name" label={t('institution.name')} rules={rules.name(t)}>
          <Input maxLength={100} data-testid="institution-create-name" />
        </Form.Item>
        <Form.Item name="shortName" label={t('institution.shortName')} rules={rules.short(t, 50)}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="kind" label={t('institution.kind')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select data-testid="institution-create-kind" options={INSTITUTION_KINDS.map((k) => ({ value: k, label: labels.kind(k) }))} />
        </Form.Item>
        <Form.Item name="sector" label={t('institution.sector')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select
            data-testid="institution-create-sector"
            showSearch={{ optionFilterProp: 'label' }}
            options={SECTORS.map((s) => ({ value: s, label: labels.sector(s) }))}
          />
        </Form.Item>
        <Form.Item name="adminLevel" label={t('institution.adminLevel')}>
          <Select allowClear data-testid="institution-create-level" options={ADMIN_LEVELS.map((l) => ({ value: l, label: labels.level(l) }))} />
        </Form.Item>
        <Form.Item name="code" label={t('institution.codeOptional')} rules={rules.creditCode(t)} extra={t('institution.codeExtra')}>
          <Input maxLength={18} style={{ fontFamily: 'monospace' }} data-testid="institution-create-code" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
