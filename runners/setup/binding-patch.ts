/**
 * List attributes for tfjs-node's binding. Its AssignOpAttr passes a string
 * or a type attribute as one value only, so ops whose attributes are lists
 * of them (_MklNativeFusedConv2D: fused_ops list(string), TArgs list(type))
 * cannot be called. Setup builds the binding from source anyway; these two
 * edits add the list form next to the scalar one, as the same function
 * already does for int, float and bool. Applied to the source text: pure,
 * idempotent, and refusing (not guessing) when the text is not the one it
 * was written against.
 */

/** Marks a patched source; the patch is not applied twice. */
export const PATCH_MARK = 'resnet-repro: list(string) and list(type) attributes';

const STRING_ANCHOR = `    case TF_ATTR_STRING: {
      // NOTE: String attribute values do not have to be utf8 encoded strings
      // (could be arbitrary byte sequences).
`;

const STRING_LIST = `      if (IsArray(env, nstatus, &js_value)) {  // ${PATCH_MARK}
        uint32_t length;
        nstatus = napi_get_array_length(env, js_value, &length);
        ENSURE_NAPI_OK(env, nstatus);
        std::vector<std::string> strings(length);
        std::vector<const void *> values(length);
        std::vector<size_t> lengths(length);
        for (uint32_t i = 0; i < length; ++i) {
          napi_value element;
          nstatus = napi_get_element(env, js_value, i, &element);
          ENSURE_NAPI_OK(env, nstatus);
          nstatus = GetStringParam(env, element, strings[i]);
          ENSURE_NAPI_OK(env, nstatus);
          values[i] = strings[i].data();
          lengths[i] = strings[i].size();
        }
        TFE_OpSetAttrStringList(tfe_op, attr_name, values.data(), lengths.data(), static_cast<int>(length));
        break;
      }
`;

const TYPE_ANCHOR = `    case TF_ATTR_TYPE: {
`;

const TYPE_LIST = `      if (IsArray(env, nstatus, &js_value)) {
        uint32_t length;
        nstatus = napi_get_array_length(env, js_value, &length);
        ENSURE_NAPI_OK(env, nstatus);
        std::vector<TF_DataType> types(length);
        for (uint32_t i = 0; i < length; ++i) {
          napi_value element;
          nstatus = napi_get_element(env, js_value, i, &element);
          ENSURE_NAPI_OK(env, nstatus);
          nstatus = napi_get_value_int32(env, element, reinterpret_cast<int32_t *>(&types[i]));
          ENSURE_NAPI_OK(env, nstatus);
        }
        TFE_OpSetAttrTypeList(tfe_op, attr_name, types.data(), static_cast<int>(length));
        break;
      }
`;

const INCLUDE_ANCHOR = '#include <string>\n';

export class BindingPatchError extends Error {}

/** tfjs_backend.cc with list attributes; unchanged when already patched. */
export function patchBindingSource(source: string): string {
  if (source.includes(PATCH_MARK)) return source;
  for (const [anchor, what] of [[STRING_ANCHOR, 'the string attribute case'], [TYPE_ANCHOR, 'the type attribute case'], [INCLUDE_ANCHOR, '#include <string>']] as const) {
    const count = source.split(anchor).length - 1;
    if (count !== 1) throw new BindingPatchError(`tfjs_backend.cc: expected ${what} once, found it ${count} times (another tfjs-node version?)`);
  }
  return source
    .replace(INCLUDE_ANCHOR, `${INCLUDE_ANCHOR}#include <vector>\n`)
    .replace(STRING_ANCHOR, `${STRING_ANCHOR}${STRING_LIST}`)
    .replace(TYPE_ANCHOR, `${TYPE_ANCHOR}${TYPE_LIST}`);
}
