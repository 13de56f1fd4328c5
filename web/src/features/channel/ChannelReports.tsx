// 渠道 · 报备 (a phone): file a report (name or surname, full or masked phone
// 138***88888, expected arrival) and watch each report's status live. A
// refused report says why in one sentence.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, DatePicker, Form, Input, List, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { errorText } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { recordEvent, useRecord, useReportDetails } from '../../api/office.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { daysBetween, localTime, maskPhone, REPORT_STATUS, w } from '../../lib/format.ts';
import { useOffice } from '../../layout/office.tsx';

const PHONE_OR_MASK = /^1\d{2}(\d{8}|\*{1,8}\d{1,8})$/;

export default function ChannelReports() {
  const { project, me } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  // Channel agents are not on the office's live stream: their list refreshes every few seconds.
  const reports = useReportDetails(project, true);
  const file = useRecord(project, (b: unknown) => recordEvent(project, b));
  const [form] = Form.useForm<{ name: string; phone: string; expectedAt: Dayjs }>();
  const [refused, setRefused] = useState<string | null>(null);
  const mine = (reports.data ?? []).filter((r) => r.agent === me).reverse().slice(0, 50);
  const now = new Date().toISOString();

  const submit = async (v: { name: string; phone: string; expectedAt: Dayjs }) => {
    setRefused(null);
    try {
      const r = await file.mutateAsync({ type: 'report', customer: { phone: v.phone.replace(/\s/g, ''), name: v.name.trim() }, staff: me, expectedAt: v.expectedAt.valueOf() });
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
          <Form.Item name="name" label={t('客户姓名或姓', 'Customer name or surname')} rules={[{ required: true, message: t('请填写客户姓名或姓', 'Enter the name or surname') }]}>
            <Input placeholder={t('如：王 / 王先生', 'e.g. Wang')} maxLength={40} data-testid="report-name" />
          </Form.Item>
          <Form.Item name="phone" label={t('手机号（前三后五）', 'Phone (first 3, last 5)')} rules={[{ required: true, message: t('请填写手机号', 'Enter the phone') }, { pattern: PHONE_OR_MASK, message: t('格式如 138***88888 或完整11位手机号', 'Like 138***88888, or the full 11 digits') }]}>
            <Input inputMode="tel" placeholder="138***88888" maxLength={16} data-testid="report-phone" />
          </Form.Item>
          <Form.Item name="expectedAt" label={t('预计到访时间', 'Expected arrival')} rules={[{ required: true, message: t('请选择预计到访时间', 'Choose the expected arrival') }]}>
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
