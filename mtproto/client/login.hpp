#pragma once
// Logging an account in on its home DC: phone + code (+ the 2FA password through SRP-2048), or a
// bot token; logging out; and who we are. The caller supplies the code and the password through
// callbacks (a terminal prompt, a flag, an environment variable); the library never prompts.
// PHONE_MIGRATE / USER_MIGRATE move the home DC inside Client::call, transparently.
#include <asio/awaitable.hpp>
#include <functional>
#include <string>

#include "client/client.hpp"

namespace mtp::client {

struct AccountInfo {
  std::int64_t id = 0;
  std::string first_name;
  std::string last_name;
  std::string username;
  std::string phone;
  bool bot = false;
  int home_dc = 0;
};

struct CodeLogin {
  std::string phone;
  // Asked once the code was sent; an error aborts the login (e.g. no terminal and no --code).
  std::function<Result<std::string>()> code;
  // Asked when the account has a 2FA password; gets the account's password hint.
  std::function<Result<std::string>(const std::string& hint)> password;
};

// Errors as the server says them (PHONE_NUMBER_INVALID, PHONE_CODE_INVALID, PASSWORD_HASH_INVALID,
// ...) and PHONE_NUMBER_UNOCCUPIED when the number has no account (sign-up is not offered).
asio::awaitable<Result<AccountInfo>> login_with_code(Client& client, const CodeLogin& login);
asio::awaitable<Result<AccountInfo>> login_with_bot_token(Client& client, const std::string& token);
// auth.logOut on the home DC, then every key forgotten locally (even when the server already
// considered the login gone).
asio::awaitable<Status> logout(Client& client);
// users.getUsers([inputUserSelf]); NOT_LOGGED_IN without contacting anyone when not logged in.
asio::awaitable<Result<AccountInfo>> current_account(Client& client);

}  // namespace mtp::client
