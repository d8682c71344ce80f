#pragma once
// The pure half of logging: which keys are secret, and an event with its fields turned into the
// text of one log line with the secrets taken out. No I/O, no global state (the registry of secret
// values is passed in), unit-tested directly.
#include <string>
#include <string_view>
#include <vector>

#include "log/log.hpp"

namespace tgget::log {

// code, phone_code, password, session, nonce, payload... as the whole key, and key, salt, token,
// hash, secret, password also as the key's last word (auth_key, server_salt, bot_token, api_hash);
// case-insensitive. "error_code" or "auth_key_id" are not secret.
bool is_secret_key(std::string_view key);

// "event key=value key2=\"with spaces\"": values with spaces or quotes quoted, control characters
// escaped, secret keys and registered secret values written as <redacted>.
std::string format_line(std::string_view event, std::initializer_list<Field> fields, const std::vector<std::string>& secrets);

// " key=value" with the same rules, for keys known only at run time (the protocol library's).
std::string field_text(std::string_view key, std::string value);

// Replaces every occurrence of each secret in `text` with <redacted>.
std::string scrub(std::string text, const std::vector<std::string>& secrets);

}  // namespace tgget::log
