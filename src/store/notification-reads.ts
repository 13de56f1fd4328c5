// What a user has read of their reminders (src/app/notifications.ts): table
// notification_reads (migration 7), one row per user and reminder id.
import type { Kysely } from 'kysely';
import type { StoreAdapter } from './adapter.js';
import type { Database } from './schema.js';

export interface NotificationReadStore {
  /** Which of these reminder ids the user has read. */
  readNotificationIds(projectId: string, userId: string, ids: readonly string[]): Promise<Set<string>>;
  /** Marks reminder ids read for the user (repeats are kept as first read); returns how many were new. */
  markNotificationsRead(projectId: string, userId: string, ids: readonly string[], readAt: string): Promise<number>;
}

export function notificationReadStore(adapter: StoreAdapter): NotificationReadStore {
  const db: Kysely<Database> = adapter.db;
  return {
    async readNotificationIds(projectId, userId, ids) {
      const out = new Set<string>();
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await db.selectFrom('notification_reads').select('notification_id').where('project_id', '=', projectId).where('user_id', '=', userId)
          .where('notification_id', 'in', ids.slice(i, i + 500)).execute();
        for (const r of rows) out.add(r.notification_id);
      }
      return out;
    },

    async markNotificationsRead(projectId, userId, ids, readAt) {
      let added = 0;
      for (let i = 0; i < ids.length; i += 200) {
        const r = await db.insertInto('notification_reads')
          .values(ids.slice(i, i + 200).map((id) => ({ project_id: projectId, user_id: userId, notification_id: id, read_at: readAt })))
          .onConflict((oc) => oc.columns(['project_id', 'user_id', 'notification_id']).doNothing())
          .executeTakeFirst();
        added += Number(r.numInsertedOrUpdatedRows ?? 0);
      }
      return added;
    },
  };
}
