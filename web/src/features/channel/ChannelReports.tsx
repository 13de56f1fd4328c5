// 渠道 · 报备 (a phone): file a report (name or surname, full or masked phone
// 138***88888, expected arrival) and watch each report's status live. A
// refused report says why in one sentence.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, DatePicker, Form, Input, List, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { errorText } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { recordEvent, usePolicies, useRecord, useReportDetails, type HttpEventBody } from '../../api/office.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { daysBetween, localTime, maskPhone, REPORT_STATUS, w } from '../../lib/format.ts';
import { useOffice } from '../../layout/office.tsx';
import { checkPhoneText, formatMask, maskExample, maskShapeWords, reportRules } from '../../lib/phone-field.ts';

export default function ChannelReports() {
  const { project, me } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  // Channel agents are not on the office's live stream: their list refreshes every few seconds.
  const reports = useReportDetails(project, true);
  const file = useRecord(project, (b: HttpEventBody) => recordEvent(project, b));
  const [form] = Form.useForm<{ name?: string; phone: string; expectedAt?: Dayjs }>();
  const [refused, setRefused] = useState<string | null>(null);
  const mine = (reports.data ?? []).filter((r) => r.agent === me).reverse().slice(0, 50);
  const now = new Date().toISOString();
  // The policy in force says the mask's shape (前三后五…) and whether name and expected time are required.
  const policies = usePolicies(project);
  const rules = reportRules(policies.data);
  const shapeWords = rules.shape ? maskShapeWords(rules.shape) : null;

  const submit = async (v: { name?: string; phone: string; expectedAt?: Dayjs }) => {
    setRefused(null);
    try {
      // The grammar's reading: a full number as 11 digits, a mask as 138***88888 (the server reads either the same way).
      const verdict = checkPhoneText(v.phone, { masks: true, shape: rules.shape });
      const phone = verdict.ok ? (verdict.phone ?? formatMask(verdict.mask!)) : v.phone.trim();
      const name = v.name?.trim();
      const r = await file.mutateAsync({ type: 'report', customer: { phone, ...(name ? { name } : {}) }, staff: me ?? '', ...(v.expectedAt ? { expectedAt: v.expectedAt.valueOf() } : {}) });
      if (r.status === 'rejected') {
        setRefused(rejectionText(r.rejection, lang));
      } else {
        message.success(t('报备成功', 'Report filed'));
        form.resetFields();
      }
    } catch (e) {
      setRefused(errorText(e));
    }
  };

  return (
    <div style={{ maxWidth: 480, margin: '0 auto' }}>
      <Card size="small" title={t('客户报备', 'Report a customer')}>
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false} initialValues={{ expectedAt: dayjs().add(1, 'hour').startOf('hour') }}>
          <Form.Item name="name" label={t('客户姓名或姓', 'Customer name or surname')} rules={[{ required: rules.nameAndTime, whitespace: true, message: t('请填写客户姓名或姓（本案场制度要求）', "Enter the name or surname (this office's policy requires it)") }]}>
            <Input placeholder={t('如：王 / 王先生', 'e.g. Wang')} maxLength={40} data-testid="report-name" />
          </Form.Item>
          <Form.Item name="phone" label={shapeWords ? t(`手机号（完整11位，或隐号${shapeWords.zh}）`, `Phone (all 11 digits, or masked: ${shapeWords.en})`) : t('手机号（完整11位或隐号，如 138****8888）', 'Phone (all 11 digits, or masked, e.g. 138****8888)')}
            data-testid="report-phone-item"
            rules={[{ required: true, message: t('请填写手机号', 'Enter the phone') }, {
              validator: (_, value: string | undefined) => {
                const v = value ? checkPhoneText(value, { masks: true, shape: rules.shape }) : null;
                return !v || v.ok ? Promise.resolve() : Promise.reject(new Error(lang === 'zh' ? v.zh : v.en));
              },
            }]}>
            <Input inputMode="tel" placeholder={rules.shape ? maskExample(rules.shape) : '138****8888'} maxLength={24} data-testid="report-phone" />
          </Form.Item>
          <Form.Item name="expectedAt" label={t('预计到访时间', 'Expected arrival')} rules={[{ required: rules.nameAndTime, message: t('请选择预计到访时间（本案场制度要求）', "Choose the expected arrival (this office's policy requires it)") }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} inputReadOnly data-testid="report-expected" />
          </Form.Item>
          {refused && <Alert type="error" showIcon message={refused} style={{ marginBottom: 12 }} data-testid="report-refused" />}
          <Button type="primary" htmlType="submit" block size="large" loading={file.isPending} data-testid="report-submit">{t('提交报备', 'File report')}</Button>
        </Form>
      </Card>
      <Typography.Title level={5} style={{ margin: '16px 0 8px' }}>{t('我的报备', 'My reports')}</Typography.Title>
      <List dataSource={mine} loading={reports.isLoading} locale={{ emptyText: t('还没有报备', 'No reports yet') }} renderItem={(r) => {
        const status = REPORT_STATUS[r.status] ?? REPORT_STATUS.rejected!;
        const left = r.status === 'valid' && r.validUntil ? daysBetween(now, r.validUntil) : null;
        const phone = r.phone;
        return (
          <Card size="small" style={{ marginBottom: 8 }} data-testid={`report-${r.id}`}>
            <Space style={{ width: '100%', justifyContent: 'space-between' }}>
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{r.name ?? ''} <Typography.Text type="secondary">{phone.includes('*') ? phone : maskPhone(phone)}</Typography.Text></Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.expectedAt ? `${t('预计', 'expected')} ${localTime(r.expectedAt)}` : ''}
                </Typography.Text>
                {r.status === 'rejected' && r.rejectionCode && <Typography.Text type="danger" style={{ fontSize: 12 }}>{rejectionText({ code: r.rejectionCode }, lang)}</Typography.Text>}
              </Space>
              <Tag color={status.color} data-testid="report-status" data-status={r.status}>
                {w(status, lang)}{left !== null ? t(`（剩 ${Math.max(left, 0)} 天）`, ` (${Math.max(left, 0)} days left)`) : ''}
              </Tag>
            </Space>
          </Card>
        );
      }} />
    </div>
  );
}
