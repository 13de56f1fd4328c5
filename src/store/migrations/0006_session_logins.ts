// One sign-in issues two credentials: the browser's cookie session and a
// bearer token for API clients. `login_id` ties them together, so signing out
// (either of them) ends both (src/auth/accounts.ts). Rows from before this
// migration have none and are revoked one by one, as before.
import type { Migration } from './types.js';

export const m0006_session_logins: Migration = {
  version: 6,
  name: 'session_logins',
  async up(db) {
    await db.schema.alterTable('sessions').addColumn('login_id', 'text').execute();
    await db.schema.createIndex('sessions_login_idx').on('sessions').columns(['project_id', 'login_id']).execute();
  },
};
