import { type Duration, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PaymentsEnvironment } from '../config/environments.js';

export interface ServiceFunctionProps {
  // dist-lambda/<bundle>/index.mjs, built by scripts/bundle-lambdas.mjs from the tsc output.
  bundle: 'api' | 'outbox-relay' | 'reconcile' | 'auto-disburse';
  description: string;
  memoryMb: number;
  timeout: Duration;
  environment: Record<string, string>;
  deadLetterQueue?: IQueue;
}

// Node 22 on arm64, bundled JS, its own log group, and read access to exactly its SSM path.
export class ServiceFunction extends Construct {
  readonly fn: LambdaFunction;

  constructor(scope: Construct, id: string, env: PaymentsEnvironment, props: ServiceFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: env.logRetention });
    this.fn = new LambdaFunction(this, 'Function', {
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromAsset(`dist-lambda/${props.bundle}`),
      description: props.description,
      memorySize: props.memoryMb,
      timeout: props.timeout,
      logGroup,
      tracing: Tracing.ACTIVE,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        NODE_ENV: 'production',
        NODE_OPTIONS: '--enable-source-maps',
        AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
        SSM_PARAMETER_PATH: ssmPath(env),
        ...props.environment,
      },
    });
    const { account, region } = Stack.of(this);
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ssm:GetParametersByPath'],
        resources: [`arn:aws:ssm:${region}:${account}:parameter${ssmPath(env).replace(/\/$/, '')}`],
      }),
    );
    // SecureStrings use the AWS-managed SSM key; allow decrypting only through SSM.
    this.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['kms:Decrypt'],
        resources: [`arn:aws:kms:${region}:${account}:key/*`],
        conditions: { StringEquals: { 'kms:ViaService': `ssm.${region}.amazonaws.com` } },
      }),
    );
  }
}

export const ssmPath = (env: PaymentsEnvironment) => `/payments/${env.name}/`;
