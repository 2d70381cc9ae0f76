import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';

// What a cold start of a bundle reads: its entry and, transitively, the chunks it imports
// statically. Chunks reached only through import() are read when that code first runs.
function startupCode(entry: string): string {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const [, path] of code.matchAll(/(?:from|import)\s*"(\.\/[^"]+\.mjs)"/g)) visit(join(dirname(file), path as string));
  };
  visit(entry);
  return [...seen].map((file) => readFileSync(file, 'utf8')).join('\n');
}

const allCode = (bundle: string) =>
  execFileSync('find', [join('dist-lambda', bundle), '-name', '*.mjs'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');

// ADR 0020: the API Lambda's cold start loads only what it needs. Class names survive minifying
// (keepNames), so they mark where each SDK went.
describe('what each Lambda bundle reads at a cold start', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/bundle-lambdas.mjs', '--if-changed'], { stdio: 'pipe' });
  }, 180_000);

  it('api: the DynamoDB client bundled and read at start; SNS, SSM and Stripe only through import()', () => {
    const startup = startupCode(join('dist-lambda', 'api', 'index.mjs'));
    expect(startup).toContain('"PutItemCommand"');
    for (const lazy of ['"PublishCommand"', '"GetParametersByPathCommand"', 'StripeError:']) {
      expect(startup).not.toContain(lazy);
      expect(allCode('api')).toContain(lazy);
    }
  });

  it('api: creating an intent is all the start path carries; gateway adapters and the other use cases only through import()', () => {
    // ADR 0020 (third pass): class names survive minifying (keepNames).
    const startup = startupCode(join('dist-lambda', 'api', 'index.mjs'));
    expect(startup).toContain('"CreateIntentService"');
    const lazy = ['"StripeGateway"', '"KkiapayGateway"', '"MomoGateway"', '"PaystackGateway"', '"TkhGateway"', '"MockGateway"', '"MoovDisbursementProvider"', '"HandleWebhookService"', '"RefundIntentService"', '"DisburseService"', '"OpsService"', '"WebhookDeliveryService"'];
    for (const name of lazy) {
      expect(startup).not.toContain(name);
      expect(allCode('api')).toContain(name);
    }
  });

  it('api: one phone-metadata set (class-validator\'s "max" import resolves to the default one)', () => {
    // Each metadata set carries its own table of countries.
    expect(allCode('api').match(/countries:\{AC:/g)).toHaveLength(1);
  });

  it('api: class-validator without its whole namespace (no `validator` package in bulk, no IsPhoneNumber); the OpenAPI document only through import()', () => {
    // ADR 0020: ValidationPipe is handed class-validator's functions, so only the decorators we
    // use are bundled. Messages are string literals: they survive minifying.
    const all = allCode('api');
    for (const unused of ['is not strong enough', 'must be a valid phone number', 'must be a credit card']) expect(all).not.toContain(unused);
    const marker = 'One payments API for every TKH product backend';
    expect(startupCode(join('dist-lambda', 'api', 'index.mjs'))).not.toContain(marker);
    expect(all).toContain(marker);
  });

  it('the handler Lambdas carry no Nest', () => {
    for (const bundle of ['outbox-relay', 'reconcile', 'auto-disburse']) expect(allCode(bundle)).not.toContain('"NestFactory"');
  });

  it('the stream relay carries no gateway adapter (its own wiring, src/handlers/relay-context.ts)', () => {
    // Paths only the adapters call: MoMo's request-to-pay, Paystack's initialize, Stripe's intents.
    const adapters = ['requesttopay', '/transaction/initialize', 'payment_intents'];
    for (const marker of adapters) {
      expect(allCode('reconcile')).toContain(marker); // the reconciler asks the gateways
      expect(allCode('outbox-relay')).not.toContain(marker);
    }
  });
});
