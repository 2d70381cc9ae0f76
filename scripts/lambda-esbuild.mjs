// The esbuild settings every Lambda bundle uses, shared with the bench's baselines (bench/baselines)
// so a cold-start ratio compares like with like.
export const LAMBDA_TARGET = 'node24';

export const EXTERNAL = [
  // Nest imports these only when an app uses microservices or websockets (we use neither); esbuild
  // cannot resolve them because they are not installed.
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/websockets',
  '@nestjs/websockets/*',
];

// One entry (dist/...js, the tsc output) into <outdir>/index.mjs. The AWS SDK is bundled, not
// taken from the runtime: one bundled, tree-shaken copy loads faster than the runtime's many files
// (ADR 0020). Code reached only through import() (Stripe, SSM, SNS) lands in chunks/ and is read
// only when called.
// class-validator imports libphonenumber-js/max for IsPhoneNumber (which we never use); we parse
// phones with the default ("min") metadata (ADR 0004). One metadata set: /max resolves to it.
const onePhoneMetadata = {
  name: 'one-phone-metadata',
  setup(build) {
    build.onResolve({ filter: /^libphonenumber-js\/max$/ }, (args) =>
      build.resolve('libphonenumber-js', { kind: args.kind, resolveDir: args.resolveDir }),
    );
  },
};

// Nest's ValidationPipe loads its packages with import('class-validator') unless it is handed
// them (validatorPackage / transformerPackage). A whole namespace cannot be tree-shaken, and a
// module that the start path and an import() both reach lands in the start path: every decorator,
// the CommonJS `validator` package (IsStrongPassword) and libphonenumber (IsPhoneNumber) would be
// read at cold start. Our pipe (src/api/validation.pipe.ts) hands the pipe the functions it calls,
// so those import()s are never run; they resolve to a module that fails loudly if one ever is
// (Nest then logs "The "class-validator" package is missing" and exits).
const PIPE_PACKAGES = /^class-(validator|transformer)$/;
const pipePackagesHandedIn = {
  name: 'validation-pipe-packages-handed-in',
  setup(build) {
    build.onResolve({ filter: PIPE_PACKAGES }, (args) =>
      args.kind === 'dynamic-import' && /[\\/]@nestjs[\\/]common[\\/]pipes[\\/]validation\.pipe\.js$/.test(args.importer)
        ? { path: args.path, namespace: 'pipe-package-handed-in' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'pipe-package-handed-in' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled for ValidationPipe's import(): pass it as validatorPackage / transformerPackage (src/api/validation.pipe.ts)`)});`,
      loader: 'js',
    }));
  },
};

export function lambdaBuildOptions(entry, outdir) {
  return {
    plugins: [onePhoneMetadata, pipePackagesHandedIn],
    entryPoints: { index: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    target: LAMBDA_TARGET,
    format: 'esm',
    // ESM builds first: they tree-shake (class-validator's ESM build drops IsPhoneNumber and with it
    // libphonenumber's second, "max" metadata set; the SDK drops what we do not call).
    mainFields: ['es2015', 'module', 'main'],
    minify: true,
    // Nest and class-validator look classes up by name.
    keepNames: true,
    external: EXTERNAL,
    // CommonJS dependencies bundled into ESM still call require() (for Node built-ins).
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'warning',
  };
}

// Bytes of one bundle: what its entry reads at start (itself and its static imports, transitively)
// and everything in it, the chunks reached only through import() included.
export function bundleSizes(metafile, entryFile) {
  const outputs = metafile.outputs;
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file) || !outputs[file]) return;
    seen.add(file);
    for (const imported of outputs[file].imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entryFile);
  const code = Object.keys(outputs).filter((file) => file.endsWith('.mjs'));
  const bytes = (files) => files.reduce((sum, file) => sum + outputs[file].bytes, 0);
  return { startup: bytes([...seen]), total: bytes(code) };
}
