// 报表: daily registers, rotation fairness (new customers received per
// consultant against an even share), channel conversion, protection lapses per
// week, and the commission ledger — each exportable to xlsx.
import { useMemo } from 'react';
import { Alert, Button, Card, Col, Row, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import ReactECharts from 'echarts-for-react';
import { errorText } from '../../api/client.ts';
import { useAllEvents, useCustomers, useDeals, useReports, useStaff } from '../../api/office.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { localDate, REPORT_STATUS, staffName, w } from '../../lib/format.ts';
import { useOffice } from '../../layout/office.tsx';
import { downloadXlsx } from './xlsx.ts';

const weekOf = (iso: string) => {
  const d = new Date(`${localDate(iso)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
};

export default function Reports() {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const events = useAllEvents(project);
  const staff = useStaff(project);
  const reports = useReports(project);
  const customers = useCustomers(project);
  const deals = useDeals(project);

  const daily = useMemo(() => {
    const m = new Map<string, { visits: number; calls: number; fresh: number }>();
    const seen = new Set<string>();
    for (const e of events.data ?? []) {
      if (e.status !== 'accepted' || (e.type !== 'visit' && e.type !== 'call')) continue;
      const d = localDate(e.at);
      const x = m.get(d) ?? { visits: 0, calls: 0, fresh: 0 };
      if (e.type === 'visit') x.visits++; else x.calls++;
      const phone = e.event.customer?.phone;
      if (phone && !seen.has(phone)) { seen.add(phone); x.fresh++; }
      m.set(d, x);
    }
    return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [events.data]);

  const fairness = useMemo(() => {
    const count = new Map<string, number>();
    const seen = new Set<string>();
    for (const e of events.data ?? []) {
      if (e.type !== 'visit' || e.status !== 'accepted') continue;
      const phone = e.event.customer?.phone;
      const who = e.event.receivedBy as string | undefined;
      if (!phone || seen.has(phone)) continue;
      seen.add(phone);
      if (who) count.set(who, (count.get(who) ?? 0) + 1);
    }
    const consultants = (staff.data ?? []).filter((s) => s.role === 'consultant');
    const total = consultants.reduce((n, s) => n + (count.get(s.id) ?? 0), 0);
    return { rows: consultants.map((s) => ({ id: s.id, n: count.get(s.id) ?? 0 })), expected: consultants.length ? total / consultants.length : 0 };
  }, [events.data, staff.data]);

  const funnel = useMemo(() => {
    const by = new Map<string, number>();
    for (const r of reports.data ?? []) by.set(r.status, (by.get(r.status) ?? 0) + 1);
    return by;
  }, [reports.data]);

  const lapses = useMemo(() => {
    const by = new Map<string, number>();
    const now = Date.now();
    for (const c of customers.data ?? []) {
      if (c.status !== 'protected' || !c.protectedUntil || Date.parse(c.protectedUntil) > now) continue;
      const wk = weekOf(c.protectedUntil);
      by.set(wk, (by.get(wk) ?? 0) + 1);
    }
    return [...by.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [customers.data]);

  const ledger = (deals.data ?? []).flatMap((d) => [...new Set([...Object.keys(d.performance), ...Object.keys(d.commission)])].map((s) => ({ key: `${d.id}-${s}`, deal: d.id, unit: d.unit, stage: d.stage, date: localDate(d.at), staff: s, performance: d.performance[s] ?? 0, commission: d.commission[s] ?? 0, basis: d.commissionBasis })));
  const name = (id: string) => staffName(staff.data, id, lang);
  const exportBtn = (file: string, header: string[], rows: (string | number | null)[][]) => <Button size="small" icon={<DownloadOutlined />} onClick={() => void downloadXlsx(file, [{ name: file.replace('.xlsx', ''), header, rows }])}>xlsx</Button>;

  if (events.isError) return <Alert type="error" showIcon message={errorText(events.error)} />;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('每日登记', 'Daily registers')} loading={events.isLoading} extra={exportBtn('每日登记.xlsx', ['日期', '到访', '来电', '新客'], daily.map(([d, x]) => [d, x.visits, x.calls, x.fresh]))}>
          <ReactECharts style={{ height: 280 }} option={{
            tooltip: { trigger: 'axis' }, legend: { data: [t('到访', 'Visits'), t('来电', 'Calls'), t('新客', 'New')] }, grid: { left: 40, right: 16, bottom: 30 },
            xAxis: { type: 'category', data: daily.map(([d]) => d.slice(5)) }, yAxis: { type: 'value' },
            series: [
              { name: t('到访', 'Visits'), type: 'bar', data: daily.map(([, x]) => x.visits) },
              { name: t('来电', 'Calls'), type: 'bar', data: daily.map(([, x]) => x.calls) },
              { name: t('新客', 'New'), type: 'line', data: daily.map(([, x]) => x.fresh) },
            ],
          }} />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('轮排公平：新客接待数与均值', 'Rotation fairness: new customers received vs even share')} loading={events.isLoading} extra={exportBtn('轮排公平.xlsx', ['顾问', '新客接待', '均值'], fairness.rows.map((r) => [name(r.id), r.n, Math.round(fairness.expected * 10) / 10]))}>
          <ReactECharts style={{ height: 280 }} option={{
            tooltip: { trigger: 'axis' }, grid: { left: 40, right: 16, bottom: 50 },
            xAxis: { type: 'category', data: fairness.rows.map((r) => name(r.id)), axisLabel: { rotate: 40 } }, yAxis: { type: 'value' },
            series: [{ name: t('新客接待', 'Received'), type: 'bar', data: fairness.rows.map((r) => r.n), markLine: { data: [{ yAxis: Math.round(fairness.expected * 10) / 10, name: t('均值', 'even share') }] } }],
          }} />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('渠道报备转化', 'Channel conversion')} loading={reports.isLoading} extra={exportBtn('渠道转化.xlsx', ['状态', '数量'], [...funnel.entries()].map(([s, n]) => [w(REPORT_STATUS[s], lang, s), n]))}>
          <ReactECharts style={{ height: 280 }} option={{
            tooltip: { trigger: 'item' },
            series: [{ type: 'funnel', left: '10%', width: '80%', sort: 'descending', label: { formatter: '{b}: {c}' }, data: [
              { name: t('报备总数', 'Filed'), value: reports.data?.length ?? 0 },
              { name: t('有效（待到访）', 'Valid'), value: (funnel.get('valid') ?? 0) + (funnel.get('converted') ?? 0) },
              { name: t('已到访', 'Converted'), value: funnel.get('converted') ?? 0 },
            ] }],
          }} />
          <Typography.Text type="secondary">{[...funnel.entries()].map(([s, n]) => `${w(REPORT_STATUS[s], lang, s)} ${n}`).join(' · ')}</Typography.Text>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('保护期失效（按周）', 'Protection lapses per week')} loading={customers.isLoading} extra={exportBtn('保护期失效.xlsx', ['周', '失效客户'], lapses)}>
          <ReactECharts style={{ height: 280 }} option={{ tooltip: { trigger: 'axis' }, grid: { left: 40, right: 16, bottom: 30 }, xAxis: { type: 'category', data: lapses.map(([d]) => d) }, yAxis: { type: 'value' }, series: [{ type: 'bar', name: t('失效客户', 'Lapsed'), data: lapses.map(([, n]) => n), itemStyle: { color: '#fa8c16' } }] }} />
        </Card>
      </Col>
      <Col xs={24}>
        <Card size="small" title={t('佣金台账', 'Commission ledger')} loading={deals.isLoading} extra={exportBtn('佣金台账.xlsx', ['成交', '房号', '阶段', '日期', '顾问', '业绩', '佣金', '依据'], ledger.map((l) => [l.deal, l.unit, l.stage, l.date, name(l.staff), l.performance, l.commission, l.basis]))}>
          <Table size="small" dataSource={ledger} pagination={{ pageSize: 10 }} columns={[
            { title: t('成交', 'Deal'), dataIndex: 'deal' }, { title: t('房号', 'Unit'), dataIndex: 'unit' }, { title: t('日期', 'Date'), dataIndex: 'date' },
            { title: t('顾问', 'Consultant'), dataIndex: 'staff', render: name },
            { title: t('业绩', 'Performance'), dataIndex: 'performance', render: (v: number) => `${Math.round(v * 100)}%` },
            { title: t('佣金', 'Commission'), dataIndex: 'commission', render: (v: number) => `${Math.round(v * 100)}%` },
            { title: t('依据', 'Basis'), dataIndex: 'basis' },
          ]} />
        </Card>
      </Col>
    </Row>
  );
}
