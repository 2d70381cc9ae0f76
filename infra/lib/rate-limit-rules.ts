import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { PaymentsEnvironment } from '../config/environments.js';

type Rule = CfnWebACL.RuleProperty;
type Statement = CfnWebACL.StatementProperty;

const NONE = [{ priority: 0, type: 'NONE' }];
// singleHeader is untyped JSON, passed through as is: CloudFormation's own casing (Name).
const hasApiKey: Statement = {
  sizeConstraintStatement: { fieldToMatch: { singleHeader: { Name: 'x-api-key' } }, comparisonOperator: 'GT', size: 0, textTransformations: NONE },
};
// The path WAF sees on a REST API stage includes the stage: /dev/webhooks/stripe.
const isWebhook: Statement = {
  byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'CONTAINS', searchString: '/webhooks/', textTransformations: NONE },
};
const not = (statement: Statement): Statement => ({ notStatement: { statement } });

// The app's budgets (ADR 0021), enforced across Lambda instances. WAF cannot tell a valid key
// from an invented one, so the per-IP ceiling bounds what invented keys can buy; the app still
// answers them 401 and counts them per IP.
export function rateLimitRules(env: PaymentsEnvironment): Rule[] {
  const { perApiKey, perIpWithoutKey, webhooksPerIp, perIpCeiling } = env.rateLimits;
  const rule = (name: string, priority: number, rateBasedStatement: CfnWebACL.RateBasedStatementProperty): Rule => ({
    name,
    priority,
    action: { block: {} },
    statement: { rateBasedStatement: { evaluationWindowSec: 60, ...rateBasedStatement } },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `payments-${env.name}-${name}`, sampledRequestsEnabled: true },
  });
  return [
    rule('per-ip-ceiling', 0, { limit: perIpCeiling, aggregateKeyType: 'IP' }),
    rule('per-api-key', 1, {
      limit: perApiKey,
      aggregateKeyType: 'CUSTOM_KEYS',
      customKeys: [{ header: { name: 'x-api-key', textTransformations: NONE } }],
    }),
    rule('per-ip-without-key', 2, {
      limit: perIpWithoutKey,
      aggregateKeyType: 'IP',
      scopeDownStatement: { andStatement: { statements: [not(hasApiKey), not(isWebhook)] } },
    }),
    rule('webhooks-per-ip', 3, { limit: webhooksPerIp, aggregateKeyType: 'IP', scopeDownStatement: isWebhook }),
  ];
}
