#!/usr/bin/env node
// Writes libs/client-sdk/src/generated/openapi.ts from the OpenAPI spec the API serves.
//
//   npm run sdk:types                     # from ${EPHEMERA_API_URL:-http://127.0.0.1:3000}/docs-json
//   npm run sdk:types -- --url http://host:3000
//   npm run sdk:types -- --spec spec.json [--out file.ts]
//
// test/e2e/client-sdk.e2e-spec.ts runs the same generation against a freshly started API and
// fails when the committed file differs (UPDATE_SDK_TYPES=1 makes it rewrite the file instead).
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import * as prettier from 'prettier';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SDK_TYPES_PATH = join(ROOT, 'libs', 'client-sdk', 'src', 'generated', 'openapi.ts');

const HEADER = `/**
 * Generated from the API's OpenAPI spec (GET /docs-json) by libs/client-sdk/scripts/generate-types.mjs.
 * Do not edit: regenerate (see libs/client-sdk/README.md). An e2e test fails when it drifts.
 */

`;

/** The generated module's text for a spec object: openapi-typescript, then the repository's prettier style. */
export async function generateSdkTypes(spec) {
  const ast = await openapiTS(spec, { alphabetize: true, defaultNonNullable: false });
  const options = (await prettier.resolveConfig(SDK_TYPES_PATH)) ?? {};
  return prettier.format(HEADER + astToString(ast), { ...options, filepath: SDK_TYPES_PATH });
}

async function loadSpec({ spec, url }) {
  if (spec) return JSON.parse(await readFile(spec, 'utf8'));
  const base = (url ?? process.env.EPHEMERA_API_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  const res = await fetch(`${base}/docs-json`).catch((error) => {
    throw new Error(`cannot reach ${base}/docs-json (is the API running?): ${error.message}`);
  });
  if (!res.ok) throw new Error(`${base}/docs-json answered ${res.status}`);
  return res.json();
}

async function main() {
  const { values } = parseArgs({
    options: { spec: { type: 'string' }, url: { type: 'string' }, out: { type: 'string' } },
  });
  const out = values.out ? resolve(values.out) : SDK_TYPES_PATH;
  await writeFile(out, await generateSdkTypes(await loadSpec(values)));
  console.log(`wrote ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error.message ?? error);
    process.exit(1);
  });
}
