#pragma once
// The TL schema built into the test DC (tl-schema/api.tl, our own layer), embedded
// into the binary at build time by embed_schemas.cmake. Older layers are read at run time.
#include <span>
#include <string_view>

namespace testdc::layers {

struct EmbeddedSchema {
  std::string_view file;  // "api-layer144.tl"
  std::string_view text;
};

std::span<const EmbeddedSchema> embedded_schemas();

}  // namespace testdc::layers
