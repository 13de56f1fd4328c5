// The bell in the header (every role): my reminders — protection ending on my
// customers, my reports' status, rulings on my customers, a manager's new
// disputes — with the unread count, live over the reminders stream.
import { useState } from 'react';
import { Badge, Button, Drawer, Empty, List, Space, Tag, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useMarkRead, useNotifications, useNotificationStream, type Notification } from '../api/notifications.ts';
import { useI18n } from '../lib/i18n.tsx';
import { navigate } from '../lib/router.tsx';

const KIND: Record<Notification['kind'], { zh: string; en: string; color: string }> = {
  ruling: { zh: '裁决', en: 'Ruling', color: 'purple' },
  'report-status': { zh: '报备', en: 'Report', color: 'blue' },
  'protection-ending': { zh: '保护期', en: 'Protection', color: 'orange' },
  dispute: { zh: '争议', en: 'Dispute', color: 'red' },
};

export function NotificationBell({ project, narrow }: { project: string; narrow: boolean }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const list = useNotifications(project);
  const mark = useMarkRead(project);
  useNotificationStream(project);
  const items = list.data?.notifications ?? [];
  const unread = list.data?.unread ?? 0;
  const openItem = (n: Notification) => {
    if (!n.read) mark.mutate({ ids: [n.id] });
    if (n.link) {
      setOpen(false);
      navigate(n.link);
    }
  };
  return (
    <>
      <Badge count={unread} size="small" overflowCount={99} data-testid="bell-count">
        <Button size="small" icon={<BellOutlined />} onClick={() => setOpen(true)} aria-label={t('提醒', 'Reminders')} data-testid="bell" />
      </Badge>
      <Drawer open={open} onClose={() => setOpen(false)} title={t('提醒', 'Reminders')} size={narrow ? '100%' : 420} placement="right"
        extra={unread > 0 ? <Button size="small" onClick={() => mark.mutate({ all: true })} loading={mark.isPending} data-testid="bell-read-all">{t('全部已读', 'Mark all read')}</Button> : null}>
        {items.length === 0 ? <Empty description={t('暂无提醒', 'No reminders')} /> : (
          <List data-testid="bell-list" dataSource={items} renderItem={(n) => (
            <List.Item key={n.id} onClick={() => openItem(n)} style={{ cursor: n.link || !n.read ? 'pointer' : 'default', opacity: n.read ? 0.6 : 1 }} data-testid={`bell-item-${n.kind}`}>
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap size={4}>
                  {!n.read && <Badge status="processing" />}
                  <Tag color={KIND[n.kind].color}>{lang === 'zh' ? KIND[n.kind].zh : KIND[n.kind].en}</Tag>
                  <Typography.Text strong>{lang === 'zh' ? n.title.zh : n.title.en}</Typography.Text>
                </Space>
                <Typography.Text>{lang === 'zh' ? n.text.zh : n.text.en}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{n.local}</Typography.Text>
              </Space>
            </List.Item>
          )} />
        )}
      </Drawer>
    </>
  );
}
