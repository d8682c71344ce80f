#pragma once
// The walker that rewrites serialized TL values from one layer to another following a TranscodePlan.
#include <optional>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "transcode_plan.hpp"

namespace testdc::layers {

// Transcodes one serialized value of the source layer into the target layer: a boxed object, a
// boxed vector of boxed objects (vectors of numbers are the same in every layer and are copied) or
// a function call (its !X query included). A top-level combinator identical in both layers is
// returned unchanged without walking it. Malformed input or a constructor with no counterpart in
// the target layer is an error, never a crash.
mtp::Result<mtp::Bytes> transcode(const TranscodePlan& plan, mtp::ByteSpan data);
// The same, but nullopt instead of a copy when the bytes are the same in the target layer.
mtp::Result<std::optional<mtp::Bytes>> transcode_if_needed(const TranscodePlan& plan, mtp::ByteSpan data);

// The boxed serialization of target combinator `to_combinator` with every field defaulted (flags 0,
// numbers 0, empty strings and vectors, the simplest constructor for boxed fields).
mtp::Result<mtp::Bytes> default_instance(const TranscodePlan& plan, int to_combinator);

}  // namespace testdc::layers
