// Which keys are secret, how a line is written, registered secret values blanked anywhere.
#include <catch2/catch.hpp>

#include "log/redact.hpp"

using namespace tgget::log;

TEST_CASE("secret keys by name and by last word") {
  for (const char* k : {"password", "code", "phone_code", "api_hash", "auth_key", "AUTH_KEY", "server_salt", "bot_token",
                        "session", "nonce", "payload", "tmp_secret", "key"}) {
    INFO(k);
    CHECK(is_secret_key(k));
  }
  for (const char* k : {"dc", "error_code", "type", "auth_key_id", "user_id", "home", "session_file_mode", "method"}) {
    INFO(k);
    CHECK_FALSE(is_secret_key(k));
  }
}

TEST_CASE("a line: bare words, quoted text, escaped controls, secrets redacted") {
  const std::vector<std::string> secrets{"hunter2-secret"};
  CHECK(format_line("rpc_error", {{"dc", 2}, {"type", "FLOOD_WAIT"}, {"value", 35}, {"ok", false}}, secrets) ==
        "rpc_error dc=2 type=FLOOD_WAIT value=35 ok=false");
  CHECK(format_line("x", {{"path", "a b\n\"c\""}}, secrets) == "x path=\"a b\\x0a\\\"c\\\"\"");
  CHECK(format_line("login", {{"password", "anything"}, {"api_hash", "0123abcd"}}, secrets) ==
        "login password=<redacted> api_hash=<redacted>");
  CHECK(format_line("oops", {{"detail", "the hunter2-secret leaked twice: hunter2-secret"}}, secrets) ==
        "oops detail=\"the <redacted> leaked twice: <redacted>\"");
  CHECK(scrub("no secret here", secrets) == "no secret here");
}
