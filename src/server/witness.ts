// Signed chain heads over HTTP (docs/verify.md): the server's public key, and
// each project's event-log and audit-log heads signed with it, for the
// controller's `guishu witness` and the printed day register.
//
//   GET /api/keys                                  public: the signing key(s), PEM + key id
//   GET /api/projects/:project/head                manager, controller: the signed heads now
//       ?seq=N        the event log's prefix ending at N (a witness checks an earlier head is still there)
//       ?auditSeq=N   the same for the audit log
//       ?day=YYYY-MM-DD  the event log's closing head of that local day (the register's last line)
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../app/errors.ts';
import type { GuishuApp } from '../app/office.ts';
import { HeadError, signedHeads } from '../ops/heads.ts';
import { loadSigner, type Signer, type SigningOptions } from '../ops/signing.ts';
import type { EventStore } from '../store/index.js';
import type { SignedHeads } from '../shared/api-answers.ts';
import { projectParam } from './schemas.ts';
import { configFromEnv } from '../config.ts';

declare module './index.ts' {
  interface ServerOptions {
    /** Where the head-signing key is (GUISHU_SIGNING_KEY, GUISHU_DATA); default from the environment. */
    signing?: SigningOptions;
  }
}

export interface WitnessOptions {
  app: GuishuApp;
  store: EventStore;
  signing?: SigningOptions;
}

const seqParam = z.coerce.number().int().min(0).max(2 ** 31 - 1);

/**
 * The signer of this process. Given signing options (`guishu start`), the key
 * is loaded — or created — now, so a bad GUISHU_SIGNING_KEY stops the start;
 * without them (tests, embedders) from the environment on first use.
 */
function signerOf(opts: SigningOptions | undefined): () => Signer {
  const load = () => {
    const env = opts ? undefined : configFromEnv();
    return loadSigner({ key: opts?.key ?? env?.signingKey, dataDir: opts?.dataDir ?? env?.dataDir ?? './data', create: true })!;
  };
  let signer: Signer | undefined = opts ? load() : undefined;
  return () => (signer ??= load());
}

export function registerWitness(fastify: FastifyInstance, opts: WitnessOptions): void {
  const signer = signerOf(opts.signing);
  const r = fastify.withTypeProvider<ZodTypeProvider>();
  r.get('/api/keys', { config: { public: true }, schema: { tags: ['system'], summary: 'The public key(s) the server signs chain heads with (Ed25519, SPKI PEM) and their key ids' } }, async () => {
    const s = signer();
    return { keys: [{ keyId: s.keyId, algorithm: s.algorithm, publicKeyPem: s.publicKeyPem }] };
  });
  r.get('/api/projects/:project/head', {
    config: { roles: ['manager', 'controller'] },
    schema: {
      tags: ['projects'],
      summary: 'The signed heads of the project’s event log and audit log (seq, hash, signedAt, keyId, Ed25519 signature); ?day= the closing head of a local day, ?seq= / ?auditSeq= an earlier prefix',
      params: z.object({ project: projectParam }),
      querystring: z.object({
        day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD').optional(),
        seq: seqParam.optional(),
        auditSeq: seqParam.optional(),
      }),
    },
  }, async (request): Promise<SignedHeads> => {
    const { project } = request.params;
    const q = request.query;
    if (q.day !== undefined && q.seq !== undefined) throw new InvalidInputError('seq', 'give either day or seq', 'day-and-seq');
    try {
      return await signedHeads(opts.store, signer(), project, { day: q.day, seq: q.seq, auditSeq: q.auditSeq, now: new Date(opts.app.now()) });
    } catch (e) {
      if (e instanceof HeadError) {
        if (e.code === 'bad-day') throw new InvalidInputError('day', e.message, 'bad-day');
        throw new NotFoundError(e.code, e.message, e.code === 'seq-beyond-head' ? 'seq' : 'project');
      }
      throw e;
    }
  });
}
