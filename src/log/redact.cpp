#include "log/redact.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace tgget::log {
namespace {

constexpr std::string_view kRedacted = "<redacted>";

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string render(const Value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) return x ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>) return x;
        else return fmt::format("{}", x);
      },
      v);
}

// One value as the line shows it: bare when it is one word, else quoted; no raw control bytes.
std::string quote(const std::string& v) {
  const bool bare = !v.empty() && std::none_of(v.begin(), v.end(), [](unsigned char c) {
    return c <= ' ' || c == '"' || c == '\\' || c == '=' || c == 0x7f;
  });
  if (bare) return v;
  std::string out = "\"";
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  return out + "\"";
}

}  // namespace

bool is_secret_key(std::string_view key) {
  // The whole key...
  static constexpr std::string_view kExact[] = {"code", "login_code", "phone_code", "password", "passwd", "session",
                                                "session_data", "nonce", "payload", "srp", "pem", "phone_code_hash"};
  // ...or its last word: "auth_key", "server_salt", "bot_token", "api_hash", "tmp_secret".
  static constexpr std::string_view kLastWord[] = {"key", "salt", "token", "hash", "secret", "password"};
  const std::string k = lower(key);
  for (auto s : kExact) {
    if (k == s) return true;
  }
  for (auto s : kLastWord) {
    if (k == s) return true;
    if (k.size() > s.size() && k.ends_with(s) && k[k.size() - s.size() - 1] == '_') return true;
  }
  return false;
}

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    if (s.empty()) continue;
    for (auto pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos + kRedacted.size())) {
      text.replace(pos, s.size(), kRedacted);
    }
  }
  return text;
}

std::string field_text(std::string_view key, std::string value) {
  if (is_secret_key(key)) value = kRedacted;
  return fmt::format(" {}={}", key, quote(value));
}

std::string format_line(std::string_view event, std::initializer_list<Field> fields, const std::vector<std::string>& secrets) {
  std::string line(event);
  for (const auto& f : fields) line += field_text(f.key.view(), scrub(render(f.value), secrets));
  return line;
}

}  // namespace tgget::log
