// 置业顾问 · 来电登记 (a phone first): a customer called me. Records a `call`
// (direction in, staff = me, no time: the server's clock dates it) and then
// says whose customer the caller is, with the clause, from the customer card.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Space, Tag, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { errorText } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { recordEvent, useCustomer, useRecord, useStaff, type HttpEventBody } from '../../api/office.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { digits, isMobile, OWNER_STATUS, spacedPhone, staffName, w } from '../../lib/format.ts';
import { navigate, useQueryParam } from '../../lib/router.tsx';
import { useOffice } from '../../layout/office.tsx';

export default function IncomingCall() {
  const { project, me } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const staff = useStaff(project);
  const given = useQueryParam('phone');
  const [form] = Form.useForm<{ phone: string; name?: string }>();
  const [recorded, setRecorded] = useState<string | null>(null);
  const card = useCustomer(project, recorded);
  const save = useRecord(project, (b: HttpEventBody) => recordEvent(project, b));

  const submit = async (v: { phone: string; name?: string }) => {
    try {
      const r = await save.mutateAsync({ type: 'call', direction: 'in', staff: me ?? '', customer: { phone: v.phone.trim(), ...(v.name?.trim() ? { name: v.name.trim() } : {}) } });
      if (r.status === 'rejected') {
        message.error(rejectionText(r.rejection, lang));
        return;
      }
      message.success(t('来电已登记', 'Call registered'));
      setRecorded(digits(v.phone).slice(-11));
      form.resetFields();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const c = card.data;
  return (
    <div style={{ maxWidth: 480, margin: '0 auto' }}>
      <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/consultant')} style={{ paddingInline: 0 }}>{t('我的客户', 'My customers')}</Button>
      <Card size="small" title={t('来电登记', 'Register an incoming call')}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('客户来电由您接听时登记；时间以服务器收到登记的时刻为准。', 'Register a call you took; it is dated when the server receives it.')}</Typography.Paragraph>
        <Form form={form} layout="vertical" initialValues={{ phone: given ?? '' }} onFinish={(v) => void submit(v)} requiredMark>
          <Form.Item name="phone" label={t('来电号码', 'Caller’s number')} rules={[{ required: true, message: t('请填写来电号码', 'Enter the number') }, { validator: (_, v: string) => (!v || isMobile(v) ? Promise.resolve() : Promise.reject(new Error(t('请填写 11 位手机号', 'Enter an 11-digit mobile number')))) }]}>
            <Input inputMode="tel" autoComplete="off" placeholder="138 0013 8000" data-testid="call-phone" />
          </Form.Item>
          <Form.Item name="name" label={t('客户姓名（选填）', 'Customer name (optional)')}>
            <Input maxLength={200} placeholder={t('如：王先生', 'e.g. Mr Wang')} data-testid="call-name" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={save.isPending} data-testid="call-save">{t('登记来电', 'Register the call')}</Button>
        </Form>
      </Card>
      {recorded && c && (
        <Card size="small" style={{ marginTop: 8 }} data-testid="call-answer">
          <Space direction="vertical" size={4} style={{ width: '100%' }}>
            <Space style={{ justifyContent: 'space-between', width: '100%' }}>
              <Typography.Text strong>{c.name ?? t('客户', 'Customer')} {spacedPhone(c.phone)}</Typography.Text>
              <Tag color={OWNER_STATUS[c.status]?.color}>{w(OWNER_STATUS[c.status], lang, c.status)}</Tag>
            </Space>
            <Typography.Text data-testid="call-owner">{t('归属', 'Owner')}：{c.owner === 'none' ? t('无', 'none') : staffName(staff.data, c.owner, lang)}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.reason[lang]}{c.basis && <Tooltip title={c.basis.text?.[lang] ?? ''}> <Tag data-testid="call-clause">{c.basis.clause}</Tag></Tooltip>}</Typography.Text>
            {c.owner === me && <Button onClick={() => navigate(`/consultant/customer?phone=${encodeURIComponent(c.phone)}`)} data-testid="call-open">{t('查看客户', 'Open the customer')}</Button>}
          </Space>
        </Card>
      )}
      {recorded && card.error && <Alert style={{ marginTop: 8 }} type="error" showIcon message={errorText(card.error)} />}
    </div>
  );
}
