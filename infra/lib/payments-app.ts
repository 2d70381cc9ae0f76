import { type App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { PaymentsEnvironment } from '../config/environments.js';
import { applyNagSuppressions } from './nag-suppressions.js';
import { PaymentsStack } from './payments-stack.js';

// The stack for one environment, checked by cdk-nag (AwsSolutions): an unsuppressed finding is an
// error annotation, which fails `cdk synth`. Shared by infra/bin/app.ts and the infra tests.
export function addPaymentsStack(app: App, environment: PaymentsEnvironment, options: { verboseNag?: boolean } = {}): PaymentsStack {
  const stack = new PaymentsStack(app, `Payments-${environment.name}`, {
    environment,
    env: { account: environment.account, region: environment.region },
    description: `TKH payments service (${environment.name})`,
  });
  applyNagSuppressions(stack);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: options.verboseNag ?? false }));
  return stack;
}
