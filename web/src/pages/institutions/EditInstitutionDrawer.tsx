// Edit an institution and its profile. PATCH carries the version the editor saw; a 409 means someone
// else saved first, and the user can reload the latest version.
import { MinusCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, DatePicker, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { SECTORS } from '../../../../src/modules/org/org.constants.ts';
import { ApiError, api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TREE_KEY, useOrgLabels } from '../../components/institutions.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Institution } from '../../types.ts';
import { institutionKey } from './InstitutionDetail.tsx';
import { type EditValues, PersonFields, rules, toForm, toUpdate } from './profileForm.tsx';

export function EditInstitutionDrawer({ inst, onClose }: { inst: Institution; onClose: () => void }) {
  const { t } = useI18n();
  const labels = useOrgLabels();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  // The institution as it was when editing started (or was last reloaded): its version goes with the PATCH.
  const [base, setBase] = useState(inst);
  const [reloading, setReloading] = useState(false);

  const save = useMutation({
    mutationFn: (v: EditValues) => api.patch<Institution>(`/api/institutions/${inst.id}`, toUpdate(v, base)),
    onSuccess: (updated) => {
      qc.setQueryData(institutionKey(inst.id), updated);
      qc.invalidateQueries({ queryKey: TREE_KEY });
      qc.invalidateQueries({ queryKey: ['institutions', 'list'] });
      message.success(t('common.saved'));
      onClose();
    },
  });
  const conflict = save.error instanceof ApiError && save.error.status === 409;

  const reloadLatest = async () => {
    setReloading(true);
    try {
      const fresh = await api.get<Institution>(`/api/institutions/${inst.id}`);
      qc.setQueryData(institutionKey(inst.id), fresh);
      setBase(fresh);
      form.resetFields();
      form.setFieldsValue(toForm(fresh));
      save.reset();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setReloading(false);
    }
  };

  return (
    <Drawer
      open
      size={820}
      title={t('institution.editTitle', { name: inst.name })}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="institution-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {conflict ? (
        <Alert
          type="warning"
          showIcon
          data-testid="institution-conflict"
          style={{ marginBottom: 16 }}
          title={t('institution.conflictTitle')}
          description={
            <>
              <div>{save.error?.message}</div>
              <div>{t('institution.conflictHelp')}</div>
            </>
          }
          action={
            <Button icon={<ReloadOutlined />} loading={reloading} onClick={reloadLatest} data-testid="institution-reload">
              {t('institution.reloadLatest')}
            </Button>
          }
        />
      ) : (
        <ErrorAlert error={save.error} testId="institution-save-error" />
      )}
      <Form<EditValues>
        form={form}
        layout="vertical"
        initialValues={toForm(inst)}
        onFinish={(v) => save.mutate(v)}
        scrollToFirstError
        data-testid="institution-edit-form"
      >
        <Divider titlePlacement="start">{t('institution.basicInfo')}</Divider>
        <Typography.Paragraph type="secondary">{t('institution.registrationHint')}</Typography.Paragraph>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('institution.name')} rules={rules.name(t)}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="shortName" label={t('institution.shortName')} rules={rules.short(t, 50)}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="code" label={t('institution.code')} rules={rules.creditCode(t)} extra={t('institution.codeExtra')}>
              <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="sector" label={t('institution.sector')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={SECTORS.map((s) => ({ value: s, label: labels.sector(s) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="status" label={t('common.status')}>
              <Select
                options={[
                  { value: 'active', label: t('institution.statusActive') },
                  { value: 'closed', label: t('institution.statusClosed') },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start">{t('profile.securityLead')}</Divider>
        <PersonFields path={['securityLead']} />
        <Form.Item name="managingDepartment" label={t('profile.managingDepartment')} rules={rules.short(t)} extra={t('profile.managingDepartmentExtra')}>
          <Input maxLength={100} />
        </Form.Item>

        <Divider titlePlacement="start">{t('profile.leadershipGroup')}</Divider>
        <PersonFields path={['chair']} requiredWhen={(get) => ((get(['members']) as unknown[] | undefined) ?? []).length > 0 || !!get(['establishedOn'])} />
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="chairIsHead" label={t('profile.chairIsHead')} valuePropName="checked" extra={t('profile.chairIsHeadExtra')}>
              <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="establishedOn" label={t('profile.establishedOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.List
          name="members"
          rules={[
            {
              validator: async (_r, v: unknown[]) => {
                if ((v ?? []).length > 50) throw new Error(t('validation.maxItems', { n: 50 }));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="baseline" wrap>
                  <Form.Item name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: t('validation.personName') }, { max: 100 }]}>
                    <Input placeholder={t('profile.memberName')} maxLength={100} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'title']} rules={rules.short(t)}>
                    <Input placeholder={t('common.title')} maxLength={100} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'department']} rules={rules.short(t)}>
                    <Input placeholder={t('common.department')} maxLength={100} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common.remove')} />
                </Space>
              ))}
              <Form.Item>
                <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />} disabled={fields.length >= 50}>
                  {t('profile.addMember')}
                </Button>
                <Form.ErrorList errors={errors} />
              </Form.Item>
            </>
          )}
        </Form.List>

        <Divider titlePlacement="start">{t('profile.emergencyBody')}</Divider>
        <Form.Item name="emergencyBody" label={t('profile.emergencyBody')} rules={rules.short(t)} extra={t('profile.emergencyBodyExtra')}>
          <Input maxLength={100} />
        </Form.Item>

        <Divider titlePlacement="start">{t('profile.piOfficer')}</Divider>
        <PersonFields path={['piOfficer']} />

        <Divider titlePlacement="start">{t('profile.budgets')}</Divider>
        <Form.List name="budgets">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="baseline" wrap>
                  <Form.Item
                    name={[field.name, 'year']}
                    rules={[
                      { required: true, message: t('profile.budgetYear') },
                      { type: 'integer', min: 2000, max: 2100, message: t('validation.range', { min: 2000, max: 2100 }) },
                    ]}
                  >
                    <InputNumber placeholder={t('profile.budgetYear')} min={2000} max={2100} precision={0} style={{ width: 110 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'amountYuan']} rules={[{ required: true, message: t('profile.budgetAmount') }]}>
                    <InputNumber
                      placeholder={t('profile.budgetAmount')}
                      min={0}
                      max={100_000_000_000}
                      precision={2}
                      step={10000}
                      suffix={t('common.yuan')}
                      style={{ width: 220 }}
                      data-testid="budget-amount"
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'note']} rules={rules.short(t, 200)}>
                    <Input placeholder={t('common.note')} maxLength={200} style={{ width: 220 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common.remove')} />
                </Space>
              ))}
              <Button
                type="dashed"
                onClick={() => add({ year: new Date().getFullYear() })}
                icon={<PlusOutlined />}
                disabled={fields.length >= 30}
                data-testid="budget-add"
              >
                {t('profile.addBudget')}
              </Button>
            </>
          )}
        </Form.List>

        <Divider titlePlacement="start">{t('profile.contacts')}</Divider>
        <Form.List name="contacts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="baseline" wrap>
                  <Form.Item name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: t('validation.personName') }, { max: 100 }]}>
                    <Input placeholder={t('common.name')} maxLength={100} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'duty']} rules={rules.short(t)}>
                    <Input placeholder={t('profile.duty')} maxLength={100} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'phone']} rules={rules.phone(t)}>
                    <Input placeholder={t('common.phone')} maxLength={32} style={{ width: 150 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'email']} rules={rules.email(t)}>
                    <Input placeholder={t('common.email')} maxLength={254} style={{ width: 200 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common.remove')} />
                </Space>
              ))}
              <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />} disabled={fields.length >= 20}>
                {t('profile.addContact')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
