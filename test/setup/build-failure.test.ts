import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnoseBuildFailure } from '../../src/setup/build-failure.js';

/** Output of real failed builds on this machine (see each case): the failure modes of the recipe. */
const log = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'native', 'build-logs', `${name}.log`), 'utf8');

describe('what a failed addon build means', () => {
  it('a TensorFlow header missing from deps/include (cc with the include folder empty)', () => {
    expect(diagnoseBuildFailure(log('missing-header'))).toEqual({
      problem: 'the compiler found no TensorFlow header tensorflow/c/c_api.h in deps/include',
      fix: 'the wheel or install lacks part of tensorflow/include: use a complete TensorFlow 2.x wheel (--from-wheel FILE)',
    });
  });

  it("node-gyp fetching Node's headers from nodejs.org, offline (node-gyp install with no nodedir)", () => {
    expect(diagnoseBuildFailure(log('headers-download')).problem).toBe(
      "node-gyp tried to download Node's headers from nodejs.org and could not",
    );
    expect(diagnoseBuildFailure(log('headers-download')).fix).toContain('npm_config_nodedir');
  });

  it("the -gpu package's install script downloading libtensorflow 2.9.1 (scripts/install.js gpu download)", () => {
    expect(diagnoseBuildFailure(log('install-script-download')).problem).toBe(
      "the package's install script tried to download libtensorflow 2.9.1 from Google's storage",
    );
  });

  it('no Python, or no make, for node-gyp (node-gyp rebuild with a PATH lacking them)', () => {
    for (const name of ['no-python', 'no-make']) {
      expect(diagnoseBuildFailure(log(name))).toEqual({
        problem: 'node-gyp is missing part of its toolchain (Python, make or a C++ compiler)',
        fix: 'install python3, make and g++',
      });
    }
  });

  it('a library without a C API function the binding calls, and anything else by its first error line', () => {
    expect(diagnoseBuildFailure("tfjs_backend.o: undefined reference to `TFE_OpSetAttrShape'").problem).toBe(
      'the TensorFlow library does not export TFE_OpSetAttrShape, a C API function the binding calls',
    );
    const other = diagnoseBuildFailure('gyp info ok\nbinding/tfjs_backend.cc:12:3: error: expected ; before }\ngyp ERR! not ok\n');
    expect(other).toEqual({
      problem: 'the build failed (binding/tfjs_backend.cc:12:3: error: expected ; before })',
      fix: 'read the full build log',
    });
    // A headers download that worked is not the reason a later step failed.
    expect(
      diagnoseBuildFailure(
        'gyp http GET https://nodejs.org/download/release/v20.20.2/node-v20.20.2-headers.tar.gz\ngyp http 200\nfatal error: tsl/platform/ctstring.h: No such file or directory',
      ).problem,
    ).toBe('the compiler found no TensorFlow header tsl/platform/ctstring.h in deps/include');
  });
});
