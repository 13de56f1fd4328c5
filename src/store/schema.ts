import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Kysely table types, shared by both databases. Only TEXT and INTEGER columns
 * are used so a value reads back with the same JS type on SQLite and
 * PostgreSQL: timestamps are ISO-8601 UTC strings (`2025-01-02T03:04:05.000Z`,
 * they sort lexicographically), JSON columns are JSON text (parse on read).
 * Every primary key leads with project_id: one project is one tenant/stream.
 */

/** JSON held as text. The alias documents intent; the value is a string. */
export type JsonText = string;
/** ISO-8601 UTC timestamp with milliseconds and `Z`. */
export type IsoTime = string;

export interface ProjectsTable {
  project_id: string;
  name: string;
  timezone: ColumnType<string, string | undefined, string>;
  created_at: IsoTime;
  /** Optimistic-concurrency version: the seq of the last event, 0 when empty. */
  head_seq: ColumnType<number, number | undefined, number>;
  /** hash of the last event, GENESIS_HASH when empty. */
  head_hash: ColumnType<string, string | undefined, string>;
}

export interface EventsTable {
  project_id: string;
  seq: number;
  event_id: string;
  type: string;
  at: IsoTime;
  recorded_at: IsoTime;
  recorded_by: string | null;
  payload: JsonText;
  /** JSON {salt, data} or null (none, or erased). */
  personal: JsonText | null;
  personal_digest: string | null;
  status: 'accepted' | 'rejected';
  rejection_code: string | null;
  prev_hash: string;
  hash: string;
}

export interface CustomersTable {
  project_id: string;
  phone: string;
  name: string | null;
  owner: string | null;
  status: string;
  protected_until: IsoTime | null;
  basis_clause: string | null;
  /** JSON array of the event ids/seqs the ruling rests on. */
  basis_events: ColumnType<JsonText, JsonText | undefined, JsonText>;
  updated_seq: number;
}

export interface RotationTable {
  project_id: string;
  state: JsonText;
  updated_seq: number;
}

export interface ReportsTable {
  project_id: string;
  report_id: string;
  /** Full phone or a masked one like 138****8888 (see report_masks). */
  phone_or_mask: string;
  agent: string;
  status: string;
  expires_at: IsoTime | null;
  updated_seq: number;
}

export interface ReportMasksTable {
  project_id: string;
  /** `prefix|hiddenCount|suffix`, e.g. `138|3|88888`; see masks.ts. */
  mask_key: string;
  report_id: string;
}

/**
 * The mask shapes present in a project's report_masks (migration 3): `masks`
 * rows of report_masks have the key shape (prefix_len, hidden). Kept by
 * triggers on report_masks; never written by the app. See masks.ts.
 */
export interface ReportMaskShapesTable {
  project_id: string;
  prefix_len: number;
  hidden: number;
  masks: number;
}

export interface DealsTable {
  project_id: string;
  deal_id: string;
  customers: JsonText;
  unit: string | null;
  stage: string;
  performance: JsonText | null;
  commission: JsonText | null;
  basis: JsonText | null;
  updated_seq: number;
}

export interface UnitsTable {
  project_id: string;
  unit: string;
  deal_id: string | null;
}

export interface AlertsTable {
  project_id: string;
  alert_id: string;
  kind: string;
  customer: string | null;
  due_at: IsoTime | null;
  payload: ColumnType<JsonText, JsonText | undefined, JsonText>;
}

export interface PoliciesTable {
  project_id: string;
  version: number;
  effective_at: IsoTime;
  preset: string | null;
  /** The rule set (JSON). `set` is an SQL keyword; Kysely always quotes it. */
  set: JsonText;
  created_at: IsoTime;
}

export interface StaffTable {
  project_id: string;
  staff_id: string;
  name: string;
  team: string | null;
  role: string | null;
  agency: string | null;
  left_at: IsoTime | null;
}

/** Accounts (migration 2): group-wide rows live under project_id '*'. */
export interface UsersTable {
  project_id: string;
  user_id: string;
  username: string;
  display_name: string | null;
  password_hash: string;
  is_admin: ColumnType<number, number | undefined, number>;
  disabled_at: IsoTime | null;
  created_at: IsoTime;
  created_by: string | null;
}

export interface UserRolesTable {
  project_id: string;
  user_id: string;
  role: string;
  staff_id: string | null;
  agency: string | null;
  granted_by: string | null;
  granted_at: IsoTime;
}

export interface SessionsTable {
  project_id: string;
  /** sha256 of the token: the token itself is never stored. */
  token_hash: string;
  user_id: string;
  kind: 'cookie' | 'bearer';
  csrf: string | null;
  created_at: IsoTime;
  expires_at: IsoTime;
  idle_until: IsoTime;
  /** The sign-in that issued it: a cookie session and its bearer token share one (null before migration 6). */
  login_id: string | null;
}

export interface LoginFailuresTable {
  project_id: string;
  username: string;
  failures: number;
  locked_until: IsoTime | null;
  last_at: IsoTime;
}

export interface SettingsTable {
  project_id: string;
  key: string;
  value: string;
}

export interface GrantsTable {
  project_id: string;
  grant_id: string;
  user_id: string;
  scope: string;
  valid_from: IsoTime;
  valid_until: IsoTime;
  reason: string;
  granted_by: string;
  created_at: IsoTime;
  revoked_at: IsoTime | null;
}

export interface AuditLogTable {
  project_id: string;
  seq: number;
  at: IsoTime;
  user_id: string | null;
  action: string;
  subject: string | null;
  subject_key: string | null;
  route: string | null;
  reason: string | null;
  detail: JsonText;
  prev_hash: string;
  hash: string;
}

export interface ErasuresTable {
  project_id: string;
  seq: number;
  personal: JsonText;
  erased_at: IsoTime;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: IsoTime;
}

/** The engine's cache after the event at `seq`, serialised by the app (see migrations 4 and 8): the header; the parts are in checkpoint_parts. Binary `body`: with checkpoint_parts.body, the non-TEXT/INTEGER columns. */
export interface CheckpointsTable {
  project_id: string;
  seq: number;
  head_hash: string;
  /** The engine code that wrote it; another engine ignores it. */
  fingerprint: string;
  /** The app's header: what the parts are (their lengths and checksums). */
  body: Uint8Array;
  created_at: IsoTime;
}

/** The parts of a project's checkpoint, numbered from 0 (migration 8); replaced with its header row, in one transaction. */
export interface CheckpointPartsTable {
  project_id: string;
  part: number;
  body: Uint8Array;
}

/** What a user has read of their reminders (src/app/notifications.ts; migration 7). */
export interface NotificationReadsTable {
  project_id: string;
  user_id: string;
  notification_id: string;
  read_at: IsoTime;
}

export interface Database {
  projects: ProjectsTable;
  events: EventsTable;
  customers: CustomersTable;
  rotation: RotationTable;
  reports: ReportsTable;
  report_masks: ReportMasksTable;
  report_mask_shapes: ReportMaskShapesTable;
  deals: DealsTable;
  units: UnitsTable;
  alerts: AlertsTable;
  policies: PoliciesTable;
  staff: StaffTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  settings: SettingsTable;
  grants: GrantsTable;
  audit_log: AuditLogTable;
  erasures: ErasuresTable;
  checkpoints: CheckpointsTable;
  checkpoint_parts: CheckpointPartsTable;
  notification_reads: NotificationReadsTable;
  schema_migrations: SchemaMigrationsTable;
}

/** Tables that hold project data (all but the migration ledger). */
export const PROJECT_TABLES = [
  'projects', 'events', 'customers', 'rotation', 'reports', 'report_masks', 'report_mask_shapes',
  'deals', 'units', 'alerts', 'policies', 'staff',
  'users', 'user_roles', 'sessions', 'login_failures', 'settings', 'grants', 'audit_log', 'erasures', 'checkpoints', 'checkpoint_parts', 'notification_reads',
] as const satisfies readonly (keyof Database)[];

export type ProjectRow = Selectable<ProjectsTable>;
export type EventRow = Selectable<EventsTable>;
export type NewEventRow = Insertable<EventsTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type CustomerUpdate = Updateable<CustomersTable>;
