// 置业顾问 · 公客池 (a phone first): customers nobody holds, masked, newest
// first. 认领 shows only where the engine says the claim holds (the server's
// dry run under the policy in force); a departed colleague's customers are
// the manager's to reassign. A claim records my call and cites its clause.
import { App as AntApp, Button, Card, Empty, List, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorText } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { claimFromPool, usePool, type ClaimResult } from '../../api/people.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { localTime, spacedPhone } from '../../lib/format.ts';
import { navigate } from '../../lib/router.tsx';
import { useOffice } from '../../layout/office.tsx';

export default function PublicPool() {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const pool = usePool(project);
  const [busy, setBusy] = useState<string | null>(null);
  const [claimed, setClaimed] = useState<ClaimResult | null>(null);

  const claim = async (phone: string, ref: string) => {
    setBusy(phone + ref);
    try {
      const r = await claimFromPool(project, { phone, ref });
      if (r.status === 'rejected' && r.rejection) message.error(rejectionText(r.rejection, lang));
      else {
        setClaimed(r);
        message.success(t('已认领', 'Claimed'));
      }
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
      void qc.invalidateQueries({ queryKey: [project] });
    }
  };

  return (
    <div style={{ maxWidth: 560, margin: '0 auto' }}>
      <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/consultant')} style={{ paddingInline: 0 }}>{t('我的客户', 'My customers')}</Button>
      {claimed && (
        <Card size="small" style={{ marginBottom: 8, borderColor: '#52c41a' }} data-testid="claim-answer">
          <Space direction="vertical" size={4}>
            <Typography.Text strong>{t(`已认领 ${spacedPhone(claimed.phone)}，已记一次去电。`, `Claimed ${spacedPhone(claimed.phone)}; a call was recorded.`)}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('依据', 'Basis')} <Tag data-testid="claim-clause">{claimed.clause}</Tag>{claimed.clauseText?.[lang] ?? ''}</Typography.Text>
            <Button size="small" onClick={() => navigate(`/consultant/customer?phone=${encodeURIComponent(claimed.phone)}`)}>{t('查看客户', 'Open the customer')}</Button>
          </Space>
        </Card>
      )}
      <Card size="small" title={t('公客池', 'Public pool')}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('无人归属的客户。可认领的客户，认领即记一次您的去电，客户按制度归您；离职同事的客户由经理重新分配。', 'Customers nobody holds. Claiming one records a call by you and makes the customer yours under the policy; a departed colleague’s customers are reassigned by the manager.')}
        </Typography.Paragraph>
        {pool.isLoading ? <Spin /> : (
          <List dataSource={pool.data ?? []} locale={{ emptyText: <Empty description={t('公客池暂无客户', 'The pool is empty')} /> }} renderItem={(c) => (
            <List.Item data-testid={`pool-${c.phone}`} actions={[c.claimable
              ? <Button key="claim" type="primary" size="small" loading={busy === c.phone + c.ref} onClick={() => void claim(c.phone, c.ref)} data-testid="pool-claim">{t('认领', 'Claim')}</Button>
              : <Tooltip key="no" title={c.clauseText?.[lang] ?? ''}><Tag>{c.departedPool ? t('由经理分配', 'manager assigns') : t('本制度不可认领', 'not claimable')}</Tag></Tooltip>]}>
              <List.Item.Meta
                title={<span>{c.phone}</span>}
                description={<span style={{ fontSize: 12 }}>{c.since ? t(`${localTime(c.since)} 起`, `since ${localTime(c.since)}`) : ''}{c.basis && <Tooltip title={c.basis.text?.[lang] ?? ''}> <Tag>{c.basis.clause}</Tag></Tooltip>}{c.claimable && <> · {t('认领依据', 'claim basis')} <Tag color="green">{c.clause}</Tag></>}</span>} />
            </List.Item>
          )} />
        )}
      </Card>
    </div>
  );
}
