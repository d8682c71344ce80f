// 2FA: account.getPassword hands out real SRP-2048 parameters and a fresh srp_B; auth.checkPassword
// verifies the client's A and M1 (core.telegram.org/api/srp).
#include "api_handlers.hpp"
#include "api_objects.hpp"

namespace testdc::handlers {
namespace {

// The account whose password this key may check: the logged-in user, or the one whose code the
// key just entered (SESSION_PASSWORD_NEEDED).
const Account* password_account(ApiCall& call) {
  if (const Account* a = logged_in_account(call)) return a;
  if (call.key->dc != call.dc) return nullptr;
  auto pending = api_state(call).password_pending(call.key->id);
  return pending ? call.state.world().find_account_by_id(*pending) : nullptr;
}

}  // namespace

ApiReply account_getPassword(ApiCall& call) {
  if (!parse_request<api::account_getPassword>(call)) return fetch_error();
  const Account* account = password_account(call);
  if (account == nullptr) return unregistered();
  ApiState& state = api_state(call);
  const auto params = state.srp_params(*account);

  api::account_password p;
  // What a client would use to set a new password: the server's salt1 prefix, extended by the client.
  p.new_algo = api::passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow{
      mtp::Bytes(params.salt1.begin(), params.salt1.begin() + 8), params.salt2, params.g, params.p};
  p.new_secure_algo = api::securePasswordKdfAlgoPBKDF2HMACSHA512iter100000{state.random_bytes(8)};
  p.secure_random = state.random_bytes(32);
  if (account->password) {
    auto srp = state.start_srp(*account, call.key->id);
    if (!srp) return ApiReply::fail(500, "SRP_START_FAILED");
    p.has_password = true;
    p.current_algo = api::passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow{
        params.salt1, params.salt2, params.g, params.p};
    p.srp_id = srp->first;
    p.srp_B = std::move(srp->second);
  }
  return ApiReply::ok(p);
}

ApiReply auth_checkPassword(ApiCall& call) {
  auto req = parse_request<api::auth_checkPassword>(call);
  if (!req) return fetch_error();
  const Account* account = password_account(call);
  if (account == nullptr) return unregistered();
  const auto* srp = req->password.get_if<api::inputCheckPasswordSRP>();
  if (srp == nullptr || !account->password) return ApiReply::fail(400, "PASSWORD_HASH_INVALID");
  ApiState& state = api_state(call);
  // Each srp_id is good for one attempt from the key that asked for it.
  auto pending = state.take_srp(srp->srp_id);
  if (!pending || pending->key_id != call.key->id || pending->user_id != account->user_id) {
    return ApiReply::fail(400, "SRP_ID_INVALID");
  }
  if (!pending->session->verify(srp->A, srp->M1)) return ApiReply::fail(400, "PASSWORD_HASH_INVALID");
  state.bind(*call.key, account->user_id);
  return ApiReply::ok(make_authorization(*account));
}

}  // namespace testdc::handlers
