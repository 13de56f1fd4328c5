// 案场经理 · 当日登记表: the day's visits and calls as a printable page that
// ends with the day's closing chain head and the server's signature. The
// copy signed at the day-end review (当日总结) is then a witness too: a log
// rewritten later no longer matches the head on paper (docs/verify.md).
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../../api/client.ts';
import { fetchAllEvents, fetchDayHead, useStaff, type StoredEventJson } from '../../api/office.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { staffName, todayLocal } from '../../lib/format.ts';
import { useOffice } from '../../layout/office.tsx';

const PRINT_CSS = '@media print { .ant-layout-header, .no-print { display: none !important; } .ant-card { box-shadow: none !important; } body { background: #fff !important; } }';

export default function DayRegister() {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const staff = useStaff(project);
  // Today is the office's day (its zone), not the browser's: from 16:00 UTC a browser on UTC is a day behind Shanghai.
  const [day, setDay] = useState<Dayjs>(() => dayjs(todayLocal()));
  const d = day.format('YYYY-MM-DD');
  // `local` is the event's time in the project's zone, written by the server: the day is the office's day.
  const events = useQuery({ queryKey: [project, 'register', d], queryFn: async () => (await fetchAllEvents(project)).filter((e) => e.local.startsWith(d) && (e.type === 'visit' || e.type === 'call')) });
  const head = useQuery({ queryKey: [project, 'day-head', d], queryFn: () => fetchDayHead(project, d) });
  const who = (e: StoredEventJson) => (e.type === 'visit' ? (e.event.receivedBy as string | undefined) : (e.event.staff as string | undefined));

  return (
    <Card
      title={<Space wrap>{t(`当日登记表 · ${d}`, `Day register · ${d}`)}</Space>}
      extra={<Space className="no-print" wrap><DatePicker value={day} onChange={(x) => x && setDay(x)} allowClear={false} /><Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print-register">{t('打印', 'Print')}</Button></Space>}
    >
      <style>{PRINT_CSS}</style>
      {events.error ? <Alert type="error" showIcon message={errorText(events.error)} /> : null}
      <Table
        size="small"
        data-testid="day-register"
        loading={events.isLoading}
        rowKey="id"
        pagination={false}
        dataSource={events.data ?? []}
        columns={[
          { title: t('时间', 'Time'), key: 't', render: (_, e) => e.local.slice(11, 16), width: 70 },
          { title: t('类别', 'Kind'), key: 'k', render: (_, e) => (e.type === 'visit' ? t('来访', 'visit') : t('来电', 'call')), width: 70 },
          { title: t('客户姓名', 'Name'), key: 'n', render: (_, e) => e.event.customer?.name ?? '' },
          { title: t('联系电话', 'Phone'), key: 'p', render: (_, e) => e.event.customer?.phone ?? '' },
          { title: t('置业顾问', 'Consultant'), key: 's', render: (_, e) => staffName(staff.data, who(e), lang) },
          { title: t('结果', 'Result'), key: 'r', render: (_, e) => (e.status === 'accepted' ? t('已登记', 'recorded') : <Tag color="red">{t('未通过', 'refused')}</Tag>) },
          { title: t('补登', 'Late'), key: 'l', render: (_, e) => (e.late ? <Tag color="orange">{t(`补登 · 录入于 ${e.recordedLocal}`, `late · recorded ${e.recordedLocal}`)}</Tag> : '') },
          { title: '#', dataIndex: 'seq', width: 60 },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('日终链头（服务器签名）', "The day's closing head (signed by the server)")}</Typography.Title>
      {head.error ? <Alert type="error" showIcon message={errorText(head.error)} /> : null}
      {head.data && (
        <Descriptions size="small" column={1} bordered data-testid="closing-head" items={[
          { key: 'seq', label: t('截至序号', 'Up to seq'), children: head.data.events.seq },
          { key: 'hash', label: t('链头哈希', 'Head hash'), children: <Typography.Text code style={{ wordBreak: 'break-all' }}>{head.data.events.hash}</Typography.Text> },
          { key: 'key', label: t('签名密钥', 'Key id'), children: <Typography.Text code>{head.data.events.keyId}</Typography.Text> },
          { key: 'at', label: t('签名时间', 'Signed at'), children: head.data.events.signedAt },
          { key: 'sig', label: t('签名 (Ed25519)', 'Signature (Ed25519)'), children: <Typography.Text code style={{ wordBreak: 'break-all', fontSize: 11 }}>{head.data.events.signature}</Typography.Text> },
        ]} />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
        {t('当日总结时打印本页并签字留存：之后若有人改动或删减登记记录，记录将与本页的链头对不上（甲方或审计人员可随时用本页核对）。',
          'Print and sign this page at the day-end review: if the log is later changed or cut back, it no longer matches this head (the controller or an auditor can check it against this page at any time).')}
      </Typography.Paragraph>
    </Card>
  );
}
