// The executable's entry: a small router. Invoked through a symlink named after an agent (IPaddr2, drbd...), it
// runs that agent's own bundle (argv[2] is the action); named after a tool (the lab's drbdadm...), that tool's
// bundle; otherwise (`hakit`) the CLI bundle. Each bundle is an asset of the single executable with its own V8
// code cache, so an agent call loads only its own code: per-call cost stays flat as the project grows.
import { readFileSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { internalBinding } from './exec/internal-binding';

interface Chunk { code: string; cache: Buffer | undefined }

// Reads a bundle from the executable's assets (or, when run by plain node, from the build folder).
const readChunk = (key: string): Chunk | undefined => {
  const sea = require('node:sea') as typeof import('node:sea');
  try {
    if (sea.isSea()) {
      const code = sea.getAsset(`${key}.cjs`, 'utf8');
      let cache: Buffer | undefined;
      try { cache = Buffer.from(sea.getRawAsset(`${key}.cache`) as ArrayBuffer); } catch { cache = undefined; }
      return { code, cache };
    }
    return { code: readFileSync(join(__dirname, `${key}.cjs`), 'utf8'), cache: undefined };
  } catch {
    return undefined;
  }
};

interface Compiled { cachedDataRejected?: boolean; run(): unknown }

// node:vm's Script is a thin class over the contextify binding's ContextifyScript; loading node:vm (and compiling it,
// since the runtime's own code caches do not apply under the executable's V8 flags) costs ~1 ms of every call. So on
// the runtime the executable is built with (Node 26, whose argument order this follows) the binding is used directly;
// a bundle that contains a dynamic import() needs node:vm's loader hook and goes through node:vm, as every bundle does
// on other runtimes and with HAKIT_NODE_VM=1. test/system/startup/hot-path-modules.test.ts checks both ways: vm
// loaded or not, the code cache used.
const compile = (code: string, filename: string, cache: Buffer | undefined): Compiled => {
  type Binding = { ContextifyScript: new (...a: unknown[]) => { cachedDataRejected?: boolean; runInContext(...a: unknown[]): unknown } };
  const direct = process.versions.node.startsWith('26.') && !code.includes('import(') && !process.env.HAKIT_NODE_VM;
  const binding = direct ? internalBinding<Binding>('contextify') : undefined;
  if (typeof binding?.ContextifyScript === 'function') {
    // (code, filename, lineOffset, columnOffset, cachedData, produceCachedData, parsingContext, hostDefinedOptionId:
    // a symbol with no import() callback registered for it, as node:vm makes for a script without one)
    const script = new binding.ContextifyScript(code, filename, 0, 0, cache, false, undefined, Symbol(filename));
    // (contextifiedObject: null = this context, timeout: none, displayErrors, breakOnSigint, breakOnFirstLine)
    return { cachedDataRejected: script.cachedDataRejected, run: () => script.runInContext(null, -1, true, false, false) };
  }
  const vm = require('node:vm') as typeof import('node:vm');
  const script = new vm.Script(code, {
    filename,
    cachedData: cache,
    // a dynamic import() of a built-in module inside a bundle resolves with the main context's loader
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  return { cachedDataRejected: script.cachedDataRejected, run: () => script.runInThisContext() };
};

// Compiles a CommonJS bundle with its code cache and returns its exports.
const load = (key: string, chunk: Chunk): { run: () => Promise<void> } => {
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${chunk.code}\n})`;
  const script = compile(wrapped, `hakit:${key}.cjs`, chunk.cache);
  if (process.env.HAKIT_DEBUG_CACHE) process.stderr.write(`${key}: code cache ${chunk.cache ? (script.cachedDataRejected ? 'rejected' : 'used') : 'absent'}\n`);
  const mod = { exports: {} as { run: () => Promise<void> } };
  (script.run() as (...a: unknown[]) => void)(mod.exports, require, mod, `${key}.cjs`, __dirname);
  return mod.exports;
};

const route = (): [string, Chunk] => {
  const invoked = basename(process.argv[1] ?? process.argv0);
  if (/^[\w.-]+$/.test(invoked)) {
    for (const key of [`agent-${invoked}`, `tool-${invoked}`]) {
      const chunk = readChunk(key);
      if (chunk) return [key, chunk];
    }
  }
  const cli = readChunk('cli');
  if (!cli) throw new Error('hakit: the CLI bundle is missing from this executable');
  return ['cli', cli];
};

// meta-data is asked for often (crm_resource, pcs, crmsh): served from the asset generated from the spec at build.
const answerMetaData = () => {
  if (process.argv[2] !== 'meta-data') return;
  const sea = require('node:sea') as typeof import('node:sea');
  if (!sea.isSea()) return;
  let xml: string;
  try {
    xml = sea.getAsset(`meta-${basename(process.argv[1] ?? '')}.xml`, 'utf8');
  } catch {
    return;
  }
  writeSync(1, xml);
  process.exit(0);
};

// HAKIT_DEBUG_MODULES=1: the built-in modules a call loaded, on stderr at exit (a test keeps the hot paths lean).
if (process.env.HAKIT_DEBUG_MODULES) {
  const loaded = (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
  process.on('exit', () => writeSync(2, `hakit-modules: ${loaded.join(',')}\n`));
}
answerMetaData();
const [key, chunk] = route();
void load(key, chunk).run();
