import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { describe, expect, it, vi } from 'vitest';
import { build } from 'esbuild';
import { handlerEsbuildOptions, HandlerFunction } from '../../../infra/constructs/handler-function.ts';
import { routeHandlers } from '../../../infra/definitions/routes.ts';
import { httpApiWithoutPosts } from '../../../functions/shared/http-api-without-posts.ts';

// Bundling a function with esbuild (as `cdk synth` does) takes a few seconds on a shared machine.
vi.setConfig({ testTimeout: 120_000 });

const projectRoot = path.resolve(import.meta.dirname, '../../..');

/** The bundle the stack makes of one handler module: a stack with bundling on, synthesized, its asset read back. */
function bundleOf(handler: string): string {
  const app = new App({ outdir: path.join(projectRoot, 'cdk.out', `test-bundling-${handler.replace('/', '-')}`) });
  const stack = new Stack(app, 'Bundling');
  new HandlerFunction(stack, 'Fn', {
    handler,
    entry: path.join(projectRoot, 'functions', 'handlers', `${handler}.ts`),
    projectRoot,
    environment: {},
    timeout: Duration.seconds(10),
  });
  const assembly = app.synth();
  const asset = readdirSync(assembly.directory).find(
    (name) => name.startsWith('asset.') && statSync(path.join(assembly.directory, name)).isDirectory(),
  );
  if (!asset) throw new Error('no bundled asset');
  return readFileSync(path.join(assembly.directory, asset, 'index.mjs'), 'utf8');
}

describe('the Lambda bundles the stack makes', () => {
  it('take credentials from the environment only: no default chain (SSO, profiles, STS) in a bundle', () => {
    const bundle = bundleOf('api/invoice-documents');
    expect(bundle).toContain('@aws-sdk/credential-provider-env - fromEnv');
    expect(bundle).not.toContain('defaultProvider::fromSSO');
    expect(bundle).not.toContain('credential-provider-ini');
    // The document reads: no POST route, so no Powertools idempotency; under the 500 KB of a function people wait for.
    expect(bundle).not.toContain('IdempotencyPersistenceLayerError');
    // It reads the archive with one signed GET (adapters/s3/archive-reader.ts), not through the S3 client.
    expect(bundle).not.toContain('"AmazonS3"');
    expect(bundle).not.toContain('GetObjectCommand');
    expect(Buffer.byteLength(bundle)).toBeLessThanOrEqual(500 * 1024);
  });

  it('the settings (no POST route) leave Powertools idempotency out', () => {
    expect(bundleOf('api/settings')).not.toContain('IdempotencyPersistenceLayerError');
  });

  it("every function behind a button or a page (the API) is at most 500 KB minified, with the stack's options", async () => {
    const options = handlerEsbuildOptions(projectRoot);
    const sizes: Record<string, number> = {};
    for (const handler of routeHandlers()) {
      const result = await build({
        ...options,
        mainFields: [...options.mainFields],
        entryPoints: [path.join(projectRoot, 'functions', 'handlers', `${handler}.ts`)],
        outfile: path.join(projectRoot, 'cdk.out', 'test-bundling-sizes', `${handler}.mjs`),
        write: false,
        logLevel: 'warning',
        absWorkingDir: projectRoot,
      });
      const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
      sizes[handler] = Math.round((code?.contents.byteLength ?? Number.POSITIVE_INFINITY) / 1024);
    }
    const over = Object.entries(sizes).filter(([, kb]) => kb > 500);
    expect(over, JSON.stringify(sizes)).toEqual([]);
  });

  it('a module without POST routes cannot declare one (it would run without its Idempotency-Key)', () => {
    const noop = async () => ({ status: 204 });
    expect(() => httpApiWithoutPosts({ operations: {}, schemas: {} }, { 'GET /a': noop, 'POST /a': noop })).toThrow(
      /POST \/a need httpApi/,
    );
    expect(() =>
      httpApiWithoutPosts({ operations: {}, schemas: {} }, { 'GET /a': noop, 'PATCH /a': noop }),
    ).not.toThrow();
  });
});
