import { type Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PaymentsEnvironment } from '../config/environments.js';
import { secretNamesFor, ssmParameterPath } from '../config/secrets.js';

// The bundles scripts/bundle-lambdas.mjs writes to dist-lambda/<bundle>/index.mjs.
export type LambdaBundle = 'api' | 'outbox-relay' | 'reconcile' | 'auto-disburse';

export interface ServiceFunctionProps {
  bundle: LambdaBundle;
  description: string;
  memoryMb: number;
  timeout: Duration;
  environment: Record<string, string>;
  // Asynchronous invocations that keep failing land here.
  deadLetterQueue?: IQueue;
}

// Node 24 on arm64 (ADR 0001: the Node major the tests run on) from the bundled tsc output, its
// stage's NODE_ENV, its own log group, and read access to exactly its environment's SSM secrets.
// Table, stream and topic grants are added by the caller.
export class ServiceFunction extends Construct {
  readonly fn: LambdaFunction;

  constructor(scope: Construct, id: string, env: PaymentsEnvironment, props: ServiceFunctionProps) {
    super(scope, id);
    const ssmPath = ssmParameterPath(env);
    this.fn = new LambdaFunction(this, 'Function', {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromAsset(`dist-lambda/${props.bundle}`),
      description: props.description,
      memorySize: props.memoryMb,
      timeout: props.timeout,
      logGroup: new LogGroup(this, 'Logs', { retention: env.logRetention }),
      tracing: Tracing.ACTIVE,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        NODE_ENV: env.nodeEnv,
        PAYMENTS_STAGE: env.name,
        AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
        SSM_PARAMETER_PATH: ssmPath,
        ...props.environment,
      },
    });

    const { account, region } = Stack.of(this);
    const parameterArn = (name: string) => `arn:aws:ssm:${region}:${account}:parameter${name}`;
    const pathArn = parameterArn(ssmPath.replace(/\/$/, ''));
    // GetParametersByPath is authorized against the requested path itself (with or without its
    // trailing slash), not against the parameters it returns.
    this.fn.addToRolePolicy(
      new PolicyStatement({ sid: 'ReadSecretsPath', actions: ['ssm:GetParametersByPath'], resources: [pathArn, `${pathArn}/`] }),
    );
    this.fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadNamedSecrets',
        actions: ['ssm:GetParameter'],
        resources: secretNamesFor(env).map((name) => parameterArn(`${ssmPath}${name}`)),
      }),
    );
    // SecureStrings use the AWS-managed aws/ssm key, whose id is not known at synth time: allow
    // decrypting only through SSM and only for parameters under this path (SSM passes the
    // parameter ARN as the encryption context).
    this.fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'DecryptSecretsViaSsm',
        actions: ['kms:Decrypt'],
        resources: [`arn:aws:kms:${region}:${account}:key/*`],
        conditions: {
          StringEquals: { 'kms:ViaService': `ssm.${region}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': `${pathArn}/*` },
        },
      }),
    );
  }
}
