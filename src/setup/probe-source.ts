/**
 * The C source of setup's probe addon (deps/pipebench/tf_probe.node): TF_Version() and the devices
 * an eager context lists, which tfjs-node's binding does not expose (it only says whether it
 * placed ops on a GPU). Built by setup against the same library as the binding.
 */
export const PROBE_C_SOURCE = `#include <node_api.h>
#include "tensorflow/c/c_api.h"
#include "tensorflow/c/eager/c_api.h"

static napi_value text(napi_env env, const char *value) {
  napi_value result;
  napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &result);
  return result;
}

/* probe() -> { tensorflowVersion, devices: [{ name, type, memoryBytes }], error? } */
static napi_value Probe(napi_env env, napi_callback_info info) {
  napi_value result, devices;
  napi_create_object(env, &result);
  napi_create_array(env, &devices);
  napi_set_named_property(env, result, "tensorflowVersion", text(env, TF_Version()));
  TF_Status *status = TF_NewStatus();
  TFE_ContextOptions *options = TFE_NewContextOptions();
  TFE_Context *context = TFE_NewContext(options, status);
  TFE_DeleteContextOptions(options);
  if (TF_GetCode(status) == TF_OK) {
    TF_DeviceList *list = TFE_ContextListDevices(context, status);
    if (TF_GetCode(status) == TF_OK) {
      int count = TF_DeviceListCount(list);
      for (int i = 0; i < count; i++) {
        napi_value device, memory;
        napi_create_object(env, &device);
        napi_set_named_property(env, device, "name", text(env, TF_DeviceListName(list, i, status)));
        napi_set_named_property(env, device, "type", text(env, TF_DeviceListType(list, i, status)));
        napi_create_double(env, (double)TF_DeviceListMemoryBytes(list, i, status), &memory);
        napi_set_named_property(env, device, "memoryBytes", memory);
        napi_set_element(env, devices, (uint32_t)i, device);
      }
      TF_DeleteDeviceList(list);
    }
    TFE_DeleteContext(context);
  }
  if (TF_GetCode(status) != TF_OK) napi_set_named_property(env, result, "error", text(env, TF_Message(status)));
  TF_DeleteStatus(status);
  napi_set_named_property(env, result, "devices", devices);
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value probe;
  napi_create_function(env, "probe", NAPI_AUTO_LENGTH, Probe, NULL, &probe);
  napi_set_named_property(env, exports, "probe", probe);
  return exports;
}

NAPI_MODULE(tf_probe, Init)
`;
