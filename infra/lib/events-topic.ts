import { Alias } from 'aws-cdk-lib/aws-kms';
import { AccountPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { PaymentsEnvironment } from '../config/environments.js';

// tkhtech-payment-events-<env>: encrypted, HTTPS only, subscribable from the listed accounts.
export class EventsTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, env: PaymentsEnvironment) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      topicName: `tkhtech-payment-events-${env.name}`,
      // The AWS-managed SNS key: subscribers in other accounts need no key grant to receive.
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    const malformed = env.subscriberAccountIds.filter((account) => !/^\d{12}$/.test(account));
    if (malformed.length > 0) throw new Error(`subscriberAccountIds (${env.name}): not 12-digit AWS account ids: ${malformed.join(', ')}`);
    if (env.subscriberAccountIds.length > 0) {
      this.topic.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowSubscriberAccounts',
          actions: ['sns:Subscribe'],
          principals: env.subscriberAccountIds.map((account) => new AccountPrincipal(account)),
          resources: [this.topic.topicArn],
        }),
      );
    }
  }
}
