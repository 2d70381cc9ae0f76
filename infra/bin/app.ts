import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { environmentNamed } from '../config/environments.js';
import { applyNagSuppressions } from '../lib/nag-suppressions.js';
import { PaymentsStack } from '../lib/payments-stack.js';

// cdk synth|diff|deploy -c env=dev|prod
const app = new App();
const environment = environmentNamed(app.node.tryGetContext('env') as string | undefined);
const stack = new PaymentsStack(app, `Payments-${environment.name}`, {
  environment,
  env: { account: environment.account, region: environment.region },
  description: `TKH payments service (${environment.name})`,
});
applyNagSuppressions(stack);
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
app.synth();
