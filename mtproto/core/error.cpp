#include "core/error.hpp"

#include <charconv>

namespace mtp {

Error Error::rpc(int code, std::string_view message) {
  Error e;
  e.code = code;
  e.type = std::string(message);
  // A trailing "_<digits>" is the error's argument (seconds to wait, DC number...).
  auto underscore = message.rfind('_');
  if (underscore != std::string_view::npos && underscore + 1 < message.size()) {
    std::string_view digits = message.substr(underscore + 1);
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec == std::errc() && ptr == digits.data() + digits.size()) {
      e.type = std::string(message.substr(0, underscore));
      e.value = v;
    }
  }
  return e;
}

Error Error::local(int code, std::string type, std::string detail) {
  Error e;
  e.code = code;
  e.type = std::move(type);
  e.detail = std::move(detail);
  return e;
}

std::string Error::to_string() const {
  std::string s = type;
  if (value) s.append("_").append(std::to_string(*value));
  if (code > 0) s.append(" (").append(std::to_string(code)).append(")");
  if (!detail.empty()) s.append(": ").append(detail);
  return s;
}

}  // namespace mtp
