// `guishu` subcommands that work on the store: the same GUISHU_DATA /
// DATABASE_URL as the server.
import { openStore, storeConfigFromEnv } from '../store/index.ts';

async function verify(write: (line: string) => void): Promise<number> {
  const store = await openStore(storeConfigFromEnv());
  try {
    let broken = 0;
    for (const project of await store.listProjects()) {
      const result = await store.verifyChain(project.projectId);
      if (result.ok) {
        write(`✓ ${project.projectId}: ${result.count} events, head ${result.head.seq} ${result.head.hash.slice(0, 12)}`);
      } else {
        broken++;
        write(`✗ ${project.projectId}: broken at seq ${result.seq} (${result.reason}): expected ${result.expected}, found ${result.found}`);
      }
    }
    // The audit log (src/auth/audit.ts): one hash chain per project, and '*' for group-wide acts.
    const { verifyAllAudit } = await import('../auth/audit.ts');
    for (const [id, r] of await verifyAllAudit(store.db)) {
      if (r.ok) write(`✓ audit ${id}: ${r.count} entries`);
      else {
        broken++;
        write(`✗ audit ${id}: broken at seq ${r.seq} (${r.reason}): expected ${r.expected}, found ${r.found}`);
      }
    }
    return broken === 0 ? 0 : 1;
  } finally {
    await store.close();
  }
}

/** Runs a store subcommand; undefined when the command is not one of these. */
export async function runStoreCommand(command: string, _args: string[], write: (line: string) => void): Promise<number | undefined> {
  switch (command) {
    case 'verify':
      return verify(write);
    default:
      return undefined;
  }
}
