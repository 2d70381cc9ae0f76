import { App } from 'aws-cdk-lib';
import { environmentNamed } from '../config/environments.js';
import { addPaymentsStack } from '../lib/payments-app.js';

// cdk synth|diff|deploy -c env=dev|prod (npm run cdk:synth, cdk:deploy:dev, cdk:deploy:prod)
const app = new App();
addPaymentsStack(app, environmentNamed(app.node.tryGetContext('env') as string | undefined), { verboseNag: true });
app.synth();
