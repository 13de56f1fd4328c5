// `npm start` (prestart): build the web app when web/dist is missing, so a
// fresh checkout serves the office at / without a separate step.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const index = fileURLToPath(new URL('./dist/index.html', import.meta.url));
if (!existsSync(index)) {
  process.stderr.write('guishu: building the web app (web/dist)…\n');
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:web'], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
