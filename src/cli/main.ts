// The `guishu` command: thin adapters over the domain and the app layer.
import { parseArgs } from 'node:util';
import { simulate } from './simulate.ts';

const USAGE = `guishu — 客户归属 customer attribution for sales offices

  guishu simulate PATH... [--json] [--server URL]   replay scenario files and check them
  guishu explain FILE --customer ID [--at TIME] [--lang en]
  guishu whatif FILE --policy PRESET [--set key=value ...]
  guishu generate --customers N --days D --consultants K --seed S
  guishu start                                      the office server (port 3000)
  guishu witness --server URL --token T --out FILE  fetch, check and keep the server's signed heads (the controller's copy)

  on the store (GUISHU_DATA or DATABASE_URL, as the server):
  guishu verify [--witness FILE]                    walk every hash chain (events and audit); check signed heads witnessed earlier
  guishu import-timeline FILE [--project ID]        load an NDJSON timeline through the engine
  guishu rebuild [--project ID] [--check]           recompute projections from the log
  guishu backup FILE | guishu restore FILE          portable log with checksums
  guishu import-xlsx FILE --project ID              paper registers (来访/来电登记表), all or nothing
  guishu export-xlsx --project ID --date YYYY-MM-DD the day's registers
  guishu alerts --project ID [--days 2]             protection ending soon`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const write = (line: string) => process.stdout.write(line + '\n');
  switch (command) {
    case 'simulate': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean', default: false }, server: { type: 'string' } } });
      if (positionals.length === 0) {
        process.stderr.write('guishu simulate: name at least one scenario file or folder\n');
        return 2;
      }
      const cli = values.server ? (await import('../config.ts')).cliConfigFromEnv() : undefined;
      return simulate(positionals, { json: values.json ?? false, server: values.server, cli, write });
    }
    case 'explain': {
      const { explainCommand } = await import('./explain.ts');
      return explainCommand(rest, write);
    }
    case 'whatif': {
      const { whatifCommand } = await import('./whatif.ts');
      return whatifCommand(rest, write);
    }
    case 'generate': {
      const { generateCommand } = await import('./generate.ts');
      return generateCommand(rest, write);
    }
    case 'witness': {
      const { witnessCommand } = await import('./witness.ts');
      const { cliConfigFromEnv } = await import('../config.ts');
      return witnessCommand(rest, write, undefined, cliConfigFromEnv());
    }
    case 'start': {
      const { startCommand } = await import('./start.ts');
      return startCommand(rest);
    }
    case undefined:
    case 'help':
    case '--help':
      write(USAGE);
      return 0;
    default: {
      const { runStoreCommand } = await import('./store-commands.ts').catch(() => ({ runStoreCommand: undefined }));
      if (runStoreCommand) {
        const code = await runStoreCommand(command, rest, write);
        if (code !== undefined) return code;
      }
      process.stderr.write(`guishu: unknown command "${command}"\n${USAGE}\n`);
      return 2;
    }
  }
}
