/**
 * Setup's edit of tfjs-node's binding source (setup/binding-patch.ts): list
 * forms of the string and type attributes beside the scalar ones, applied
 * once, and refused on a source it was not written against; and when setup
 * rebuilds a working binding for them.
 */
import test from 'ava';
import { BindingPatchError, PATCH_MARK, patchBindingSource } from '../runners/setup/binding-patch.js';
import { keepsBinding } from '../runners/setup/tensorflow.js';

// The parts of tfjs-node 4.22's binding/tfjs_backend.cc the patch anchors on.
const UPSTREAM = `#include <set>
#include <string>
#include "napi_auto_ref.h"

void AssignOpAttr(napi_env env, TFE_Op *tfe_op, napi_value attr_value) {
  switch (tf_attr_type) {
    case TF_ATTR_STRING: {
      // NOTE: String attribute values do not have to be utf8 encoded strings
      // (could be arbitrary byte sequences).
      std::string str_value;
      TFE_OpSetAttrString(tfe_op, attr_name, str_value.c_str(), str_value.size());
      break;
    }
    case TF_ATTR_TYPE: {
      TF_DataType tf_data_type;
      TFE_OpSetAttrType(tfe_op, attr_name, tf_data_type);
      break;
    }
  }
}
`;

test('an array value sets a string list or a type list; a scalar takes the original path', (t) => {
  const patched = patchBindingSource(UPSTREAM);
  t.true(patched.includes(PATCH_MARK));
  t.true(patched.includes('#include <vector>'));
  // Each list branch sits first in its case and ends it, before the scalar code.
  const stringCase = patched.slice(patched.indexOf('case TF_ATTR_STRING'), patched.indexOf('case TF_ATTR_TYPE'));
  t.true(stringCase.indexOf('TFE_OpSetAttrStringList') < stringCase.indexOf('TFE_OpSetAttrString(tfe_op'));
  t.regex(stringCase, /IsArray\(env, nstatus, &js_value\)[\s\S]*TFE_OpSetAttrStringList[\s\S]*break;\s*}\s*std::string str_value;/);
  const typeCase = patched.slice(patched.indexOf('case TF_ATTR_TYPE'));
  t.regex(typeCase, /IsArray\(env, nstatus, &js_value\)[\s\S]*TFE_OpSetAttrTypeList[\s\S]*break;\s*}\s*TF_DataType tf_data_type;/);
});

test('patching twice changes nothing', (t) => {
  const once = patchBindingSource(UPSTREAM);
  t.is(patchBindingSource(once), once);
});

test('a source without the expected code is refused, naming what is missing', (t) => {
  const other = UPSTREAM.replace('case TF_ATTR_TYPE: {', 'case TF_ATTR_TYPE:{');
  const error = t.throws(() => patchBindingSource(other), { instanceOf: BindingPatchError });
  t.regex(error!.message, /the type attribute case once, found it 0 times/);
});

test('setup rebuilds a working CPU binding without list attributes, and keeps a GPU one', (t) => {
  const works = (listAttributes: boolean) => ({ ok: true as const, tensorflow: '2.21.0', listAttributes });
  t.true(keepsBinding(works(true), false));
  t.false(keepsBinding(works(false), false), 'the CPU backend would evaluate without the fused kernel');
  t.true(keepsBinding(works(false), true), 'the GPU backend never runs it');
  t.false(keepsBinding({ ok: false, error: 'no binding' }, true));
});
