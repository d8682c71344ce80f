// auth.exportAuthorization / auth.importAuthorization: DC checks, single-use bytes, and the race
// Telegram has: a newer export supersedes the older bytes (AUTH_BYTES_INVALID).
#include "api_test_support.hpp"

using namespace testdc::test;
using testdc::ApiReply;

namespace {

api::auth_exportedAuthorization export_to(ApiWorld& w, const std::shared_ptr<testdc::AuthKeyInfo>& key, int dc) {
  return result_of<api::auth_ExportedAuthorization>(w.call(2, key, api::auth_exportAuthorization{dc}))
      .get<api::auth_exportedAuthorization>();
}

ApiReply import_on(ApiWorld& w, int dc, const std::shared_ptr<testdc::AuthKeyInfo>& key,
                   const api::auth_exportedAuthorization& e) {
  return w.call(dc, key, api::auth_importAuthorization{e.id, e.bytes});
}

}  // namespace

TEST_CASE("exportAuthorization needs a login and another existing DC") {
  ApiWorld w;
  CHECK(error_of(w.call(2, w.new_key(2), api::auth_exportAuthorization{4})) == "AUTH_KEY_UNREGISTERED 401");
  auto key = w.login(2, "15550000001", "12345");
  CHECK(error_of(w.call(2, key, api::auth_exportAuthorization{2})) == "DC_ID_INVALID 400");
  CHECK(error_of(w.call(2, key, api::auth_exportAuthorization{3})) == "DC_ID_INVALID 400");
  CHECK(error_of(w.call(2, key, api::auth_exportAuthorization{0})) == "DC_ID_INVALID 400");
  auto e = export_to(w, key, 4);
  CHECK(e.id == kUserPlain);
  CHECK(e.bytes.size() >= 32);
}

TEST_CASE("imported authorization works on the target DC only, once, and then serves its files") {
  ApiWorld w;
  auto home = w.login(2, "15550000001", "12345");
  auto foreign_doc = document_of(fetch_message(w, 2, home, 3));  // stored on DC 4
  auto e = export_to(w, home, 4);

  CHECK(error_of(import_on(w, 1, w.new_key(1), e)) == "AUTH_BYTES_INVALID 400");  // wrong DC
  auto tampered = e;
  tampered.bytes[0] ^= 1;
  CHECK(error_of(import_on(w, 4, w.new_key(4), tampered)) == "AUTH_BYTES_INVALID 400");

  auto dc4 = w.new_key(4);
  CHECK(error_of(w.call(4, dc4, api::users_getUsers{{api::inputUserSelf{}}})) == "AUTH_KEY_UNREGISTERED 401");
  auto auth = result_of<api::auth_Authorization>(import_on(w, 4, dc4, e));
  CHECK(auth.get<api::auth_authorization>().user.get<api::user>().id == kUserPlain);
  CHECK(dc4->user_id == kUserPlain);
  CHECK(error_of(import_on(w, 4, w.new_key(4), e)) == "AUTH_BYTES_INVALID 400");  // single use

  api::upload_getFile req;
  req.location = location_of(foreign_doc);
  req.limit = 8192;  // more than the 5000-byte file: one short part is all of it
  auto file = result_of<api::upload_File>(w.call(4, dc4, req)).get<api::upload_file>();
  CHECK(file.bytes == w.small_file());
  CHECK(error_of(w.call(2, home, req)) == "FILE_MIGRATE_4 303");
}

TEST_CASE("concurrent exports: the superseded bytes fail with AUTH_BYTES_INVALID") {
  ApiWorld w;
  auto home = w.login(2, "15550000001", "12345");

  // Two exports in flight at once on one io_context, as two download tasks would send them.
  asio::io_context io;
  mtp::Bytes request = mtp::tl::serialize(api::auth_exportAuthorization{4});
  testdc::ApiCall call_a{w.state(), io.get_executor(), 2, false, 1, home, 1, 10, api::kLayer, request};
  testdc::ApiCall call_b{w.state(), io.get_executor(), 2, false, 2, home, 2, 20, api::kLayer, request};
  std::vector<api::auth_exportedAuthorization> exports;
  auto collect = [&](std::exception_ptr e, ApiReply r) {
    REQUIRE(!e);
    exports.push_back(result_of<api::auth_ExportedAuthorization>(r).get<api::auth_exportedAuthorization>());
  };
  asio::co_spawn(io, testdc::handle_api_call(call_a), collect);
  asio::co_spawn(io, testdc::handle_api_call(call_b), collect);
  io.run();
  REQUIRE(exports.size() == 2);
  REQUIRE(exports[0].bytes != exports[1].bytes);

  int ok = 0, invalid = 0;
  for (const auto& e : exports) {
    auto reply = import_on(w, 4, w.new_key(4), e);
    if (!reply.error) ++ok;
    else if (error_of(reply) == "AUTH_BYTES_INVALID 400") ++invalid;
  }
  CHECK(ok == 1);
  CHECK(invalid == 1);
  // Specifically the older one lost.
  auto older = export_to(w, home, 4);
  auto newer = export_to(w, home, 4);
  CHECK(error_of(import_on(w, 4, w.new_key(4), older)) == "AUTH_BYTES_INVALID 400");
  CHECK_FALSE(import_on(w, 4, w.new_key(4), newer).error.has_value());
}

TEST_CASE("exported bytes expire and an authorized key cannot import another authorization") {
  ApiWorld w;
  auto home = w.login(2, "15550000001", "12345");
  auto e = export_to(w, home, 4);
  w.advance_ms(testdc::ApiState::kExportLifetimeMs);
  CHECK(error_of(import_on(w, 4, w.new_key(4), e)) == "AUTH_BYTES_INVALID 400");

  auto dc4 = w.new_key(4);
  CHECK_FALSE(import_on(w, 4, dc4, export_to(w, home, 4)).error.has_value());
  CHECK(error_of(import_on(w, 4, dc4, export_to(w, home, 4))) == "AUTH_BYTES_INVALID 400");
  CHECK(error_of(w.call(4, w.new_key(4), api::auth_importAuthorization{42, e.bytes})) == "USER_ID_INVALID 400");
}
