import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, type GlobalSecondaryIndexProps } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { INDEXES, TTL_ATTRIBUTE, type IndexProjection, type keys } from '../../src/storage/table-schema.js';
import type { PaymentsEnvironment } from '../config/environments.js';

// The key attributes every item builder in table-schema.ts writes; typed against it, so a
// rename there fails to compile here.
type ItemKey = keyof ReturnType<typeof keys.intent>;
export const PARTITION_KEY: ItemKey = 'pk';
export const SORT_KEY: ItemKey = 'sk';

// ADR 0023's migration of a table deployed before it: `-c legacyGsi2=true` keeps its old gsi2
// (projection ALL, no longer read) beside gsi2b for one deploy, as CloudFormation adds or drops
// only one index per update; the next deploy, without it, drops gsi2.
export const LEGACY_GSI2_CONTEXT = 'legacyGsi2';

// The one table, from the same schema constants the code (and ensure-table.ts) uses.
export class PaymentsTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, env: PaymentsEnvironment) {
    super(scope, id);
    const s = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new Table(this, 'Table', {
      partitionKey: s(PARTITION_KEY),
      sortKey: s(SORT_KEY),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // NEW_IMAGE feeds the outbox relay.
      stream: StreamViewType.NEW_IMAGE,
      deletionProtection: env.retainData,
      removalPolicy: env.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of [INDEXES.byAppReference, INDEXES.openWork]) {
      this.table.addGlobalSecondaryIndex({ indexName: index.name, partitionKey: s(index.partitionKey), sortKey: s(index.sortKey), ...projectionOf(index.projection) });
    }
    if (String(this.node.tryGetContext(LEGACY_GSI2_CONTEXT)) === 'true') {
      const { partitionKey, sortKey } = INDEXES.byAppReference;
      this.table.addGlobalSecondaryIndex({ indexName: 'gsi2', partitionKey: s(partitionKey), sortKey: s(sortKey) });
    }
  }
}

// The schema's projection as the CDK takes it.
const projectionOf = (projection: IndexProjection): Pick<GlobalSecondaryIndexProps, 'projectionType' | 'nonKeyAttributes'> => ({
  projectionType: ProjectionType[projection.type],
  ...(projection.type === 'INCLUDE' ? { nonKeyAttributes: [...projection.attributes] } : {}),
});
