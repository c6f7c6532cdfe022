import { createFactuurApp } from './factuur-app.ts';

// `cdk synth` / `cdk deploy` run this (cdk.json). The App synthesizes into cdk.out when the process exits.
createFactuurApp();
