import { CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import { AccessLogFormat, LambdaIntegration, LogGroupLogDestination, MethodLoggingLevel, RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { PaymentsEnvironment } from '../config/environments.js';
import { rateLimitRules } from './rate-limit-rules.js';

// REST API (stage = env name) proxying everything to the API Lambda, behind WAF rate rules.
export class PaymentsApi extends Construct {
  readonly api: RestApi;
  // https://<id>.execute-api.<region>.amazonaws.com/<stage>: built from the API id alone (not
  // from the deployment), so Lambdas behind the API can receive it without a circular reference.
  readonly publicBaseUrl: string;

  constructor(scope: Construct, id: string, env: PaymentsEnvironment, handler: IFunction) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: env.logRetention });
    this.api = new RestApi(this, 'RestApi', {
      restApiName: `payments-${env.name}`,
      description: 'TKH payments service',
      cloudWatchRole: true,
      deployOptions: {
        stageName: env.name,
        throttlingRateLimit: env.apiThrottle.rateLimit,
        throttlingBurstLimit: env.apiThrottle.burstLimit,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        tracingEnabled: true,
      },
      defaultIntegration: new LambdaIntegration(handler, { proxy: true }),
    });
    this.api.root.addMethod('ANY');
    this.api.root.addProxy({ anyMethod: true });

    const webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `payments-${env.name}-waf`, sampledRequestsEnabled: true },
      rules: rateLimitRules(env),
    });
    const { region } = Stack.of(this);
    new CfnWebACLAssociation(this, 'WebAclAssociation', {
      webAclArn: webAcl.attrArn,
      resourceArn: `arn:aws:apigateway:${region}::/restapis/${this.api.restApiId}/stages/${this.api.deploymentStage.stageName}`,
    });

    this.publicBaseUrl = Fn.join('', ['https://', this.api.restApiId, '.execute-api.', region, '.amazonaws.com/', env.name]);
    new CfnOutput(scope, 'ApiBaseUrl', { value: `${this.api.url}api/v1`, description: 'Base URL product backends call (PAYMENTS_SERVICE_URL)' });
  }
}
