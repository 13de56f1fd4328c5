// The request bodies the web app sends, as the server's own zod schemas take
// them (src/server/schemas.ts, their input types). Type-only: nothing of the
// server reaches the bundle, and a schema the screens no longer fit fails the
// typecheck.
import type { z } from 'zod';
import type {
  cancelBody, claimBody, confirmBody, correctBody, HttpEventInput, judgeBody, policyBody, proposal, ratesBody, readBody, rosterBody, stageBody, staffBody, statusBody,
  whatifBody,
} from '../../../src/server/schemas.ts';

/** POST /events: an office event, `id` and `at` optional, times as ISO text, local "YYYY-MM-DD HH:mm" or epoch ms. */
export type HttpEventBody = HttpEventInput;
/** The body of one event type, e.g. `EventBody<'followup'>`. */
export type EventBody<T extends HttpEventBody['type']> = Extract<HttpEventBody, { type: T }>;
export type JudgeBody = z.input<typeof judgeBody>;
export type WhatIfBody = z.input<typeof whatifBody>;
export type PolicyBody = z.input<typeof policyBody>;
export type StatusBody = z.input<typeof statusBody>;
export type RosterBody = z.input<typeof rosterBody>;
export type AddStaffBody = z.input<typeof staffBody>;

/** POST /deals/preview and /deals. */
export type DealProposal = z.input<typeof proposal>;
export type StageBody = z.input<typeof stageBody>;
export type CancelBody = z.input<typeof cancelBody>;
export type ConfirmBody = z.input<typeof confirmBody>;
export type CorrectBody = z.input<typeof correctBody>;
export type RatesBody = z.input<typeof ratesBody>;

export type ClaimBody = z.input<typeof claimBody>;
export type ReadBody = z.input<typeof readBody>;
