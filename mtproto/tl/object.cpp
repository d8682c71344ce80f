#include "tl/object.hpp"

#include <cstring>

namespace mtp::tl {

void throw_store_empty(const char* type_name) {
  throw std::logic_error(std::string("storing an empty TL value of type ") + type_name);
}

namespace {
std::string hex32(std::uint32_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s = "#";
  for (int shift = 28; shift >= 0; shift -= 4) s += digits[(v >> shift) & 0xF];
  return s;
}
}  // namespace

void fail_unknown_id(Reader& r, std::string_view type, std::uint32_t id) {
  std::string detail = "unknown constructor ";
  detail.append(hex32(id)).append(" for ").append(type).append(" at ").append(std::to_string(r.position() - 4));
  r.fail("TL_UNKNOWN_ID", std::move(detail));
}

void fail_wrong_id(Reader& r, std::string_view name, std::uint32_t expected, std::uint32_t found) {
  std::string detail = "expected ";
  detail.append(name).append(" ").append(hex32(expected)).append(", found ").append(hex32(found));
  r.fail("TL_BAD_ID", std::move(detail));
}

std::uint32_t RawObject::id() const {
  std::uint32_t v = 0;
  if (bytes.size() >= 4) std::memcpy(&v, bytes.data(), 4);
  return v;
}

RawObject RawObject::fetch(Reader& r) {
  ByteSpan rest = r.raw(r.remaining());
  return RawObject{Bytes(rest.begin(), rest.end())};
}

}  // namespace mtp::tl
