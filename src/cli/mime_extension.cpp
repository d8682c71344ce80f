#include "cli/mime_extension.hpp"

#include <array>
#include <utility>

namespace tgget::cli {

namespace {

// What Telegram's clients send for the media people download most, plus common archives and
// office files. Several types may map to one extension.
constexpr std::array<std::pair<std::string_view, std::string_view>, 40> kExtensions{{
    {"video/mp4", "mp4"},         {"video/quicktime", "mov"},     {"video/x-matroska", "mkv"},
    {"video/webm", "webm"},       {"video/mpeg", "mpg"},          {"video/x-msvideo", "avi"},
    {"video/3gpp", "3gp"},        {"image/jpeg", "jpg"},          {"image/png", "png"},
    {"image/gif", "gif"},         {"image/webp", "webp"},         {"image/heic", "heic"},
    {"image/bmp", "bmp"},         {"image/svg+xml", "svg"},       {"audio/mpeg", "mp3"},
    {"audio/mp4", "m4a"},         {"audio/x-m4a", "m4a"},         {"audio/aac", "aac"},
    {"audio/ogg", "ogg"},         {"audio/opus", "opus"},         {"audio/flac", "flac"},
    {"audio/x-flac", "flac"},     {"audio/wav", "wav"},           {"audio/x-wav", "wav"},
    {"application/pdf", "pdf"},   {"application/zip", "zip"},     {"application/x-zip-compressed", "zip"},
    {"application/vnd.rar", "rar"}, {"application/x-rar-compressed", "rar"}, {"application/x-7z-compressed", "7z"},
    {"application/gzip", "gz"},   {"application/x-tar", "tar"},   {"application/x-tgsticker", "tgs"},
    {"application/epub+zip", "epub"}, {"application/vnd.android.package-archive", "apk"},
    {"application/x-bittorrent", "torrent"}, {"application/json", "json"}, {"text/plain", "txt"},
    {"text/html", "html"},        {"text/csv", "csv"},
}};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view lower_case) {
  if (a.size() != lower_case.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower_case[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view extension_for_mime(std::string_view mime_type) {
  mime_type = mime_type.substr(0, mime_type.find(';'));  // drop "; codecs=..." and other parameters
  while (!mime_type.empty() && mime_type.back() == ' ') mime_type.remove_suffix(1);
  for (const auto& [type, extension] : kExtensions) {
    if (equals_ignoring_case(mime_type, type)) return extension;
  }
  return "bin";
}

}  // namespace tgget::cli
