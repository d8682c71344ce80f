// Cross-DC authorization (core.telegram.org/api/datacenter): export on the DC the user is logged
// in on, import on the target DC over that DC's own key. Bytes are single-use and a newer export
// for the same user and DC supersedes the older one, which is why clients that export
// concurrently see AUTH_BYTES_INVALID on Telegram.
#include "api_handlers.hpp"
#include "api_objects.hpp"

namespace testdc::handlers {

ApiReply auth_exportAuthorization(ApiCall& call) {
  auto req = parse_request<api::auth_exportAuthorization>(call);
  if (!req) return fetch_error();
  const Account* account = logged_in_account(call);
  if (account == nullptr) return unregistered();
  if (req->dc_id == call.dc || !call.state.world().has_dc(req->dc_id)) return ApiReply::fail(400, "DC_ID_INVALID");
  api::auth_exportedAuthorization exported;
  exported.id = account->user_id;
  exported.bytes = api_state(call).export_authorization(account->user_id, req->dc_id);
  return ApiReply::ok(exported);
}

ApiReply auth_importAuthorization(ApiCall& call) {
  auto req = parse_request<api::auth_importAuthorization>(call);
  if (!req) return fetch_error();
  const Account* account = call.state.world().find_account_by_id(req->id);
  if (account == nullptr) return ApiReply::fail(400, "USER_ID_INVALID");
  ApiState& state = api_state(call);
  // The bytes only work on the DC they were exported for (call.dc), and only once. A key that is
  // already logged in cannot take another authorization.
  if (call.key->dc != call.dc || state.user_of(call) ||
      !state.import_authorization(req->id, call.dc, req->bytes)) {
    return ApiReply::fail(400, "AUTH_BYTES_INVALID");
  }
  state.bind(*call.key, account->user_id);
  return ApiReply::ok(make_authorization(*account));
}

}  // namespace testdc::handlers
