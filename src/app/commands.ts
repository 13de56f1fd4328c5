// One function per command of the office, each a thin use case over
// `recordEvent` (fetch → decide → append in one transaction, retried on a
// lost race). `at` defaults to the server clock; `id` to a server-assigned one
// (a client-given id is an idempotency key).
import type { EventOf, EventType } from '../domain/events.ts';
import type { ActingContext, GuishuApp, RecordResult } from './office.ts';

export type CommandInput<T extends EventType> = Omit<EventOf<T>, 'type' | 'id' | 'at'> & { id?: string; at?: number };
type Command<T extends EventType> = (app: GuishuApp, projectId: string, input: CommandInput<T>, ctx?: ActingContext) => Promise<RecordResult>;

function command<T extends EventType>(type: T): Command<T> {
  return (app, projectId, input, ctx) => app.recordEvent(projectId, { ...input, type } as never, ctx);
}

export const registerCall = command('call');
export const registerVisit = command('visit');
export const registerOutreach = command('outreach');
export const fileReport = command('report');
export const registerReferral = command('referral');
export const registerRelation = command('relation');
export const registerStaffRelation = command('staff-relation');
export const recognizeCustomer = command('recognize');
export const logFollowUp = command('followup');
export const recordDeal = command('deal');
export const fileComplaint = command('complaint');
export const markNoContact = command('no-contact');
export const recordLeave = command('leave');
export const startCampaign = command('campaign');
export const recordRuling = command('ruling');
export const correctEvent = command('correction');
export const setRoster = command('duty');
export const setStatus = command('status');
export const addStaff = command('staff');
/** A new policy version; `effectiveAt` (epoch ms) defaults to `at`. */
export const changePolicy = command('policy');
