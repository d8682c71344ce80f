#include "client/login.hpp"

#include "crypto/random.hpp"
#include "crypto/srp.hpp"
#include "tl/api.hpp"

namespace mtp::client {

namespace api = tl::api;

namespace {

AccountInfo account_of(const api::User& boxed, int home_dc) {
  AccountInfo info;
  info.home_dc = home_dc;
  if (const auto* u = boxed.get_if<api::user>()) {
    info.id = u->id;
    info.first_name = u->first_name.value_or("");
    info.last_name = u->last_name.value_or("");
    info.username = u->username.value_or("");
    info.phone = u->phone.value_or("");
    info.bot = u->bot;
  } else if (const auto* e = boxed.get_if<api::userEmpty>()) {
    info.id = e->id;
  }
  return info;
}

Result<AccountInfo> finish_login(Client& client, const api::auth_Authorization& authorization) {
  if (authorization.is<api::auth_authorizationSignUpRequired>()) {
    return Error::local(kErrInvalidArgument, "PHONE_NUMBER_UNOCCUPIED",
                        "this number has no Telegram account; sign up in an official app first");
  }
  const auto& auth = authorization.get<api::auth_authorization>();
  AccountInfo info = account_of(auth.user, client.home_dc());
  MTP_TRY(client.on_logged_in(info.id));
  return info;
}

asio::awaitable<Result<AccountInfo>> check_password(Client& client, const CodeLogin& login) {
  const api::account_getPassword get_password;
  auto password_info = co_await client.invoke(get_password);
  if (!password_info) co_return std::move(password_info).error();
  const auto& pw = password_info->get<api::account_password>();
  if (!pw.current_algo || !pw.srp_B || !pw.srp_id) {
    co_return Error::local(kErrMalformed, "PASSWORD_INFO_INCOMPLETE", "the server asked for a password but sent no SRP data");
  }
  const auto* algo = pw.current_algo->get_if<api::passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow>();
  if (!algo) co_return Error::local(kErrUnsupported, "PASSWORD_ALGO_UNSUPPORTED", "unknown 2FA password algorithm");
  if (!login.password) co_return Error::local(kErrInvalidArgument, "PASSWORD_REQUIRED", "the account has a 2FA password");
  auto password = login.password(pw.hint.value_or(""));
  if (!password) co_return std::move(password).error();
  crypto::SrpParams params{algo->salt1, algo->salt2, algo->g, algo->p};
  auto answer = crypto::srp_client_answer(params, *password, *pw.srp_B, crypto::system_random());
  if (!answer) co_return std::move(answer).error();
  api::inputCheckPasswordSRP srp;
  srp.srp_id = *pw.srp_id;
  srp.A = answer->a_public;
  srp.M1.assign(answer->m1.begin(), answer->m1.end());
  const api::auth_checkPassword check{api::InputCheckPasswordSRP(std::move(srp))};
  auto authorization = co_await client.invoke(check);
  if (!authorization) co_return std::move(authorization).error();
  co_return finish_login(client, *authorization);
}

}  // namespace

asio::awaitable<Result<AccountInfo>> login_with_code(Client& client, const CodeLogin& login) {
  if (login.phone.empty()) co_return Error::local(kErrInvalidArgument, "PHONE_REQUIRED", "no phone number given");
  api::auth_sendCode send;
  send.phone_number = login.phone;
  send.api_id = client.config().api_id;
  send.api_hash = client.config().api_hash;
  send.settings = api::codeSettings{};
  auto sent = co_await client.invoke(send);
  if (!sent) co_return std::move(sent).error();
  if (const auto* success = sent->get_if<api::auth_sentCodeSuccess>()) {
    co_return finish_login(client, success->authorization);  // a future-auth token logged us in
  }
  const std::string hash = sent->get<api::auth_sentCode>().phone_code_hash;
  if (!login.code) co_return Error::local(kErrInvalidArgument, "CODE_REQUIRED", "a login code is needed");
  auto code = login.code();
  if (!code) co_return std::move(code).error();
  api::auth_signIn sign_in;
  sign_in.phone_number = login.phone;
  sign_in.phone_code_hash = hash;
  sign_in.phone_code = *code;
  auto authorization = co_await client.invoke(sign_in);
  if (authorization) co_return finish_login(client, *authorization);
  if (authorization.error().code == 401 && authorization.error().is("SESSION_PASSWORD_NEEDED")) {
    co_return co_await check_password(client, login);
  }
  co_return std::move(authorization).error();
}

asio::awaitable<Result<AccountInfo>> login_with_bot_token(Client& client, const std::string& token) {
  if (token.empty()) co_return Error::local(kErrInvalidArgument, "BOT_TOKEN_REQUIRED", "no bot token given");
  api::auth_importBotAuthorization import;
  import.api_id = client.config().api_id;
  import.api_hash = client.config().api_hash;
  import.bot_auth_token = token;
  auto authorization = co_await client.invoke(import);
  if (!authorization) co_return std::move(authorization).error();
  co_return finish_login(client, *authorization);
}

asio::awaitable<Status> logout(Client& client) {
  if (client.logged_in()) {
    const api::auth_logOut log_out;
    auto done = co_await client.invoke(log_out);
    // A login the server already dropped is as logged out as it gets; anything else is reported.
    if (!done && !is_login_required(done.error())) co_return std::move(done).error();
  }
  co_return client.forget_account();
}

asio::awaitable<Result<AccountInfo>> current_account(Client& client) {
  if (!client.logged_in()) co_return Error::local(kErrInvalidArgument, "NOT_LOGGED_IN", "not logged in");
  api::users_getUsers request;
  request.id.push_back(api::inputUserSelf{});
  auto users = co_await client.invoke(request);
  if (!users) co_return std::move(users).error();
  if (users->empty()) co_return Error::local(kErrMalformed, "USER_MISSING", "users.getUsers returned nobody");
  co_return account_of(users->front(), client.home_dc());
}

}  // namespace mtp::client
