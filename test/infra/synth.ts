import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { App, Aspects } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENVIRONMENTS, type EnvironmentName } from '../../infra/config/environments.js';
import { applyNagSuppressions } from '../../infra/lib/nag-suppressions.js';
import { PaymentsStack } from '../../infra/lib/payments-stack.js';

// The Lambda assets must exist before synthesis; bundle once per test run.
export function ensureBundles(): void {
  if (!existsSync('dist-lambda/api/index.mjs')) execFileSync(process.execPath, ['scripts/bundle-lambdas.mjs'], { stdio: 'pipe' });
}

export function synthesize(name: EnvironmentName) {
  ensureBundles();
  const app = new App({ context: { env: name } });
  const environment = ENVIRONMENTS[name];
  const stack = new PaymentsStack(app, `Payments-${name}`, { environment, env: { account: environment.account, region: environment.region } });
  applyNagSuppressions(stack);
  Aspects.of(app).add(new AwsSolutionsChecks());
  return { stack, template: Template.fromStack(stack) };
}
