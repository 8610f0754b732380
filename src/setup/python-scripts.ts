/**
 * The Python that setup runs: reading a wheel (a zip) and finding an installed tensorflow package.
 * Python is there wherever the addon can be built (node-gyp needs it), and its zipfile reads
 * wheels of any size. Each script prints one JSON object on stdout and nothing else.
 */

/** What the tfjs-node binding needs from TensorFlow: its two shared libraries and the C API headers. */
export const TF_LIBRARIES = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'] as const;
export const TF_HEADER_DIRS = ['tensorflow/c', 'tensorflow/core/platform', 'tsl', 'xla/tsl'] as const;
export const REQUIRED_HEADERS = ['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h'] as const;

/** build_info.py holds one OrderedDict literal; executing it needs only `collections`. */
const READ_BUILD_INFO = `
def read_build_info(text):
    ns = {}
    exec(text, ns)
    return {k: v for k, v in dict(ns.get('build_info', {})).items() if isinstance(v, (str, bool, int))}
`;

/** argv: wheel. Prints {name, version, buildInfo, libraries: [present], headers: [present]} or {error}. */
export const INSPECT_WHEEL = `
import json, sys, zipfile
${READ_BUILD_INFO}
libraries, headers = json.loads(sys.argv[2]), json.loads(sys.argv[3])
try:
    z = zipfile.ZipFile(sys.argv[1])
except Exception as e:
    print(json.dumps({'error': 'not a readable zip file (%s)' % e})); sys.exit(0)
names = set(z.namelist())
meta = next((n for n in names if n.endswith('.dist-info/METADATA')), None)
fields = {}
for line in (z.read(meta).decode('utf-8', 'replace') if meta else '').splitlines():
    if not line.strip(): break
    key, _, value = line.partition(': ')
    fields.setdefault(key, value)
info = 'tensorflow/python/platform/build_info.py'
print(json.dumps({
    'name': fields.get('Name'), 'version': fields.get('Version'),
    'buildInfo': read_build_info(z.read(info).decode()) if info in names else {},
    'libraries': [l for l in libraries if 'tensorflow/' + l in names],
    'headers': [h for h in headers if 'tensorflow/include/' + h in names],
}))
`;

/** argv: wheel, deps dir, libraries, header dirs. Libraries to deps/lib, headers to deps/include. */
export const EXTRACT_WHEEL = `
import json, os, shutil, sys, zipfile
wheel, deps = sys.argv[1], sys.argv[2]
libraries = {'tensorflow/' + l: os.path.join(deps, 'lib', l) for l in json.loads(sys.argv[3])}
prefixes = tuple('tensorflow/include/' + d + '/' for d in json.loads(sys.argv[4]))
count = 0
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name.endswith('/'): continue
        if name in libraries: dest = libraries[name]
        elif name.startswith(prefixes): dest = os.path.join(deps, 'include', name[len('tensorflow/include/'):])
        else: continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(info) as src, open(dest, 'wb') as out: shutil.copyfileobj(src, out, 1 << 20)
        count += 1
print(json.dumps({'files': count}))
`;

/**
 * No argv. The installed tensorflow package's folder (what tf.sysconfig.get_lib() returns), found
 * without importing TensorFlow (an import takes seconds and, on a GPU node, starts CUDA), its
 * distribution and version, its build info, and pip's nvidia-*-cu12 library folders beside it.
 */
export const FIND_TENSORFLOW = `
import importlib.util, json, os, sys
import importlib.metadata as md
${READ_BUILD_INFO}
out = {'python': sys.version.split()[0], 'executable': sys.executable}
spec = importlib.util.find_spec('tensorflow')
if spec is None or not spec.submodule_search_locations:
    out['error'] = 'no tensorflow package is installed for this Python'
    print(json.dumps(out)); sys.exit(0)
lib = list(spec.submodule_search_locations)[0]
out['libDir'] = lib
for dist in ('tensorflow', 'tensorflow-cpu', 'tensorflow-gpu', 'tensorflow-intel', 'tf-nightly'):
    try:
        out['version'] = md.version(dist); out['distribution'] = dist; break
    except md.PackageNotFoundError:
        pass
info = os.path.join(lib, 'python', 'platform', 'build_info.py')
out['buildInfo'] = read_build_info(open(info).read()) if os.path.exists(info) else {}
nvidia = os.path.join(os.path.dirname(lib), 'nvidia')
out['nvidiaLibDirs'] = sorted(os.path.join(nvidia, d, 'lib') for d in os.listdir(nvidia) if os.path.isdir(os.path.join(nvidia, d, 'lib'))) if os.path.isdir(nvidia) else []
print(json.dumps(out))
`;
