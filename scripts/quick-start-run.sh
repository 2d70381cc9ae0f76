#!/usr/bin/env bash
# From nothing to a paid mock intent and a handled event, as a new product team would do it
# (docs/sdk-quick-start.md): pack the SDK, install it into an empty backend, start the service
# with `npm start`, and run a backend that uses only the SDK. Prints what happened; exits non-zero
# if any step fails. Needs Java 17+ (DynamoDB Local) and the npm registry for the install.
#
#   bash scripts/quick-start-run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
SERVICE_PORT=${SERVICE_PORT:-3302}
LISTENER_PORT=${LISTENER_PORT:-4300}
# The service runs in its own process group: stopping it stops node and DynamoDB Local too.
trap '[ -n "${SERVICE_PID:-}" ] && kill -- -"$SERVICE_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

echo "1. build and pack the SDK"
npm run --silent build
npm pack --silent --pack-destination "$WORK" >/dev/null

echo "2. an empty backend installs it"
mkdir "$WORK/backend" && cd "$WORK/backend"
npm init -y >/dev/null && npm pkg set type=module
npm install --silent --no-audit --no-fund "$WORK"/tkh-payments-service-*.tgz
cd - >/dev/null

echo "3. start the service (npm start: development defaults, DynamoDB Local, events POSTed to the backend)"
PORT=$SERVICE_PORT LOCAL_EVENT_WEBHOOK_URL="http://127.0.0.1:$LISTENER_PORT/events" LOG_LEVEL=warn setsid npm start >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$SERVICE_PORT/health" >/dev/null 2>&1 && break
  sleep 1
done

echo "4. the backend: create a mock intent, pay it, handle payment.completed once"
cat >"$WORK/backend/backend.mjs" <<'JS'
import { createServer } from 'node:http';
import { PaymentsClient, createPaymentEventHandler, InMemoryEventStore } from 'tkh-payments-service/sdk';

const [servicePort, listenerPort] = process.argv.slice(2);
const base = `http://127.0.0.1:${servicePort}`;
const payments = new PaymentsClient({ baseUrl: `${base}/api/v1`, apiKey: 'any-key-in-development' });
const paidInvoices = [];
const handle = createPaymentEventHandler({
  appId: 'kaba',
  store: new InMemoryEventStore(),
  handlers: { 'payment.completed': (event) => void paidInvoices.push(`${event.referenceId} ${event.amount} ${event.currency}`) },
});
let received;
const delivered = new Promise((resolve) => (received = resolve));
createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', async () => {
    const { Message } = JSON.parse(body);
    // SNS delivers at least once: feed the same message twice, the handler runs once.
    const outcomes = [await handle(Message), await handle(Message)];
    res.writeHead(204).end();
    received({ type: JSON.parse(Message).type, outcomes });
  });
}).listen(Number(listenerPort), '127.0.0.1');

const intent = await payments.createIntent({
  amount: 500000, currency: 'XOF', country: 'BJ',
  metadata: { appId: 'kaba', referenceId: `invoice-${Date.now()}`, businessId: 'biz-xyz' },
  gatewayOverride: 'mock',
});
console.log(`   created ${intent.id} status=${intent.status} gateway=${intent.gateway} paymentUrl=${intent.paymentUrl}`);
const webhook = await fetch(`${base}/webhooks/mock`, {
  method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ gatewayTransactionId: intent.gatewayTransactionId, amount: intent.amount, currency: intent.currency }),
});
console.log(`   mock webhook: HTTP ${webhook.status}`);
const event = await delivered;
const paid = await payments.getIntent(intent.id);
const found = await payments.listIntents({ referenceId: intent.metadata.referenceId, appId: 'kaba' });
console.log(`   event ${event.type}: handler outcomes ${event.outcomes.join(', ')}`);
console.log(`   intent now status=${paid.status} balance=${paid.balance}; listIntents by referenceId finds ${found.items.length}`);
console.log(`   invoices marked paid: ${JSON.stringify(paidInvoices)}`);
if (paid.status !== 'succeeded' || event.outcomes.join() !== 'handled,duplicate' || paidInvoices.length !== 1 || found.items.length !== 1) process.exit(1);
process.exit(0);
JS
(cd "$WORK/backend" && timeout 60 node backend.mjs "$SERVICE_PORT" "$LISTENER_PORT")
echo "done: from nothing to a handled event with only the SDK"
