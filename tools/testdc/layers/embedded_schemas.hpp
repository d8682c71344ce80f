#pragma once
// The TL schemas the transcoder knows (tl-schema/api.tl and tl-schema/layers/api-layer*.tl), embedded
// into the binary at build time by embed_schemas.cmake.
#include <span>
#include <string_view>

namespace testdc::layers {

struct EmbeddedSchema {
  std::string_view file;  // "api-layer144.tl"
  std::string_view text;
};

std::span<const EmbeddedSchema> embedded_schemas();

}  // namespace testdc::layers
