#pragma once
// Schema checks that must fail the build: constructor ids against their CRC32, flag references,
// duplicate names and ids.
#include <string>
#include <vector>

#include "model.hpp"

namespace tlgen {

// Returns one "file:line: message" per problem; empty when the schema is sound.
std::vector<std::string> verify(const Schema& schema);

}  // namespace tlgen
