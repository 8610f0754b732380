/**
 * What a failed addon build's output means, for the failure modes seen building tfjs-node against
 * a TensorFlow wheel: headers missing, node-gyp fetching Node's headers, the package's install
 * script downloading libtensorflow, no toolchain, a library without the C API functions the
 * binding calls. Pure: output in, one problem and one fix out.
 */

export interface BuildDiagnosis {
  readonly problem: string;
  readonly fix: string;
}

interface Rule {
  readonly pattern: RegExp;
  readonly diagnose: (match: RegExpExecArray) => BuildDiagnosis;
}

const RULES: readonly Rule[] = [
  {
    pattern: /fatal error: ((?:tensorflow|tsl|xla)\/\S+\.h): No such file or directory/,
    diagnose: (m) => ({
      problem: `the compiler found no TensorFlow header ${m[1]} in deps/include`,
      fix: 'the wheel or install lacks part of tensorflow/include: use a complete TensorFlow 2.x wheel (--from-wheel FILE)',
    }),
  },
  {
    pattern: /fatal error: (node_api\.h|js_native_api\.h): No such file or directory/,
    diagnose: (m) => ({
      problem: `the compiler found no ${m[1]} (Node's headers)`,
      fix: "set npm_config_nodedir to a folder with include/node (Node's own prefix, or an unpacked node-vX-headers.tar.gz)",
    }),
  },
  {
    // A fetch of https://nodejs.org/.../node-vX-headers.tar.gz that then failed on the network.
    pattern:
      /gyp http GET https:\/\/nodejs\.org\/[\s\S]*?(network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)/,
    diagnose: () => ({
      problem: "node-gyp tried to download Node's headers from nodejs.org and could not",
      fix: "set npm_config_nodedir to a folder with Node's headers (include/node/node_api.h), e.g. the prefix Node is installed in",
    }),
  },
  {
    pattern: /storage\.googleapis\.com|Downloading libtensorflow/,
    diagnose: () => ({
      problem: "the package's install script tried to download libtensorflow 2.9.1 from Google's storage",
      fix: 'do not run `npm rebuild` on it: `pipebench setup native` builds the addon with node-pre-gyp directly',
    }),
  },
  {
    pattern: /undefined (?:reference to|symbol:?) `?((?:TF|TFE)_\w+)/,
    diagnose: (m) => ({
      problem: `the TensorFlow library does not export ${m[1]}, a C API function the binding calls`,
      fix: 'use TensorFlow 2.21 (other 2.x releases may lack or rename functions)',
    }),
  },
  {
    pattern: /gyp ERR! find Python|make: (?:command )?not found|(?:g\+\+|c\+\+|cc): (?:command )?not found|not found: make/,
    diagnose: () => ({
      problem: 'node-gyp is missing part of its toolchain (Python, make or a C++ compiler)',
      fix: 'install python3, make and g++',
    }),
  },
];

export function diagnoseBuildFailure(output: string): BuildDiagnosis {
  for (const rule of RULES) {
    const match = rule.pattern.exec(output);
    if (match) return rule.diagnose(match);
  }
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /error|ERR!/i.test(line) && !/^gyp ERR! (?:cwd|node -v|node-gyp -v|not ok|System|command)/.test(line));
  return { problem: `the build failed (${lines.at(0) ?? 'no error line in its output'})`, fix: 'read the full build log' };
}
