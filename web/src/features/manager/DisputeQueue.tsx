// 案场经理 · 争议队列: conflicts the log shows on its own, newest first — a
// report against a visit, a party that swallowed a report, a recognition after
// another's reception, two consultants the same day, a lapse re-registered by
// another, complaints, overrides, objections. Each names the staff involved,
// the current decision with its clause, and opens the customer's evidence
// timeline and the ruling form below (Disputes.tsx).
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Card, Empty, List, Segmented, Space, Tag, Typography } from 'antd';
import { errorText } from '../../api/client.ts';
import { useDisputes, type Dispute, type DisputeKind } from '../../api/notifications.ts';
import { useStaff } from '../../api/office.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { OWNER_STATUS, spacedPhone, staffName, w } from '../../lib/format.ts';
import { useQueryParam } from '../../lib/router.tsx';
import { useOffice } from '../../layout/office.tsx';

export const DISPUTE_KIND: Record<DisputeKind, { zh: string; en: string; color: string }> = {
  'report-vs-visit': { zh: '报备与到访冲突', en: 'Report vs visit', color: 'magenta' },
  'party-swallowed-report': { zh: '同行吞报备', en: 'Party swallowed a report', color: 'volcano' },
  'recognition-after-reception': { zh: '他人接待后认领', en: 'Recognised after another’s reception', color: 'orange' },
  'same-day-contacts': { zh: '同日两位顾问接触', en: 'Two consultants the same day', color: 'gold' },
  'lapse-retaken': { zh: '失效后被他人登记', en: 'Lapse re-registered by another', color: 'lime' },
  complaint: { zh: '客诉', en: 'Complaint', color: 'red' },
  override: { zh: '人工改判', en: 'Override', color: 'purple' },
  objection: { zh: '异议', en: 'Objection', color: 'cyan' },
};

export function DisputeQueue({ selected, onOpen }: { selected: string | null; onOpen: (d: Dispute) => void }) {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const staff = useStaff(project);
  const disputes = useDisputes(project);
  const [filter, setFilter] = useState<'open' | 'all'>('open');
  const [limit, setLimit] = useState(20);
  const shown = useMemo(() => (disputes.data ?? []).filter((d) => filter === 'all' || !d.ruling), [disputes.data, filter]);
  const open = (disputes.data ?? []).filter((d) => !d.ruling).length;
  // A reminder links here with ?dispute=<id>: open that one once it is listed.
  const wanted = useQueryParam('dispute');
  const opened = useRef<string | null>(null);
  useEffect(() => {
    const d = wanted && wanted !== opened.current ? disputes.data?.find((x) => x.id === wanted) : undefined;
    if (d) {
      opened.current = wanted;
      if (d.ruling) setFilter('all');
      onOpen(d);
    }
  }, [wanted, disputes.data, onOpen]);

  return (
    <Card size="small" data-testid="dispute-queue"
      title={<Space>{t('争议队列', 'Dispute queue')}<Badge count={open} overflowCount={999} /></Space>}
      extra={<Segmented size="small" value={filter} onChange={(v) => setFilter(v as 'open' | 'all')} options={[{ value: 'open', label: t('待处理', 'Open') }, { value: 'all', label: t('全部', 'All') }]} />}>
      {disputes.isError ? <Alert type="error" showIcon message={errorText(disputes.error)} /> : shown.length === 0 && !disputes.isLoading ? <Empty description={t('暂无争议', 'No disputes')} /> : (
        <>
          <List loading={disputes.isLoading} dataSource={shown.slice(0, limit)} renderItem={(d) => {
            const k = DISPUTE_KIND[d.kind];
            const st = OWNER_STATUS[d.decision.status];
            return (
              <List.Item key={d.id} data-testid="dispute-item" style={{ background: d.id === selected ? '#e6f4ff' : undefined, paddingInline: 8 }}
                actions={[<Button key="open" size="small" type={d.id === selected ? 'primary' : 'default'} onClick={() => onOpen(d)} data-testid="dispute-open">{t('查看证据', 'Evidence')}</Button>]}>
                <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
                  <Space wrap size={4}>
                    <Tag color={k.color}>{lang === 'zh' ? k.zh : k.en}</Tag>
                    <Typography.Text strong>{d.name ?? ''} {spacedPhone(d.customer)}</Typography.Text>
                    {d.ruling && <Tag color="green">{t('已裁决', 'ruled')}</Tag>}
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {d.local} · {t('涉及', 'involves')} {d.staff.map((s) => staffName(staff.data, s, lang)).join(lang === 'zh' ? '、' : ', ')} · {t('证据', 'evidence')} {d.evidence.length}
                  </Typography.Text>
                  <Typography.Text style={{ fontSize: 12 }}>
                    {t('当前判定', 'Now')}：{staffName(staff.data, d.decision.owner, lang)} {st ? <Tag color={st.color}>{w(st, lang, d.decision.status)}</Tag> : null}
                    {d.decision.clause && <Tag color="volcano">{d.decision.clause}</Tag>}
                  </Typography.Text>
                </Space>
              </List.Item>
            );
          }} />
          {shown.length > limit && <Button type="link" onClick={() => setLimit((n) => n + 20)}>{t(`再显示 20 条（共 ${shown.length} 条）`, `Show 20 more (of ${shown.length})`)}</Button>}
        </>
      )}
    </Card>
  );
}
