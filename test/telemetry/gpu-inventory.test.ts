import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGpuInventoryXml, readGpuInventory } from '../../src/telemetry/gpu-inventory.js';
import { parseXml, textAt } from '../../src/telemetry/xml-tree.js';
import { FAKE_BIN_DIR, readH100 } from './fixtures.js';

const h100 = {
  index: 0,
  name: 'NVIDIA H100 80GB HBM3',
  uuid: 'GPU-5f0c1d2e-0a1b-4c2d-8e3f-4a5b6c7d8e9f',
  pciBusId: '00000000:00:06.0',
  memTotalBytes: 81559 * 1024 * 1024,
  powerLimitW: 700,
  persistence: true,
  migMode: 'Disabled',
  eccMode: 'Enabled',
};

describe('parseGpuInventoryXml', () => {
  it('reads the real H100 -q -x log', () => {
    expect(parseGpuInventoryXml(readH100('nvidia-smi-q.xml'))).toEqual({ driverVersion: '580.159.04', cudaVersion: '13.0', gpus: [h100] });
  });

  it('reads an older driver layout and several GPUs', () => {
    const xml = `<?xml version="1.0" ?>
<nvidia_smi_log><driver_version>470.82.01</driver_version><cuda_version>11.4</cuda_version>
<gpu id="00000000:3B:00.0"><product_name>Tesla V100 &amp; co</product_name><persistence_mode>Disabled</persistence_mode>
<fb_memory_usage><total>16160 MiB</total></fb_memory_usage><power_readings><power_limit>300.00 W</power_limit></power_readings>
<ecc_mode><current_ecc>N/A</current_ecc></ecc_mode></gpu>
<gpu id="00000000:86:00.0"><product_name>Tesla V100</product_name><mig_mode><current_mig>N/A</current_mig></mig_mode></gpu>
</nvidia_smi_log>`;
    const inventory = parseGpuInventoryXml(xml)!;
    expect(inventory.driverVersion).toBe('470.82.01');
    expect(inventory.gpus[0]).toEqual({
      index: 0,
      name: 'Tesla V100 & co',
      uuid: null,
      pciBusId: '00000000:3B:00.0',
      memTotalBytes: 16160 * 1024 * 1024,
      powerLimitW: 300,
      persistence: false,
      migMode: null,
      eccMode: null,
    });
    expect(inventory.gpus[1]).toMatchObject({ index: 1, pciBusId: '00000000:86:00.0', powerLimitW: null, persistence: null });
  });

  it('rejects what is not nvidia-smi XML', () => {
    expect(parseGpuInventoryXml('No devices were found')).toBeNull();
    expect(parseGpuInventoryXml('<nvidia_smi_log><gpu></nvidia_smi_log>')).toBeNull();
    expect(parseGpuInventoryXml('<other/>')).toBeNull();
  });
});

describe('parseXml', () => {
  it('handles self-closing elements, attributes, comments and entities', () => {
    const root = parseXml(`<a x='1' y="&lt;2&gt;"><!-- note --><b/><c>&#65;&#x42;</c></a>`)!;
    expect(root.attributes).toEqual({ x: '1', y: '<2>' });
    expect(root.children.map((c) => c.name)).toEqual(['b', 'c']);
    expect(textAt(root, 'c')).toBe('AB');
  });
});

describe('readGpuInventory', () => {
  const env = (scenario: string) => ({ ...process.env, PATH: `${join(FAKE_BIN_DIR, scenario)}:/usr/bin:/bin` });

  it('runs nvidia-smi -q -x', async () => {
    const result = await readGpuInventory({ env: env('ok') });
    expect(result.kind === 'ok' && result.inventory.gpus[0]).toEqual(h100);
  });

  it('says why there is none', async () => {
    expect(await readGpuInventory({ env: env('missing') })).toEqual({ kind: 'unavailable', reason: 'nvidia-smi not found on PATH' });
    expect(await readGpuInventory({ env: env('no-devices') })).toEqual({
      kind: 'unavailable',
      reason: 'nvidia-smi exited with code 6: No devices were found',
    });
  });
});
