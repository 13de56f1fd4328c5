// Reminders in the app (提醒): a list per user, derived — never a job that
// writes state. Three come from events (src/app/disputes.ts `eventNotes`):
// a ruling on my customer (the new and the previous owner; a deal ruling:
// everyone it credits), a report of mine converted by a visit (the agent).
// Two come from the clock, computed when asked: my customer's protection
// ends within PROTECTION_NOTICE_DAYS (the owner; src/app/alerts.ts), a
// report of mine lapsed unconverted (the agent). Managers also get the open
// disputes of the queue. What a user has read is the only thing stored
// (table notification_reads, migration 7), keyed by the reminder's id.
//
// Scoped like the customer card: phones are masked in every reminder; the
// customer's name only for the customer's owner.
import type { OfficeState } from '../domain/engine/index.ts';
import { ownerOf } from '../domain/engine/index.ts';
import { maskPhone } from '../domain/phone.ts';
import { formatLocalTime, localDay, startOfLocalDay } from '../domain/time.ts';
import type { EventStore } from '../store/index.js';
import { protectionAlerts } from './alerts.ts';
import { eventNotes, type DisputeIndex, type DisputeKind, type EventNote } from './disputes.ts';
import type { AppliedNotice, GuishuApp } from './office.ts';

export const PROTECTION_NOTICE_DAYS = 2;
/** Reminders older than this are not listed. */
export const NOTICE_HORIZON_DAYS = 30;

import type { Notification, NotificationKind } from '../shared/office-answers.ts';

export type { Notification, NotificationKind };

/** Whom a notification is for: staff ids, or (a manager's) a role. */
export interface Addressed {
  to: string[];
  roles?: string[];
}

/** Who asks: the user (read marks) and their standing in the project. */
export interface Reader {
  userId: string;
  staffId: string | null;
  role: string | null;
  admin: boolean;
}

type StaffNames = (id: string | null | undefined) => string;

function namesOf(state: OfficeState): StaffNames {
  return (id) => (id ? (state.staff.get(id)?.name ?? id) : '—');
}

function customerWords(phone: string | null, name: string | null): { zh: string; en: string } {
  const masked = phone ? maskPhone(phone) : '';
  const s = [name, masked].filter(Boolean).join(' ');
  return { zh: s, en: s };
}

/** A reminder an event caused, in words, for one reader (staffId), or null when it is not theirs. */
export function eventNotification(state: OfficeState, note: EventNote, staffId: string | null, timezone: string, now: number): Omit<Notification, 'read'> | null {
  if (!staffId || !note.to.includes(staffId)) return null;
  const name = (id: string | null | undefined) => namesOf(state)(id);
  const owner = note.phone ? ownerOf(state, note.phone, now).owner : null;
  const cname = note.phone && owner === staffId ? (state.customers.get(note.phone)?.name ?? null) : null;
  const who = customerWords(note.phone, cname);
  const base = { id: note.id, kind: note.kind, at: new Date(note.at).toISOString(), local: formatLocalTime(note.at, timezone), customer: note.phone ? maskPhone(note.phone) : null, name: cname };
  if (note.kind === 'ruling') {
    const reason = note.reason ? `（${note.reason}）` : '';
    if (note.deal !== undefined) {
      return { ...base, title: { zh: '成交裁决', en: 'Deal ruling' }, text: { zh: `经理对成交 ${note.deal} 的业绩/佣金作出裁决${reason}`, en: `The manager ruled on the split of deal ${note.deal}${note.reason ? ` (${note.reason})` : ''}` }, link: null };
    }
    const to = note.owner === null ? '公客池' : name(note.owner);
    const toEn = note.owner === null ? 'the public pool' : name(note.owner);
    const lost = note.previousOwner === staffId && note.owner !== staffId;
    return {
      ...base,
      title: lost ? { zh: '裁决：客户改归他人', en: 'Ruling: your customer goes to another' } : { zh: '裁决：客户归您', en: 'Ruling: the customer is yours' },
      text: { zh: `经理裁决 ${who.zh} 归属 ${to}${reason}`, en: `The manager ruled ${who.en} belongs to ${toEn}${note.reason ? ` (${note.reason})` : ''}` },
      link: note.owner === staffId ? (state.staff.get(staffId)?.role === 'channel' ? '/channel' : '/consultant') : null,
    };
  }
  return {
    ...base,
    title: { zh: '报备状态：已到访', en: 'Report: the customer came' },
    text: { zh: `您报备的客户 ${who.zh} 已到访，报备已转化`, en: `Your reported customer ${who.en} visited: the report converted` },
    link: '/channel',
  };
}

/** One reminder an event caused, in words for each of its addressees (staff id → what they read). */
export type LiveNotification = ReadonlyMap<string, Omit<Notification, 'read'>>;

/** The reminders an applied event causes, for the live stream (a report's agent is read from the app's state). */
export async function liveNotifications(app: GuishuApp, n: AppliedNotice): Promise<LiveNotification[]> {
  if (!n.outcome.accepted || !n.outcome.changes.some((c) => c.kind === 'report-converted' || (n.event.type === 'ruling' && (c.kind === 'ownership' || c.kind === 'deal-ruling')))) return [];
  return app.query(n.projectId, (state, project, now) => {
    const notes = eventNotes(n.event, n.outcome, (id) => state.reports.get(id)?.agent);
    return notes.map((note) => {
      const words = new Map<string, Omit<Notification, 'read'>>();
      for (const staffId of note.to) {
        const w = eventNotification(state, note, staffId, project.timezone, now);
        if (w) words.set(staffId, w);
      }
      return words;
    });
  });
}

/** What one viewer of the stream receives of a reminder: theirs, or nothing. */
export function notificationFor(viewer: { staffId: string | null }, words: LiveNotification): Omit<Notification, 'read'> | null {
  return viewer.staffId === null ? null : (words.get(viewer.staffId) ?? null);
}

/** Everything for one reader, newest first, with what they have read. */
export async function notificationsFor(app: GuishuApp, disputes: DisputeIndex, store: EventStore, projectId: string, reader: Reader, opts: { limit?: number } = {}): Promise<{ notifications: Notification[]; unread: number }> {
  const limit = opts.limit ?? 100;
  const staffId = reader.staffId;
  const since = (await app.query(projectId, (_s, _p, now) => now)) - NOTICE_HORIZON_DAYS * 86_400_000;
  const notes = staffId ? await disputes.notes(projectId, staffId, since) : [];
  const managerial = reader.admin || reader.role === 'manager';
  const open = managerial ? await disputes.disputes(projectId, { open: true, since, limit }) : [];
  const list = await app.query(projectId, (state, project, now) => {
    const tz = project.timezone;
    const out: Omit<Notification, 'read'>[] = [];
    for (const note of notes) {
      const n = eventNotification(state, note, staffId, tz, now);
      if (n) out.push(n);
    }
    if (staffId) {
      for (const a of protectionAlerts(state, now, PROTECTION_NOTICE_DAYS)) {
        if (a.owner !== staffId) continue;
        const until = Date.parse(a.protectedUntil);
        // Due from the start of the window: N local days before the last protected day.
        const due = startOfLocalDay(localDay(until, tz) - PROTECTION_NOTICE_DAYS, tz);
        const left = a.daysLeft === 0 ? { zh: '今天到期', en: 'ends today' } : { zh: `剩 ${a.daysLeft} 天`, en: `${a.daysLeft} day(s) left` };
        out.push({
          id: `protection:${a.basisEvents.at(-1) ?? a.phone.slice(-4)}:${localDay(until, tz)}`,
          kind: 'protection-ending', at: new Date(Math.min(due, now)).toISOString(), local: formatLocalTime(Math.min(due, now), tz),
          customer: maskPhone(a.phone), name: a.name,
          title: { zh: `保护期即将到期：${left.zh}`, en: `Protection ending: ${left.en}` },
          text: { zh: `${customerWords(a.phone, a.name).zh} 保护期至 ${a.protectedUntilLocal}，请及时跟进`, en: `${customerWords(a.phone, a.name).en} is protected until ${a.protectedUntilLocal}: follow up` },
          link: '/consultant',
        });
      }
      for (const r of state.reports.values()) {
        if (r.agent !== staffId || r.convertedBy || r.validUntil >= now || r.validUntil < since) continue;
        const shown = r.phone ? maskPhone(r.phone) : null;
        out.push({
          id: `report:${r.id}:expired`, kind: 'report-status', at: new Date(r.validUntil).toISOString(), local: formatLocalTime(r.validUntil, tz),
          customer: shown, name: null,
          title: { zh: '报备状态：已失效', en: 'Report: lapsed' },
          text: { zh: `您报备的客户 ${shown ?? r.name ?? ''} 未在有效期内到访，报备已失效`, en: `Your reported customer ${shown ?? r.name ?? ''} did not come in time: the report lapsed` },
          link: '/channel',
        });
      }
    }
    const names = namesOf(state);
    for (const d of open) {
      const at = Date.parse(d.at);
      out.push({
        id: `dispute:${d.id}`, kind: 'dispute', at: d.at, local: formatLocalTime(at, tz), customer: maskPhone(d.customer), name: null,
        title: { zh: `新争议：${DISPUTE_WORDS[d.kind].zh}`, en: `New dispute: ${DISPUTE_WORDS[d.kind].en}` },
        text: { zh: `${maskPhone(d.customer)} · ${d.staff.map(names).join('、')}`, en: `${maskPhone(d.customer)} · ${d.staff.map(names).join(', ')}` },
        link: `/manager/disputes?dispute=${encodeURIComponent(d.id)}`,
      });
    }
    return out;
  });
  list.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : 1));
  const shown = list.slice(0, limit);
  const read = await readMarks(store, projectId, reader.userId, shown.map((n) => n.id));
  const notifications = shown.map((n) => ({ ...n, read: read.has(n.id) }));
  return { notifications, unread: notifications.filter((n) => !n.read).length };
}

export const DISPUTE_WORDS: Record<DisputeKind, { zh: string; en: string }> = {
  'report-vs-visit': { zh: '报备与到访冲突', en: 'report against a visit' },
  'party-swallowed-report': { zh: '同行吞报备', en: 'party swallowed a report' },
  'recognition-after-reception': { zh: '他人接待后认领', en: 'recognised after another’s reception' },
  'same-day-contacts': { zh: '同日两位顾问接触', en: 'two consultants the same day' },
  'lapse-retaken': { zh: '失效后被他人登记', en: 'lapse re-registered by another' },
  complaint: { zh: '客诉', en: 'complaint' },
  override: { zh: '人工改判', en: 'override' },
  objection: { zh: '异议', en: 'objection' },
};

async function readMarks(store: EventStore, projectId: string, userId: string, ids: string[]): Promise<Set<string>> {
  return ids.length ? store.readNotificationIds(projectId, userId, ids) : new Set();
}

/** Marks reminders read for the user (repeats are harmless); returns how many were new. */
export async function markRead(store: EventStore, projectId: string, userId: string, ids: readonly string[], readAt: number): Promise<number> {
  const unique = [...new Set(ids)];
  return unique.length ? store.markNotificationsRead(projectId, userId, unique, new Date(readAt).toISOString()) : 0;
}
