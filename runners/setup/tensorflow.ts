/**
 * `resnet-repro setup tensorflow`: native TensorFlow behind tfjs-node without
 * its blocked libtensorflow download.
 *
 * tfjs-node's install script downloads libtensorflow 2.9.1 from Google
 * storage; where that host is unreachable npm drops the (optional) package.
 * The TensorFlow pip wheel ships the same C API (TF_ and TFE_ symbols in
 * libtensorflow_cc.so.2) with its headers, and tfjs-node's script skips the
 * download when deps/lib already holds a library. So: fetch the wheel with pip
 * (no Python dependencies: we only take its shared libraries and headers),
 * stage them once in a cache, link them into the package's deps/, build the
 * binding from source, and check it with real ops in a fresh process.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { ensureDir } from '../files.js';
import { BindingPatchError, patchBindingSource } from './binding-patch.js';

export interface SetupOptions {
  /** tfjs-node-gpu with the full `tensorflow` wheel instead of `tensorflow-cpu`. */
  readonly gpu: boolean;
  /** TensorFlow wheel version. */
  readonly tensorflowVersion: string;
  /** Rebuild even when the binding already loads. */
  readonly force: boolean;
  readonly cacheDir: string;
  readonly log: (line: string) => void;
}

/** The wheel the native backend was checked with (toolchain notes). */
export const DEFAULT_TENSORFLOW_VERSION = '2.21.0';

export function defaultCacheDir(): string {
  return process.env.RESNET_REPRO_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(os.homedir(), '.cache'), 'resnet-repro');
}

export class SetupError extends UsageError {}

const WHEEL_LIBRARIES = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'] as const;

/** Links tfjs-node's binding.gyp and install script look for, and what each points at. */
const DEPS_LINKS: Record<string, string> = {
  'libtensorflow_cc.so.2': 'libtensorflow_cc.so.2',
  'libtensorflow_framework.so.2': 'libtensorflow_framework.so.2',
  'libtensorflow.so': 'libtensorflow_cc.so.2',
  'libtensorflow_framework.so': 'libtensorflow_framework.so.2',
  // install.js skips its download when this name exists.
  'libtensorflow.so.2.9.1': 'libtensorflow_cc.so.2',
};

function run(command: string, args: string[], options: SpawnSyncOptions & { what: string }): void {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new SetupError(`${options.what} failed: ${result.error.message}`);
  if (result.status !== 0) throw new SetupError(`${options.what} failed (exit ${result.status}); see the output above.`);
}

function has(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/**
 * The headers of the Node that runs us (`<prefix>/include/node`, shipped with
 * Node's tarballs and Debian's nodejs): node-gyp builds against them instead
 * of downloading a headers tarball, which needs the internet.
 */
export function nodeHeadersDir(execPath = process.execPath): string {
  const candidates = [dirname(dirname(execPath)), '/usr', '/usr/local'];
  const found = candidates.find((prefix) => existsSync(join(prefix, 'include', 'node', 'node_api.h')));
  if (!found) {
    throw new SetupError(
      `Node's C headers were not found (looked for include/node/node_api.h under ${candidates.join(', ')}): the binding is compiled against them. ` +
        'Install them with your Node (Debian: "apt-get install libnode-dev"; the official Node tarballs ship them), or set npm_config_nodedir to a folder holding include/node.',
    );
  }
  return found;
}

function checkPrerequisites(): { python: string } {
  if (os.platform() !== 'linux' || !['x64', 'arm64'].includes(os.arch())) {
    throw new SetupError(`setup tensorflow supports Linux x64 and arm64 (the platforms of the manylinux wheels), not ${os.platform()} ${os.arch()}. Elsewhere, "npm install @tensorflow/tfjs-node" where its download works.`);
  }
  const python = ['python3', 'python'].find((p) => has(p, ['-m', 'pip', '--version']));
  if (!python) throw new SetupError('pip was not found: install Python 3 with pip (e.g. "apt-get install python3-pip") and run again.');
  for (const [tool, hint] of [['make', 'make'], ['g++', 'g++']] as const) {
    if (!has(tool, ['--version'])) throw new SetupError(`${tool} was not found: the binding is compiled with node-gyp; install a C++ toolchain (e.g. "apt-get install ${hint}").`);
  }
  return { python };
}

/** The folder whose node_modules holds @tensorflow/tfjs: where npm installs the binding package. */
function projectRoot(): string {
  const tfjsPackage = createRequire(import.meta.url).resolve('@tensorflow/tfjs/package.json');
  return dirname(dirname(dirname(dirname(tfjsPackage))));
}

/** Downloads the wheel and stages its libraries and headers under the cache, once. */
function stageWheel(python: string, options: SetupOptions): string {
  const wheelName = options.gpu ? 'tensorflow' : 'tensorflow-cpu';
  const staged = join(options.cacheDir, 'libtensorflow', `${wheelName}-${options.tensorflowVersion}-${os.arch()}`);
  if (existsSync(join(staged, 'COMPLETE'))) {
    options.log(`using staged TensorFlow ${options.tensorflowVersion} in ${staged}`);
    return staged;
  }
  const wheels = join(options.cacheDir, 'wheels');
  ensureDir(wheels);
  options.log(`downloading the ${wheelName}==${options.tensorflowVersion} wheel with pip (no dependencies)…`);
  try {
    run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--retries', '1', '--timeout', '30', '-d', wheels, `${wheelName}==${options.tensorflowVersion}`], {
      what: `pip download ${wheelName}==${options.tensorflowVersion}`,
    });
  } catch (error) {
    throw new SetupError(
      `${(error as Error).message} pip could not get the ${wheelName}==${options.tensorflowVersion} wheel from the indexes it knows (its config: "pip config list"). ` +
        'Make one reachable (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL or PIP_FIND_LINKS, e.g. a folder holding the .whl), or pick an available version with --tf-version.',
    );
  }
  const prefix = `${wheelName.replace('-', '_')}-${options.tensorflowVersion}-`;
  const wheel = readdirSync(wheels).find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
  if (!wheel) throw new SetupError(`pip reported success but no ${prefix}*.whl is in ${wheels}`);

  options.log(`extracting libraries and headers from ${wheel}…`);
  const partial = `${staged}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  // Python is already required for pip; its zipfile reads only what we take.
  const extract = `
import sys, zipfile, os, shutil
wheel, out, libs = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
with zipfile.ZipFile(wheel) as z:
    names = z.namelist()
    for lib in libs:
        member = 'tensorflow/' + lib
        if member not in names: sys.exit('the wheel has no ' + member)
        os.makedirs(os.path.join(out, 'lib'), exist_ok=True)
        with z.open(member) as src, open(os.path.join(out, 'lib', lib), 'wb') as dst: shutil.copyfileobj(src, dst)
    headers = [n for n in names if n.startswith('tensorflow/include/') and not n.endswith('/')]
    if not any(n.endswith('tensorflow/c/c_api.h') for n in headers): sys.exit('the wheel has no tensorflow/include/tensorflow/c/c_api.h')
    for n in headers:
        path = os.path.join(out, 'include', n[len('tensorflow/include/'):])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with z.open(n) as src, open(path, 'wb') as dst: shutil.copyfileobj(src, dst)
`;
  run(python, ['-c', extract, join(wheels, wheel), partial, WHEEL_LIBRARIES.join(',')], { what: `extracting ${wheel}` });
  writeFileSync(join(partial, 'COMPLETE'), `${wheel}\n`);
  rmSync(staged, { recursive: true, force: true });
  renameSync(partial, staged); // a crash before this leaves no half-staged folder in use
  return staged;
}

/**
 * Adds list attributes to the binding's source before it is compiled
 * (binding-patch.ts). Optional: on a source it does not recognise the
 * binding is built as it is, and evaluation runs tfjs-layers' kernels.
 */
function patchBinding(packageDir: string, log: (line: string) => void): void {
  const source = join(packageDir, 'binding', 'tfjs_backend.cc');
  try {
    writeFileSync(source, patchBindingSource(readFileSync(source, 'utf8')));
    log('binding source: list attributes added (for the fused evaluation kernel)');
  } catch (error) {
    if (!(error instanceof BindingPatchError)) throw error;
    log(`note: ${error.message}; building the binding unpatched (evaluation runs tfjs-layers' kernels)`);
  }
}

/** Links the staged libraries and headers where tfjs-node's build expects them. */
function linkDeps(packageDir: string, staged: string): void {
  const deps = join(packageDir, 'deps');
  rmSync(deps, { recursive: true, force: true });
  ensureDir(join(deps, 'lib'));
  for (const [link, target] of Object.entries(DEPS_LINKS)) symlinkSync(join(staged, 'lib', target), join(deps, 'lib', link));
  symlinkSync(join(staged, 'include'), join(deps, 'include'));
  // With a custom library and no custom addon, install.js builds from source
  // instead of fetching a prebuilt addon made for libtensorflow 2.9.1.
  writeFileSync(join(packageDir, 'scripts', 'custom-binary.json'), `${JSON.stringify({ 'tf-lib': `file://${staged}` })}\n`);
}

/**
 * Loads the binding in a fresh process and runs a convolution and a matMul
 * with known results; `listAttributes`: whether it passes list attributes
 * (binding-patch.ts), tried with TensorFlow's own fused convolution.
 */
export function verifyBinding(root: string, packageName: string): { ok: true; tensorflow: string; listAttributes: boolean } | { ok: false; error: string } {
  const script = `
const tf = require(${JSON.stringify(packageName)});
if (tf.getBackend() !== 'tensorflow') throw new Error('backend is ' + tf.getBackend());
const m = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])).dataSync();
if (m[0] !== 17 || m[1] !== 39) throw new Error('matMul gave ' + Array.from(m));
const c = tf.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([3, 3, 1, 1]), 1, 'same').dataSync();
if (c[4] !== 9 || c[0] !== 4) throw new Error('conv2d gave ' + Array.from(c));
let lists = false;
try {
  const be = tf.backend(), b = be.binding;
  const y = be.executeSingleOutput('_FusedConv2D', [
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'strides', type: b.TF_ATTR_INT, value: [1, 1, 1, 1] },
    { name: 'padding', type: b.TF_ATTR_STRING, value: 'VALID' },
    { name: 'num_args', type: b.TF_ATTR_INT, value: 1 },
    { name: 'TArgs', type: b.TF_ATTR_TYPE, value: [b.TF_FLOAT] },
    { name: 'fused_ops', type: b.TF_ATTR_STRING, value: ['BiasAdd'] },
  ], [tf.ones([1, 1, 1, 1]), tf.fill([1, 1, 1, 1], 2), tf.tensor1d([3])]).dataSync();
  lists = y[0] === 5;
} catch {}
process.stdout.write(JSON.stringify({ tensorflow: tf.backend().binding.TF_Version, lists }));
`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  if (result.status === 0) {
    const { tensorflow, lists } = JSON.parse(result.stdout.trim()) as { tensorflow: string; lists: boolean };
    return { ok: true, tensorflow, listAttributes: lists };
  }
  return { ok: false, error: (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ') };
}

/**
 * Whether setup leaves a binding as it is: it works and passes list
 * attributes, or it works and is a GPU build (the fused evaluation kernel
 * that needs them is the CPU backend's only, so a GPU build is not rebuilt
 * for it).
 */
export function keepsBinding(existing: ReturnType<typeof verifyBinding>, gpu: boolean): boolean {
  return existing.ok && (existing.listAttributes || gpu);
}

export function setupTensorflow(options: SetupOptions): { tensorflow: string; packageDir: string } {
  const packageName = options.gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  const root = projectRoot();
  const packageDir = join(root, 'node_modules', ...packageName.split('/'));
  if (!options.force) {
    const existing = verifyBinding(root, packageName);
    if (existing.ok && keepsBinding(existing, options.gpu)) {
      options.log(`${packageName} already works (TensorFlow ${existing.tensorflow}); nothing to do (--force rebuilds).`);
      return { tensorflow: existing.tensorflow, packageDir };
    }
    if (existing.ok) options.log(`${packageName} works (TensorFlow ${existing.tensorflow}) but its binding passes no list attributes (the fused evaluation kernel needs them): rebuilding it.`);
  }
  const { python } = checkPrerequisites();
  const staged = stageWheel(python, options);

  const tfjsVersion = (JSON.parse(readFileSync(join(root, 'node_modules', '@tensorflow', 'tfjs', 'package.json'), 'utf8')) as { version: string }).version;
  options.log(`installing ${packageName}@${tfjsVersion} without its download script…`);
  // Same version as @tensorflow/tfjs, so both share one tfjs-core and its kernels.
  run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `${packageName}@${tfjsVersion}`], { cwd: root, what: `npm install ${packageName}` });

  linkDeps(packageDir, staged);
  patchBinding(packageDir, options.log);
  options.log(`building the ${packageName} binding against TensorFlow ${options.tensorflowVersion} (node-gyp, about 20 s)…`);
  const nodedir = process.env.npm_config_nodedir ?? nodeHeadersDir();
  options.log(`compiling against the Node headers in ${nodedir}/include/node (no download)`);
  run('npm', ['rebuild', packageName, '--foreground-scripts'], { cwd: root, what: `building ${packageName}`, env: { ...process.env, npm_config_nodedir: nodedir } });

  const check = verifyBinding(root, packageName);
  if (!check.ok) throw new SetupError(`the ${packageName} binding was built but does not work: ${check.error}`);
  if (!check.listAttributes) options.log(`note: the binding passes no list attributes; evaluation runs tfjs-layers' kernels (slower, the same results).`);
  writeFileSync(join(packageDir, 'deps', 'resnet-repro-setup.json'), `${JSON.stringify({ tensorflow: check.tensorflow, staged, at: new Date().toISOString() }, null, 2)}\n`);
  options.log(`${packageName} works: TensorFlow ${check.tensorflow}, conv2d and matMul checked.`);
  return { tensorflow: check.tensorflow, packageDir };
}
