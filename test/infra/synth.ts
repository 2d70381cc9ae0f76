import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { App, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { ENVIRONMENTS, type EnvironmentName } from '../../infra/config/environments.js';
import { addPaymentsStack } from '../../infra/lib/payments-app.js';
import type { PaymentsStack } from '../../infra/lib/payments-stack.js';
import type { LambdaBundle } from '../../infra/lib/service-function.js';

// The Lambda assets must exist before synthesis. The bundler skips the work when its inputs are
// unchanged and serializes parallel callers, so every spec may call this: one build per change.
export function ensureBundles(): void {
  execFileSync(process.execPath, ['scripts/bundle-lambdas.mjs', '--if-changed'], { stdio: 'pipe' });
}

export interface Synthesized {
  stack: PaymentsStack;
  template: Template;
}

// The stack exactly as infra/bin/app.ts builds it, cdk-nag included.
export function synthesize(name: EnvironmentName, options: { outdir?: string } = {}): Synthesized {
  ensureBundles();
  const app = new App({ context: { env: name }, outdir: options.outdir });
  const stack = addPaymentsStack(app, ENVIRONMENTS[name]);
  return { stack, template: Template.fromStack(stack) };
}

function functionResource(synth: Synthesized, bundle: LambdaBundle) {
  const logicalId = synth.stack.getLogicalId(synth.stack.functions[bundle].node.defaultChild as CfnFunction);
  return synth.template.toJSON().Resources[logicalId].Properties as {
    Code: { S3Key: string };
    Environment: { Variables: Record<string, unknown> };
  };
}

// The asset directory synthesis staged for a function (<outdir>/asset.<hash>/): what cdk deploy uploads.
export function functionAssetDir(synth: Synthesized, bundle: LambdaBundle): string {
  const hash = functionResource(synth, bundle).Code.S3Key.replace(/\.zip$/, '');
  return join(Stage.of(synth.stack)!.synth().directory, `asset.${hash}`);
}

// The function's environment as synthesized; values that are CloudFormation references (table
// name, topic ARN, API URL) come back as the token objects.
export function functionEnvironment(synth: Synthesized, bundle: LambdaBundle): Record<string, unknown> {
  return functionResource(synth, bundle).Environment.Variables;
}
