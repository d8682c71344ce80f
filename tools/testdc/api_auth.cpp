// Login by phone code and by bot token, and logout. 2FA is in api_password.cpp, cross-DC
// authorization in api_transfer.cpp.
#include "api_handlers.hpp"
#include "api_objects.hpp"

namespace testdc::handlers {
namespace {

std::string migrate(const char* what, int dc) {
  std::string m(what);
  m.append("_").append(std::to_string(dc));
  return m;
}

}  // namespace

ApiReply auth_sendCode(ApiCall& call) {
  auto req = parse_request<api::auth_sendCode>(call);
  if (!req) return fetch_error();
  const Account* account = call.state.world().find_account_by_phone(req->phone_number);
  // Telegram would text an unknown number and ask it to sign up; this world has fixed accounts.
  if (account == nullptr || req->phone_number.empty()) return ApiReply::fail(400, "PHONE_NUMBER_INVALID");
  // Like Telegram, an account logs in on its home DC only.
  if (account->home_dc != call.dc) return ApiReply::fail(303, migrate("PHONE_MIGRATE", account->home_dc));
  api::auth_sentCode sent;
  sent.type = api::auth_sentCodeTypeApp{static_cast<std::int32_t>(account->code.size())};
  sent.phone_code_hash = api_state(call).remember_code(account->phone);
  return ApiReply::ok(sent);
}

ApiReply auth_signIn(ApiCall& call) {
  auto req = parse_request<api::auth_signIn>(call);
  if (!req) return fetch_error();
  ApiState& state = api_state(call);
  if (req->phone_code_hash.empty()) return ApiReply::fail(400, "PHONE_CODE_HASH_EMPTY");
  if (!req->phone_code || req->phone_code->empty()) return ApiReply::fail(400, "PHONE_CODE_EMPTY");
  const Account* account = call.state.world().find_account_by_phone(req->phone_number);
  if (account == nullptr || req->phone_number.empty()) return ApiReply::fail(400, "PHONE_NUMBER_INVALID");
  if (account->home_dc != call.dc) return ApiReply::fail(303, migrate("PHONE_MIGRATE", account->home_dc));
  if (state.check_code_hash(req->phone_code_hash, account->phone) != ApiState::CodeCheck::kOk) {
    return ApiReply::fail(400, "PHONE_CODE_EXPIRED");
  }
  // A wrong code leaves the hash usable, so the user can type the code again.
  if (*req->phone_code != account->code) return ApiReply::fail(400, "PHONE_CODE_INVALID");
  state.consume_code_hash(req->phone_code_hash);
  if (account->password) {
    state.set_password_pending(call.key->id, account->user_id);
    return ApiReply::fail(401, "SESSION_PASSWORD_NEEDED");
  }
  state.bind(*call.key, account->user_id);
  return ApiReply::ok(make_authorization(*account));
}

ApiReply auth_importBotAuthorization(ApiCall& call) {
  auto req = parse_request<api::auth_importBotAuthorization>(call);
  if (!req) return fetch_error();
  const Account* bot = call.state.world().find_bot(req->bot_auth_token);
  if (bot == nullptr) return ApiReply::fail(400, "ACCESS_TOKEN_INVALID");
  if (bot->home_dc != call.dc) return ApiReply::fail(303, migrate("USER_MIGRATE", bot->home_dc));
  api_state(call).bind(*call.key, bot->user_id);
  return ApiReply::ok(make_authorization(*bot));
}

ApiReply auth_logOut(ApiCall& call) {
  if (!parse_request<api::auth_logOut>(call)) return fetch_error();
  if (!logged_in_account(call)) return unregistered();
  api_state(call).unbind(*call.key);
  return ApiReply::ok(api::auth_loggedOut{});
}

}  // namespace testdc::handlers
