// What a decision changes, as data: `decide` returns these, `evolve` applies
// them, `explain` tells them. Each decision carries its basis.
import type { StaffMember, Presence, MakeUp, Contact, Ownership, Helper, CoClaim, Customer, Report, Deal, Alert, Basis, Objection, SettingsVersion } from './state.ts';
import type { TurnTaken } from './rotation.ts';
import type { RelationKind } from '../events.ts';
import type { Policy } from '../policy/schema.ts';
import type { Share } from '../shares.ts';

export type Change =
  | { kind: 'staff'; member: StaffMember }
  | { kind: 'policy'; policy: Policy }
  | { kind: 'roster'; order: string[]; pointer: number; day: number; eventId: string; basis: Basis }
  | { kind: 'presence'; staff: string; presence: Presence }
  | { kind: 'turn'; turn: TurnTaken; at: number; basis: Basis }
  | { kind: 'make-up'; staff: string; makeUp: MakeUp }
  | { kind: 'reception'; staff: string; at: number; day: number; ownCustomer: boolean; phone: string }
  | { kind: 'customer'; phone: string; name?: string }
  | { kind: 'contact'; phone: string; contact: Contact; receiver?: string }
  | { kind: 'ownership'; phone: string; ownership: Ownership }
  | { kind: 'renew'; phone: string; day: number; callback: boolean }
  | { kind: 'helper'; phone: string; helper: Helper }
  | { kind: 'co-claim'; phone: string; claim: CoClaim }
  | { kind: 'objection'; phone: string; objection: Objection }
  | { kind: 'referral'; phone: string; referral: NonNullable<Customer['referral']> }
  | { kind: 'relation'; a: string; b: string; relation: RelationKind; at: number; eventId: string }
  | { kind: 'party'; phones: string[]; at: number; eventId: string }
  | { kind: 'staff-relation'; phone: string; staff: string; relation: 'relative' | 'friend'; at: number; eventId: string }
  | { kind: 'recognition'; phone: string; staff: string; at: number; day: number; eventId: string }
  | { kind: 'call'; phone: string; call: NonNullable<Customer['calls']>[number] }
  | { kind: 'complaint'; phone: string; complaint: NonNullable<Customer['complaint']> }
  | { kind: 'no-contact'; phone: string; until: number | null; untilDay?: number }
  | { kind: 'report'; report: Report; failures: number; publicLead?: Basis }
  | { kind: 'report-converted'; reportId: string; eventId: string; phone: string; at: number; basis: Basis }
  | { kind: 'deal'; deal: Deal }
  | { kind: 'deal-ruling'; dealId: string; performance?: Map<string, Share>; commission?: Map<string, Share>; basis: Basis }
  | { kind: 'campaign'; from: number; until: number; eventId: string }
  | { kind: 'left'; staff: string; at: number }
  | { kind: 'alert'; alert: Alert }
  | { kind: 'settings'; settings: SettingsVersion };
