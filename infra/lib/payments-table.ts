import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { INDEXES, TTL_ATTRIBUTE } from '../../src/storage/table-schema.js';
import type { PaymentsEnvironment } from '../config/environments.js';

// The one table, from the same schema constants the code uses (src/storage/table-schema.ts).
export class PaymentsTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, env: PaymentsEnvironment) {
    super(scope, id);
    const s = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new Table(this, 'Table', {
      partitionKey: s('pk'),
      sortKey: s('sk'),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // NEW_IMAGE feeds the outbox relay.
      stream: StreamViewType.NEW_IMAGE,
      deletionProtection: env.retainData,
      removalPolicy: env.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const { byGatewayTransaction: g1, byAppReference: g2, openWork: g3 } = INDEXES;
    this.table.addGlobalSecondaryIndex({ indexName: g1.name, partitionKey: s(g1.partitionKey) });
    this.table.addGlobalSecondaryIndex({ indexName: g2.name, partitionKey: s(g2.partitionKey), sortKey: s(g2.sortKey) });
    this.table.addGlobalSecondaryIndex({ indexName: g3.name, partitionKey: s(g3.partitionKey), sortKey: s(g3.sortKey) });
  }
}
