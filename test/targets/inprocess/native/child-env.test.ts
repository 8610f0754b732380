import { describe, expect, it } from 'vitest';
import { isTensorFlowNoise, nativeChildEnv } from '../../../../src/targets/inprocess/native/child-env.js';

describe('the environment of a child that may load native TensorFlow', () => {
  it('quiets TensorFlow unless the user chose a log level, and keeps everything else', () => {
    expect(nativeChildEnv({ PATH: '/bin', HOME: '/root' }, [])).toEqual({ PATH: '/bin', HOME: '/root', TF_CPP_MIN_LOG_LEVEL: '2' });
    expect(nativeChildEnv({ TF_CPP_MIN_LOG_LEVEL: '0' }, [])).toEqual({ TF_CPP_MIN_LOG_LEVEL: '0' });
  });

  it("puts setup's library folders ahead of LD_LIBRARY_PATH, once each", () => {
    const dirs = ['/sp/nvidia/cudnn/lib', '/sp/nvidia/cublas/lib'];
    expect(nativeChildEnv({}, dirs)['LD_LIBRARY_PATH']).toBe('/sp/nvidia/cudnn/lib:/sp/nvidia/cublas/lib');
    expect(nativeChildEnv({ LD_LIBRARY_PATH: '/usr/local/cuda/lib64:/sp/nvidia/cublas/lib' }, dirs)['LD_LIBRARY_PATH']).toBe(
      '/sp/nvidia/cudnn/lib:/usr/local/cuda/lib64:/sp/nvidia/cublas/lib',
    );
    expect(nativeChildEnv({ LD_LIBRARY_PATH: '/opt/lib' }, [])['LD_LIBRARY_PATH']).toBe('/opt/lib');
    expect('LD_LIBRARY_PATH' in nativeChildEnv({}, [])).toBe(false);
  });

  it("tells TensorFlow's start-up lines (printed whatever the log level) from a real reason", () => {
    // As TensorFlow 2.21 printed them here, with TF_CPP_MIN_LOG_LEVEL=2.
    expect(isTensorFlowNoise('WARNING: All log messages before absl::InitializeLog() is called are written to STDERR')).toBe(true);
    expect(
      isTensorFlowNoise(
        'I0000 00:00:1796482123.427011   31035 port.cc:153] oneDNN custom operations are on. You may see slightly different numerical results due to floating-point round-off errors from different computation orders. To turn them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.',
      ),
    ).toBe(true);
    expect(isTensorFlowNoise('W0000 00:00:1796482123.427011   31035 gpu_device.cc:2344] Cannot dlopen some GPU libraries.')).toBe(true);
    expect(
      isTensorFlowNoise('E0000 00:00:1796482123.427011   31035 cuda_executor.cc:1228] failed call to cuInit: UNKNOWN ERROR (303)'),
    ).toBe(false);
    expect(isTensorFlowNoise('terminate called after throwing an instance of std::bad_alloc')).toBe(false);
    expect(isTensorFlowNoise('Error: Cannot find module')).toBe(false);
  });
});
