#pragma once
// The file extension for a document that came without a file name, from its mime type.
#include <string_view>

namespace tgget::cli {

// "video/mp4" -> "mp4", "audio/ogg; codecs=opus" -> "ogg", any case; "bin" for types not in the
// table (a download should still get a name, and "bin" says "unknown bytes").
std::string_view extension_for_mime(std::string_view mime_type);

}  // namespace tgget::cli
